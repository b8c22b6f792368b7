"""One call per command: publish files into the embedded store, or push them elsewhere.

Both paths scan every input first (so a bad file or an identifying column stops the run
before anything is written), ask the privacy guard, then load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import PublishError
from harmonize.publish.loader import PreparedGraph, read_input
from harmonize.publish.vocab import ONTOLOGY_GRAPH

if TYPE_CHECKING:
    from harmonize.publish.gsp import PushAuth, PushResult
    from harmonize.publish.store import GraphInfo

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


def _term_triples(prepared: Sequence[PreparedGraph], ontology_files: Sequence[Path]) -> list:  # type: ignore[type-arg]
    from harmonize.publish.terms import load_term_indexes, term_triples

    used = {t for item in prepared for t in item.terms}
    if not used:
        return []
    indexes = load_term_indexes({t.partition(":")[0] for t in used}, ontology_files)
    return list(term_triples(used, indexes))


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
    from harmonize.publish.store import PublishedStore

    prepared = prepare(paths, graph=graph, restricted=restricted, policy=policy)
    terms = _term_triples(prepared, ontology_files)
    store = PublishedStore.open(store_dir)
    done: list[GraphInfo] = []
    try:
        for item in prepared:
            info = store.publish(item)
            done.append(info)
            if on_graph is not None:
                on_graph(info)
        if terms:
            info = store.add_terms(terms)
            done.append(info)
            if on_graph is not None:
                on_graph(info)
        store.flush()
    finally:
        del store  # release the folder's lock at once
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
    on_graph: Callable[[PushResult], None] | None = None,
) -> list[PushResult]:
    """Push the same named graphs ``publish`` would make to the Graph Store at ``url``.

    Restricted graphs are refused unless ``include_restricted`` (the target store must
    protect them itself). The ontology-terms graph is merged (POST), not replaced, so
    datasets pushed separately keep their terms.
    """
    import pyoxigraph as ox

    from harmonize.publish.gsp import push_graph

    prepared = prepare(paths, graph=graph, restricted=restricted, policy=policy)
    blocked = [p for p in prepared if p.restricted and not include_restricted]
    if blocked:
        names = ", ".join(str(p.path) for p in blocked)
        raise PublishError(
            f"restricted data ({names}) would go to {url}, which harmonize cannot protect; "
            "pass --include-restricted if that store enforces access itself"
        )
    terms = _term_triples(prepared, ontology_files)
    results: list[PushResult] = []
    for item in prepared:
        if item.triples is not None:
            triples = iter(item.triples)
        else:
            assert item.rdf_format is not None
            triples = ox.parse(path=item.path, format=getattr(ox.RdfFormat, item.rdf_format))
        result = push_graph(url, item.graph, triples, auth=auth)
        results.append(result)
        if on_graph is not None:
            on_graph(result)
    if terms:
        result = push_graph(url, ONTOLOGY_GRAPH, terms, auth=auth, replace=False)
        results.append(result)
        if on_graph is not None:
            on_graph(result)
    return results
