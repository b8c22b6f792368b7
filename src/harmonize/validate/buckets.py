"""Validation in buckets of records, for data too large for one machine.

A record's triples may lie in several part files (a donor on rows far apart), so the
parts are first regrouped by subject: :func:`split_part` sends every triple to the
bucket of its subject (a stable hash), and with a record also the nodes the report
follows from it (its source row, its unmapped values). Each bucket then holds whole
records and is validated like one machine's data (:func:`validate_bucket`); a link to a
record of another bucket comes back as a request that the target's bucket answers
(:func:`check_links`). The union of the buckets' results is the single-machine result.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.validate.rows import FOLLOWED

if TYPE_CHECKING:
    import pyoxigraph as ox

    from harmonize.validate.context import Context
    from harmonize.validate.core import LinkRequest, StoreResult
    from harmonize.validate.report import Issue

__all__ = ["bucket_of", "check_links", "split_part", "validate_bucket"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
PROV_ENTITY = "http://www.w3.org/ns/prov#Entity"
_TITLES = 10_000


def bucket_of(iri: str, buckets: int) -> int:
    return zlib.crc32(iri.encode()) % buckets


def _bucket_dir(scratch: Path, bucket: int) -> Path:
    return scratch / f"bucket-{bucket:05d}"


def split_part(path: Path, buckets: int, scratch: Path, tag: str) -> dict[str, str]:
    """Write the triples of ``path`` to the buckets of their subjects (``tag`` names the
    files). Returns the titles of the source files described here (IRI -> name)."""
    import pyoxigraph as ox

    from harmonize.convert.terms import write_triples
    from harmonize.io.atomic import atomic_write
    from harmonize.validate.store import load_store

    store = load_store(path)
    out: list[list[ox.Triple]] = [[] for _ in range(buckets)]
    follow: set[tuple[int, ox.NamedNode]] = set()
    titles: dict[str, str] = {}
    followed, entity, title = set(FOLLOWED), ox.NamedNode(PROV_ENTITY), DCTERMS_TITLE
    for quad in store:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        bucket = bucket_of(subject.value, buckets)  # type: ignore[union-attr]
        out[bucket].append(ox.Triple(subject, quad.predicate, obj))
        if predicate in followed and isinstance(obj, ox.NamedNode):
            follow.add((bucket, obj))
        elif predicate == title and len(titles) < _TITLES and _typed(store, subject, entity):
            titles[subject.value] = str(getattr(obj, "value", ""))  # type: ignore[union-attr]
    for bucket, node in follow:
        if bucket_of(node.value, buckets) != bucket:
            out[bucket] += [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(node, None, None, None)]  # type: ignore[arg-type]  # fmt: skip
    for bucket, triples in enumerate(out):
        if triples:
            target = _bucket_dir(scratch, bucket) / f"{tag}.nt"
            with atomic_write(target, "wb", encoding=None) as handle:
                write_triples("nt", handle, triples, {})
    return titles


def _typed(store: ox.Store, subject: Any, cls: ox.NamedNode) -> bool:
    import pyoxigraph as ox

    pattern = store.quads_for_pattern(subject, ox.NamedNode(RDF_TYPE), cls, None)
    return any(True for _ in pattern)


def _bucket_store(scratch: Path, bucket: int) -> ox.Store:
    import pyoxigraph as ox

    from harmonize.validate.store import load_store

    files = sorted(_bucket_dir(scratch, bucket).glob("*.nt"))
    return load_store(files) if files else ox.Store()


def validate_bucket(
    scratch: Path,
    bucket: int,
    buckets: int,
    context: Context,
    titles: dict[str, str],
    keep_issues: int,
) -> StoreResult:
    """Validate the records of one bucket (links elsewhere come back as requests)."""
    from harmonize.validate.core import validate_store

    store = _bucket_store(scratch, bucket)
    return validate_store(
        store,
        context,
        keep_issues=keep_issues,
        owned=lambda iri: bucket_of(iri, buckets) == bucket,
        titles=titles,
    )


def check_links(
    scratch: Path, bucket: int, requests: Sequence[LinkRequest]
) -> list[tuple[Issue, Any]]:
    """Answer link requests whose targets are this bucket's records."""
    import pyoxigraph as ox

    from harmonize.validate.core import link_issue

    store = _bucket_store(scratch, bucket)
    kind = ox.NamedNode(RDF_TYPE)
    out = []
    for request in requests:
        pattern = (ox.NamedNode(request.target), kind, ox.NamedNode(request.expected), None)
        if not any(True for _ in store.quads_for_pattern(*pattern)):
            out.append(link_issue(request))
    return out
