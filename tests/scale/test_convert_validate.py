"""Dask runs give what one machine gives: the same graph, the same validation results."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from harmonize.conversion.compare import canonical_lines
from harmonize.conversion.manifest import Manifest, part_files
from harmonize.conversion.partition import count_rows, split_table
from harmonize.conversion.run import convert_table, prepare_table
from harmonize.scale.convert import convert_distributed
from harmonize.scale.validate import validate_distributed
from harmonize.validation.run import validate_file

ONTOLOGY = Path(__file__).resolve().parents[1] / "data" / "ontology" / "pato_mini.obo"


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory, table: Path, schema: Any, sets: Any) -> Any:
    out = tmp_path_factory.mktemp("serial") / "out.nt"
    return convert_table(table, schema, sets, out)


@pytest.fixture(scope="module")
def distributed(tmp_path_factory: pytest.TempPathFactory, client: Any, table: Path, schema: Any, sets: Any) -> Any:  # fmt: skip
    folder = tmp_path_factory.mktemp("dask") / "out"
    return convert_distributed(client, [table], schema, sets, folder, rows_per_part=400)


def test_partitions_cut_whole_rows(table: Path, schema: Any, sets: Any) -> None:
    prepared = prepare_table(table, schema, sets)
    parts = split_table(table, prepared.format, len(prepared.header), rows=300, sample_bytes_per_row=120, table=0, first_index=0)  # fmt: skip
    assert len(parts) > 5
    assert sum(count_rows(p) for p in parts) == 3001  # the blank line is no row
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))


def test_dask_convert_writes_the_serial_graph(serial: Any, distributed: Any) -> None:
    files = part_files(distributed.output, verify=True)
    assert len(files) > 5  # several partitions, plus the activity part
    assert canonical_lines(files) == canonical_lines([serial.output])
    assert distributed.rows == serial.rows == 3001
    assert distributed.records == serial.records  # distinct records, not per part
    assert distributed.problem_counts == serial.problem_counts
    assert distributed.top_unmapped[:5] == serial.top_unmapped[:5]


def test_manifest_lists_rows_triples_and_checksums(distributed: Any) -> None:
    manifest = Manifest.read(distributed.output)
    assert manifest.complete
    rows = sorted(p.rows for p in manifest.parts.values() if p.table >= 0)
    assert rows[0][0] == 1 and rows[-1][1] == 3001
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(rows))  # no gap
    assert sum(p.triples for p in manifest.parts.values()) == distributed.triples
    data = json.loads((distributed.output / "manifest.json").read_text())
    assert all(len(p["sha256"]) == 64 for p in data["parts"])


def test_dask_validation_merges_to_the_serial_report(client: Any, serial: Any, distributed: Any, schema: Any, tmp_path: Path) -> None:  # fmt: skip
    one = validate_file(serial.output, schema, ontologies=[ONTOLOGY], report_path=tmp_path / "a.ttl")  # fmt: skip
    many = validate_distributed(client, distributed.output, schema, ontologies=[ONTOLOGY], report_path=tmp_path / "b.ttl", buckets=5)  # fmt: skip
    assert one.issue_count > 100  # a messy table: the comparison is not of nothing
    assert {dataclasses.astuple(i) for i in many.issues} == {dataclasses.astuple(i) for i in one.issues}  # fmt: skip
    assert (many.records, many.triples, many.issue_count) == (one.records, one.triples, one.issue_count)  # fmt: skip
    assert not list(distributed.output.glob(".harmonize-validate-*"))  # scratch removed


def test_a_resumed_run_redoes_only_what_is_missing(client: Any, table: Path, schema: Any, sets: Any, serial: Any, tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "out"
    convert_distributed(client, [table], schema, sets, folder, rows_per_part=700)
    manifest = Manifest.read(folder)
    lost = sorted(n for n, p in manifest.parts.items() if p.table >= 0)[1]
    del manifest.parts[lost]
    manifest.complete = False
    manifest.write(folder)
    (folder / lost).unlink()
    kept = {p.name: p.stat().st_mtime_ns for p in folder.glob("part-*")}
    convert_distributed(client, [table], schema, sets, folder, rows_per_part=700)
    assert (folder / lost).is_file()
    assert all((folder / n).stat().st_mtime_ns == t for n, t in kept.items())  # not redone
    assert canonical_lines(part_files(folder, verify=True)) == canonical_lines([serial.output])


def test_another_conversion_in_the_folder_is_refused(client: Any, table: Path, schema: Any, sets: Any, distributed: Any) -> None:  # fmt: skip
    from harmonize.errors import ConversionError

    with pytest.raises(ConversionError, match="another conversion"):
        convert_distributed(client, [table], schema, sets, distributed.output, rows_per_part=999)


def test_an_unfinished_folder_is_not_read(tmp_path: Path, distributed: Any) -> None:
    from harmonize.errors import ConversionError

    manifest = Manifest.read(distributed.output)
    manifest.complete = False
    manifest.write(tmp_path)
    with pytest.raises(ConversionError, match="did not finish"):
        part_files(tmp_path)


def test_publish_takes_the_folder(serial: Any, distributed: Any, tmp_path: Path) -> None:
    from harmonize.publishing.api import publish_files

    one = publish_files([serial.output], tmp_path / "a")
    many = publish_files([distributed.output], tmp_path / "b")
    counts = [{g.iri: g.triples for g in r.graphs} for r in (one, many)]
    assert counts[0] == counts[1] and len(counts[0]) >= 2
