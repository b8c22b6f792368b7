"""Words written together in code style, read apart: ``VenousEndothelium``.

Cluster labels and plot names glue words as code does ("ChromaffinCell",
"GranulosaPC", "NaiveCD8Tcells", "TypeIIFiber"); the ontology's names have them
apart. :func:`words_apart` puts the spaces back by the conventions of such names (a
capital starting a word, an acronym, a Roman numeral or a CD marker after a word, "cell"
after a cell's capital letter), leaving alone what is written so on purpose: a short form
of the shorthand list ("ncMono", "hESC"), gene and cell-line names ("MyoD", "BeWo"),
stem-cell short forms ("iPSC"), markers ("CD45RA"). A pure function.
"""

from __future__ import annotations

import functools
import re

from harmonize.match.values.shorthand import SHORTHAND, is_shorthand

__all__ = ["APART_STEP", "words_apart"]

#: how a value whose glued words were read apart says so (the similarity tier's step, and a
#: reading's note: a candidate says it once)
APART_STEP = "words written together read apart"

#: words written together in code style ("VenousEndothelium", "NKCells"): a capital
#: that starts a word of three letters or more after a letter or digit ("CD4Naive"); an
#: acronym, a Roman numeral or a CD marker after a word ("GranulosaPC", "TypeIIFiber",
#: "NaiveCD8"); "cell" after a cell's capital letter ("CD8Tcells"); "BeWo",
#: "iPSC", "MyoD", "NKp46" are not split
_CAMEL = re.compile(
    r"(?<=[^\W_])(?=[A-Z][a-z]{2,})|(?<=[a-z]{3})(?=[A-Z]{2,}(?![a-z]))"
    r"|(?<=[a-z]{3})(?=(?:I{1,3}|IV|V)(?:[A-Z][a-z]|\b))|(?<=[A-Z])(?=cells?(?![a-z]))"
    r"|(?<=[a-z0-9])(?=CD\d)"
)
#: a CD marker written together with the word after it ("CD8TEMRA", "CD4rest"): a word of
#: three letters or more; "CD45RA", "CD11b", "CD14hi" are markers as written
_GLUED_MARKER = re.compile(r"(?<![^\W_])(CD\d{1,3})(?=[A-Za-z]{3,})")


@functools.lru_cache(maxsize=4096)  # asked for several times for one value
def words_apart(text: str) -> str:
    """``text`` with code-style words written together read apart, and a CD marker
    written together with the word after it.

    >>> words_apart("VenousEndothelium"), words_apart("Gut_NKCells"), words_apart("BeWo")
    ('Venous Endothelium', 'Gut_NK Cells', 'BeWo')
    >>> words_apart("CD8TEMRA"), words_apart("CD4rest"), words_apart("CD45RA")
    ('CD8 TEMRA', 'CD4 rest', 'CD45RA')
    >>> words_apart("ncMono"), words_apart("ncMono_CD16")  # a short form of the list
    ('ncMono', 'ncMono_CD16')
    >>> words_apart("NaiveCD8Tcells"), words_apart("GranulosaPC"), words_apart("TypeIIFiber")
    ('Naive CD8 T cells', 'Granulosa PC', 'Type II Fiber')
    >>> words_apart("DerivedhESC"), words_apart("FibroPC")  # "hESC" in the list; no "oPC"
    ('Derived hESC', 'Fibro PC')
    """
    if not any(c.isupper() for c in text[1:]):
        return text  # (both need a capital after the first letter: most values have none)
    glued = _GLUED_MARKER.sub(r"\1 ", text)
    apart = _CAMEL.sub(" ", glued)
    return apart if apart == glued else _WORD.sub(_apart, glued)


_WORD = re.compile(r"[^\W_]+")


def _apart(match: re.Match[str]) -> str:
    word = match.group(0)
    if is_shorthand(word):
        return word
    # a lower-case letter that begins a short form stays with it ("DerivedhESC": "hESC")
    return _LETTER_OF_SHORT.sub(_letter_moved, _CAMEL.sub(" ", word))


#: a lower-case letter left before a space and capitals ("Derivedh ESC")
_LETTER_OF_SHORT = re.compile(r"(?<=[a-z]{3})([a-z]) ([A-Z]{2,}[a-z0-9]*)")


#: the short forms of the list as written: "hESC" begins with its lower-case letter; a
#: short form in capitals only does not ("FibroPC" is no "Fibr" and "oPC")
_WRITTEN = frozenset(entry.short for entry in SHORTHAND)


def _letter_moved(match: re.Match[str]) -> str:
    short = match.group(1) + match.group(2)
    return f" {short}" if short in _WRITTEN else match.group(0)
