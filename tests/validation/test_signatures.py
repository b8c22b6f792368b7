"""pyshacl once per distinct (class, slot, values) finds exactly what whole records find."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from harmonize.conversion.run import convert_table
from harmonize.demo.pipeline import demo_table
from harmonize.mappings import read_sssom
from harmonize.resources import bundled_dir
from harmonize.schema import load_schema
from harmonize.validation.context import prepare
from harmonize.validation.core import validate_store
from harmonize.validation.store import load_store

DATA = Path(__file__).resolve().parents[1] / "data"


def _results(store, context):  # type: ignore[no-untyped-def]
    result = validate_store(store, context, batch_size=7)
    rows = {(*dataclasses.astuple(i), str(v)) for i, v in result.issues}
    return rows, result.records, result.triples, result.issue_count


def test_signatures_and_whole_records_give_the_same_results(tmp_path: Path) -> None:
    schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
    context = prepare(schema)
    assert context.signatures is not None  # the model's shapes are flat
    conv = DATA / "convert"
    sets = [(read_sssom(conv / n), conv / n) for n in ("columns.sssom.tsv", "values.sssom.tsv")]
    converted = tmp_path / "partner.nt"
    convert_table(conv / "partner.csv", schema, sets, converted)
    found = 0
    for data in (converted, conv / "violations.ttl"):
        store = load_store(data)
        fast = _results(store, context)
        whole = _results(store, dataclasses.replace(context, signatures=None))
        assert fast == whole
        found += fast[3]
    assert found > 0  # violations.ttl holds some: the comparison is not of nothing


def test_buckets_of_records_on_one_machine_give_the_same_report(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from harmonize.validation import run
    from harmonize.validation.run import validate_file

    schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
    conv = DATA / "convert"
    sets = [(read_sssom(conv / n), conv / n) for n in ("columns.sssom.tsv", "values.sssom.tsv")]
    data = tmp_path / "demo.nt"  # 300 messy rows: hundreds of violations, with rows
    convert_table(demo_table(), schema, sets, data)
    for source in (data, conv / "violations.ttl"):
        whole = validate_file(source, schema)
        assert whole.issue_count > 0
        assert source != data or all(i.row is not None for i in whole.issues)
        monkeypatch.setattr(run, "IN_MEMORY_LIMIT", 100_000)  # several buckets
        split = validate_file(source, schema)
        monkeypatch.undo()
        assert [dataclasses.astuple(i) for i in split.issues] == [
            dataclasses.astuple(i) for i in whole.issues
        ]
        assert (split.records, split.triples, split.issue_count) == (
            whole.records,
            whole.triples,
            whole.issue_count,
        )
