"""``harmonize convert --dask``: tables cut into row partitions, one part file each.

The client checks and plans each table as a single machine does
(:func:`~harmonize.conversion.run.prepare_table`: privacy guard, plan, checksum), cuts it
into byte ranges of whole rows (:func:`~harmonize.conversion.partition.split_table`), has
the workers count each range's rows (so row numbers are those of one machine), then
converts each range with :func:`~harmonize.conversion.parts.convert_part`. The plan travels
to each worker once (``scatter(..., broadcast=True)``). The manifest is rewritten as
parts finish; a second run with the same inputs and options skips the parts it lists.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.conversion.manifest import Manifest, PartEntry
from harmonize.errors import ConversionError, HarmonizeError

if TYPE_CHECKING:
    from distributed import Client

    from harmonize.conversion.partition import Partition
    from harmonize.conversion.records import Policy
    from harmonize.conversion.run import ConversionSummary, PreparedTable
    from harmonize.conversion.terms import Format
    from harmonize.mappings.model import MappingSet
    from harmonize.schema.view import SchemaInfo

__all__ = ["ACTIVITY_PART", "convert_distributed"]

ACTIVITY_PART = "activity"
ROWS_PER_PART = 50_000
_SAVE_EVERY = 2.0  # seconds between two rewrites of the manifest while parts finish


def _portable(exc: HarmonizeError) -> HarmonizeError:
    """The error as its one-line text (its file and row survive the trip to the client)."""
    return type(exc)(str(exc))


def count_task(part: Partition) -> int:
    from harmonize.conversion.partition import count_rows

    try:
        return count_rows(part)
    except HarmonizeError as exc:
        raise _portable(exc) from None


def convert_task(job: Any, part: Partition, first_row: int, folder: str) -> PartEntry:
    from harmonize.conversion.parts import convert_part

    try:
        return convert_part(job, part, first_row, folder)
    except HarmonizeError as exc:
        raise _portable(exc) from None


def _fingerprint(prepared: Sequence[PreparedTable], options: dict[str, Any]) -> str:
    data = {
        "tables": [p.source.sha256 for p in prepared],
        "sets": [[s.id, s.version] for p in prepared for s in p.plan.sets],
        "values": sorted(
            [k, c.term, c.mapping.id, c.confidence, c.namespace]
            for p in prepared
            for k, codes in p.plan.values.items()
            for c in codes
        ),
        "columns": [[c.column, c.index] for p in prepared for c in p.plan.columns],
        "schema": [prepared[0].plan.schema.id, prepared[0].plan.schema.version],
        **options,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _start_manifest(folder: Path, fingerprint: str, fmt: str, prepared: Sequence[PreparedTable]) -> Manifest:  # fmt: skip
    """The folder's manifest to resume, or a new one; another conversion's is refused."""
    from harmonize.conversion.manifest import MANIFEST
    from harmonize.conversion.run import now

    if folder.exists() and not folder.is_dir():
        raise ConversionError("the output must be a folder with --dask", path=folder)
    if (folder / MANIFEST).is_file():
        old = Manifest.read(folder)
        if old.fingerprint != fingerprint:
            raise ConversionError(
                "the folder holds another conversion (other inputs or options): "
                "choose a new output folder or remove it",
                path=folder,
            )
        old.complete = False
        return old
    if folder.is_dir() and any(folder.iterdir()):
        raise ConversionError("the output folder is not empty", path=folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = [{"path": str(p.path), "name": p.path.name, "sha256": p.source.sha256} for p in prepared]  # fmt: skip
    return Manifest(fingerprint, fmt, f"urn:uuid:{uuid.uuid4()}", now(), tables)


def _done(folder: Path, manifest: Manifest, name: str) -> bool:
    from harmonize.io.checksum import file_sha256

    entry = manifest.parts.get(name)
    path = folder / name
    return entry is not None and path.is_file() and file_sha256(path) == entry.sha256


def _partitions(prepared: Sequence[PreparedTable], rows: int) -> list[Partition]:
    from harmonize.conversion.partition import split_table

    out: list[Partition] = []
    for number, table in enumerate(prepared):
        with table.path.open("rb") as handle:
            head = handle.read(4 * 1024 * 1024)
        per_row = len(head) / max(1, head.count(b"\n"))
        out += split_table(
            table.path, table.format, len(table.header), rows=rows,
            sample_bytes_per_row=per_row, table=number, first_index=len(out),
        )  # fmt: skip
    return out


def _first_rows(client: Client, parts: list[Partition]) -> list[int]:
    """Row number of each partition's first row (counted on the workers)."""
    from harmonize.scale.cluster import gather_as_completed

    futures = client.map(count_task, parts, pure=False)
    gather_as_completed(futures, desc="counting rows")
    counts = client.gather(futures)
    firsts: list[int] = []
    seen: dict[int, int] = {}
    for part, count in zip(parts, counts, strict=True):
        firsts.append(seen.get(part.table, 0) + 1)
        seen[part.table] = seen.get(part.table, 0) + count
    return firsts


def convert_distributed(
    client: Client,
    tables: Sequence[str | Path],
    schema: SchemaInfo,
    mapping_sets: Sequence[tuple[MappingSet, Path | None]],
    output: str | Path,
    *,
    fmt: Format = "nt",
    base: str | None = None,
    on_unmapped: Policy = "keep",
    on_invalid: Policy = "keep",
    threshold: float | None = None,
    policy: Path | None = None,
    ledger: Path | None = None,
    rows_per_part: int = ROWS_PER_PART,
) -> ConversionSummary:
    """Convert ``tables`` on the Dask cluster of ``client`` into the folder ``output``."""
    from harmonize.confidence import AUTO_ACCEPT
    from harmonize.conversion.run import output_prefixes, prepare_table
    from harmonize.conversion.vocab import DEFAULT_BASE

    folder = Path(output)
    base = base or DEFAULT_BASE
    threshold = AUTO_ACCEPT if threshold is None else threshold
    prepared = [
        prepare_table(t, schema, mapping_sets, threshold=threshold, policy=policy, ledger=ledger)
        for t in tables
    ]
    options = {"format": fmt, "base": base, "unmapped": on_unmapped, "invalid": on_invalid,
               "threshold": threshold, "rows": rows_per_part}  # fmt: skip
    manifest = _start_manifest(folder, _fingerprint(prepared, options), fmt, prepared)
    parts = _partitions(prepared, rows_per_part)
    firsts = _first_rows(client, parts)
    prefixes = output_prefixes(schema)
    jobs = [
        client.scatter(
            _job(p, manifest.activity, base, on_unmapped, on_invalid, fmt, prefixes), broadcast=True
        )
        for p in prepared
    ]
    _run_parts(client, folder, manifest, parts, firsts, jobs)
    return _finish(folder, manifest, prepared, fmt, len(parts))


def _job(p: PreparedTable, activity: str, base: str, unmapped: Policy, invalid: Policy, fmt: Format, prefixes: dict[str, str]) -> Any:  # fmt: skip
    from harmonize.conversion.parts import PartJob

    return PartJob(p.plan, p.source, activity, base, unmapped, invalid, fmt, prefixes)


def _run_parts(
    client: Client,
    folder: Path,
    manifest: Manifest,
    parts: list[Partition],
    firsts: list[int],
    jobs: list[Any],
) -> None:
    from harmonize.conversion.parts import part_name
    from harmonize.scale.cluster import gather_as_completed

    todo = [
        (part, first)
        for part, first in zip(parts, firsts, strict=True)
        if not _done(folder, manifest, part_name(part.index, manifest.format))
    ]
    futures = [
        client.submit(
            convert_task, jobs[part.table], part, first, str(folder), pure=False, retries=1
        )
        for part, first in todo
    ]

    last = [0.0]

    def record(entry: PartEntry) -> None:
        manifest.parts[entry.name] = entry
        if time.monotonic() - last[0] > _SAVE_EVERY:  # a part not yet listed is redone
            manifest.write(folder)
            last[0] = time.monotonic()

    manifest.write(folder)
    gather_as_completed(futures, desc="converting partitions", on_result=record)


def _finish(
    folder: Path, manifest: Manifest, prepared: Sequence[PreparedTable], fmt: Format, n_parts: int
) -> ConversionSummary:
    """Write the activity part, check every part against the manifest, sum up."""
    from harmonize.conversion.manifest import part_files
    from harmonize.conversion.parts import load_keys, tally_of
    from harmonize.conversion.run import summarize
    from harmonize.conversion.stream import Tally

    entry = _write_activity(folder, manifest, prepared, fmt)
    manifest.parts[entry.name] = entry
    rows = [e for e in manifest.parts.values() if e.table >= 0]
    if len(rows) != n_parts:
        raise ConversionError(f"{n_parts - len(rows)} part(s) missing after the run", path=folder)
    manifest.complete = True
    manifest.write(folder)
    part_files(folder)  # every part there at its size (each was hashed as it was written)
    _remove_leftovers(folder, manifest)
    total = Tally()
    for e in sorted(rows, key=lambda e: e.name):
        total.merge(tally_of(e, load_keys(folder, e.name)), keep_problems=1000)
    total.triples += entry.triples
    total.distinct()
    return summarize(folder, fmt, prepared[0], total)


def _write_activity(
    folder: Path, manifest: Manifest, prepared: Sequence[PreparedTable], fmt: Format
) -> PartEntry:
    import io

    from harmonize.conversion.run import activity_triples, now, output_prefixes
    from harmonize.conversion.terms import write_triples
    from harmonize.io.atomic import atomic_write_bytes

    sources = [(p.source, p.path.name) for p in prepared]
    triples = activity_triples(manifest.activity, sources, prepared[0].plan, manifest.started, now())  # fmt: skip
    buffer = io.BytesIO()
    write_triples(fmt, buffer, triples, output_prefixes(prepared[0].plan.schema))
    data = buffer.getvalue()
    name = f"{ACTIVITY_PART}.{fmt}"
    atomic_write_bytes(folder / name, data)
    return PartEntry(name, -1, (0, 0), len(triples), len(data), hashlib.sha256(data).hexdigest())


def _remove_leftovers(folder: Path, manifest: Manifest) -> None:
    """Temporary files of killed tasks (the retried task wrote the part itself), and a
    joined copy of an earlier run's parts."""
    from harmonize.conversion.parts import KEYS_DIR

    for pattern in (".*.tmp", f"{KEYS_DIR}/.*.tmp", ".joined.*"):
        for path in folder.glob(pattern):
            path.unlink(missing_ok=True)
