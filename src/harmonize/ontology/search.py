"""Simple term lookup in an index: an id, or a label/synonym by normalised exact or prefix.

This is the steward's quick ``harmonize ontology search``; ranked fuzzy grounding
lives in :mod:`harmonize.match`. Normalised names are computed once per ontology file
and normaliser version, and cached next to the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from harmonize.cache import read_json, write_json
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import SCOPE_RANK, Term

__all__ = ["SearchHit", "search_index"]

_KIND_RANK = {"id": 0, "exact": 1, "prefix": 2}


#: normalised names per index, computed on the first search (normalising is the slow part)
_NAMES: WeakKeyDictionary[OntologyIndex, list[tuple[Term, str, str, str]]] = WeakKeyDictionary()


def _names_cache(index: OntologyIndex) -> Path | None:
    """Where the normalised names of a single-file index are cached (None: not cached)."""
    if not index.meta.sha256 or index.sources:
        return None
    from harmonize.cache import entry_path

    return entry_path("search-names", index.meta.sha256)


def _normalized_names(index: OntologyIndex) -> list[tuple[Term, str, str, str]]:
    """``(term, text, scope, normalised text)`` for every label and synonym."""
    names = _NAMES.get(index)
    if names is not None:
        return names
    raw = [
        (term, text, scope) for term in index.terms.values() for text, scope, _type in term.names()
    ]
    cached = _names_cache(index)
    # text -> normalised text: independent of the order the index lists its names in (a
    # freshly parsed file and its JSON cache may list a term's synonyms differently)
    known: dict[str, str] = {}
    loaded = read_json(cached) if cached is not None else None
    if isinstance(loaded, dict) and all(isinstance(v, str) for v in loaded.values()):
        known = loaded
    missing = {text for _, text, _ in raw if text not in known}
    if missing:
        from harmonize.text.normalize import normalize

        known.update((text, normalize(text)) for text in sorted(missing))
        if cached is not None:
            write_json(cached, known)
    normalised = [known[text] for _, text, _ in raw]
    names = [(t, text, scope, norm) for (t, text, scope), norm in zip(raw, normalised, strict=True)]
    _NAMES[index] = names
    return names


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One term found by :func:`search_index`."""

    term_id: str
    label: str | None
    matched: str  # the label or synonym text that matched
    scope: str  # LABEL | EXACT | NARROW | BROAD | RELATED | ID
    kind: str  # id | exact | prefix
    obsolete: bool = False


def search_index(
    index: OntologyIndex, query: str, *, limit: int = 20, include_obsolete: bool = False
) -> list[SearchHit]:
    """The term whose id (or alt_id) is ``query``, else terms whose label/synonym equals
    or starts with it.

    Texts are compared after :func:`harmonize.text.normalize.normalize` (case, spacing,
    punctuation, plurals). Exact matches come before prefix matches, labels before
    synonyms, then shorter texts first.
    """
    from harmonize.text.normalize import normalize

    query = query.strip()
    hits: list[SearchHit] = []
    term = index.get(query)
    if term is None and query in index.alt_id_map():
        term = index.get(index.alt_id_map()[query])
    if term is not None:  # an id (or alt_id) names exactly one term
        return [SearchHit(term.id, term.label, query, "ID", "id", term.obsolete)]
    wanted = normalize(query)
    if not wanted:
        return hits[:limit]
    best: dict[str, tuple[tuple[int, int, int], SearchHit]] = {}
    for term, text, scope, norm in _normalized_names(index):
        if term.obsolete and not include_obsolete:
            continue
        if norm == wanted:
            kind = "exact"
        elif norm.startswith(wanted):
            kind = "prefix"
        else:
            continue
        rank = (_KIND_RANK[kind], SCOPE_RANK.get(scope, 9), len(norm))
        known = best.get(term.id)
        if known is None or rank < known[0]:
            hit = SearchHit(term.id, term.label, text, scope, kind, term.obsolete)
            best[term.id] = (rank, hit)
    ranked = sorted(best.values(), key=lambda item: (item[0], item[1].term_id))
    hits.extend(hit for _, hit in ranked)
    return hits[:limit]
