"""Marker signs a value states, and the terms whose names state the opposite.

A sorted population is written with its surface markers and their signs: ``CD4+ CCR6+``,
``CD16- NK cells``, ``CD56bright NK cells``, ``SPP1_high macrophage``. The Cell Ontology names such
populations the same way (``CD8-positive, CXCR3-negative, ... T cell``, ``CD14-low,
CD16-positive monocyte``). A term whose name gives one of the value's markers the opposite
sign is not the value's population, however close its words: the matcher ranks it after
every other candidate and says why (reading ``contradicted``, never a match of the value).

Signs are read as four levels: positive (``+``, ``pos``), negative (``-``, ``neg``), high
(``hi``, ``bright``) and low (``lo``, ``dim``). Positive and negative contradict each
other, and so do high and negative, and high and low; low is still positive (``CD14-low``
monocytes carry CD14), so low contradicts neither positive nor negative.

A T cell carries one coreceptor, CD4 or CD8 (helper and regulatory T cells CD4, cytotoxic
ones CD8; a value naming both, ``CD4/8``, or the double-positive thymocytes, is another
population): a value that names one (``CD4 Treg``, ``6.CD4Treg``, written bare as labs do)
is contradicted by a name that says the other positive and not it. A term met only by
similarity whose names state markers, none of the value's, names another population
(:func:`other_markers`). Pure.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

__all__ = [
    "WORD_SIGN",
    "Sign",
    "contradiction",
    "name_signs",
    "other_markers",
    "value_coreceptor",
    "value_signs",
]

Sign = Literal["positive", "negative", "high", "low"]

#: pairs of signs that cannot both hold for one marker of one population
_CONTRADICT: frozenset[frozenset[Sign]] = frozenset(
    {
        frozenset({"positive", "negative"}),
        frozenset({"high", "negative"}),
        frozenset({"high", "low"}),
    }
)
#: a sign or level as written after a marker (also read by :mod:`.markers`)
WORD_SIGN: dict[str, Sign] = {
    "+": "positive", "++": "positive", "pos": "positive", "positive": "positive",
    "-": "negative", "\u2212": "negative", "neg": "negative", "negative": "negative",
    "hi": "high", "high": "high", "bright": "high",
    "lo": "low", "low": "low", "dim": "low",
}  # fmt: skip
#: a marker symbol as labs write it (CD4, CXCR3, HLA-DR, SPP1, MUC5AC), then its sign:
#: glued or after a space, hyphen or underscore ("CD56bright", "CD16-", "SPP1_high")
_VALUE = re.compile(
    r"(?<![\w-])(?P<m>HLA-?DR|[A-Za-z][A-Za-z0-9]{1,9})"
    r"(?P<s>\+\+?|[-\u2212](?![\w-])|(?:[\s_-])?(?:positive|pos|negative|neg|high|hi|bright|"
    r"low|lo|dim)(?![A-Za-z]))"
)
#: a marker as the Cell Ontology names it: "CD4-positive", "HLA-DR-negative", "CD56-bright"
_NAME = re.compile(
    r"(?<![\w-])(?P<m>HLA-DR|[A-Za-z][A-Za-z0-9]{1,9})-"
    r"(?P<s>positive|negative|high|low|bright|dim)\b",
    re.IGNORECASE,
)
#: CD4 or CD8 named in a value, bare or signed ("CD4Treg", "CD8+", "T_CD8_CTL")
_CORECEPTOR = re.compile(r"(?<![A-Za-z0-9])CD([48])(?![0-9])", re.IGNORECASE)
#: both named at once ("CD4/8+", "CD4/CD8", "CD4 CD8 double positive")
_BOTH = re.compile(r"CD[48]\s*/\s*(?:CD)?[48](?![0-9])", re.IGNORECASE)
_CARRIES: frozenset[Sign] = frozenset({"positive", "high", "low"})
#: a T cell or thymocyte named "double negative" carries neither CD4 nor CD8
_DOUBLE_NEGATIVE_T = re.compile(r"\bdouble[- ]negative\b.*\b(?:T|thymocytes?)\b", re.IGNORECASE)
#: a word that may carry a sign (a cheap first test)
_MAY_SIGN = re.compile(r"[+\u2212-]|pos|neg|hi|lo|bright|dim", re.IGNORECASE)


def _symbol(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def value_signs(value: str) -> tuple[tuple[str, Sign], ...]:
    """The markers ``value`` states with a sign, as (symbol, sign), in order.

    >>> value_signs("CD4+ CCR6+")
    (('CD4', 'positive'), ('CCR6', 'positive'))
    >>> value_signs("CD16- NK cells"), value_signs("CD56bright NK cells"), value_signs("SPP1_high")
    ((('CD16', 'negative'),), (('CD56', 'high'),), (('SPP1', 'high'),))
    >>> value_signs("liver"), value_signs("T-cell")
    ((), ())
    """
    if not _MAY_SIGN.search(value):
        return ()
    found: dict[str, Sign] = {}
    for match in _VALUE.finditer(value):
        sign = WORD_SIGN[match.group("s").strip(" _-").casefold() or "-"]
        found.setdefault(_symbol(match.group("m")), sign)
    return tuple(found.items())


@functools.lru_cache(maxsize=65536)
def name_signs(name: str) -> dict[str, Sign]:
    """The markers an ontology name states with a sign, by symbol.

    >>> name_signs("CD8-positive, CXCR3-negative, CCR6-negative, alpha-beta T cell")
    {'CD8': 'positive', 'CXCR3': 'negative', 'CCR6': 'negative'}
    >>> name_signs("CD16-negative, CD56-bright natural killer cell, human")
    {'CD16': 'negative', 'CD56': 'high'}
    """
    out: dict[str, Sign] = {}
    for match in _NAME.finditer(name):
        out.setdefault(_symbol(match.group("m")), WORD_SIGN[match.group("s").casefold()])
    return out


def value_coreceptor(value: str) -> str | None:
    """The one T-cell coreceptor ``value`` names (``CD4`` or ``CD8``), not negative; None
    when it names none, both, or says it is absent.

    >>> value_coreceptor("6.CD4Treg"), value_coreceptor("T_CD8_CTL"), value_coreceptor("CD4/8+")
    ('CD4', 'CD8', None)
    >>> value_coreceptor("CD4- T cells"), value_coreceptor("CD45RA+"), value_coreceptor("liver")
    (None, None, None)
    """
    if "CD" not in value and "cd" not in value and "Cd" not in value:
        return None
    found = {m.group(1) for m in _CORECEPTOR.finditer(value)}
    if len(found) != 1 or _BOTH.search(value):
        return None
    symbol = f"CD{found.pop()}"
    return None if dict(value_signs(value)).get(symbol) == "negative" else symbol


def other_markers(signs: tuple[tuple[str, Sign], ...], *names: str) -> str | None:
    """What a term met by similarity says instead of the value's markers: every one of its
    ``names`` states markers, none of the value's (``CD45+`` is not the "CD4-positive
    TEMRA" its characters resemble); None otherwise.

    >>> other_markers(value_signs("CD45+"), "CD4-positive TEMRA")
    "the value says CD45, the term's name 'CD4-positive TEMRA' says CD4 instead"
    >>> other_markers(value_signs("CD14+ CD16+"), "CD14-positive monocyte") is None
    True
    >>> other_markers(value_signs("HLA-DR+ monocytes"), "monocyte") is None
    True
    """
    if not signs:
        return None
    said = [symbol for symbol, _ in signs]
    for name in names:
        stated = name_signs(name) if "-" in name else {}
        if not stated or any(symbol in stated for symbol in said):
            return None
    stated = name_signs(names[-1])
    return (
        f"the value says {', '.join(said)}, the term's name {names[-1]!r} says"
        f" {', '.join(stated)} instead"
    )


def contradiction(
    signs: tuple[tuple[str, Sign], ...], *names: str, coreceptor: str | None = None
) -> str | None:
    """What a term's ``names`` (its label, the name met) contradict of the value's
    ``signs`` (:func:`value_signs`) or of its T-cell ``coreceptor``
    (:func:`value_coreceptor`), said for a steward; None when nothing.

    >>> contradiction(value_signs("CD4+ CCR6+"), "CD4-positive, CCR6-negative T cell")
    "the value says CCR6 positive, the term's name 'CD4-positive, CCR6-negative T cell' says negative"
    >>> contradiction(value_signs("CD14+ monocytes"), "CD14-low, CD16-positive monocyte") is None
    True
    >>> contradiction((), "double negative T regulatory cell", coreceptor="CD4")
    "the value says CD4, the term's name 'double negative T regulatory cell' says neither"
    >>> contradiction((), "CD8-positive, alpha-beta regulatory T cell", coreceptor="CD4")
    "the value says CD4 (a CD4 T cell), the term's name 'CD8-positive, alpha-beta regulatory T cell' says CD8-positive"
    """
    if not signs and coreceptor is None:
        return None
    for name in names:
        stated = name_signs(name) if "-" in name else {}
        if coreceptor is not None:
            lineage = "CD8" if coreceptor == "CD4" else "CD4"
            if _DOUBLE_NEGATIVE_T.search(name):
                return f"the value says {coreceptor}, the term's name {name!r} says neither"
            if stated.get(lineage) in _CARRIES and stated.get(coreceptor) not in _CARRIES:
                return (
                    f"the value says {coreceptor} (a {coreceptor} T cell), the term's name"
                    f" {name!r} says {lineage}-positive"
                )
        for symbol, sign in signs:
            other = stated.get(symbol)
            if other is not None and frozenset({sign, other}) in _CONTRADICT:
                return f"the value says {symbol} {sign}, the term's name {name!r} says {other}"
    return None
