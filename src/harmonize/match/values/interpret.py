"""How a curator reads a value the ontology does not name as written.

:func:`value_readings` turns one value into levels of :class:`Reading`, tried in order
through the exact tiers until one level names an in-branch term:

1. **rewrites** that keep every word: marker notation into CL naming (``CD8 T``),
   shorthand expanded (``BM``, ``skeletal m.``), specialisation moved before the head
   (``colon (sigmoid)``, ``Lumbar 4``), a bare cell word read as the cell (``acinar``),
   each also with words written together in code style read apart (``SmoothMuscle``);
2. **qualifiers set aside** (``adult heart``, ``liver bx``, ``human skin``): first only
   those no term names (species, sampling, counts), then all, each head rewritten as in 1;
3. **words dropped** (a broader term, ``skos:broadMatch``): the head without its
   ``with ...`` clause or bracket, then shorter runs of its words, longest first.

Each reading says what was read (the SSSOM comment), is a calibration feature and is never
auto-accepted (:data:`READING_MAX_CONFIDENCE`). Pure functions over text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, get_args

from harmonize.match.values.glued_words import APART_STEP, words_apart
from harmonize.match.values.markers import marker_readings, marker_said, marker_words
from harmonize.match.values.qualifiers import Split, split_qualifiers
from harmonize.match.values.shorthand import Shorthand, expand_shorthand
from harmonize.match.values.specialise import (
    bracket_parts,
    cell_readings,
    clause_head,
    shorter_spans,
    specialised_readings,
    tissue_readings,
)
from harmonize.text.normalize import normalize_steps

__all__ = [
    "NOS_WORDS",
    "READING_KINDS",
    "READING_MAX_CONFIDENCE",
    "Reading",
    "ReadingKind",
    "benign_bracket",
    "dropped_readings",
    "fuzzy_text",
    "iter_readings",
    "normal_form",
    "readable",
    "reading_heads",
    "remember_normal",
    "rewrites",
    "source_of",
    "value_readings",
    "words_apart",
]

ReadingKind = Literal[
    "marker", "shorthand", "specialised", "cell", "qualifier", "dropped", "taxon", "hedge",
    "context", "truncated", "contradicted", "other_taxon", "initialism",
]  # fmt: skip
READING_KINDS: tuple[ReadingKind, ...] = get_args(ReadingKind)

#: the highest confidence a candidate reached only through a reading may get. No class is
#: auto-accepted (>= 0.95): none has been shown >= 0.98 precise on a benchmark yet (see
#: bench/messy.py, which prints precision per reading); words dropped and negation lower.
READING_MAX_CONFIDENCE: dict[str, float] = {
    "marker": 0.9,
    "shorthand": 0.9,
    "specialised": 0.9,
    "cell": 0.9,
    "qualifier": 0.9,
    "taxon": 0.9,
    "context": 0.9,  # the sample's tissue named the more specific term
    "dropped": 0.6,
    "hedge": 0.5,
    "truncated": 0.5,  # a word cut short ("Mono"): a guess among the words it begins
    "contradicted": 0.3,  # the term's name gives a marker of the value the opposite sign
    "other_taxon": 0.9,  # the ontology gives the term for another taxon than the data's
    "initialism": 0.5,  # the value is the initials of a label: a guess the matcher made
}
_WEIGHT = {1: 0.97, 2: 0.95}
#: longer values are sentences or chemical formulas, not sample descriptions: not read
_MAX_READ_CHARS = 120
_MAX_READ_WORDS = 12
#: a chemical's systematic name or a lipid's shorthand is notation, not a sample
#: description: locants ("3,5-dichloro"), stereo descriptors ("(2S,3R)"), chain counts
#: ("18:2"); such a value is matched as written (no qualifier, bracket or word order in it)
_NOTATION = re.compile(
    r"(?<![\w.])\d+[a-z]?'?(?:,\d+[a-z]?'?)+-"
    r"|\(\d+[a-z]?[RSEZ](?:,\d+[a-z]?[RSEZ])*\)"  # (never a lone "(R)": the right side)
    r"|\d+:\d+"
)
#: "B cells sorted from PBMC": what was sampled, and where from
_FROM = re.compile(r"\s+from\s+", re.I)
#: "iPSC-derived neurons", "ESC derived hepatocytes": the source first, then the cells
_DERIVED = re.compile(r"(?<=\w)(?:-|\s+)derived\s+(?=\w)", re.I)
NOS_WORDS = re.compile(r"^(?:nos|unspecified|not otherwise specified|other|nec|finding|disorder)$")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a value: the text to look up, its kind, and what to tell a steward."""

    text: str
    kind: ReadingKind
    note: str
    weight: float
    normal: bool = False  # ``text`` is already normalised (words dropped from the normal form)


Rewrite = tuple[str, ReadingKind, str, bool]  # text, kind, note, text already normalised


def _rewrites(text: str) -> list[Rewrite]:
    """Readings of ``text`` that keep every word (markers, shorthand, order, cell word);
    words written together in code style are read apart first."""
    apart = words_apart(text)
    if apart == text:
        return _kept_words(text)
    said = f"{APART_STEP}: {apart!r}"
    return [(t, kind, f"{said}; {how}", n) for t, kind, how, n in _kept_words(apart)]


def _kept_words(text: str) -> list[Rewrite]:
    """:func:`_rewrites` of ``text`` as written."""
    out: list[Rewrite] = []
    for marked in marker_readings(text):
        out.append((marked, "marker", marker_said(text, marked), False))
        for expanded, used in expand_shorthand(marked):
            # "CD8 CTL": the shorthand's T cell in CL's naming of CD4 / CD8 T cells
            for named in (*marker_readings(expanded), expanded):
                said = f"marker notation and shorthand read as {named!r}; {_shorthand_note(used)}"
                out.append((named, "marker", said, False))
    unnamed = marker_words(text)  # "CD8 TEMRA": "CD8-positive TEMRA", as CL writes it
    if unnamed is not None:
        out.append((unnamed, "marker", f"marker notation read as {unnamed!r}", False))
    for expanded, used in expand_shorthand(text):
        said = _shorthand_note(used)
        out.append((expanded, "shorthand", said, False))
        for named in marker_readings(expanded)[:1]:  # "CD8EM": "CD8 effector memory T cell"
            out.append((named, "shorthand", f"{said}; marker notation read as {named!r}", False))
        for named, norm in _completions(expanded):
            out.append((norm, "shorthand", f"{said}; read as {named!r}", True))
    for special in specialised_readings(text):
        out.append((special, "specialised", f"specialisation read as {special!r}", False))
        for marked in marker_readings(special)[:1]:  # "T cells, CD8+": "CD8+ T cells"
            out.append((marked, "specialised", f"{special!r} read as {marked!r}", False))
    parts = bracket_parts(text)  # "adipose (subcutaneous)": the noun after the bracket's word
    for named, norm in _completions(f"{parts[1]} {parts[0]}") if parts and parts[0] else ():
        noun = norm.rpartition(" ")[2]
        out.append((norm, "specialised", f"read as the {noun} {named!r}", True))
    for named, norm in _completions(text):
        noun = norm.rpartition(" ")[2]
        out.append((norm, "cell", f"read as the {noun} {named!r}", True))
    return out


def _shorthand_note(used: tuple[Shorthand, ...]) -> str:
    said = ", ".join(f"{u.short!r} = {u.expansion!r} ({u.source})" for u in used)
    return f"shorthand {said}"


def _completions(text: str) -> list[tuple[str, str]]:
    """(reading, its normal form) of ``text`` with CL's / UBERON's head noun added; the
    normal form is the text's own plus the noun (no normalisation of each reading)."""
    out = []
    for named in (*cell_readings(text), *tissue_readings(text)):
        stem, _, noun = named.rpartition(" ")
        out.append((named, f"{normal_form(stem)} {noun}".strip()))
    return out


def benign_bracket(inner: str) -> bool:
    """A bracketed part that adds nothing to the name: a code, ``NOS``, an abbreviation,
    qualifiers only (``(left)``, ``(80% tumour)``), unless one says what quality control
    found (``(doublets)``) or is a marker (``(CD56bright)``, ``(PDGFRA+)``: a population
    of the cells): the hit then says it was set aside."""
    from harmonize.match.values.abbreviations import looks_like_abbreviation

    text = inner.strip()
    if not text or NOS_WORDS.match(text.casefold()):
        return True
    split = split_qualifiers(text)
    if split is not None and not split.head:
        return all(q.kind not in {"quality", "marker"} for q in split.qualifiers)
    return any(c.isdigit() for c in text) or looks_like_abbreviation(text)


def _qualifier_level(value: str, split: Split) -> list[Reading]:
    """The value with qualifiers set aside: most specific text first, the head last."""
    out: list[Reading] = []
    for q in split.qualifiers:  # "grade 2 astrocytoma": a name says "grade II astrocytoma"
        if (step := q.renumbered()) is not None:
            said = f"{q.text!r} read as {step!r}"
            out.append(Reading(split.rewritten(q, step), "qualifier", said, _WEIGHT[2] + 0.001))
    for i, (text, aside) in enumerate((*split.specific(), (split.head, split.qualifiers))):
        if not text:
            continue
        said = ", ".join(q.describe() for q in aside)
        note = f"set aside {said}" if aside else f"read as {text!r}"  # ("HIV+": a sign cut)
        note += f" ({spelt})" if (spelt := split.spelt(aside)) else ""  # "R lung": right
        weight = _WEIGHT[2] - 0.01 * i
        out.append(Reading(text, "qualifier", note, weight))
        for rewritten, _kind, how, normal in _rewrites(text):
            said = f"{note}; {how}"
            out.append(Reading(rewritten, "qualifier", said, weight - 0.002, normal))
    return out


def _dropped_levels(text: str, said: str = "") -> list[list[Reading]]:
    """Readings with words dropped (broader terms), most words kept first; ``said``: how
    ``text`` was read from the value (a shorthand expansion), put before the note."""
    levels: list[list[Reading]] = []
    total = max(len(text.split()), 1)
    cut = clause_head(text) or text
    parts = bracket_parts(text)
    first = [t for t in (cut, parts[0] if parts else "") if t and t != text]
    said = f"{said}; words dropped: read" if said else "words dropped: read"
    if first:
        levels.append([Reading(t, "dropped", f"{said} {t!r}", 0.8) for t in dict.fromkeys(first)])
    for group in shorter_spans(normal_form(cut if cut else text)):
        kept = len(group[0].split()) / total
        weight = 0.55 + 0.25 * min(kept, 1.0)
        levels.append([Reading(t, "dropped", f"{said} {t!r}", weight, True) for t in group])
    return levels


_NORMAL: dict[str, str] = {}  # text -> normal form, for the values being matched
_NORMAL_MAX = 4096


def normal_form(text: str) -> str:
    """``text`` normalised as the name table's rows are (:func:`normalize_steps`);
    remembered, as a value's head and words are asked for several times."""
    found = _NORMAL.get(text)
    if found is None:
        found = normalize_steps(text).text
        remember_normal(text, found)
    return found


def remember_normal(text: str, norm: str) -> None:
    """Remember that ``text`` normalises to ``norm`` (the matcher normalised it already)."""
    if len(_NORMAL) >= _NORMAL_MAX:
        _NORMAL.clear()
    _NORMAL[text] = norm


def readable(value: str) -> bool:
    """Is ``value`` short enough to be read as a sample description, and no chemical
    notation (else: matched as written)?

    >>> readable("left lung biopsy"), readable("2,4-dichlorophenol"), readable("PE(16:0/18:1)")
    (True, False, False)
    """
    return (
        len(value) <= _MAX_READ_CHARS
        and len(value.split()) <= _MAX_READ_WORDS
        and _NOTATION.search(value) is None
    )


def value_readings(value: str) -> list[list[Reading]]:
    """Levels of readings of ``value``, to try in order (empty when nothing to read).

    >>> [r.text for r in value_readings("adult heart")[1]]
    ['heart', 'heart cell', 'heart tissue']
    """
    return list(iter_readings(value))


def iter_readings(value: str, *, dropped: bool = True) -> Iterator[list[Reading]]:
    """The levels of :func:`value_readings`, each made only when the one before named
    nothing (the matcher stops at the first level naming a term); ``dropped=False``: not
    the words-dropped levels (:func:`dropped_readings`)."""
    first = list(_first_level(value))
    if first:
        yield first
    apart = words_apart(value)  # "6.CD4Treg": the marker is set aside from "Treg" (not
    # for words dropped: "ZDB_Fish42" read apart is no name's words)
    for base in dict.fromkeys((*(b for b, _ in _bases(value)), apart)):
        split = split_qualifiers(base)
        if split is not None:
            level = _qualifier_level(base, split)
            if level:
                yield level
    yield from _source_levels(value)
    if dropped:
        yield from (level for _head, level in dropped_readings(reading_heads(value)))


def source_of(value: str) -> tuple[str, str] | None:
    """``CD19+ B cell sorted from fresh PBMC``, ``iPSC-derived neurons``: what was
    sampled and where it came from (None without a "from" between two texts, or a
    "derived" after the first).

    >>> source_of("B cells from PBMC"), source_of("iPSC-derived neurons")
    (('B cells', 'PBMC'), ('neurons', 'iPSC'))
    """
    match = _FROM.search(value)
    if match is not None:
        what, source = value[: match.start()].strip(), value[match.end() :].strip()
    elif "erived" in value.lower() and (derived := _DERIVED.search(value)) is not None:
        what, source = value[derived.end() :].strip(), value[: derived.start()].strip()
    else:
        return None
    return (what, source) if what and source else None


def _source_levels(value: str) -> list[list[Reading]]:
    """What was sampled (the text before "from" in ``B cell sorted from PBMC``: a
    cell-type slot's answer), its qualifiers set aside; where it came from is read by
    the matcher when this names nothing (a tissue slot: "PBMC" -> blood)."""
    found = source_of(value)
    if found is None:
        return []
    what = found[0]
    note = f"set aside {value.replace(what, '', 1).strip()!r}: where it came from"
    split = split_qualifiers(what)
    if split is not None and not split.head:
        return []  # "tissue from ...": only qualifiers, what was sampled is not said
    texts = dict.fromkeys(t for t in (what, split.head if split else "") if t)
    level = []
    for i, text in enumerate(texts):  # with its rewrites ("microglia": microglial cell)
        weight = _WEIGHT[2] - 0.01 * i
        level.append(Reading(text, "qualifier", note, weight))
        for rewritten, _kind, how, normal in _rewrites(text):
            level.append(Reading(rewritten, "qualifier", f"{note}; {how}", weight - 0.002, normal))
    return [level]


def dropped_readings(heads: list[tuple[str, str]]) -> Iterator[tuple[str, list[Reading]]]:
    """The words-dropped levels of a value's :func:`reading_heads` (broader terms), most
    words kept first, each with the head it drops words from."""
    for head, said in heads:
        yield from ((head, level) for level in _dropped_levels(head, said) if level)


def reading_heads(value: str) -> list[tuple[str, str]]:
    """The heads (qualifiers set aside) of the value and of its shorthand expansion, each
    with how it was read from the value ("" for the value's own)."""
    heads: dict[str, str] = {}
    for base, said in _bases(value):
        split = split_qualifiers(base)
        head = split.head if split is not None else base
        if head:
            heads.setdefault(head, said)
    return list(heads.items())


def _bases(value: str) -> list[tuple[str, str]]:
    """The value, and its shorthand read first ("PB" -> "peripheral blood") when it has
    some (and no marker notation, read first): both feed the qualifier and words-dropped
    levels; each with how it was read."""
    if marker_readings(value):
        return [(value, "")]
    expanded = expand_shorthand(value)[:1]
    return [(value, ""), *((text, _shorthand_note(used)) for text, used in expanded)]


def fuzzy_text(value: str) -> Reading | None:
    """The text the fuzzy tier should read when no level named a term: the value with its
    shorthand or marker notation read (``skeletal m.`` -> ``skeletal muscle``), if any;
    words written together in code style read apart first (``CD4Naive``)."""
    value = words_apart(value)
    for marked in marker_readings(value)[:1]:  # (as the first of _rewrites' readings)
        return Reading(marked, "marker", marker_said(value, marked), _WEIGHT[1])
    for expanded, used in expand_shorthand(value)[:1]:
        return Reading(expanded, "shorthand", _shorthand_note(used), _WEIGHT[1])
    return None


def rewrites(value: str) -> tuple[Reading, ...]:
    """The readings of ``value`` that keep every word (markers, shorthand, order, cell
    word), the first level of :func:`value_readings`; empty when it has none."""
    return _first_level(value)


@functools.lru_cache(maxsize=1024)
def _first_level(value: str) -> tuple[Reading, ...]:
    """The rewrites of ``value`` as readings (the matcher asks twice for a value)."""
    return tuple(Reading(t, kind, how, _WEIGHT[1], n) for t, kind, how, n in _rewrites(value))
