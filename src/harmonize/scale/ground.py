"""``harmonize ground --dask``: distinct values partitioned over the workers.

Each worker builds the matcher once - the ontology index loaded from its own cache, not
pickled per task - and keeps it for every later chunk; a task is one
:meth:`~harmonize.match.values.matcher.ValueMatcher.match_many` call on its chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from distributed import Client

    from harmonize.match.values.candidate import MatchResult

__all__ = ["CHUNK", "ground_distributed"]

#: Values per task (below the size at which one matcher forks its own pool).
CHUNK = 10_000
_Key = tuple[tuple[str, ...], tuple[str, ...], str | None, tuple[str, ...]]
_MATCHERS: dict[_Key, Any] = {}  # per worker


def _matcher(key: _Key) -> Any:
    """The worker's matcher for (ontologies, roots, taxon, context), built once."""
    from harmonize.match.values.ground import load_curated, load_ontologies
    from harmonize.match.values.matcher import ValueMatcher

    if key not in _MATCHERS:
        ontologies, roots, taxon, context = key
        index = load_ontologies(list(ontologies))
        _MATCHERS[key] = ValueMatcher(
            index,
            roots=list(roots),
            curated=load_curated(),
            taxon=taxon,
            fill=True,
            context=context,
        )
    return _MATCHERS[key]


def match_task(key: _Key, top_k: int, values: list[str]) -> list[MatchResult]:
    matcher = _matcher(key)
    results: list[MatchResult] = matcher.match_many(values, top_k=top_k)
    return results


def ground_distributed(
    client: Client,
    values: Sequence[str],
    ontologies: Sequence[str],
    *,
    roots: Sequence[str] = (),
    taxon: str | None = None,
    context: Sequence[str] = (),
    top_k: int = 5,
    chunk: int = CHUNK,
) -> dict[str, MatchResult]:
    """Distinct value -> its match result, computed on the cluster of ``client``."""
    from harmonize.scale.cluster import gather_as_completed

    distinct = list(dict.fromkeys(values))
    chunks = [distinct[i : i + chunk] for i in range(0, len(distinct), chunk)]
    key: _Key = (tuple(str(o) for o in ontologies), tuple(roots), taxon, tuple(context))
    futures = [client.submit(match_task, key, top_k, c, pure=False) for c in chunks]
    out: dict[str, MatchResult] = {}
    for results in gather_as_completed(futures, desc="grounding"):
        out.update((r.query, r) for r in results)
    return out
