"""``harmonize validate --dask``: the parts regrouped into buckets of whole records,
each bucket validated on a worker, one merged report.

Three passes of library calls (:mod:`harmonize.validation.buckets`): every part split by
subject into buckets; every bucket validated (SHACL, ontology terms, links inside it);
links to records of other buckets answered by those buckets. The schema travels to each
worker once; the ontologies are loaded on each worker once and kept for later tasks.
Scratch files live beside the data (every worker must see that folder) and are removed.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import HarmonizeError

if TYPE_CHECKING:
    from distributed import Client

    from harmonize.schema.view import SchemaInfo
    from harmonize.validation.context import Context
    from harmonize.validation.core import LinkRequest, StoreResult
    from harmonize.validation.report import ValidationReport

__all__ = ["validate_distributed"]

_CONTEXTS: dict[tuple[Any, ...], Context] = {}  # per worker process: loaded once


def _context(schema: SchemaInfo, ontologies: tuple[str, ...], check: bool) -> Context:
    from harmonize.validation.context import prepare

    key = (schema.id, schema.version, schema.name, ontologies, check)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = prepare(schema, ontologies, check_ontologies=check)
    return _CONTEXTS[key]


def split_task(
    path: str, buckets: int, scratch: str, tag: str, links: frozenset[str]
) -> dict[str, str]:
    from harmonize.validation.buckets import split_part

    try:
        return split_part(Path(path), buckets, Path(scratch), tag, links)
    except HarmonizeError as exc:
        raise type(exc)(str(exc)) from None


def bucket_task(
    scratch: str,
    bucket: int,
    buckets: int,
    schema: SchemaInfo,
    ontologies: tuple[str, ...],
    check: bool,
    titles: dict[str, str],
    keep: int,
) -> tuple[StoreResult, dict[str, str]]:
    from harmonize.validation.buckets import validate_bucket
    from harmonize.validation.run import frozen_heap

    context = _context(schema, ontologies, check)
    with frozen_heap():
        result = validate_bucket(Path(scratch), bucket, buckets, context, titles, keep)
    return result, context.ontologies


def links_task(scratch: str, bucket: int, requests: list[LinkRequest]) -> list[Any]:
    from harmonize.validation.buckets import check_links

    return check_links(Path(scratch), bucket, requests)


def validate_distributed(
    client: Client,
    data: str | Path,
    schema: SchemaInfo,
    *,
    ontologies: Sequence[str | Path] = (),
    check_ontologies: bool = True,
    report_path: str | Path | None = None,
    keep_issues: int = 100_000,
    buckets: int | None = None,
) -> ValidationReport:
    """Validate ``data`` (a file or a conversion folder) on the cluster of ``client``."""
    from harmonize.validation.run import data_files

    data = Path(data)
    files = data_files(data)
    where = data if data.is_dir() else data.parent
    scratch = where / f".harmonize-validate-{uuid.uuid4().hex[:12]}"
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    n = buckets or max(2 * workers, len(files))
    try:
        return _run(client, data, files, scratch, n, schema, ontologies, check_ontologies, report_path, keep_issues)  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(
    client: Client,
    data: Path,
    files: list[Path],
    scratch: Path,
    n: int,
    schema: SchemaInfo,
    ontologies: Sequence[str | Path],
    check: bool,
    report_path: str | Path | None,
    keep: int,
) -> ValidationReport:
    from harmonize.scale.cluster import gather_as_completed
    from harmonize.validation.buckets import bucket_of
    from harmonize.validation.context import link_predicates

    tags = [f"{i:05d}" for i in range(len(files))]
    paths = [str(f) for f in files]
    k = len(paths)
    links = [link_predicates(schema)] * k
    split = client.map(split_task, paths, [n] * k, [str(scratch)] * k, tags, links, pure=False)
    titles: dict[str, str] = {}
    for found in gather_as_completed(split, desc="regrouping records"):
        titles.update(found)
    shared = client.scatter(schema, broadcast=True)
    names = tuple(str(o) for o in ontologies)
    futures = [
        client.submit(
            bucket_task, str(scratch), b, n, shared, names, check, titles, keep, pure=False
        )
        for b in range(n)
    ]
    results = gather_as_completed(futures, desc="validating buckets")
    requests: dict[int, list[LinkRequest]] = {}
    for result, _ in results:
        for request in result.links:
            requests.setdefault(bucket_of(request.target, n), []).append(request)
    answered = client.map(links_task, [str(scratch)] * len(requests), list(requests), list(requests.values()), pure=False)  # fmt: skip
    link_issues = [i for found in gather_as_completed(answered, desc="checking links") for i in found]  # fmt: skip
    return _report(data, schema, results, link_issues, report_path, keep)


def _report(
    data: Path,
    schema: SchemaInfo,
    results: list[tuple[StoreResult, dict[str, str]]],
    link_issues: list[Any],
    report_path: str | Path | None,
    keep: int,
) -> ValidationReport:
    """One report from the buckets' results, as a single machine writes it."""
    from harmonize.schema.shapes import schema_iri
    from harmonize.validation.buckets import merge
    from harmonize.validation.report import ValidationReport
    from harmonize.validation.run import write_report_graph

    issues, total, records, triples = merge([r for r, _ in results], link_issues, keep)
    report = ValidationReport(
        data=str(data),
        conforms=total == 0,
        records=records,
        triples=triples,
        issues=[i for i, _ in issues],
        ontologies=next((o for _, o in results if o), {}),
        issue_count=total,
    )
    if report_path is not None:
        slot_names = {schema_iri(schema, s.uri): s.name for _, s in schema.all_slots()}
        write_report_graph(report, issues, Path(report_path), slot_names)
    return report
