"""``harmonize validate``: SHACL (pyshacl) plus ontology-aware checks.

The data (one file, or the parts a distributed conversion wrote) is parsed by
pyoxigraph into a store, then validated record by record in batches
(:func:`harmonize.validation.core.validate_store`): pyshacl sees each distinct (class,
slot, values) once, ``sh:class`` is checked against the whole store, every coded term
against its ontology - validation time stays linear in the number of records.
"""

from __future__ import annotations

import contextlib
import gc
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import ValidationError
from harmonize.validation.report import SH, Issue, ValidationReport, sort_issues
from harmonize.validation.store import load_store

if TYPE_CHECKING:
    from harmonize.schema.view import SchemaInfo

__all__ = [
    "data_files",
    "frozen_heap",
    "load_store",
    "validate_file",
    "write_report_graph",
]

HMZ = "https://w3id.org/harmonize/model/"
#: Bytes of RDF validated in one in-memory store; larger data goes in buckets of records.
IN_MEMORY_LIMIT = 64 * 1024 * 1024


def data_files(data: Path) -> list[Path]:
    """The RDF files behind ``data``: itself, or the parts listed in a conversion
    folder's manifest (checked: none missing or changed)."""
    if data.is_dir():
        from harmonize.conversion.manifest import part_files

        files: list[Path] = part_files(data)
        return files
    return [data]


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Automatic garbage collection off inside the block, and the objects alive now
    (ontology indexes, shapes) left out of it: validation collects itself every few
    batches (:func:`harmonize.validation.core.validate_store`; pyshacl's graphs hold
    reference cycles), walking only what it made."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


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
    """Validate the RDF file (or conversion folder) ``data`` against ``schema``."""
    from harmonize.validation.buckets import validate_split
    from harmonize.validation.context import prepare
    from harmonize.validation.core import validate_store

    data = Path(data)
    files = data_files(data)
    context = prepare(schema, ontologies, check_ontologies=check_ontologies)
    size = sum(f.stat().st_size for f in files if f.is_file())
    with tempfile.TemporaryDirectory(prefix="harmonize-validate-") as workdir, frozen_heap():
        if size > IN_MEMORY_LIMIT:  # buckets of whole records, each in memory in turn
            buckets = -(-size // IN_MEMORY_LIMIT)
            merged = validate_split(files, context, Path(workdir), buckets, keep_issues)
        else:
            store = load_store(files)
            result = validate_store(store, context, batch_size=batch_size, keep_issues=keep_issues)  # fmt: skip
            merged = (sort_issues(result.issues), result.issue_count, result.records, result.triples)  # fmt: skip
            del store
    issues, total, records, triples = merged
    report = ValidationReport(
        data=str(data),
        conforms=total == 0,
        records=records,
        triples=triples,
        issues=[i for i, _ in issues],
        ontologies=context.ontologies,
        issue_count=total,
    )
    if report_path is not None:
        write_report_graph(report, issues, Path(report_path), context.slot_names)
    return report


def write_report_graph(
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
    # blank nodes named in the issues' order: the same data gives the same file, byte for
    # byte (with random names, the writer lists the results in a different order each run)
    node = BNode("report")
    graph.add((node, RDF.type, sh.ValidationReport))
    graph.add((node, sh.conforms, Literal(report.conforms)))
    width = len(str(len(issues)))
    for number, (issue, value) in enumerate(issues, 1):
        result = BNode(f"result{number:0{width}d}")
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
