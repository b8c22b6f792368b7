"""A Dask LocalCluster, a generated partner table and the mapping sets for tests/scale."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONVERT = ROOT / "tests" / "data" / "convert"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_partner_table", ROOT / "bench" / "make_partner_table.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_table(rows: int, path: Path) -> Path:
    """A generated partner table, plus a blank line and a quoted cell with line breaks
    (a partition must never cut a row inside a quoted cell)."""
    _generator().write(rows, path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = len(lines) // 2
    odd = 'S-99999,D-0001,human,F,40,European,HCC,liver,,,2020-01-01,RNA-seq,HiSeq 4000,PE,150,DS-0001,"a title\nover\nthree lines",open\n'  # fmt: skip
    lines[middle:middle] = ["\n", odd]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def schema() -> Any:
    from harmonize.resources import bundled_dir
    from harmonize.schema import load_schema

    return load_schema(bundled_dir("schemas") / "harmonize.yaml")


@pytest.fixture(scope="session")
def sets() -> list[tuple[Any, Path]]:
    from harmonize.mappings import read_sssom

    return [(read_sssom(CONVERT / n), CONVERT / n) for n in ("columns.sssom.tsv", "values.sssom.tsv")]  # fmt: skip


@pytest.fixture(scope="session")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_table(3000, tmp_path_factory.mktemp("table") / "partner.csv")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as c:  # fmt: skip
        yield c
