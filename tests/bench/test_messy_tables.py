"""The messy-values bench scores a set of one kind (``bench/data/gtex_tissues.tsv``: organs
only) without dividing by the empty other kind."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _messy() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("messy", BENCH / "messy.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_a_set_of_one_kind_is_scored(capsys: pytest.CaptureFixture[str]) -> None:
    messy = _messy()
    rows = messy.read_rows(BENCH / "data" / "gtex_tissues.tsv")
    assert rows and {r["kind"] for r in rows} == {"organ"}
    for row in rows:
        row["gold"] = {row["curated_id"]}
    first = rows[0]
    preds = {messy.item_key(first): [[first["curated_id"], 0.99, "skos:exactMatch", ""]]}
    messy.print_table(rows, {"harmonize": {"preds": preds}})
    table = capsys.readouterr().out
    assert "| harmonize | cell type |" not in table
    assert f"| harmonize | all | {len(rows)} | {1 / len(rows):.3f} |" in table
