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

import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.validation.rows import FOLLOWED

if TYPE_CHECKING:
    import pyoxigraph as ox

    from harmonize.validation.context import Context
    from harmonize.validation.core import LinkRequest, StoreResult
    from harmonize.validation.report import Issue

__all__ = [
    "bucket_of",
    "check_links",
    "merge",
    "split_part",
    "validate_bucket",
    "validate_split",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
PROV_ENTITY = "http://www.w3.org/ns/prov#Entity"
_TITLES = 10_000
_HELD_LINES = 200_000  # lines held in memory over all buckets before they are written
_OPEN_FILES = 256  # bucket files a split keeps open at once


def bucket_of(iri: str, buckets: int) -> int:
    return zlib.crc32(iri.encode()) % buckets


def _bucket_dir(scratch: Path, bucket: int) -> Path:
    return scratch / f"bucket-{bucket:05d}"


def split_part(
    path: Path, buckets: int, scratch: Path, tag: str, links: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Write the triples of ``path`` to the buckets of their subjects (``tag`` names the
    files), streaming in two passes: the first finds the nodes a record's report follows
    (its row, its unmapped values) and the records it links to (``links``: predicates),
    the second routes every triple - a followed node's also to its records' buckets, a
    linked record's types to the buckets of the records linking to it. Returns the
    titles of source files described here."""
    import pyoxigraph as ox

    from harmonize.validation.store import rdf_format

    fmt = rdf_format(path)
    follow: dict[str, set[int]] = {}
    typed: dict[str, set[int]] = {}
    titles: dict[str, str] = {}
    entities: set[str] = set()
    followed = set(FOLLOWED)
    for triple in _parse(path, fmt):
        predicate, obj = triple.predicate.value, triple.object
        if predicate in followed and isinstance(obj, ox.NamedNode):
            follow.setdefault(obj.value, set()).add(bucket_of(triple.subject.value, buckets))  # type: ignore[union-attr]  # fmt: skip
        elif predicate in links and isinstance(obj, ox.NamedNode):
            typed.setdefault(obj.value, set()).add(bucket_of(triple.subject.value, buckets))  # type: ignore[union-attr]  # fmt: skip
        elif predicate == DCTERMS_TITLE and len(titles) < _TITLES:
            titles[triple.subject.value] = str(getattr(obj, "value", ""))  # type: ignore[union-attr]  # fmt: skip
        elif predicate == RDF_TYPE and getattr(obj, "value", None) == PROV_ENTITY:
            entities.add(triple.subject.value)  # type: ignore[union-attr]
    out = _Router(scratch, buckets, tag)
    for triple in _parse(path, fmt):
        subject = triple.subject.value  # type: ignore[union-attr]
        home = bucket_of(subject, buckets)
        line = f"{triple} .\n"
        out.add(home, line)
        copies = follow.get(subject, set())
        if triple.predicate.value == RDF_TYPE:
            copies = copies | typed.get(subject, set())
        for bucket in copies:
            if bucket != home:
                out.add(bucket, line, copy=True)
    out.close()
    return {s: t for s, t in titles.items() if s in entities}


def _parse(path: Path, fmt: Any) -> Any:
    from harmonize.errors import ValidationError
    from harmonize.io.rdf import iter_rdf

    yield from iter_rdf(path, fmt, error=ValidationError)


class _Router:
    """Lines to one file per bucket (and one of copies), written through temporary
    files renamed at the end: a retried task never leaves a half-written bucket file.
    Memory holds at most ``_HELD_LINES`` lines; at most ``_OPEN_FILES`` stay open."""

    def __init__(self, scratch: Path, buckets: int, tag: str) -> None:
        self.scratch, self.tag = scratch, tag
        # (bucket, copy?) -> lines: a bucket's own triples and copies of others' apart
        self.lines: dict[tuple[int, bool], list[str]] = {}
        self.temps: dict[tuple[int, bool], Path] = {}
        self.open: dict[tuple[int, bool], Any] = {}  # least recently written first
        self.held = 0

    def add(self, bucket: int, line: str, copy: bool = False) -> None:
        self.lines.setdefault((bucket, copy), []).append(line)
        self.held += 1
        if self.held >= _HELD_LINES:
            self._flush()

    def _handle(self, key: tuple[int, bool]) -> Any:
        import tempfile

        handle = self.open.pop(key, None)
        if handle is None:
            if len(self.open) >= _OPEN_FILES:
                oldest = next(iter(self.open))
                self.open.pop(oldest).close()
            if key not in self.temps:
                folder = _bucket_dir(self.scratch, key[0])
                folder.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(prefix=f".{self.tag}.", suffix=".tmp", dir=folder)
                os.close(fd)
                self.temps[key] = Path(name)
            handle = self.temps[key].open("ab")
        self.open[key] = handle
        return handle

    def _flush(self) -> None:
        for key, lines in self.lines.items():
            if lines:
                self._handle(key).write("".join(lines).encode())
        self.lines.clear()
        self.held = 0

    def close(self) -> None:
        self._flush()
        for handle in self.open.values():
            handle.close()
        self.open.clear()
        for (bucket, copy), temp in self.temps.items():
            suffix = ".copy.nt" if copy else ".nt"
            temp.replace(_bucket_dir(self.scratch, bucket) / f"{self.tag}{suffix}")


def _bucket_store(scratch: Path, bucket: int) -> tuple[ox.Store, int]:
    """The bucket's store, and how many distinct triples are its own (copies of other
    buckets' nodes are loaded after counting)."""
    import pyoxigraph as ox

    from harmonize.validation.store import load_store

    files = sorted(_bucket_dir(scratch, bucket).glob("*.nt"))
    own = [f for f in files if not f.name.endswith(".copy.nt")]
    store = load_store(own) if own else ox.Store()
    count = len(store)
    for copy in (f for f in files if f.name.endswith(".copy.nt")):
        store.load(path=str(copy), format=ox.RdfFormat.N_TRIPLES)
    return store, count


def validate_bucket(
    scratch: Path,
    bucket: int,
    buckets: int,
    context: Context,
    titles: dict[str, str],
    keep_issues: int,
) -> StoreResult:
    """Validate the records of one bucket (links elsewhere come back as requests)."""
    from harmonize.validation.core import validate_store

    store, own = _bucket_store(scratch, bucket)
    return validate_store(
        store,
        context,
        keep_issues=keep_issues,
        owned=lambda iri: bucket_of(iri, buckets) == bucket,
        titles=titles,
        triples=own,
    )


def check_links(
    scratch: Path, bucket: int, requests: Sequence[LinkRequest]
) -> list[tuple[Issue, Any]]:
    """Answer link requests whose targets are this bucket's records."""
    import pyoxigraph as ox

    from harmonize.validation.core import link_issue

    store, _ = _bucket_store(scratch, bucket)
    kind = ox.NamedNode(RDF_TYPE)
    out = []
    for request in requests:
        pattern = (ox.NamedNode(request.target), kind, ox.NamedNode(request.expected), None)
        if not any(True for _ in store.quads_for_pattern(*pattern)):
            out.append(link_issue(request))
    return out


def merge(
    results: Sequence[StoreResult], link_issues: Sequence[tuple[Issue, Any]], keep: int
) -> tuple[list[tuple[Issue, Any]], int, int, int]:
    """(kept issues sorted by row, issue count, records, triples) of all buckets."""
    from harmonize.validation.report import sort_issues

    found = [i for r in results for i in r.issues]
    issues = sort_issues([*found, *link_issues])[:keep]
    total = sum(r.issue_count for r in results) + len(link_issues)
    return issues, total, sum(r.records for r in results), sum(r.triples for r in results)


def validate_split(
    files: Sequence[Path], context: Context, scratch: Path, buckets: int, keep: int
) -> tuple[list[tuple[Issue, Any]], int, int, int]:
    """One machine, data larger than memory: the same buckets, validated one by one."""
    from harmonize.validation.context import link_predicates

    titles: dict[str, str] = {}
    links = link_predicates(context.schema)
    for number, path in enumerate(files):
        titles.update(split_part(path, buckets, scratch, f"{number:05d}", links))
    results = [validate_bucket(scratch, b, buckets, context, titles, keep) for b in range(buckets)]
    requests: dict[int, list[LinkRequest]] = {}
    for result in results:
        for request in result.links:
            requests.setdefault(bucket_of(request.target, buckets), []).append(request)
    answered = [i for b, asked in requests.items() for i in check_links(scratch, b, asked)]
    return merge(results, answered, keep)
