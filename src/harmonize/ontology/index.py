"""The ontology index: terms by id plus the is_a/part_of hierarchy as a networkx graph.

The index is pure data (no file access); readers build it, :mod:`harmonize.ontology.cache`
stores and reloads it. Hierarchy queries build the networkx graph on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harmonize.ontology.model import SCOPES, OntologyMeta, Synonym, Term

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FORMAT_VERSION", "OntologyIndex", "merge_indexes"]

_SCOPE_CODE = {scope: code for code, scope in enumerate(SCOPES)}

#: Bump when the on-disk cache layout or what a reader extracts changes; old caches
#: then rebuild (the cache key includes it).
FORMAT_VERSION = 6  # 6: taxon constraints (taxa, never_taxa)


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
    #: one line per repair made while reading a messy source file (kept in the cache)
    repairs: tuple[str, ...] = field(default=())
    _graph: Any = field(default=None, init=False, repr=False)
    _descendants: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)
    _above: dict[str, dict[str, int]] = field(default_factory=dict, init=False, repr=False)
    _alt_ids: dict[str, str] | None = field(default=None, init=False, repr=False)

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
        """Counts a steward asks for first: every term in the file (obsolete included,
        as OBO tools count them), its synonyms, and how many terms are obsolete."""
        return {
            "terms": len(self.terms),
            "synonyms": sum(len(t.synonyms) for t in self.terms.values()),
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

    def steps_above(self, term_id: str, max_steps: int | None = None) -> dict[str, int]:
        """Every term above ``term_id`` (is_a and part_of) with its fewest steps up, nearest
        first; ``max_steps``: only that far up. Walks the terms' own parent lists (no
        hierarchy graph: cheap for a few terms, and a matcher without a branch never builds
        one). The whole walk is remembered per term: read the dict, never change it."""
        if max_steps is None:
            cached = self._above.get(term_id)
            if cached is None:
                cached = self._above[term_id] = self._walk_up(term_id, None)
            return cached
        return self._walk_up(term_id, max_steps)

    def _walk_up(self, term_id: str, max_steps: int | None) -> dict[str, int]:
        terms = self.terms
        steps: dict[str, int] = {}
        frontier, depth = [term_id], 0
        while frontier and (max_steps is None or depth < max_steps):
            depth += 1
            nxt = []
            for current in frontier:
                term = terms.get(current)
                if term is None:
                    continue
                for parent in (*term.parents, *term.part_of):
                    if parent not in steps:
                        steps[parent] = depth
                        nxt.append(parent)
            frontier = nxt
        return steps

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
        """Top terms: non-obsolete terms without a parent that have children.

        Terms of the ontology's own prefixes come first; when none of them is a top
        (OBI hangs under BFO, COB...), the tops of any prefix are returned.
        """
        own = set(self.meta.prefixes)
        # same answer as the graph's nodes with no out-edge and some in-edge, without
        # building networkx (seconds for NCBITaxon's 1.2 M terms)
        live = [t for t in self.terms.values() if not t.obsolete]
        targets = {p for t in live for p in (*t.parents, *t.part_of)}
        tops = sorted(
            node
            for node in targets
            if (term := self.terms.get(node)) is None
            or term.obsolete
            or not (term.parents or term.part_of)
        )
        mine = [node for node in tops if node.partition(":")[0] in own]
        return mine or tops

    # -- obsoletes ----------------------------------------------------------
    def alt_id_map(self) -> dict[str, str]:
        """``alt_id -> primary id`` over every term (built on first use)."""
        if self._alt_ids is None:
            self._alt_ids = {alt: t.id for t in self.terms.values() for alt in t.alt_ids}
        return self._alt_ids

    def resolve(self, term_id: str, *, max_hops: int = 10) -> str | None:
        """The live term ``term_id`` stands for, or None when there is none.

        Follows an ``alt_id`` to its primary term and ``replaced_by`` from an obsolete
        term (several hops at most). A live id resolves to itself; an id the index does
        not know resolves to None, except as the target of a ``replaced_by`` (a term of
        another ontology, e.g. EFO -> MONDO).
        """
        seen: set[str] = set()
        current: str | None = term_id
        while current is not None and current not in seen and len(seen) < max_hops:
            seen.add(current)
            term = self.terms.get(current)
            if term is None:
                primary = self.alt_id_map().get(current)
                if primary is not None and primary not in seen:
                    current = primary
                    continue
                return current if len(seen) > 1 else None
            if not term.obsolete:
                return current
            current = term.replaced_by[0] if term.replaced_by else None
        return None

    # -- (de)serialisation for the cache -------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Compact JSON-ready form: one list per term, trailing empty fields left out.

        Row: ``[id, label, synonyms, definition, xrefs, obsolete, replaced_by,
        consider, parents, part_of, alt_ids, taxa, never_taxa]``; ``synonyms`` is flat
        ``[text, code, text, code, ...]`` with ``code = scope + 4 * (type + 1)``
        (scope index in :data:`SCOPES`, type index in ``synonym_types``, -1 = none).
        Fewer, smaller JSON values make the warm load fast.
        """
        types: dict[str, int] = {}
        rows: list[list[Any]] = []
        for t in self.terms.values():
            flat: list[Any] = []
            for syn in t.synonyms:
                kind = -1 if syn.type is None else types.setdefault(syn.type, len(types))
                flat.extend((syn.text, _SCOPE_CODE[syn.scope] + 4 * (kind + 1)))
            row: list[Any] = [
                t.id,
                t.label,
                flat,
                t.definition,
                list(t.xrefs),
                1 if t.obsolete else 0,
                list(t.replaced_by),
                list(t.consider),
                list(t.parents),
                list(t.part_of),
                list(t.alt_ids),
                list(t.taxa),
                list(t.never_taxa),
            ]
            while len(row) > 1 and row[-1] in ([], None, 0):
                row.pop()
            rows.append(row)
        return {
            "format_version": FORMAT_VERSION,
            "meta": _meta_dict(self.meta),
            "sources": [_meta_dict(m) for m in self.sources],
            "synonym_types": list(types),
            "repairs": list(self.repairs),
            "terms": rows,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OntologyIndex:
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError("index cache format version mismatch")
        kinds: list[str | None] = [None, *data.get("synonym_types", [])]
        empty: tuple[str, ...] = ()
        terms: dict[str, Term] = {}
        pad: list[Any] = [None, [], None, empty, 0, empty, empty, empty, empty, empty, empty, empty]
        for row in data["terms"]:
            if len(row) < 13:
                row = row + pad[len(row) - 1 :]
            (tid, label, flat, definition, xrefs, obsolete, repl, consider, parents, part_of, alt,
             taxa, never) = row  # fmt: skip
            terms[tid] = Term(
                id=tid,
                label=label,
                synonyms=tuple(
                    Synonym(flat[i], SCOPES[flat[i + 1] & 3], kinds[flat[i + 1] >> 2])
                    for i in range(0, len(flat), 2)
                )
                if flat
                else (),
                definition=definition,
                xrefs=tuple(xrefs) if xrefs else empty,
                obsolete=bool(obsolete),
                replaced_by=tuple(repl) if repl else empty,
                consider=tuple(consider) if consider else empty,
                parents=tuple(parents) if parents else empty,
                part_of=tuple(part_of) if part_of else empty,
                alt_ids=tuple(alt) if alt else empty,
                taxa=tuple(taxa) if taxa else empty,
                never_taxa=tuple(never) if never else empty,
            )
        return cls(
            meta=_meta_from(data["meta"]),
            terms=terms,
            sources=tuple(_meta_from(m) for m in data.get("sources", [])),
            repairs=tuple(data.get("repairs", ())),
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
    repairs = tuple(r for i in items for r in i.repairs)
    return OntologyIndex(meta=meta, terms=terms, sources=sources, repairs=repairs)
