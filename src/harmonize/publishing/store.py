"""The embedded store: named graphs in pyoxigraph on disk, replaced atomically.

A new graph is bulk-loaded in place and appears when its catalog entry is written.
Re-publishing loads the file with ``bulk_load`` into a fresh *staging* graph, then swaps it
in with one SPARQL Update — delete what the new version lacks, insert what it adds,
rewrite the catalog entry — which oxigraph runs as a single transaction: a reader sees the old graph
or the new one, never a mix or an empty moment. Staging graphs and the catalog are never
part of a query's dataset (see :meth:`PublishedStore.dataset`), so a load in progress is
invisible.

When a graph becomes restricted its catalog entry is tightened *before* the data swap;
when it becomes public, loosened *after*: no reader without a token ever sees restricted
data.

Ontology terms: every term triple loaded goes to an internal pool graph, and the catalog
records which terms each published graph uses. The public terms graph holds the labels and
hierarchy (closure over ``rdfs:subClassOf|BFO:0000050``) of the terms public graphs use;
a second terms graph, restricted in the catalog like the data, holds those only restricted
graphs need. Both are rebuilt in the same transaction as every swap, access change or
removal, so which diagnoses or tissues a restricted dataset holds never shows publicly.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from harmonize.errors import PublishError
from harmonize.publishing.updates import (
    CAT,
    MODIFIED,
    SOURCE,
    USES,
    VOID_TRIPLES,
    access_update,
    catalog_update,
    check_iri,
    now,
    rebuild_terms,
    swap_update,
    uses_update,
)
from harmonize.publishing.vocab import (
    CATALOG_GRAPH,
    KIND_ONTOLOGY,
    STAGING_PREFIX,
    TERM_POOL_GRAPH,
)

if TYPE_CHECKING:
    import pyoxigraph

    from harmonize.publishing.loader import PreparedGraph

__all__ = ["GraphInfo", "PublishedStore"]


@dataclass(frozen=True, slots=True)
class GraphInfo:
    """A published named graph as the catalog records it."""

    iri: str
    kind: str
    restricted: bool
    triples: int
    modified: str
    source: str | None = None
    checksum: str | None = None
    unchanged: bool = False  # this publish found the same file already published


_LOCK_FILE = "harmonize.lock"
_IN_USE = (
    "the store is in use by another process (a running 'harmonize serve' or "
    "'harmonize publish'?): stop it and try again"
)


def _lock(path: Path, *, shared: bool = False) -> IO[bytes] | None:
    """A lock on the store folder, held while the returned file stays open: exclusive for
    a publisher, shared for servers (several may serve one store; none while it is written).

    RocksDB locks its folder only for writers; a writer under a read-only reader is
    undefined behaviour in the store library, hence this lock. ``None`` off POSIX."""
    try:
        import fcntl
    except ImportError:  # not POSIX: RocksDB's own lock still stops two writers
        return None
    handle = (path / _LOCK_FILE).open("ab")
    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise PublishError(_IN_USE, path=path) from None
    return handle


def _share(lock: IO[bytes] | None) -> None:
    """Turn an exclusive folder lock into a shared one."""
    if lock is not None:
        import fcntl

        fcntl.flock(lock.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)


class PublishedStore:
    """A pyoxigraph store plus the catalog of what was published into it."""

    def __init__(
        self, store: pyoxigraph.Store, path: Path | None = None, lock: IO[bytes] | None = None
    ) -> None:
        self.store = store
        self.path = path
        self._lock = lock

    def close(self) -> None:
        """Release the store and the folder's lock now, not whenever this object is
        collected (a reference cycle would keep a publisher locked out until then)."""
        lock, self._lock = self._lock, None
        self.__dict__.pop("store", None)  # the last reference closes the database
        if lock is not None:
            lock.close()

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> PublishedStore:
        """Open (or create) the store folder; a folder held by another process is an error."""
        import pyoxigraph as ox

        path = Path(path)
        if not create and not path.is_dir():
            raise PublishError(
                "no published store here (run 'harmonize publish DATA --store DIR' first)",
                path=path,
            )
        if path.exists() and not path.is_dir():
            raise PublishError("the store must be a folder, but this is a file", path=path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PublishError(f"cannot create the store: {exc.strerror}", path=path) from None
        lock = _lock(path)
        try:
            store = ox.Store(str(path))
        except OSError as exc:
            if lock is not None:
                lock.close()
            if "lock" in str(exc).lower():
                raise PublishError(_IN_USE, path=path) from None
            raise PublishError(f"cannot open the store: {exc}", path=path) from None
        return cls(store, path, lock)

    @classmethod
    def open_read_only(cls, path: str | Path) -> PublishedStore:
        """Open a store to serve it, read-only — the way the query workers open it too —
        and locked against publishers for as long as this object lives.

        The first server recovers the store once (a read-write open replays the
        write-ahead log, then closes) while it holds the folder exclusively; later servers
        of the same store find it recovered and only share the lock."""
        import pyoxigraph as ox

        path = Path(path)
        try:
            writable = cls.open(path, create=False)
        except PublishError as exc:
            if exc.message != _IN_USE:
                raise
            lock = _lock(path, shared=True)  # another server's: no writer, recovered
        else:
            writable.flush()
            lock, writable._lock = writable._lock, None
            writable.close()  # closes the read-write store; the folder lock stays with us
            _share(lock)
        try:
            store = ox.Store.read_only(str(path))
        except OSError as exc:
            if lock is not None:
                lock.close()
            raise PublishError(f"cannot open the store: {exc}", path=path) from None
        return cls(store, path, lock)

    @classmethod
    def in_memory(cls) -> PublishedStore:
        import pyoxigraph as ox

        return cls(ox.Store())

    # -- catalog ---------------------------------------------------------------
    def graphs(self) -> list[GraphInfo]:
        """Every published graph (restricted ones too), sorted by IRI."""
        rows = self.store.query(
            f"""SELECT ?g ?kind ?access ?n ?modified ?source ?checksum WHERE {{
                GRAPH <{CATALOG_GRAPH}> {{
                  ?g <{CAT}kind> ?kind ; <{CAT}access> ?access ;
                     <{VOID_TRIPLES}> ?n ; <{MODIFIED}> ?modified .
                  OPTIONAL {{ ?g <{SOURCE}> ?source }}
                  OPTIONAL {{ ?g <{CAT}checksum> ?checksum }}
                }} }} ORDER BY ?g"""
        )
        out: list[GraphInfo] = []
        for row in rows:  # type: ignore[union-attr]
            source = row["source"]
            checksum = row["checksum"]
            out.append(
                GraphInfo(
                    iri=row["g"].value,
                    kind=row["kind"].value,
                    restricted=row["access"].value == "restricted",
                    triples=int(row["n"].value),
                    modified=row["modified"].value,
                    source=source.value if source is not None else None,
                    checksum=checksum.value if checksum is not None else None,
                )
            )
        return out

    def uses(self) -> dict[str, frozenset[str]]:
        """Published graph -> the ontology terms (CURIEs) the catalog records it uses."""
        from harmonize.publishing.terms import obo_curie

        out: dict[str, set[str]] = {}
        rows = self.store.query(
            f"SELECT ?g ?u WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g <{USES}> ?u }} }}"
        )
        for row in rows:  # type: ignore[union-attr]
            curie = obo_curie(row["u"].value)
            if curie is not None:
                out.setdefault(row["g"].value, set()).add(curie)
        return {g: frozenset(t) for g, t in out.items()}

    def graph_info(self, iri: str) -> GraphInfo | None:
        return next((g for g in self.graphs() if g.iri == iri), None)

    def dataset(self, *, authorized: bool) -> list[pyoxigraph.NamedNode]:
        """The graphs a query may see: all published ones, or only public ones."""
        import pyoxigraph as ox

        return [ox.NamedNode(g.iri) for g in self.graphs() if authorized or not g.restricted]

    # -- publishing ------------------------------------------------------------
    def publish(self, prepared: PreparedGraph) -> GraphInfo:
        """Load ``prepared`` into its graph, replacing any earlier version atomically."""
        import pyoxigraph as ox

        graph = check_iri(prepared.graph)
        old = self.graph_info(graph)
        if (
            old is not None
            and prepared.checksum is not None
            and old.checksum == prepared.checksum
            and old.restricted == prepared.restricted
            and old.kind == prepared.kind
        ):
            if prepared.terms and graph not in self.uses():  # a store from before uses
                self.store.update(uses_update(graph, prepared.terms) + rebuild_terms())
            return replace(old, unchanged=True)  # same bytes, same access: nothing to do
        fresh = old is None and not self.store.contains_named_graph(ox.NamedNode(graph))
        # A new graph is loaded in place: it is invisible until its catalog entry exists.
        # A graph being replaced goes through a staging graph and one swap transaction.
        staging = ox.NamedNode(graph if fresh else f"{STAGING_PREFIX}{uuid.uuid4().hex}")
        try:
            if prepared.triples is not None:
                self.store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, staging)
                                       for t in prepared.triples)  # fmt: skip
            else:
                assert prepared.rdf_format is not None
                self.store.bulk_load(
                    path=str(prepared.path),
                    format=getattr(ox.RdfFormat, prepared.rdf_format),
                    to_graph=staging,
                )
        except (SyntaxError, OSError, ValueError) as exc:
            self._drop_quietly(staging)
            raise PublishError(f"cannot load: {exc}", path=prepared.path) from None
        try:
            count = self._count(staging.value)
            if prepared.restricted and old is not None and not old.restricted:
                self.store.update(access_update(graph, restricted=True))  # tighten first
            info = GraphInfo(
                iri=graph,
                kind=prepared.kind,
                restricted=prepared.restricted,
                triples=count,
                modified=now(),
                source=prepared.path.name,
                checksum=prepared.checksum,
            )
            catalog = catalog_update(info) + " ;\n" + uses_update(graph, prepared.terms)
            if fresh:
                self.store.update(catalog + rebuild_terms())
            else:
                self.store.update(swap_update(graph, staging.value) + catalog + rebuild_terms())
        except BaseException:
            if fresh and self.graph_info(graph) is None:
                self._drop_quietly(staging)
            raise
        finally:
            if not fresh:
                self._drop_quietly(staging)
        return info

    def add_terms(self, triples: Iterable[pyoxigraph.Triple]) -> list[GraphInfo]:
        """Merge ontology labels/hierarchy into the internal term pool, then rebuild the
        public and restricted terms graphs from what the published graphs use."""
        import pyoxigraph as ox

        graph = ox.NamedNode(TERM_POOL_GRAPH)
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        self.store.update(rebuild_terms())
        return self.terms_graphs()

    def terms_graphs(self) -> list[GraphInfo]:
        """The catalog entries of the (non-empty) ontology-terms graphs."""
        return [g for g in self.graphs() if g.kind == KIND_ONTOLOGY]

    def remove(self, iri: str) -> bool:
        """Unpublish a graph (catalog entry first, so it disappears at once)."""
        if self.graph_info(iri) is None:
            return False
        check_iri(iri)
        self.store.update(
            f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{iri}> ?p ?o }} }} ;\n" + rebuild_terms()
        )
        self.store.update(f"DROP SILENT GRAPH <{iri}>")
        return True

    def triples(self, iri: str) -> Iterator[pyoxigraph.Triple]:
        """The triples of one published graph (for pushing to another store)."""
        import pyoxigraph as ox

        for quad in self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def flush(self) -> None:
        with contextlib.suppress(OSError):
            self.store.flush()

    # -- helpers -----------------------------------------------------------------
    def _count(self, iri: str) -> int:
        rows = list(
            self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")  # type: ignore[arg-type]
        )
        return int(rows[0]["n"].value)

    def _drop_quietly(self, graph: pyoxigraph.NamedNode) -> None:
        with contextlib.suppress(Exception):
            self.store.remove_graph(graph)
