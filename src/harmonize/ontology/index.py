"""The ontology index: terms by id plus the is_a/part_of hierarchy as a networkx graph.

The index is pure data (no file access); readers build it, :mod:`harmonize.ontology.cache`
stores and reloads it. Hierarchy queries build the networkx graph on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harmonize.ontology.model import OntologyMeta, Synonym, Term

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FORMAT_VERSION", "OntologyIndex", "merge_indexes"]

#: Bump when the on-disk cache layout changes; old caches then rebuild.
FORMAT_VERSION = 1


@dataclass(eq=False)
class OntologyIndex:
    """Terms of one (or several merged) ontologies, with hierarchy queries.

    The graph has an edge ``child -> parent`` for every ``is_a`` (``rel="is_a"``) and
    ``part_of`` (``rel="part_of"``) relation, so *descendants of R* are the nodes
    from which R can be reached.
    """

    meta: OntologyMeta
    terms: dict[str, Term]
    sources: tuple[OntologyMeta, ...] = field(default=())
    _graph: Any = field(default=None, init=False, repr=False)
    _descendants: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)

    # -- basic access -------------------------------------------------------
    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.terms

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def get(self, term_id: str) -> Term | None:
        return self.terms.get(term_id)

    def label(self, term_id: str) -> str | None:
        term = self.terms.get(term_id)
        return term.label if term else None

    @property
    def version(self) -> str | None:
        return self.meta.version

    def stats(self) -> dict[str, int]:
        """Counts a steward asks for first."""
        return {
            "terms": sum(1 for t in self.terms.values() if not t.obsolete),
            "synonyms": sum(len(t.synonyms) for t in self.terms.values() if not t.obsolete),
            "obsolete": sum(1 for t in self.terms.values() if t.obsolete),
        }

    # -- hierarchy ----------------------------------------------------------
    @property
    def graph(self) -> nx.DiGraph:
        """``child -> parent`` DiGraph over is_a and part_of, built on first use."""
        if self._graph is None:
            import networkx as nx

            graph = nx.DiGraph()
            graph.add_nodes_from(t.id for t in self.terms.values() if not t.obsolete)
            for term in self.terms.values():
                if term.obsolete:
                    continue
                graph.add_edges_from(((term.id, p) for p in term.parents), rel="is_a")
                graph.add_edges_from(((term.id, p) for p in term.part_of), rel="part_of")
            self._graph = graph
        return self._graph

    def parents(self, term_id: str) -> list[str]:
        graph = self.graph
        return list(graph.successors(term_id)) if term_id in graph else []

    def children(self, term_id: str) -> list[str]:
        graph = self.graph
        return list(graph.predecessors(term_id)) if term_id in graph else []

    def ancestors(self, term_id: str) -> set[str]:
        """Every term reachable upwards (is_a and part_of), not including ``term_id``."""
        import networkx as nx

        graph = self.graph
        return set(nx.descendants(graph, term_id)) if term_id in graph else set()

    def descendants(self, term_id: str) -> frozenset[str]:
        """Every term below ``term_id`` (is_a and part_of), not including it. Cached."""
        cached = self._descendants.get(term_id)
        if cached is None:
            import networkx as nx

            graph = self.graph
            cached = frozenset(nx.ancestors(graph, term_id)) if term_id in graph else frozenset()
            self._descendants[term_id] = cached
        return cached

    def is_under(self, term_id: str, roots: Iterable[str]) -> bool:
        """True when ``term_id`` is one of ``roots`` or lies below one of them."""
        return any(term_id == root or term_id in self.descendants(root) for root in roots)

    def branch(self, roots: Iterable[str]) -> frozenset[str]:
        """The ids of ``roots`` and all their descendants."""
        out: set[str] = set()
        for root in roots:
            if root in self.terms:
                out.add(root)
            out.update(self.descendants(root))
        return frozenset(out)

    def roots(self) -> list[str]:
        """Non-obsolete terms of the ontology's own prefixes that have no parent."""
        own = set(self.meta.prefixes)
        graph = self.graph
        return sorted(
            node
            for node in graph.nodes
            if graph.out_degree(node) == 0
            and (not own or node.partition(":")[0] in own)
            and graph.in_degree(node) > 0
        )

    # -- obsoletes ----------------------------------------------------------
    def resolve(self, term_id: str, *, max_hops: int = 10) -> str | None:
        """Follow ``replaced_by`` from an obsolete term to a live one (None if none)."""
        seen: set[str] = set()
        current: str | None = term_id
        while current is not None and current not in seen and len(seen) < max_hops:
            seen.add(current)
            term = self.terms.get(current)
            if term is None:
                return current if len(seen) > 1 else None
            if not term.obsolete:
                return current
            current = term.replaced_by[0] if term.replaced_by else None
        return None

    # -- (de)serialisation for the cache -------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Compact JSON-ready form (lists, not objects, per term)."""
        return {
            "format_version": FORMAT_VERSION,
            "meta": _meta_dict(self.meta),
            "sources": [_meta_dict(m) for m in self.sources],
            "terms": [
                [
                    t.id,
                    t.label,
                    [[s.text, s.scope, s.type] for s in t.synonyms],
                    t.definition,
                    list(t.xrefs),
                    t.obsolete,
                    list(t.replaced_by),
                    list(t.consider),
                    list(t.parents),
                    list(t.part_of),
                ]
                for t in self.terms.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OntologyIndex:
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError("index cache format version mismatch")
        terms: dict[str, Term] = {}
        for tid, label, syns, definition, xrefs, obsolete, repl, consider, parents, part_of in data[
            "terms"
        ]:
            terms[tid] = Term(
                id=tid,
                label=label,
                synonyms=tuple(Synonym(s, scope, typ) for s, scope, typ in syns),
                definition=definition,
                xrefs=tuple(xrefs),
                obsolete=obsolete,
                replaced_by=tuple(repl),
                consider=tuple(consider),
                parents=tuple(parents),
                part_of=tuple(part_of),
            )
        return cls(
            meta=_meta_from(data["meta"]),
            terms=terms,
            sources=tuple(_meta_from(m) for m in data.get("sources", [])),
        )


def _meta_dict(meta: OntologyMeta) -> dict[str, Any]:
    return {
        "name": meta.name,
        "version": meta.version,
        "source": meta.source,
        "sha256": meta.sha256,
        "format": meta.format,
        "prefixes": list(meta.prefixes),
    }


def _meta_from(data: Mapping[str, Any]) -> OntologyMeta:
    return OntologyMeta(
        name=data["name"],
        version=data.get("version"),
        source=data.get("source"),
        sha256=data.get("sha256"),
        format=data.get("format"),
        prefixes=tuple(data.get("prefixes", ())),
    )


def merge_indexes(indexes: Iterable[OntologyIndex], name: str | None = None) -> OntologyIndex:
    """One index over several ontologies (first definition of a term id wins).

    Imported stubs (a term with no label, typical of OBO imports) never shadow the
    full term from its home ontology.
    """
    items = list(indexes)
    if len(items) == 1:
        return items[0]
    terms: dict[str, Term] = {}
    for index in items:
        for term in index.terms.values():
            existing = terms.get(term.id)
            if existing is None or (existing.label is None and term.label is not None):
                terms[term.id] = term
    prefixes = tuple(dict.fromkeys(p for i in items for p in i.meta.prefixes))
    meta = OntologyMeta(
        name=name or "+".join(i.meta.name for i in items),
        version=";".join(f"{i.meta.name}={i.meta.version}" for i in items),
        format="merged",
        prefixes=prefixes,
    )
    sources = tuple(m for i in items for m in (i.sources or (i.meta,)))
    return OntologyIndex(meta=meta, terms=terms, sources=sources)
