"""Ontology terms as the item page shows them, and the search in a slot's branch.

Search returns the matcher's ranked candidates for the query (typos and synonyms
forgiven), then every other term of the branch whose label or synonym contains all the
query's words - so "liver" lists the liver, its lobes and the rest of the branch's liver
terms, not one hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping
    from harmonize.ontology.index import OntologyIndex

__all__ = ["FoundTerm", "TermInfo", "WordIndex", "matched_name", "search_terms", "term_info"]

_FIELD_SCOPE = {
    "rdfs:label": "label",
    "oboInOwl:hasExactSynonym": "exact synonym",
    "oboInOwl:hasNarrowSynonym": "narrow synonym",
    "oboInOwl:hasBroadSynonym": "broad synonym",
    "oboInOwl:hasRelatedSynonym": "related synonym",
    "skos:prefLabel": "label",
    "skos:altLabel": "synonym",
}
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True, slots=True)
class TermInfo:
    """What the item page shows about a term, from the ontology index."""

    id: str
    label: str | None
    definition: str | None = None
    synonyms: tuple[tuple[str, str], ...] = ()  # (text, scope)
    parents: tuple[tuple[str, str | None], ...] = ()
    children: tuple[tuple[str, str | None], ...] = ()
    more_children: int = 0
    obsolete: bool = False
    replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FoundTerm:
    """A term the workbench's search offers for an item: a matcher candidate (with its
    confidence) or a branch term whose name has the words searched for."""

    id: str
    label: str | None
    confidence: float | None
    explanation: str
    predicate: str = "skos:exactMatch"


def term_info(index: OntologyIndex, term_id: str, *, max_children: int = 12) -> TermInfo | None:
    """Definition, synonyms, parents and (the first few) children of ``term_id``."""
    term = index.get(term_id)
    if term is None:
        return None
    children = sorted(index.children(term_id), key=lambda t: index.label(t) or t)
    return TermInfo(
        id=term.id,
        label=term.label,
        definition=term.definition,
        synonyms=tuple((s.text, s.scope.lower()) for s in term.synonyms),
        parents=tuple((p, index.label(p)) for p in index.parents(term_id)),
        children=tuple((c, index.label(c)) for c in children[:max_children]),
        more_children=max(0, len(children) - max_children),
        obsolete=term.obsolete,
        replaced_by=term.replaced_by,
    )


def matched_name(candidate: Mapping, index: OntologyIndex | None) -> str | None:
    """``'hepatic' (exact synonym)``: the name the candidate matched and its scope."""
    if not candidate.match_string:
        return None
    text = candidate.match_string[0]
    field = candidate.object_match_field[0] if candidate.object_match_field else ""
    scope = _FIELD_SCOPE.get(field)
    term = index.get(candidate.object_id) if scope is None and index is not None else None
    if term is not None:
        from harmonize.text.normalize import normalize

        key = normalize(text)
        for name, name_scope, _ in term.names():
            if normalize(name) == key:
                scope = "label" if name_scope == "LABEL" else f"{name_scope.lower()} synonym"
                break
    return f"{text!r} ({scope})" if scope else repr(text)


class WordIndex:
    """The words of every label and synonym of the terms in a set (a branch)."""

    def __init__(self, index: OntologyIndex, term_ids: Iterable[str]) -> None:
        self.entries: list[tuple[str, str, str, frozenset[str]]] = []  # id, name, scope, words
        for term_id in sorted(term_ids):
            term = index.get(term_id)
            if term is None or term.obsolete:
                continue
            for name, scope, _ in term.names():
                self.entries.append((term_id, name, scope, frozenset(_WORD.findall(name.lower()))))

    def containing(self, query: str) -> list[tuple[str, str, str]]:
        """``(term id, name, scope)`` of names holding every word of ``query``: labels
        first, then shorter names; one entry per term."""
        words = set(_WORD.findall(query.lower()))
        if not words:
            return []
        found: dict[str, tuple[tuple[int, int, str], tuple[str, str, str]]] = {}
        for term_id, name, scope, have in self.entries:
            if words <= have:
                rank = (scope != "LABEL", len(name), name.lower())
                if term_id not in found or rank < found[term_id][0]:
                    found[term_id] = (rank, (term_id, name, scope))
        return [hit for _, hit in sorted(found.values())]


def search_terms(
    matcher: Any, words: WordIndex, index: OntologyIndex, query: str, *, top_k: int = 20
) -> list[FoundTerm]:
    """The matcher's hits for ``query``, then the branch's terms whose names contain all
    its words (both already restricted to the branch)."""
    result = matcher.match(query.strip(), top_k=top_k)
    hits = [
        FoundTerm(c.id, c.label, c.confidence, c.explain(), c.predicate) for c in result.candidates
    ]
    seen = {h.id for h in hits}
    for term_id, name, scope in words.containing(query):
        if term_id in seen:
            continue
        seen.add(term_id)
        where = "label" if scope == "LABEL" else f"{scope.lower()} synonym"
        hits.append(
            FoundTerm(term_id, index.label(term_id), None, f"{where} {name!r} has the words")
        )
    return hits[:top_k]
