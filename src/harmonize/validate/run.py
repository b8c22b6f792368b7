"""``harmonize validate``: SHACL (pyshacl) plus ontology-aware checks, in batches.

The data is loaded into a pyoxigraph store (on disk for big files), then validated
record by record in batches: each batch graph holds the batch's records and the types
of the records they link to, so ``sh:class`` still works while pyshacl only ever sees
a small graph - validation time stays linear in the number of records.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import ValidationError
from harmonize.validate.report import SH, Issue, ValidationReport, what_is_wrong

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

    from harmonize.schema.view import SchemaInfo

__all__ = ["load_store", "validate_file"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV = "http://www.w3.org/ns/prov#"
HMZ = "https://w3id.org/harmonize/model/"
DCTERMS = "http://purl.org/dc/terms/"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_IN_MEMORY_LIMIT = 64 * 1024 * 1024  # bytes of RDF loaded into a RAM store


def _rdf_format(path: Path) -> Any:
    import pyoxigraph as ox

    name = path.name.lower()
    for suffix, fmt in (
        (".ttl", ox.RdfFormat.TURTLE),
        (".turtle", ox.RdfFormat.TURTLE),
        (".nt", ox.RdfFormat.N_TRIPLES),
        (".jsonld", ox.RdfFormat.JSON_LD),
        (".json", ox.RdfFormat.JSON_LD),
        (".rdf", ox.RdfFormat.RDF_XML),
        (".owl", ox.RdfFormat.RDF_XML),
        (".xml", ox.RdfFormat.RDF_XML),
    ):
        if name.endswith(suffix):
            return fmt
    return ox.RdfFormat.TURTLE


def load_store(path: Path, workdir: Path | None = None) -> ox.Store:
    """Parse ``path`` into a pyoxigraph store; one-line error on broken RDF."""
    import pyoxigraph as ox

    from harmonize.io.rdf import check_rdf_file, rdf_error

    fmt = _rdf_format(path)
    check_rdf_file(path, fmt, error=ValidationError)  # no entity bombs, no folders
    if path.stat().st_size == 0:
        raise ValidationError("the data file is empty", path=path)
    big = path.stat().st_size > _IN_MEMORY_LIMIT and workdir is not None
    store = ox.Store(str(workdir)) if big else ox.Store()
    try:
        if big:
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.load(path=str(path), format=fmt)
    except (SyntaxError, OSError, ValueError, MemoryError) as exc:
        raise rdf_error(exc, path, fmt, error=ValidationError) from None
    return store


def _term_converter() -> Any:
    """A fast pyoxigraph -> rdflib term converter (imports resolved once)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    named, blank = ox.NamedNode, ox.BlankNode
    datatypes: dict[str, Any] = {}

    def convert(term: Any) -> Any:
        if isinstance(term, named):
            return URIRef(term.value)
        if isinstance(term, blank):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        ref = datatypes.get(dt)
        if ref is None:
            ref = datatypes[dt] = URIRef(dt)
        return Literal(term.value, datatype=ref)

    return convert


class _Batcher:
    """Builds, per batch of records, the small graph pyshacl needs: the records'
    values on the shapes' paths, their types, and the types of records they link to
    Provenance and coding nodes stay out: no shape reads them. ``sh:class`` is checked
    against the whole store by :class:`_LinkChecker` instead, so a batch never needs
    the records it links to."""

    def __init__(self, store: ox.Store, class_iris: dict[str, str], paths: set[str]) -> None:
        self.store = store
        self.class_iris = class_iris  # class IRI -> class name
        self.paths = paths | {RDF_TYPE}
        self.convert = _term_converter()

    def focus_nodes(self) -> Iterator[tuple[Any, str]]:
        import pyoxigraph as ox

        rdf_type = ox.NamedNode(RDF_TYPE)
        for iri, name in self.class_iris.items():
            for quad in self.store.quads_for_pattern(None, rdf_type, ox.NamedNode(iri), None):
                yield quad.subject, name

    def graph(self, nodes: Sequence[Any]) -> tuple[rdflib.Graph, list[tuple[str, str, str]]]:
        import pyoxigraph as ox
        import rdflib

        convert, paths = self.convert, self.paths
        graph = rdflib.Graph()
        add = graph.add
        iri_values: list[tuple[str, str, str]] = []
        for node in nodes:
            subject = convert(node)
            for quad in self.store.quads_for_pattern(node, None, None, None):
                predicate = quad.predicate.value
                if predicate not in paths:
                    continue
                obj = quad.object
                add((subject, convert(quad.predicate), convert(obj)))
                if isinstance(obj, ox.NamedNode):
                    iri_values.append((node.value, predicate, obj.value))
        return graph, iri_values


def _take_class_constraints(shapes: rdflib.Graph) -> dict[tuple[str, str], str]:
    """Remove the ``sh:class`` constraints from ``shapes``; (target class, path) -> class."""
    from rdflib import Namespace

    sh = Namespace(SH)
    out: dict[tuple[str, str], str] = {}
    for shape, expected in list(shapes.subject_objects(sh["class"])):
        path = shapes.value(shape, sh.path)
        for target in shapes.objects(shape, sh.targetClass):
            out[(str(target), str(path))] = str(expected)
        shapes.remove((shape, sh["class"], expected))
    return out


class _LinkChecker:
    """``sh:class`` over the whole store: a link must point to a record of its class."""

    def __init__(
        self,
        store: ox.Store,
        links: dict[tuple[str, str], str],
        slot_names: dict[str, str],
        class_iris: dict[str, str],
    ) -> None:
        self.store = store
        self.links = links
        self.slot_names = slot_names
        self.by_name = {name: iri for iri, name in class_iris.items()}
        self._known: dict[tuple[str, str], bool] = {}

    def _typed(self, node: str, expected: str) -> bool:
        import pyoxigraph as ox

        key = (node, expected)
        found = self._known.get(key)
        if found is None:
            found = any(
                True
                for _ in self.store.quads_for_pattern(
                    ox.NamedNode(node), ox.NamedNode(RDF_TYPE), ox.NamedNode(expected), None
                )
            )
            if len(self._known) < 500_000:
                self._known[key] = found
        return found

    def check(
        self, iri_values: list[tuple[str, str, str]], classes: dict[str, str]
    ) -> list[tuple[Issue, Any]]:
        from rdflib import URIRef

        by_name = self.by_name
        out: list[tuple[Issue, Any]] = []
        for subject, predicate, obj in iri_values:
            cls_name = classes.get(subject)
            expected = self.links.get((by_name.get(cls_name or "", ""), predicate))
            if expected is None or self._typed(obj, expected):
                continue
            wanted = expected.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            issue = Issue(
                record=subject,
                record_class=cls_name,
                slot=self.slot_names.get(predicate, predicate),
                value=obj,
                message=f"does not point to a record of the expected class: {obj} is not a {wanted}",
                constraint=SH + "ClassConstraintComponent",
            )
            out.append((issue, URIRef(obj)))
        return out


def _shacl_issues(
    results: rdflib.Graph, slot_names: dict[str, str], classes: dict[str, str]
) -> list[tuple[Issue, Any]]:
    from rdflib import RDF, Namespace

    sh = Namespace(SH)
    out: list[tuple[Issue, Any]] = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        focus = str(results.value(result, sh.focusNode))
        path = results.value(result, sh.resultPath)
        value = results.value(result, sh.value)
        component = str(results.value(result, sh.sourceConstraintComponent))
        message = results.value(result, sh.resultMessage)
        severity = str(results.value(result, sh.resultSeverity) or SH + "Violation")
        issue = Issue(
            record=focus,
            record_class=classes.get(focus),
            slot=slot_names.get(str(path), str(path) if path is not None else None),
            value=str(value) if value is not None else None,
            message=what_is_wrong(component, str(message) if message is not None else None),
            constraint=component,
            severity=severity.rsplit("#", 1)[-1],
        )
        out.append((issue, value))
    # a value of the wrong datatype also fails min/max: report only the datatype
    wrong_type = {
        (i.record, i.slot, i.value)
        for i, _ in out
        if i.constraint.endswith("#DatatypeConstraintComponent")
    }
    return [
        (i, v)
        for i, v in out
        if not (
            i.constraint.endswith(
                ("#MinInclusiveConstraintComponent", "#MaxInclusiveConstraintComponent")
            )
            and (i.record, i.slot, i.value) in wrong_type
        )
    ]


def _row_of(
    store: ox.Store, record: str, cache: dict[str, tuple[int | None, str | None]]
) -> tuple[int | None, str | None]:
    import pyoxigraph as ox

    if record in cache:
        return cache[record]
    row: int | None = None
    source: str | None = None
    try:
        subject = ox.NamedNode(record)
    except ValueError:
        return None, None
    for quad in store.quads_for_pattern(subject, ox.NamedNode(PROV + "wasDerivedFrom"), None, None):
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
                if not isinstance(part.object, ox.NamedNode):
                    continue
                for title in store.quads_for_pattern(
                    part.object, ox.NamedNode(DCTERMS + "title"), None, None
                ):
                    source = str(getattr(title.object, "value", ""))
    if len(cache) < 100_000:
        cache[record] = (row, source)
    return row, source


def _count_triples(store: ox.Store, path: Path) -> int:
    """``len(store)``; none is an error (JSON-LD ``null`` is not "0 records, conforms")."""
    triples = len(store)
    if not triples:
        raise ValidationError("holds no RDF triples: nothing to validate", path=path)
    return triples


def validate_file(
    data: str | Path,
    schema: SchemaInfo,
    *,
    ontologies: Sequence[str | Path] = (),
    check_ontologies: bool = True,
    report_path: str | Path | None = None,
    batch_size: int = 2000,
    keep_issues: int = 100_000,
) -> ValidationReport:
    """Validate the RDF file ``data`` against ``schema`` (shapes + ontology checks)."""
    import pyshacl
    import rdflib

    from harmonize.progress import progress
    from harmonize.schema.shapes import schema_iri, shapes_turtle
    from harmonize.validate.ontologies import load_for_schema
    from harmonize.validate.ontology_checks import OntologyChecker

    data = Path(data)
    shapes = rdflib.Graph().parse(data=shapes_turtle(schema), format="turtle")
    class_links = _take_class_constraints(shapes)
    slot_iris = {s.name: schema_iri(schema, s.uri) for _, s in schema.all_slots()}
    class_iris = {
        schema_iri(schema, c.uri): c.name for c in schema.classes.values() if not c.abstract
    }
    slot_names = {schema_iri(schema, s.uri): s.name for _, s in schema.all_slots()}
    indexes = load_for_schema(schema, ontologies) if check_ontologies else {}
    checker = OntologyChecker(schema, indexes)
    issues: list[tuple[Issue, Any]] = []
    total = records = 0
    rows: dict[str, tuple[int | None, str | None]] = {}
    with tempfile.TemporaryDirectory(prefix="harmonize-validate-") as workdir:
        store = load_store(data, Path(workdir))
        triples = _count_triples(store, data)
        batcher = _Batcher(store, class_iris, set(slot_names))
        links = _LinkChecker(store, class_links, slot_names, class_iris)
        batch: list[Any] = []
        classes: dict[str, str] = {}

        def run_batch() -> None:
            nonlocal total
            graph, iri_values = batcher.graph(batch)
            conforms, results, _ = pyshacl.validate(
                graph, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
            )
            found = [] if conforms else _shacl_issues(results, slot_names, classes)
            found += links.check(iri_values, classes)
            found += [
                (i, rdflib.URIRef(_expand(i.value))) for i in checker.check(iri_values, classes)
            ]
            for issue, value in found:
                total += 1
                if len(issues) < keep_issues:
                    row, source = _row_of(store, issue.record, rows)
                    issue = _explain_missing(store, issue, slot_iris)
                    issues.append((_with_row(issue, row, source), value))
            batch.clear()
            classes.clear()

        for node, name in progress(batcher.focus_nodes(), desc="validating records"):
            records += 1
            batch.append(node)
            classes[node.value] = name
            if len(batch) >= batch_size:
                run_batch()
        if batch:
            run_batch()
    issues.sort(key=lambda pair: (pair[0].row is None, pair[0].row or 0, pair[0].record))
    report = ValidationReport(
        data=str(data),
        conforms=total == 0,
        records=records,
        triples=triples,
        issues=[i for i, _ in issues],
        ontologies={p: (ix.meta.version or "?") for p, ix in indexes.items()},
        issue_count=total,
    )
    if report_path is not None:
        _write_report_graph(report, issues, Path(report_path), slot_names)
    return report


def _expand(curie: str | None) -> str:
    from harmonize.curie import expand

    return expand(curie or "", strict=False) or (curie or "")


def _explain_missing(store: ox.Store, issue: Issue, slot_iris: dict[str, str]) -> Issue:
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
    for quad in store.quads_for_pattern(record, ox.NamedNode(HMZ + "unmappedValue"), None, None):
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
    from dataclasses import replace

    shown = ", ".join(repr(v) for v in sorted(given))
    return replace(issue, message=f"{issue.message}: the partner's {shown} has no accepted mapping")


def _with_row(issue: Issue, row: int | None, source: str | None) -> Issue:
    from dataclasses import replace

    return replace(issue, row=row, source=source) if row is not None else issue


def _write_report_graph(
    report: ValidationReport,
    issues: list[tuple[Issue, Any]],
    path: Path,
    slot_names: dict[str, str],
) -> None:
    import rdflib
    from rdflib import RDF, BNode, Literal, Namespace, URIRef

    from harmonize.io.atomic import atomic_write_text

    sh = Namespace(SH)
    by_name = {name: iri for iri, name in slot_names.items()}
    graph = rdflib.Graph()
    graph.bind("sh", sh)
    graph.bind("hmz", HMZ)
    node = BNode()
    graph.add((node, RDF.type, sh.ValidationReport))
    graph.add((node, sh.conforms, Literal(report.conforms)))
    for issue, value in issues:
        result = BNode()
        graph.add((node, sh.result, result))
        graph.add((result, RDF.type, sh.ValidationResult))
        graph.add((result, sh.focusNode, URIRef(issue.record)))
        if issue.slot and issue.slot in by_name:
            graph.add((result, sh.resultPath, URIRef(by_name[issue.slot])))
        if value is not None:
            graph.add((result, sh.value, value))
        graph.add((result, sh.resultMessage, Literal(issue.message)))
        graph.add((result, sh.resultSeverity, sh[issue.severity]))
        graph.add((result, sh.sourceConstraintComponent, URIRef(issue.constraint)))
        if issue.row is not None:
            graph.add((result, URIRef(HMZ + "sourceRow"), Literal(issue.row)))
    try:
        atomic_write_text(path, graph.serialize(format="turtle"))
    except OSError as exc:
        raise ValidationError(f"cannot write the report: {exc.strerror or exc}", path=path) from exc
