"""One call per command: publish files into the embedded store, or push them elsewhere.

Both paths scan every input first (so a bad file or an identifying column stops the run
before anything is written), ask the privacy guard, then load.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import PublishError
from harmonize.publishing.loader import PreparedGraph, read_input
from harmonize.publishing.vocab import ONTOLOGY_GRAPH, ONTOLOGY_RESTRICTED_GRAPH

if TYPE_CHECKING:
    from harmonize.publishing.exposure import GraphUse
    from harmonize.publishing.gsp import PushAuth, PushResult
    from harmonize.publishing.store import GraphInfo, PublishedStore

__all__ = ["PublishReport", "prepare", "publish_files", "push_files"]


@dataclass(frozen=True, slots=True)
class PublishReport:
    graphs: tuple[GraphInfo, ...]
    store: Path | None


def prepare(
    paths: Sequence[str | Path],
    *,
    graph: str | None = None,
    restricted: bool = False,
    policy: str | Path | None = None,
) -> list[PreparedGraph]:
    """Scan every input and run the privacy guard on its literal values."""
    from harmonize.privacy.guard import check_columns, find_policy
    from harmonize.privacy.policy import load_policy

    if graph is not None and len(paths) > 1:
        raise PublishError("--graph names one graph: give a single DATA file with it")
    from harmonize.conversion.manifest import is_conversion_folder, joined_parts

    paths = [joined_parts(p) if is_conversion_folder(Path(p)) else p for p in paths]
    prepared = [g for p in paths for g in read_input(p, graph=graph, restricted=restricted)]
    seen: dict[str, Path] = {}
    for item in prepared:
        if item.graph in seen:
            raise PublishError(
                f"{seen[item.graph]} and {item.path} would both become graph {item.graph}; "
                "rename one or publish them separately with --graph",
            )
        seen[item.graph] = item.path
    for item in prepared:
        policy_path = Path(policy) if policy is not None else find_policy(item.path)
        loaded = load_policy(policy_path) if policy_path is not None else None
        check_columns(item.columns, source=str(item.path), policy=loaded)
    return prepared


def _uses(prepared: Sequence[PreparedGraph]) -> list[GraphUse]:
    from harmonize.publishing.exposure import GraphUse

    return [GraphUse(p.graph, p.kind, p.restricted, p.terms, source=str(p.path)) for p in prepared]


def _term_triples(prepared: Sequence[PreparedGraph], ontology_files: Sequence[Path]) -> list:  # type: ignore[type-arg]
    from harmonize.publishing.terms import load_term_indexes, term_triples

    used = {t for item in prepared for t in item.terms}
    if not used:
        return []
    indexes = load_term_indexes({t.partition(":")[0] for t in used}, ontology_files)
    return list(term_triples(used, indexes))


def _split_terms(prepared: Sequence[PreparedGraph], triples: list) -> tuple[list, list]:  # type: ignore[type-arg]
    """``triples`` split into the public terms graph (what public graphs use, with
    ancestors) and the restricted one (what only restricted graphs need)."""
    from harmonize.publishing.terms import term_iri

    by_subject: dict[str, list] = {}  # type: ignore[type-arg]
    for triple in triples:
        by_subject.setdefault(triple.subject.value, []).append(triple)

    def closure(curies: set[str]) -> set[str]:
        todo = [term_iri(c) for c in curies]
        seen: set[str] = set()
        while todo:
            iri = todo.pop()
            if iri in seen:
                continue
            seen.add(iri)
            todo.extend(
                t.object.value
                for t in by_subject.get(iri, ())
                if t.predicate.value in _HIERARCHY_PREDICATES
            )
        return seen

    public = closure({t for p in prepared if not p.restricted for t in p.terms})
    restricted = closure({t for p in prepared if p.restricted for t in p.terms}) - public
    return (
        [t for s in sorted(public) for t in by_subject.get(s, ())],
        [t for s in sorted(restricted) for t in by_subject.get(s, ())],
    )


_HIERARCHY_PREDICATES = frozenset(
    {
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
        "http://purl.obolibrary.org/obo/BFO_0000050",
    }
)


def _check_exposure(store: PublishedStore, prepared: Sequence[PreparedGraph]) -> None:
    """Mapping-set exposure over the store as it will be: its graphs, replaced by ours."""
    from harmonize.publishing.exposure import GraphUse, check_mapping_exposure

    ours = _uses(prepared)
    names = {u.graph for u in ours}
    used = store.uses()
    kept = [
        GraphUse(g.iri, g.kind, g.restricted, used.get(g.iri, frozenset()), source=g.source)
        for g in store.graphs()
        if g.iri not in names
    ]
    check_mapping_exposure([*kept, *ours])


def publish_files(
    paths: Sequence[str | Path],
    store_dir: str | Path,
    *,
    graph: str | None = None,
    restricted: bool = False,
    ontology_files: Sequence[Path] = (),
    policy: str | Path | None = None,
    on_graph: Callable[[GraphInfo], None] | None = None,
) -> PublishReport:
    """Publish ``paths`` into the store at ``store_dir`` (created if missing)."""
    from harmonize.publishing.store import PublishedStore

    prepared = prepare(paths, graph=graph, restricted=restricted, policy=policy)
    terms = _term_triples(prepared, ontology_files)
    store = PublishedStore.open(store_dir)
    done: list[GraphInfo] = []
    try:
        _check_exposure(store, prepared)  # before anything is written
        if terms:
            store.add_terms(terms)  # into the internal pool: invisible until a graph uses them
        for item in prepared:
            info = store.publish(item)  # also rebuilds the terms graphs, same transaction
            done.append(info)
            if on_graph is not None:
                on_graph(info)
        for info in store.terms_graphs():
            done.append(info)
            if on_graph is not None:
                on_graph(info)
        store.flush()
    finally:
        store.close()  # release the folder's lock at once
    return PublishReport(graphs=tuple(done), store=Path(store_dir))


def push_files(
    paths: Sequence[str | Path],
    url: str,
    *,
    auth: PushAuth | None = None,
    graph: str | None = None,
    restricted: bool = False,
    include_restricted: bool = False,
    ontology_files: Sequence[Path] = (),
    policy: str | Path | None = None,
    query_url: str | None = None,
    update_url: str | None = None,
    batch_size: int | None = None,
    on_graph: Callable[[PushResult], None] | None = None,
) -> list[PushResult]:
    """Push the same named graphs ``publish`` would make to the Graph Store at ``url``.

    Each graph is replaced atomically on the target (staged, then swapped in; see
    :mod:`harmonize.publishing.gsp`): a failure leaves that graph's previous version whole,
    and the error names the graphs already replaced. Restricted graphs are refused unless
    ``include_restricted`` (the target store must protect them itself). The ontology-terms
    graphs are merged, not replaced, so datasets pushed separately keep their terms: the
    public one gets only the terms public graphs use; those only restricted graphs need go
    to the restricted terms graph, which exists only when restricted graphs are pushed.
    """
    from harmonize.publishing.exposure import check_mapping_exposure
    from harmonize.publishing.gsp import target_for

    target_for(url, query_url=query_url, update_url=update_url)  # a bad URL fails first
    prepared = prepare(paths, graph=graph, restricted=restricted, policy=policy)
    check_mapping_exposure(_uses(prepared))
    blocked = [p for p in prepared if p.restricted and not include_restricted]
    if blocked:
        names = ", ".join(str(p.path) for p in blocked)
        raise PublishError(
            f"restricted data ({names}) would go to {url}, which harmonize cannot protect; "
            "pass --include-restricted if that store enforces access itself"
        )
    public_terms, restricted_terms = _split_terms(prepared, _term_triples(prepared, ontology_files))
    jobs: list[tuple[str, Callable[[], Iterable[Any]], bool]] = [
        (item.graph, _triples_of(item), True) for item in prepared
    ]
    jobs += [
        (name, functools.partial(iter, part), False)
        for name, part in (
            (ONTOLOGY_GRAPH, public_terms),
            (ONTOLOGY_RESTRICTED_GRAPH, restricted_terms),
        )
        if part
    ]
    options: dict[str, Any] = {"auth": auth, "query_url": query_url, "update_url": update_url}
    if batch_size is not None:
        options["batch_size"] = batch_size
    return _push_all(jobs, url, options, on_graph)


def _triples_of(item: PreparedGraph) -> Callable[[], Iterable[Any]]:
    def triples() -> Iterable[Any]:
        from harmonize.io.rdf import iter_rdf

        if item.triples is not None:
            return iter(item.triples)
        assert item.rdf_format is not None
        return iter_rdf(item.path, item.rdf_format)

    return triples


def _push_all(
    jobs: Sequence[tuple[str, Callable[[], Iterable[Any]], bool]],
    url: str,
    options: dict[str, Any],
    on_graph: Callable[[PushResult], None] | None,
) -> list[PushResult]:
    from harmonize.publishing import gsp

    results: list[PushResult] = []
    for name, triples, replace in jobs:
        try:
            result = gsp.push_graph(url, name, triples(), replace=replace, **options)
        except PublishError as exc:
            done = ", ".join(r.graph for r in results) or "none"
            raise PublishError(
                f"{exc.message}; graphs already replaced on the target by this run: {done}"
            ) from None
        results.append(result)
        if on_graph is not None:
            on_graph(result)
    return results
