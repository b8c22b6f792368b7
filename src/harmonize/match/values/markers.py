"""Cell-type marker notation read into the Cell Ontology's naming.

Lab shorthand writes surface markers as ``CD4+``, ``CD45-``, ``CD8 T``, ``CD14hi``,
``CD3pos``; CL names cell types ``CD4-positive, alpha-beta T cell``, ``CD14-positive
monocyte``, ``CD45-negative ...``. This module rewrites the shorthand into that naming
(signs to ``-positive`` / ``-negative``, a bare marker before a cell word to
``-positive``, ``T`` / ``B`` / ``NK`` to their cell names, CD4 or CD8 alone to the T
cells that carry them, as lab usage reads ``CD4+``) and offers CL's
``alpha-beta`` form for CD4/CD8 T cells (CL's convention for those classes). Cluster
labels are read the same way: a cell word before its markers (``T_CD4``, ``NK
CD56bright``), CD4 / CD8 with a state and no cell word (``CD8+ central`` -> "CD8-positive
central T cell"), underscores between a label's words. Pure.
"""

from __future__ import annotations

import functools
import re

from harmonize.match.values.marker_signs import WORD_SIGN
from harmonize.match.values.shorthand import is_shorthand

__all__ = [
    "has_marker",
    "marker_readings",
    "marker_said",
    "marker_symbol",
    "marker_words",
    "signed_marker",
]

_SIGN = re.compile(
    r"(?<![\w-])(?P<m>CD\d+(?:R[ABO]|[a-z])?|[A-Z][A-Za-z]{1,5}\d+[a-z]?|HLA-?DR|EpCAM)\s*"
    r"(?P<s>\+\+?|-(?![\w])|−|(?:-|\s)?(?:positive|pos|high|hi|bright)\b|"
    r"(?:-|\s)?(?:negative|neg|low|lo|dim)\b)",
    re.IGNORECASE,
)
_BARE = re.compile(r"(?<![^\W_])(?<!-)(?P<m>CD\d+[a-z]?)(?:\s+|_+)(?=[A-Za-z])", re.IGNORECASE)
_CELL_WORDS = (
    (re.compile(r"\bT(?:[- ]?cells?|[- ]?lymphocytes?)?$", re.I), "T cell"),
    (re.compile(r"\bB(?:[- ]?cells?|[- ]?lymphocytes?)?$", re.I), "B cell"),
    (re.compile(r"\bNK(?:[- ]?cells?)?$", re.I), "natural killer cell"),
)
#: CD4 / CD8 alone name the T cells that carry them, in lab usage ("CD4+" = CD4+ T cells)
_ONLY_T_MARKERS = re.compile(r"^(?:CD[48]-positive(?:,\s*|\s+|$))+$", re.IGNORECASE)
#: ... and with "cells" after them ("CD4 cells", "CD8+ cells": a CD4 cell count)
_T_MARKER_CELLS = re.compile(r"^((?:CD[48]-positive[,\s]*)+)cells?$", re.IGNORECASE)
#: CL names CD4 / CD8 T cells "CD8-positive, alpha-beta [kind] T cell" ("... cytotoxic T
#: cell", "... memory T cell"): the kind's words (not in capitals: "TEMRA" is a name of
#: its own) stay between the markers and "T cell"
_AB_T = re.compile(
    r"^(?P<m>(?:CD\d+(?:R[ABO]|[a-z])?-(?:positive|negative),?\s*)+)"
    r"(?P<w>(?:(?-i:[A-Za-z][a-z][a-z-]*)\s+){0,3})T cell$",
    re.IGNORECASE,
)
#: levels as CL writes them ("CD56-dim", "CD56-bright", "CD14-low"): kept, not signs
_LEVELS = {"dim": "dim", "bright": "bright", "low": "low", "lo": "low"}
#: markers written together ("CD4+CD25+"): a space after each sign read
_GLUED_SIGN = re.compile(r"(-(?:positive|negative))(?=[^\W_])")
#: CD4 / CD8 written alone (a cluster label "CD4", "CD8"): the T cells that carry them
_ALONE_T = re.compile(r"^\s*CD[48]\s*$", re.IGNORECASE)
#: a cell word then bare markers ("T_CD4", "T CD8"): the markers name the cell
_TRAILING_BARE = re.compile(
    r"^(?P<h>T|B|NK)(?:[- ]?cells?)?[\s_]+(?P<m>(?:CD\d+[a-z]?[\s_]*)+)$", re.IGNORECASE
)
#: a cell word written before its markers ("T_CD4", "NK_CD56bright", "B CD27neg")
_HEAD_FIRST = re.compile(
    r"^(?P<h>T|B|NK)(?:[- ]?cells?)?\s+(?P<m>(?:CD\d+[a-z]?-(?:positive|negative)\s*)+)$",
    re.IGNORECASE,
)
#: any word naming the cell (else CD4 / CD8 imply T cells: "CD4 naive", "CD8+ central")
_NAMES_CELL = re.compile(
    r"\b(?:T|B|NK|cells?|\w+(?:cytes?|blasts?|phages?|phils?))\b|\b\w*(?:cyte|phage|blast)s?\b",
    re.IGNORECASE,
)
_T_MARKER = re.compile(r"\bCD[48]-positive\b", re.IGNORECASE)
#: CD3, the T-cell receptor's signalling complex, is carried by every T cell: CL names no
#: kind of T cell by it, so beside CD4 / CD8 or a T-cell word it adds nothing
#: ("CD3+ CD8+ T cells" are CD8-positive T cells); "CD3-" (NK, B cells) is kept
_CD3_POSITIVE = re.compile(r"\bCD3-positive,?\s*", re.IGNORECASE)
_T_WORD = re.compile(r"\bT(?:[- ]?cells?|[- ]?lymphocytes?)?$", re.IGNORECASE)
_SIGNED = re.compile(r"\b[\w]+-(?:positive|negative)\b", re.IGNORECASE)
#: a marker's sign or level as written after its symbol
_LEVEL = re.compile(
    r"(?:[\s_-]*(?:high|low|hi|lo|pos|neg|positive|negative|bright|dim)|[+−-]+)$", re.IGNORECASE
)


def marker_symbol(marker: str) -> str:
    """The symbol of a marker as written, its sign or level removed.

    >>> marker_symbol("CD14+"), marker_symbol("HLA-DRhi"), marker_symbol("SPP1_high")
    ('CD14', 'HLA-DR', 'SPP1')
    """
    return _LEVEL.sub("", marker.strip())


def signed_marker(marker: str) -> str:
    """One marker as CL writes it in a name, a bare symbol read as positive (lab usage).

    >>> signed_marker("CD56bright"), signed_marker("CD4"), signed_marker("CD45-")
    ('CD56-bright', 'CD4-positive', 'CD45-negative')
    """
    text = marker.strip()
    signed = _SIGN.sub(_sign, text)
    if signed != text:
        return signed
    symbol = text.upper() if text.upper().startswith("CD") else text
    return f"{symbol}-positive"


@functools.lru_cache(maxsize=4096)  # asked for several times for one value
def has_marker(value: str) -> bool:
    """Does ``value`` carry marker notation (``CD4+``, ``CD45-``, ``CD8 T``)?"""
    return bool(_SIGN.search(value) or _BARE.search(value))


def _sign(match: re.Match[str]) -> str:
    written = match.group("s").strip(" -").casefold() or "-"
    marker = match.group("m")
    marker = marker.upper() if marker.upper().startswith("CD") else marker
    if written in _LEVELS:  # "CD56dim" is a low level, never "CD56-negative"
        return f"{marker}-{_LEVELS[written]}"
    sign = WORD_SIGN.get(written)
    return f"{marker}-{'positive' if sign in {'positive', 'high'} else 'negative'}"


def marker_readings(value: str) -> list[str]:
    """``value`` in CL's marker naming, most specific first (empty: no marker notation).

    >>> marker_readings("CD14+ monocytes")
    ['CD14-positive monocytes']
    >>> marker_readings("CD8 T")
    ['CD8-positive, alpha-beta T cell', 'CD8-positive T cell']
    >>> marker_readings("CD4+")
    ['CD4-positive, alpha-beta T cell', 'CD4-positive T cell']
    >>> marker_readings("liver")
    []
    """
    return list(_read(value)[0])


def marker_said(value: str, reading: str) -> str:
    """How a marker reading of ``value`` is said in the comment, with what it left out
    because the cell implies it (CD3 of T cells).

    >>> marker_said("CD3+ CD8+ T cells", "CD8-positive T cell")
    "marker notation read as 'CD8-positive T cell'; 'CD3+' set aside: every T cell carries CD3"
    """
    said = f"marker notation read as {reading!r}"
    if "CD3" in reading.upper() or not _CD3_POSITIVE.search(_SIGN.sub(_sign, value)):
        return said
    return f"{said}; 'CD3+' set aside: every T cell carries CD3"


def marker_words(value: str) -> str | None:
    """``value`` in CL's marker naming with no cell word added, when
    :func:`marker_readings` added "T cell" to it: a word of the value may name the cell
    already, as the ontology writes it ("CD8-positive TEMRA"); else None.

    >>> marker_words("CD8 TEMRA"), marker_words("CD8 T")
    ('CD8-positive TEMRA', None)
    """
    return _read(value)[1]


@functools.lru_cache(maxsize=1024)  # asked several times for one value
def _read(value: str) -> tuple[list[str], str | None]:
    """:func:`marker_readings` of ``value``, and :func:`marker_words`."""
    if _ALONE_T.match(value):
        value = f"{value.strip()}+"
    trailing = _TRAILING_BARE.match(value)
    if trailing is not None:
        value = " ".join(f"{m}+" for m in trailing.group("m").replace("_", " ").split())
        value = f"{value} {trailing.group('h')}"
    if not has_marker(value):
        return [], None
    text = _GLUED_SIGN.sub(r"\1 ", _SIGN.sub(_sign, value))
    text = _BARE.sub(lambda m: f"{m.group('m').upper()}-positive ", text)
    text = " ".join(text.replace("_", " ").split())  # "CD4_T_cells": a label's words
    if _CD3_POSITIVE.search(text) and (_T_MARKER.search(text) or _T_WORD.search(text)):
        text = _CD3_POSITIVE.sub("", text)
    head_first = _HEAD_FIRST.match(text)
    if head_first is not None:  # "T CD4-positive" -> "CD4-positive T"
        text = f"{head_first.group('m').strip()} {head_first.group('h')}"
    unnamed = None  # the value's own words, when "T cell" was added to them
    if (cells := _T_MARKER_CELLS.match(text)) is not None:
        text = cells.group(1).strip(", ")
    if _ONLY_T_MARKERS.match(text):
        text = f"{text.rstrip(', ')} T cell"
    elif (
        _T_MARKER.search(text)
        and not _NAMES_CELL.search(_SIGNED.sub(" ", text))
        and not any(is_shorthand(w) for w in text.split())  # "CD4 TCM": TCM names it
    ):
        unnamed = text  # "CD4-positive naive" -> "CD4-positive naive T cell"
        text = f"{text} T cell"
    for pattern, name in _CELL_WORDS:
        if pattern.search(text) and pattern.sub(name, text) != text:
            text = pattern.sub(name, text)
            break
    out = [text]
    ab = _AB_T.match(text)
    if ab is not None and _T_MARKER.search(ab.group("m")):  # CL's form for CD4 / CD8 T cells
        markers = ", ".join(m.strip(" ,") for m in ab.group("m").split(",") if m.strip(" ,"))
        out.insert(0, f"{markers}, alpha-beta {ab.group('w')}T cell")
    if text == value:
        return (out[:-1] if len(out) > 1 else []), None
    return out, unnamed
