"""Clinical and lab shorthand in partner values, expanded before matching.

A small, general list, kept as data beside this module: ``shorthand.tsv`` holds one entry
per row (short form, expansion, where it is read, source) and ``shorthand_sources.tsv``
the citation of each source. Sources are the ontologies' own synonyms in their full
releases (the CELLxGENE JSON files keep exact synonyms only, so these abbreviations are
missing there), Terminologia Anatomica's abbreviations, common clinical shorthand
(Wikipedia, "List of medical abbreviations"), and the published nomenclature of cell
subsets and tumour types, cited with journal and year. No entry comes from a benchmark
gold file. A short form of this list is read by its expansion, never by an ontology's own
initialism of the same letters (:mod:`.reading_tiers`). Abbreviations the loaded ontology
files give themselves (synonym type ``abbreviation``) are used directly by the name table
(:mod:`harmonize.match.values.abbreviations`). A short form may have several expansions
(``NPC``): each is tried, and the slot's branch decides.

Where an entry is read (the ``where`` column, :data:`Where`):

- ``anywhere``: as a word of its own in the value;
- ``alone``: only as the whole value: words of the ontology's own names ("HIV infectious
  disease") and two-letter forms that name other things inside a value ("CD4 PE":
  phycoerythrin, a flow cytometry dye; "TB" in "TB-positive");
- ``before_T``: only right before "T" ("gd T cells", "ab_T", "dnT"): Greek letters
  written in Latin ones and stages named by CD4 and CD8; alone, "GD", "AB" and "DN" are
  other things (a disease, a blood group, the initials of "dopaminergic neuron");
- ``beside_CD4_CD8``: memory subsets right after or right before a T cell's coreceptor
  ("CD8 EM", "CD4+ CM", "CD8EM"; "EM CD8 T cells", as flow-cytometry gates are named):
  alone, "EM" and "CM" are other things (electron microscopy, centimetre).

Diseases: an ontology's own abbreviation of another term, such as MONDO's "RA" for
refractory anaemia, is met first; short forms that are words or gene symbols are left out
(TCGA's READ, BRCA, OV, ACC, CHOL; "CD", which cell markers begin with).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

__all__ = [
    "BEFORE_T",
    "BESIDE_CORECEPTOR",
    "SHORTHAND",
    "SHORTHAND_FILE",
    "SOURCES_FILE",
    "Shorthand",
    "Where",
    "expand_shorthand",
    "is_shorthand",
    "read_shorthand",
]

Where = Literal["anywhere", "alone", "before_T", "beside_CD4_CD8"]

#: the list, one entry per row (tab-separated, with a header)
SHORTHAND_FILE = Path(__file__).with_name("shorthand.tsv")
#: the citation of each source the list names
SOURCES_FILE = Path(__file__).with_name("shorthand_sources.tsv")


@dataclass(frozen=True, slots=True)
class Shorthand:
    short: str
    expansion: str
    source: str
    where: Where = "anywhere"


def _rows(path: Path, header: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """The rows of a tab-separated file with ``header`` (line number, fields)."""
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path.name}: byte {exc.start}: not UTF-8 text") from None
    if not lines or tuple(lines[0].split("\t")) != header:
        raise ValueError(f"{path.name}: line 1: expected the header {chr(9).join(header)!r}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(header) or not all(f.strip() for f in fields):
            raise ValueError(f"{path.name}: line {number}: expected {len(header)} non-empty fields")
        rows.append((number, fields))
    return rows


def read_shorthand(
    path: Path = SHORTHAND_FILE, sources: Path = SOURCES_FILE
) -> tuple[Shorthand, ...]:
    """The entries of a shorthand list, each with its source's citation."""
    cited = {key: citation for _, (key, citation) in _rows(sources, ("source", "citation"))}
    places = get_args(Where)
    entries = []
    for number, (short, expansion, where, key) in _rows(
        path, ("short", "expansion", "where", "source")
    ):
        if where not in places:
            raise ValueError(f"{path.name}: line {number}: 'where' is one of {', '.join(places)}")
        if key not in cited:
            raise ValueError(f"{path.name}: line {number}: source {key!r} is not in {sources.name}")
        entries.append(Shorthand(short, expansion, cited[key], where))  # type: ignore[arg-type]
    return tuple(entries)


_ENTRIES = read_shorthand()
#: entries read as a word of their own (``anywhere``) or as the whole value (``alone``)
SHORTHAND: tuple[Shorthand, ...] = tuple(e for e in _ENTRIES if e.where in ("anywhere", "alone"))
#: letters read only right before "T" (Greek ones written in Latin letters, "dn")
BEFORE_T: tuple[Shorthand, ...] = tuple(e for e in _ENTRIES if e.where == "before_T")
#: memory subsets read only right after or right before a T cell's coreceptor
BESIDE_CORECEPTOR: tuple[Shorthand, ...] = tuple(e for e in _ENTRIES if e.where == "beside_CD4_CD8")


def _either(entries: tuple[Shorthand, ...]) -> str:
    """A regex alternation of the entries' short forms, longest first."""
    shorts = sorted({e.short for e in entries}, key=len, reverse=True)
    return "|".join(re.escape(s) for s in shorts) or "(?!)"


_BEFORE_T = re.compile(
    rf"(?<![^\W\d_])(?P<g>{_either(BEFORE_T)})(?=[\s_-]?(?-i:T)(?:[\s_-]?cells?)?(?![^\W_]))",
    re.IGNORECASE,
)
_BEFORE_T_ENTRY = {entry.short.casefold(): entry for entry in BEFORE_T}
_AFTER_CORECEPTOR = re.compile(
    rf"(?<![^\W\d_])CD[48](?:\+|-positive,?)?[\s_-]?(?P<s>{_either(BESIDE_CORECEPTOR)})(?![^\W_])",
    re.IGNORECASE,
)
_T_CELL_NEXT = re.compile(r"^[\s_-]*T(?:[\s_-]?cells?)?(?![^\W_])", re.IGNORECASE)
#: ... or right before it ("EM CD8 T cells", "CMCD4"): read as "CD8 effector memory T cell"
_BEFORE_CORECEPTOR = re.compile(
    rf"(?<![^\W\d_])(?P<s>{_either(BESIDE_CORECEPTOR)})[\s_-]?"
    r"(?P<c>CD[48](?:\+|-positive,?)?)(?![^\W_+])",
    re.IGNORECASE,
)
_CORECEPTOR_ENTRY = {entry.short.casefold(): entry for entry in BESIDE_CORECEPTOR}
_ALONE = frozenset(e.short.casefold() for e in SHORTHAND if e.where == "alone")

_BY_SHORT: dict[str, list[Shorthand]] = {}
for _entry in SHORTHAND:
    _BY_SHORT.setdefault(_entry.short.casefold(), []).append(_entry)
_DOTTED = sorted((s for s in _BY_SHORT if s.endswith(".")), key=len, reverse=True)
#: short forms joined by a hyphen, read whole ("C-TAL", "PT-S1": a kidney atlas's codes)
_HYPHENATED = sorted((s for s in _BY_SHORT if "-" in s), key=len, reverse=True)
_TOKEN = re.compile(
    "|".join(
        [
            *(rf"(?<![\w.]){re.escape(s)}" for s in _DOTTED),
            *(rf"(?i:(?<![\w.-]){re.escape(s)}(?![\w-]))" for s in _HYPHENATED),
            r"[^\W\d_][^\W_]*",
        ]
    )
)
# a word joined to another by "-" or "." is part of a name or an identifier
# ("NK-92", "SUP-T1", "HuH-7.5"), not shorthand written alone
_JOINED_BEFORE = re.compile(r"[^\W_][-.]$")
_JOINED_AFTER = re.compile(r"^[-.][^\W_]")
_MAX_READINGS = 4
#: the word right after a short form ("Treg cells": "cells")
_NEXT_WORD = re.compile(r"[\s_-]*([^\W\d_]+)")


def is_shorthand(word: str) -> bool:
    """Is ``word`` (any case) a short form of the list, also in the plural or after an
    "h" for human (:func:`_written_for`)?"""
    return bool(_written_for(word, any_case=True))


def _joined(value: str, start: int, end: int) -> bool:
    """Is ``value[start:end]`` joined to a neighbouring word by "-" or ".", or written
    right after a number ("SUM-149PT": part of the line's name)?"""
    if _JOINED_BEFORE.search(value[max(0, start - 2) : start]):
        return True
    if start > 0 and value[start - 1].isdigit():
        return True
    return value[end - 1 : end] != "." and bool(_JOINED_AFTER.match(value[end : end + 2]))


def expand_shorthand(value: str) -> list[tuple[str, tuple[Shorthand, ...]]]:
    """Readings of ``value`` with its shorthand expanded (none: an empty list); asked for
    several times for one value's readings, computed once (:func:`_expanded`)."""
    return list(_expanded(value))


@functools.lru_cache(maxsize=4096)
def _expanded(value: str) -> tuple[tuple[str, tuple[Shorthand, ...]], ...]:
    """The readings of :func:`expand_shorthand`.

    >>> [text for text, _ in expand_shorthand("BM aspirate")]
    ['bone marrow aspirate']
    >>> expand_shorthand("skeletal m.")[0][0]
    'skeletal muscle'
    >>> expand_shorthand("NK-92"), expand_shorthand("Paraoxymální"), expand_shorthand("149PT")
    ([], [], [])
    >>> expand_shorthand("gd T cells")[0][0], expand_shorthand("GD"), expand_shorthand("abt")
    ('gamma-delta T cells', [], [])
    >>> expand_shorthand("CD8 EM")[0][0], expand_shorthand("CD4+CM T cells")[0][0]
    ('CD8 effector memory T cell', 'CD4+ central memory T cell')
    >>> expand_shorthand("EM"), expand_shorthand("CD8 EMT")
    ([], [])
    >>> expand_shorthand("TB-positive")  # (read only as the whole value: "alone")
    []
    """
    readings: list[tuple[str, tuple[Shorthand, ...]]] = [(value, ())]
    greek = _BEFORE_T.search(value)
    if greek is not None:  # "gd T": gamma-delta T
        entry = _BEFORE_T_ENTRY[greek.group("g").casefold()]
        value = f"{value[: greek.start()]}{entry.expansion} {value[greek.end() :].lstrip(' _-')}"
        readings = [(value, (entry,))]
    coreceptor = "cd" in value.lower()
    subset = _AFTER_CORECEPTOR.search(value) if coreceptor else None
    if subset is not None:  # "CD8 EM": CD8 effector memory T cell
        entry = _CORECEPTOR_ENTRY[subset.group("s").casefold()]
        start, end = subset.span("s")
        rest = _T_CELL_NEXT.sub("", value[end:])  # ("CD8 EM T cells": one "T cell")
        value = f"{value[:start].rstrip(' _-')} {entry.expansion}{rest}"
        readings = [(value, (*readings[0][1], entry))]
    before = _BEFORE_CORECEPTOR.search(value) if coreceptor and subset is None else None
    if before is not None:  # "EM CD8 T cells": the same, the subset written first
        entry = _CORECEPTOR_ENTRY[before.group("s").casefold()]
        rest = _T_CELL_NEXT.sub("", value[before.end() :])
        value = f"{value[: before.start()]}{before.group('c')} {entry.expansion}{rest}"
        readings = [(value, (*readings[0][1], entry))]
    for match in reversed(list(_TOKEN.finditer(value))):
        short = match.group(0).casefold()
        entries = _BY_SHORT.get(short)
        if not entries and (short[-1] == "s" or short[0] == "h"):  # "MDSCs", "hiPSC"
            entries = _written_for(match.group(0), any_case=False)
        if not entries or _joined(value, match.start(), match.end()):
            continue
        if short in _ALONE and value.strip().casefold() != short:
            continue  # "HIV disease resulting in ...": a word of the disease's own name
        grown: list[tuple[str, tuple[Shorthand, ...]]] = []
        for text, used in readings:
            for entry in entries:
                rest = _own_noun_dropped(entry.expansion, text[match.end() :])
                new = text[: match.start()] + entry.expansion + rest
                grown.append((new, (entry, *used)))
        readings = grown[:_MAX_READINGS]
    return tuple((text, used) for text, used in readings if used)


def _written_for(word: str, *, any_case: bool) -> list[Shorthand]:
    """The entries ``word`` is written for: the short form itself (any case); its plural
    with an "s" after an acronym's capital or digit (``MDSCs``, ``Th17s``); or a short
    form for cells of three letters or more after an "h" for human (``hiPSC``, ``hMSCs``:
    the usual way of naming human stem and progenitor cells). Only "h": an "m" before a
    short form often names a subset ("mTEC": medullary, "mMDSC": monocytic), not the mouse.
    Unless ``any_case``, the plural and the prefixed form must keep the list's case."""
    found = _BY_SHORT.get(word.casefold())
    if found:
        return found
    if word[-1:] == "s" and len(word) >= 3 and (any_case or not word[-2].islower()):
        stem = word[:-1]
        found = [
            e for e in _BY_SHORT.get(stem.casefold(), ())
            if (any_case or e.short == stem) and (e.short[-1].isupper() or e.short[-1].isdigit())
        ]  # fmt: skip
        if found:
            return found
    if len(word) >= 4 and word[0] == "h":
        rest = word[1:]
        return [
            Shorthand(word, f"human {e.expansion}", f"{e.source}; h- for human", e.where)
            for e in _written_for(rest, any_case=any_case)
            if (any_case or e.short in (rest, rest[:-1]))
            and e.where == "anywhere"
            and e.expansion.endswith("cell")
            and not e.short.startswith("h")
        ]
    return []


def _own_noun_dropped(expansion: str, rest: str) -> str:
    """The text after a short form, less the word that repeats the expansion's last
    one: ``MDSC cells`` is "myeloid derived suppressor cell", not "... cell cells".

    >>> _own_noun_dropped("suppressor cell", " cells sorted"), _own_noun_dropped("peripheral blood", " cells")
    (' sorted', ' cells')
    """
    after = _NEXT_WORD.match(rest)
    if after is None:
        return rest
    last, word = expansion.rsplit(None, 1)[-1].casefold(), after.group(1).casefold()
    return rest[after.end() :] if word in (last, f"{last}s", f"{last}es") else rest
