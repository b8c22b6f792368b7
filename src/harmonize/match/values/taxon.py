"""The species of the data: which terms are valid for it.

A term is *for* a taxon when the ontology file says so (``only_in_taxon`` / ``in_taxon``,
``never_in_taxon``: :attr:`harmonize.ontology.model.Term.taxa`) or, for files that keep no
such axioms (the CELLxGENE JSON files keep none), when its label names a taxon group
(``insect leg``, ``adult mammalian kidney``, ``... (sensu Vertebrata)``, CL's ``(Mmus)``
tags and ``..., human`` suffixes). The data's taxon is known by its lineage (NCBITaxon
ids and names, itself first): a bundled table for common laboratory species (``ontologies/taxon-lineages.json``,
written from the pinned NCBITaxon file by :func:`write_lineages`), else read from the
NCBITaxon index once and kept in the cache folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Term

__all__ = [
    "COMMON_SPECIES",
    "HUMAN",
    "LINEAGE_FILE",
    "SUFFIX_SPECIES",
    "TAXON_WORDS",
    "VERTEBRATA",
    "Lineage",
    "label_taxa",
    "lineage",
    "marked_rows",
    "taxon_free_names",
    "term_taxa",
    "write_lineages",
]

HUMAN = "NCBITaxon:9606"
VERTEBRATA = "NCBITaxon:7742"
LINEAGE_FILE = "taxon-lineages.json"

#: taxon words in labels -> the NCBITaxon group they name (NCBI Taxonomy)
TAXON_WORDS: dict[str, str] = {
    "insect": "NCBITaxon:50557", "arthropod": "NCBITaxon:6656",
    "panarthropod": "NCBITaxon:88770", "mammalian": "NCBITaxon:40674",
    "mammal": "NCBITaxon:40674", "vertebrate": "NCBITaxon:7742",
    "tetrapod": "NCBITaxon:32523", "nematode": "NCBITaxon:6231",
    "amphibian": "NCBITaxon:8292", "avian": "NCBITaxon:8782", "teleost": "NCBITaxon:32443",
}  # fmt: skip
_WORDS = re.compile(r"\b(" + "|".join(TAXON_WORDS) + r")\b", re.IGNORECASE)
# in a definition: adjectives and plurals ("vertebrate", "vertebrates", "insects")
_DEF_WORDS = re.compile(r"\b(" + "|".join(TAXON_WORDS) + r")s?\b", re.IGNORECASE)
_SENSU = re.compile(r"\bsensu\s+([A-Z][a-z]+)")
_TAG = re.compile(r"\(([A-Z][a-z]{3,5})\)\s*$")  # CL's species tags: "(Mmus)", "(Hsap)"
_SENSU_BRACKET = re.compile(r"\(?\bsensu\s+[A-Z][a-z]+\)?")
#: CL's species suffix: "plasmacytoid dendritic cell, human", "..., mouse"
SUFFIX_SPECIES: dict[str, str] = {"human": "NCBITaxon:9606", "mouse": "NCBITaxon:10090"}
_SUFFIX = re.compile(r",\s*(human|mouse)\s*$")
_ENDINGS = (")", *(f", {w}" for w in SUFFIX_SPECIES), *(f",{w}" for w in SUFFIX_SPECIES))
#: any taxon mark (a cheap first test before the full removal)
_MARKED = re.compile(
    _WORDS.pattern + r"|\bsensu\s|\([A-Z][a-z]{3,5}\)\s*$|" + _SUFFIX.pattern, re.IGNORECASE
)

#: common laboratory species whose lineage ships with harmonize (written by write_lineages)
COMMON_SPECIES: tuple[str, ...] = tuple(
    f"NCBITaxon:{n}"
    for n in (
        9606, 10090, 10116, 7955, 7227, 6239, 9031, 8364, 8355, 9823, 9913, 9615, 9685,
        9544, 9541, 9598, 9593, 9597, 9483, 9986, 9940, 9796, 13616, 9258, 10141, 10036,
        10181, 28377, 8839, 8932, 9974, 9925, 74533, 37550, 9555, 9601, 60711, 30608,
        8049, 7918, 6412, 7165, 7460, 6945, 7091, 8090, 8030, 7994,
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Lineage:
    """A taxon and its ancestors (ids and names, the taxon first)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def taxon(self) -> str:
        return self.ids[0]

    def within(self, group: str) -> bool:
        return group in self.ids

    def tag(self) -> str | None:
        """CL's species tag for the taxon: ``Mus musculus`` -> ``Mmus``."""
        parts = self.names[0].split() if self.names and self.names[0] else []
        return f"{parts[0][0]}{parts[1][:3]}" if len(parts) >= 2 else None


def label_taxa(label: str, lineage: Lineage) -> int:
    """+1 when ``label`` names a taxon group of ``lineage``, -1 another one, 0 none.

    >>> fly = Lineage(("NCBITaxon:7227", "NCBITaxon:50557"), ("Drosophila melanogaster", "Insecta"))
    >>> label_taxa("insect leg", fly), label_taxa("adult mammalian kidney", fly), label_taxa("leg", fly)
    (1, -1, 0)
    """
    verdict = 0
    for word in _WORDS.findall(label):
        if lineage.within(TAXON_WORDS[word.casefold()]):
            return 1
        verdict = -1
    for name in _SENSU.findall(label):
        if name in lineage.names:
            return 1
        verdict = -1
    tag = _TAG.search(label)
    if tag is not None:
        return 1 if tag.group(1) == lineage.tag() else -1
    suffix = _SUFFIX.search(label)
    if suffix is not None:
        return 1 if lineage.within(SUFFIX_SPECIES[suffix.group(1)]) else -1
    return verdict


def _without_taxon(text: str) -> tuple[str, bool] | None:
    """``text`` without its taxon marks (a taxon word, ``(sensu X)``, a CL species tag),
    and whether life-stage words went too; None when ``text`` has no taxon mark."""
    from harmonize.match.values.qualifiers import split_qualifiers

    bare = _SENSU_BRACKET.sub(" ", _TAG.sub(" ", _SUFFIX.sub(" ", text)))
    bare = _WORDS.sub(" ", bare)
    if bare == text:
        return None
    split = split_qualifiers(bare)
    staged = split is not None and any(q.kind == "life stage" for q in split.qualifiers)
    if split is not None and staged:
        bare = split.without(("life stage",))
    return bare, staged


def taxon_free_names(
    texts: Sequence[str], rows: Iterable[int] | None = None
) -> dict[str, list[tuple[int, bool]]]:
    """Names that mark a taxon, by what they say without it: ``adult mammalian kidney``
    and ``insect leg`` under ``kidney`` and ``leg`` (normalised as the name table is).

    Values are (row of ``texts``, whether life-stage words were dropped too). A data
    species inside the named group has a term of its own for the taxon-free name, so the
    unqualified term is not the only reading of that name.

    ``rows``: only these rows may carry a mark (a cheap pre-selection: :func:`marked_rows`).

    >>> taxon_free_names(["kidney", "adult mammalian kidney", "insect leg"])
    {'kidney': [(1, True)], 'leg': [(2, False)]}
    """
    from harmonize.text.normalize import normalize_steps

    out: dict[str, list[tuple[int, bool]]] = {}
    for row in range(len(texts)) if rows is None else sorted(set(rows)):
        text = texts[row]
        if not _MARKED.search(text):
            continue
        found = _without_taxon(text)
        if found is None:
            continue
        key = normalize_steps(found[0]).text
        if key:
            out.setdefault(key, []).append((row, found[1]))
    return out


def marked_rows(texts: Sequence[str], postings: Mapping[str, Iterable[int]]) -> list[int]:
    """Rows of a name table that may carry a taxon mark: a taxon word or ``sensu`` among
    its words (``postings``: word -> rows), or a tag or species suffix at its end."""
    rows = [int(r) for word in (*TAXON_WORDS, "sensu") for r in postings.get(word, ())]
    rows += [i for i, text in enumerate(texts) if text.endswith(_ENDINGS)]
    return rows


def term_taxa(term: Term, lineage: Lineage) -> int:
    """+1 valid by the file's own constraint or its label, -1 invalid, 0 nothing said.

    Without either, a definition whose first sentence names only taxon groups the data's
    species is outside ("... found in the vertebrate cardiovascular system" for a fly)
    makes the term invalid; a definition never makes a term valid.
    """
    if term.never_taxa and any(lineage.within(t) for t in term.never_taxa):
        return -1
    if term.taxa:
        return 1 if any(lineage.within(t) for t in term.taxa) else -1
    verdict = label_taxa(term.label or "", lineage)
    if verdict or not term.definition:
        return verdict
    first = term.definition.split(". ", 1)[0]
    groups = {TAXON_WORDS[w.casefold()] for w in _DEF_WORDS.findall(first)}
    return -1 if groups and not any(lineage.within(g) for g in groups) else 0


def _lineage_from(index: OntologyIndex, taxon: str) -> Lineage | None:
    ids: list[str] = []
    names: list[str] = []
    current: str | None = taxon
    while current is not None and current not in ids and current in index.terms:
        term = index.terms[current]
        ids.append(current)
        names.append(re.sub(r"\s*<.*>$", "", term.label or ""))
        current = term.parents[0] if term.parents else None
    return Lineage(tuple(ids), tuple(names)) if ids else None


def write_lineages(index: OntologyIndex, species: Iterable[str], path: Path) -> int:
    """Write the lineages of ``species`` (from an NCBITaxon index) as JSON; returns count."""
    from harmonize.io.atomic import atomic_write_text

    table = {}
    for taxon in species:
        found = _lineage_from(index, taxon)
        if found is not None:
            table[taxon] = [list(found.ids), list(found.names)]
    atomic_write_text(path, json.dumps(table, indent=0, sort_keys=True) + "\n")
    return len(table)


def _table(path: Path) -> dict[str, Sequence[Sequence[str]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def lineage(taxon: str) -> Lineage:
    """The lineage of ``taxon`` (an NCBITaxon CURIE); raises CurieError when unknown.

    Bundled table first, then the cache folder, then the NCBITaxon index (slow once).
    """
    from harmonize.cache import entry_path
    from harmonize.errors import CurieError
    from harmonize.resources import bundled_dir

    if not taxon.startswith("NCBITaxon:"):
        taxon = f"NCBITaxon:{taxon}" if taxon.isdigit() else taxon
    cached = entry_path("taxon-lineages", LINEAGE_FILE)
    for path in (bundled_dir("ontologies") / LINEAGE_FILE, cached):
        entry = _table(path).get(taxon)
        if entry:
            return Lineage(tuple(entry[0]), tuple(entry[1]))
    from harmonize.ontology.cache import load_index

    found = _lineage_from(load_index("NCBITaxon"), taxon)
    if found is None:
        raise CurieError(f"taxon {taxon} is not in NCBITaxon", value=taxon)
    table = dict(_table(cached))
    table[taxon] = [list(found.ids), list(found.names)]
    import contextlib

    from harmonize.io.atomic import atomic_write_text

    with contextlib.suppress(OSError):
        atomic_write_text(cached, json.dumps(table, sort_keys=True))
    return found
