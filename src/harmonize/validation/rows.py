"""Where a record came from (its partner row and file), and what a steward gave for a
value that is missing: read from the record's provenance in the store."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from harmonize.validation.report import Issue

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["FOLLOWED", "RowFinder", "explain_missing"]

PROV = "http://www.w3.org/ns/prov#"
HMZ = "https://w3id.org/harmonize/model/"
DCTERMS = "http://purl.org/dc/terms/"
#: Predicates the report follows from a record to another node (its row, its unmapped
#: values): a bucket of records also needs those nodes (see harmonize.scale).
FOLLOWED = (PROV + "wasDerivedFrom", HMZ + "unmappedValue")


class RowFinder:
    """Record -> (first partner row, source file name), from ``prov:wasDerivedFrom``."""

    def __init__(self, store: ox.Store, titles: dict[str, str]) -> None:
        self.store = store
        self.titles = titles  # source IRI -> file name, for sources described elsewhere
        self._cache: dict[str, tuple[int | None, str | None]] = {}

    def row_of(self, record: str) -> tuple[int | None, str | None]:
        found = self._cache.get(record)
        if found is None:
            found = self._find(record)
            if len(self._cache) < 100_000:
                self._cache[record] = found
        return found

    def _find(self, record: str) -> tuple[int | None, str | None]:
        import pyoxigraph as ox

        store = self.store
        row: int | None = None
        source: str | None = None
        try:
            subject = ox.NamedNode(record)
        except ValueError:
            return None, None
        for quad in store.quads_for_pattern(subject, ox.NamedNode(FOLLOWED[0]), None, None):
            obj = quad.object
            if not isinstance(obj, ox.NamedNode):
                continue
            for num in store.quads_for_pattern(obj, ox.NamedNode(HMZ + "rowNumber"), None, None):
                try:
                    candidate = int(str(getattr(num.object, "value", "")))
                except ValueError:
                    continue
                row = candidate if row is None else min(row, candidate)
                for part in store.quads_for_pattern(
                    obj, ox.NamedNode(DCTERMS + "isPartOf"), None, None
                ):
                    if isinstance(part.object, ox.NamedNode):
                        source = self._title(part.object) or source
        return row, source

    def _title(self, node: ox.NamedNode) -> str | None:
        import pyoxigraph as ox

        title = None
        for quad in self.store.quads_for_pattern(node, ox.NamedNode(DCTERMS + "title"), None, None):
            title = str(getattr(quad.object, "value", ""))
        return title if title is not None else self.titles.get(node.value)


def explain_missing(store: ox.Store, issue: Issue, slot_iris: dict[str, str]) -> Issue:
    """A missing value that the partner did give, but no mapping coded: say which."""
    import pyoxigraph as ox

    if not issue.constraint.endswith("#MinCountConstraintComponent") or issue.slot is None:
        return issue
    slot_iri = slot_iris.get(issue.slot)
    if slot_iri is None:
        return issue
    given: list[str] = []
    try:
        record = ox.NamedNode(issue.record)
    except ValueError:
        return issue
    for quad in store.quads_for_pattern(record, ox.NamedNode(FOLLOWED[1]), None, None):
        node = quad.object
        if not isinstance(node, ox.NamedNode):
            continue
        if not any(
            True
            for _ in store.quads_for_pattern(
                node, ox.NamedNode(HMZ + "slot"), ox.NamedNode(slot_iri), None
            )
        ):
            continue
        for value in store.quads_for_pattern(node, ox.NamedNode(HMZ + "sourceValue"), None, None):
            given.append(str(getattr(value.object, "value", "")))
    if not given:
        return issue
    shown = ", ".join(repr(v) for v in sorted(given))
    return replace(issue, message=f"{issue.message}: the partner's {shown} has no accepted mapping")
