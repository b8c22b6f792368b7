"""Would a public mapping set tell which ontology terms a restricted dataset holds?

A mapping set lists, row by row, the term each partner value was mapped to. When a term
is used by a restricted dataset and by no public one, a public mapping set that maps some
value to it reveals that the restricted data holds it (a diagnosis, a tissue) just as the
data would. Publishing (into the store or with ``--to``) refuses such a combination with
a :class:`~harmonize.errors.PrivacyError` naming the mapping set and the terms, instead of
guessing which rows belong to whom: the user publishes that mapping set ``--restricted``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harmonize.errors import PrivacyError
from harmonize.publishing.vocab import KIND_DATASET, KIND_MAPPINGS

__all__ = ["GraphUse", "check_mapping_exposure", "exposed_terms"]


@dataclass(frozen=True, slots=True)
class GraphUse:
    """Which ontology terms (CURIEs) one graph uses, and how it is published."""

    graph: str
    kind: str
    restricted: bool
    terms: frozenset[str]
    source: str | None = None  # file name, for the message


def exposed_terms(uses: Iterable[GraphUse]) -> dict[str, list[str]]:
    """Public mapping set graph -> the restricted-only terms it maps to (sorted).

    >>> uses = [GraphUse("d1", "dataset", False, frozenset({"A:1"})),
    ...         GraphUse("d2", "dataset", True, frozenset({"A:1", "A:2"})),
    ...         GraphUse("m", "mappings", False, frozenset({"A:1", "A:2", "A:3"}))]
    >>> exposed_terms(uses)
    {'m': ['A:2']}
    """
    items = list(uses)
    public = {t for u in items if u.kind == KIND_DATASET and not u.restricted for t in u.terms}
    hidden = {t for u in items if u.kind == KIND_DATASET and u.restricted for t in u.terms}
    hidden -= public
    out: dict[str, list[str]] = {}
    for use in items:
        if use.kind == KIND_MAPPINGS and not use.restricted and use.terms & hidden:
            out[use.graph] = sorted(use.terms & hidden)
    return out


def check_mapping_exposure(uses: Iterable[GraphUse]) -> None:
    """Raise :class:`PrivacyError` when a public mapping set maps to restricted-only terms."""
    items = list(uses)
    exposed = exposed_terms(items)
    if not exposed:
        return
    graph, terms = next(iter(sorted(exposed.items())))
    source = next((u.source for u in items if u.graph == graph and u.source), None)
    shown = ", ".join(terms[:5]) + (f" and {len(terms) - 5} more" if len(terms) > 5 else "")
    raise PrivacyError(
        f"public mapping set {graph} maps values to {shown}, used only by restricted "
        "datasets: it would reveal what they hold; publish it with --restricted",
        path=source,
    )
