"""Specialisation written after the head: brackets, commas, dashes, numbers; dropped words.

``colon (sigmoid)`` and ``macrophages, alveolar`` name ``sigmoid colon`` and ``alveolar
macrophage``; ``Dorsal Root Ganglion, Lumbar 4`` names the ``fourth lumbar dorsal root
ganglion``. These readings keep every word (a term they reach is as specific as the value).
When nothing names the whole value, :func:`shorter_spans` gives the runs of words left
when some are dropped, longest first: a term reached so is broader (``skos:broadMatch``).
A bare cell or tissue word (``acinar``, ``microglia``, ``adipose``) is read with the head
noun CL and UBERON name them by (``acinar cell``, ``microglial cell``, ``adipose
tissue``). Pure functions.
"""

from __future__ import annotations

import re

from harmonize.match.values.qualifiers import ends_in_cluster_count

__all__ = [
    "CLAUSE",
    "NO_TERM",
    "ORDINALS",
    "bracket_dropped",
    "bracket_parts",
    "cell_readings",
    "clause_head",
    "dash_parts",
    "has_dash_part",
    "shorter_spans",
    "specialised_readings",
    "tissue_readings",
]

ORDINALS: tuple[str, ...] = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
)  # fmt: skip
_BRACKET = re.compile(r"^(?P<head>[^()\[\]]+?)\s*[\(\[](?P<inner>[^()\[\]]+)[\)\]]\s*$")
_SEGMENTS = re.compile(r"\s*(?:,|;|\s-\s|\s–\s)\s*")
_DASH = re.compile(r"\s[-\u2013]\s")
_NUMBER = re.compile(r"(?<![\w.-])(?P<n>1[0-2]|[1-9])(?:st|nd|rd|th)?(?![\w.%])")
_CELL_WORD = re.compile(r"\b(?:cells?|cytes?|blasts?|phages?|ocytes?|lymphocytes?)\b", re.I)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_MAX_WORDS = 8
#: a clause after the head: what else the sample holds, what it does not, where it was
CLAUSE = re.compile(r"\s+(?:with|without|w/o?|excluding|containing|including|from|in)\s+.*$", re.I)
_EDGE_WORDS = frozenset({"of", "and", "or", "the", "with", "in", "from", "to", "for", "a", "an"})


#: how a head's hit says its bracket named no term (``colon (sigmoid)`` sets "sigmoid"
#: aside); such a note is rewritten once the bracket alone names one
NO_TERM = ": no term names it"


def bracket_dropped(inner: str, *, named: bool) -> tuple[str, str]:
    """The reading of a hit on the head alone, its bracket ``inner`` dropped: a broader
    term when a term names the head with the bracket (``named``), else the bracket set
    aside (no exact match: the value says more)."""
    if named:
        return ("dropped", f"bracket {inner!r} dropped: a broader term")
    return ("qualifier", f"bracket {inner!r} set aside{NO_TERM}")


def clause_head(text: str) -> str:
    """``text`` before a clause (``Bronchus with surrounding parenchyma`` -> ``Bronchus``);
    "" when it has none."""
    cut = CLAUSE.sub("", text)
    return cut if cut != text else ""


def bracket_parts(value: str) -> tuple[str, str] | None:
    """``("colon", "sigmoid")`` for ``"colon (sigmoid)"``; None without one final bracket."""
    match = _BRACKET.match(value.strip())
    if match is None:
        return None
    return match.group("head").strip(), match.group("inner").strip()


def has_dash_part(value: str) -> bool:
    """Does ``value`` have a spaced dash (``Brain - Amygdala``)? A cheap first test."""
    return " - " in value or " \u2013 " in value


def dash_parts(value: str) -> tuple[str, str] | None:
    """``("Brain", "Amygdala")`` for ``"Brain - Amygdala"`` (GTEx's organ, then the part
    sampled); the part may end in a bracket of its own (``Brain - Putamen (basal
    ganglia)``: where the part is). None unless the value is two such parts, without
    commas or other brackets.

    >>> dash_parts("Brain - Amygdala"), dash_parts("Brain - Putamen (basal ganglia)")
    (('Brain', 'Amygdala'), ('Brain', 'Putamen (basal ganglia)'))
    >>> dash_parts("Skin (leg) - Epidermis"), dash_parts("Colon - Sigmoid, Transverse")
    (None, None)
    """
    if not has_dash_part(value) or any(c in value for c in ",;"):
        return None
    parts = [p.strip() for p in _DASH.split(value)]
    if len(parts) != 2 or not all(parts) or any(c in parts[0] for c in "()[]"):
        return None
    site = parts[1]
    if any(c in site for c in "()[]") and ((found := bracket_parts(site)) is None or not found[0]):
        return None  # a bracket inside the part, or one that is the whole part
    return parts[0], site


def _ordinal(text: str) -> str:
    """Numbers 1-12 standing alone become ordinal words ("Lumbar 4" -> "Lumbar fourth")."""
    return _NUMBER.sub(lambda m: ORDINALS[int(m.group("n")) - 1], text)


def specialised_readings(value: str) -> list[str]:
    """Readings that keep every word of ``value``, most literal first (may be empty).

    >>> specialised_readings("colon (sigmoid)")
    ['sigmoid colon']
    >>> specialised_readings("Dorsal Root Ganglion, Lumbar 4")[1]
    'Lumbar fourth Dorsal Root Ganglion'
    """
    out: list[str] = []
    parts = bracket_parts(value)
    if parts is not None:
        out.append(f"{parts[1]} {parts[0]}")
    segments = [s for s in _SEGMENTS.split(value) if s]
    if len(segments) >= 2:  # "macrophages, alveolar": the specialisation comes first
        out.append(" ".join(reversed(segments)))
    ordinal = [_ordinal(text) for text in (*out, value)]
    out.extend(text for text in ordinal if text not in out and text != value)
    return [text for text in dict.fromkeys(out) if text != value]


def cell_readings(value: str) -> list[str]:
    """A bare cell word read as the cell: ``acinar`` -> ``acinar cell``.

    >>> cell_readings("microglia"), cell_readings("ductal"), cell_readings("T cells")
    (['microglial cell', 'microglia cell'], ['ductal cell'], [])
    >>> cell_readings("Endothelium")[0]
    'Endothelial cell'
    """
    text = value.strip()
    words = text.replace("_", " ")  # "B_cells": words written with underscores
    if not text or _CELL_WORD.search(words) or len(words.split()) > 3:
        return []
    if ends_in_cluster_count(text):  # "Basal_1": the count's reading is the head's
        return []
    out = []
    if text.casefold().endswith("glia"):  # collective nouns: microglia, neuroglia, glia
        out.append(f"{text}l cell")
    if text.casefold().endswith("ium"):  # a lining tissue: its cells (endothelium)
        out.append(f"{text[:-3]}ial cell")
    out.append(f"{text} cell")
    return out


def tissue_readings(value: str) -> list[str]:
    """A bare tissue word read as the tissue, as UBERON names tissues: ``adipose`` ->
    ``adipose tissue``, ``skeletal muscle`` -> ``skeletal muscle tissue``.

    >>> tissue_readings("skeletal muscle"), tissue_readings("lung tissue")
    (['skeletal muscle tissue'], [])
    """
    text = value.strip()
    if not text or _CELL_WORD.search(text) or len(text.split()) > 3:
        return []
    return [] if text.casefold().split()[-1] in {"tissue", "tissues"} else [f"{text} tissue"]


def shorter_spans(text: str, *, min_words: int = 1) -> list[list[str]]:
    """Runs of consecutive words of ``text`` with words dropped, grouped by length.

    >>> shorter_spans("somatic brain cell")
    [['somatic brain', 'brain cell'], ['somatic', 'brain', 'cell']]
    """
    words = _WORD.findall(text)
    if len(words) > _MAX_WORDS:  # a sentence, not a name: no broader term by dropping words
        return []
    groups: list[list[str]] = []
    for size in range(len(words) - 1, min_words - 1, -1):
        spans = [words[i : i + size] for i in range(len(words) - size + 1)]
        # a run of only small words ("of", "and", "2") names nothing worth a broader term
        kept = [" ".join(s) for s in spans if any(len(w) >= 3 and w.isalpha() for w in s)]
        kept = [k for k in kept if k.casefold().split()[0] not in _EDGE_WORDS]
        kept = [k for k in kept if k.casefold().split()[-1] not in _EDGE_WORDS]
        if kept:
            groups.append(kept)
    return groups
