"""Validation of the records in one pyoxigraph store: SHACL, links and ontology terms.

:func:`validate_store` is what a single machine runs on the whole data and what each
Dask task runs on one bucket of records (``owned`` says which records are the bucket's;
links to records elsewhere are handed back as :class:`LinkRequest` s).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harmonize.validation.context import RDF_TYPE, Context
from harmonize.validation.report import SH, Issue
from harmonize.validation.rows import RowFinder, explain_missing
from harmonize.validation.shacl import shacl_issues, templates
from harmonize.validation.store import TermConverter

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

__all__ = ["LinkRequest", "StoreResult", "validate_store"]

_COLLECT_EVERY = 10  # batches between two garbage collections when they are paused


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """A link whose target is another bucket's record: is ``target`` a ``expected``?"""

    record: str
    record_class: str | None
    slot: str
    target: str
    expected: str
    row: int | None
    source: str | None


@dataclass
class StoreResult:
    records: int = 0
    triples: int = 0
    issues: list[tuple[Issue, Any]] = field(default_factory=list)  # the kept ones
    issue_count: int = 0
    links: list[LinkRequest] = field(default_factory=list)


def link_issue(request: LinkRequest) -> tuple[Issue, Any]:
    """The issue of a link that does not point to a record of its class."""
    from rdflib import URIRef

    wanted = request.expected.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    issue = Issue(
        record=request.record,
        record_class=request.record_class,
        slot=request.slot,
        value=request.target,
        message="does not point to a record of the expected class: "
        f"{request.target} is not a {wanted}",
        constraint=SH + "ClassConstraintComponent",
        row=request.row,
        source=request.source,
    )
    return issue, URIRef(request.target)


class _Run:
    """State of one validate_store call."""

    def __init__(
        self,
        store: ox.Store,
        context: Context,
        keep_issues: int,
        owned: Callable[[str], bool] | None,
        titles: dict[str, str],
    ) -> None:
        self.store, self.context, self.keep, self.owned = store, context, keep_issues, owned
        self.convert = TermConverter()
        self.rows = RowFinder(store, titles)
        self.result = StoreResult()
        self.batches = 0
        self._typed: dict[tuple[str, str], bool] = {}

    def add(self, found: Sequence[tuple[Issue, Any]]) -> None:
        result = self.result
        for issue, value in found:
            result.issue_count += 1
            if len(result.issues) < self.keep:
                row, source = self.rows.row_of(issue.record)
                issue = explain_missing(self.store, issue, self.context.slot_iris)
                if row is not None:
                    from dataclasses import replace

                    issue = replace(issue, row=row, source=source)
                result.issues.append((issue, value))

    def typed(self, node: str, expected: str) -> bool:
        import pyoxigraph as ox

        key = (node, expected)
        found = self._typed.get(key)
        if found is None:
            pattern = (ox.NamedNode(node), ox.NamedNode(RDF_TYPE), ox.NamedNode(expected), None)
            found = any(True for _ in self.store.quads_for_pattern(*pattern))
            if len(self._typed) < 500_000:
                self._typed[key] = found
        return found

    def links(self, iri_values: list[tuple[str, str, str]], classes: dict[str, str]) -> None:
        """``sh:class``: a link must point to a record of its class (here or elsewhere)."""
        context, found = self.context, []
        for subject, predicate, obj in iri_values:
            cls_name = classes.get(subject)
            expected = context.class_links.get((context.by_name.get(cls_name or "", ""), predicate))
            if expected is None or self.typed(obj, expected):
                continue
            row, source = self.rows.row_of(subject)
            slot = context.slot_names.get(predicate, predicate)
            request = LinkRequest(subject, cls_name, slot, obj, expected, row, source)
            if self.owned is not None and not self.owned(obj):
                self.result.links.append(request)  # its types are in another bucket
            else:
                found.append(link_issue(request))
        self.add(found)


def validate_store(
    store: ox.Store,
    context: Context,
    *,
    batch_size: int = 2000,
    keep_issues: int = 100_000,
    owned: Callable[[str], bool] | None = None,
    titles: dict[str, str] | None = None,
    triples: int | None = None,
) -> StoreResult:
    """Validate the records in ``store`` (all, or those ``owned`` says are this bucket's).

    ``titles`` names source files whose description is not in ``store``; ``triples``: how
    many of its triples are the bucket's own (counted when not given).
    """
    import pyoxigraph as ox

    run = _Run(store, context, keep_issues, owned, titles or {})
    result = run.result
    batch: list[tuple[ox.NamedNode, str]] = []
    for iri, name in context.class_iris.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(iri), None):
            node = quad.subject
            if not isinstance(node, ox.NamedNode) or (owned is not None and not owned(node.value)):
                continue
            result.records += 1
            batch.append((node, name))
            if len(batch) >= batch_size:
                _batch(run, batch)
                batch = []
    if batch:
        _batch(run, batch)
    result.triples = triples if triples is not None else _count_triples(store, owned)
    return result


def _count_triples(store: ox.Store, owned: Callable[[str], bool] | None) -> int:
    if owned is None:
        return len(store)
    return sum(1 for q in store if owned(getattr(q.subject, "value", "")))


def _batch(run: _Run, batch: list[tuple[ox.NamedNode, str]]) -> None:
    import pyoxigraph as ox

    context, convert, store = run.context, run.convert, run.store
    classes = {node.value: name for node, name in batch}
    iri_values: list[tuple[str, str, str]] = []
    records: list[tuple[str, list[str], dict[str, set[Any]]]] = []
    for node, _ in batch:
        types: list[str] = []
        values: dict[str, set[Any]] = {}
        for quad in store.quads_for_pattern(node, None, None, None):
            predicate, obj = quad.predicate.value, quad.object
            if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
                types.append(obj.value)
            if predicate not in context.paths:
                continue
            values.setdefault(predicate, set()).add(convert(obj))
            if isinstance(obj, ox.NamedNode):
                iri_values.append((node.value, predicate, obj.value))
        records.append((node.value, types, values))
    if context.signatures is not None:
        found = _by_signature(context, records)
    else:
        found = _whole_records(context, records)
    run.add(shacl_issues(found, context.slot_names, classes))
    run.links(iri_values, classes)
    checked = context.checker.check(iri_values, classes)
    run.add([(i, _iri_of(i.value)) for i in checked])
    run.batches += 1
    if run.batches % _COLLECT_EVERY == 0 and not gc.isenabled():
        gc.collect()  # the caller paused automatic collection (run.frozen_heap)


def _by_signature(
    context: Context, records: list[tuple[str, list[str], dict[str, set[Any]]]]
) -> list[tuple[str, Any]]:
    shacl = context.signatures
    assert shacl is not None
    found: list[tuple[str, Any]] = []
    waiting: list[tuple[str, Any]] = []
    new: dict[Any, None] = {}
    for record, types, values in records:
        frozen = {p: frozenset(v) for p, v in values.items()}
        for signature in shacl.signatures(types, frozen):
            known = shacl.known(signature)
            if known is None:
                new[signature] = None
                waiting.append((record, signature))
            else:
                found += [(record, t) for t in known]
    shacl.run(new)
    for record, signature in waiting:
        found += [(record, t) for t in shacl.known(signature) or ()]
    return found


def _whole_records(
    context: Context, records: list[tuple[str, list[str], dict[str, set[Any]]]]
) -> list[tuple[str, Any]]:
    """Shapes that are not flat: pyshacl on the batch's records as they are."""
    import pyshacl
    import rdflib
    from rdflib import RDF, URIRef

    graph: rdflib.Graph = rdflib.Graph()
    for record, types, values in records:
        subject = URIRef(record)
        for cls in types:
            graph.add((subject, RDF.type, URIRef(cls)))
        for predicate, objects in values.items():
            for obj in objects:
                graph.add((subject, URIRef(predicate), obj))
    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=context.shapes, inference="none", advanced=False, allow_warnings=True
    )
    return [] if conforms else [(str(focus), t) for focus, t in templates(results)]


def _iri_of(curie: str | None) -> Any:
    from rdflib import URIRef

    from harmonize.curie import expand

    return URIRef(expand(curie or "", strict=False) or (curie or ""))
