"""The demo's tissue column reconciled through the service gives what ``harmonize ground``
gives: the same candidates with the same confidences, and ``match`` exactly where ground
says auto-accept. Against the branch type and against the model's ``tissue`` slot."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT
from tests.reconcile.conftest import client_for

from harmonize.mappings import read_sssom
from harmonize.match.values.ground import AUTO_ACCEPT, NO_TERM_FOUND
from harmonize.resources import bundled_dir

pytestmark = pytest.mark.slow

DEMO = ROOT / "src" / "harmonize" / "demo_data" / "partner_samples.csv"
COLUMN = "tissue_src"
BRANCH = "UBERON:0001062"  # what schemas/harmonize.yaml binds the tissue slot to


def _ground(tmp_path: Path, *taxon: str) -> dict[str, list[tuple[str, float]]]:
    """``harmonize ground`` on the column, as a user runs it: value -> [(term, confidence)]."""
    out = tmp_path / f"tissue{len(taxon)}.sssom.tsv"
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", "ground", str(DEMO), "--column", COLUMN,
         "--ontology", "UBERON", "--root", BRANCH, "-o", str(out), *taxon],
        capture_output=True, text=True, env=os.environ.copy(), timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    grounded: dict[str, list[tuple[str, float]]] = {}
    for m in read_sssom(out):
        rows = grounded.setdefault(str(m.subject_label), [])
        if m.object_id != NO_TERM_FOUND:
            assert m.confidence is not None
            rows.append((m.object_id, m.confidence))
    return grounded


def _reconcile(client: Any, cells: list[str], type_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every cell of the column, in OpenRefine's batches of 10."""
    out: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(cells), 10):
        chunk = cells[start : start + 10]
        batch = {
            f"q{i}": {"query": v, "type": type_id, "type_strict": "should"}
            for i, v in enumerate(chunk)
        }
        resp = client.post("/", data={"queries": json.dumps(batch)})
        assert resp.status_code == 200, resp.text
        for i, value in enumerate(chunk):
            out[value] = resp.json()[f"q{i}"]["result"]
    return out


def test_reconciling_the_demo_tissue_column_equals_ground(tmp_path: Path) -> None:
    from harmonize.reconcile.service import reconcile_service

    with DEMO.open(newline="", encoding="utf-8") as fh:
        cells = [row[COLUMN] for row in csv.DictReader(fh) if row[COLUMN].strip()]
    # the branch type has no species; the model's slot has the schema's (human): ground
    # is told the same species
    plain, human = _ground(tmp_path), _ground(tmp_path, "--taxon", "NCBITaxon:9606")
    service = reconcile_service(
        ["UBERON"], roots=[BRANCH], schema=bundled_dir("schemas") / "harmonize.yaml",
        ledger=tmp_path / "empty-ledger.sqlite",
    )  # fmt: skip
    assert service.type("hmz:tissue").roots == (BRANCH,)
    client = client_for(service)
    compared = 0
    for type_id, grounded in ((BRANCH, plain), ("hmz:tissue", human)):
        answers = _reconcile(client, cells, type_id)
        assert set(answers) == set(grounded)  # every distinct value, none dropped
        for value, results in answers.items():
            expected = sorted(grounded[value], key=lambda r: -r[1])  # by confidence, stable
            got = [(c["id"], next(f["value"] for f in c["features"] if f["id"] == "confidence"))
                   for c in results]  # fmt: skip
            assert got == expected, (type_id, value)
            assert [c["score"] for c in results] == [round(conf * 100, 2) for _, conf in expected]
            auto = bool(expected) and expected[0][1] >= AUTO_ACCEPT
            assert [c["match"] for c in results] == [auto] + [False] * (len(results) - 1)
            compared += 1
    assert compared == 2 * len(plain) >= 20
    # the column has values ground auto-accepts and values it leaves for review
    assert any(r and r[0][1] >= AUTO_ACCEPT for r in plain.values())
    assert any(r and r[0][1] < AUTO_ACCEPT for r in plain.values())
    assert plain != human  # the species changed what is offered ("adult mammalian kidney")
