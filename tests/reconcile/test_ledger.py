"""The consortium's decisions come first, and decisions made in OpenRefine go back into
the ledger (the endpoint, and an import of OpenRefine's operation history)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.reconcile.conftest import BRANCH, REVIEW, client_for, queries

from harmonize.curie import local_curie
from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger

ADA = reviewer("Ada Steward")


def _ask(client: Any, value: str, **extra: Any) -> list[dict[str, Any]]:
    resp = client.post("/", data=queries({"query": value, "type": BRANCH, **extra}))
    assert resp.status_code == 200, resp.text
    return resp.json()["q0"]["result"]  # type: ignore[no-any-return]


def _record(ledger: Path, column: str, value: str, action: Any, term: str | None = None) -> None:
    decision = new_decision(
        local_curie(column, value), action, ADA, subject_label=value, object_id=term
    )
    Ledger.open(ledger).record(decision)


def test_decisions_come_first_and_rejections_never_come_back(
    tmp_path: Path, make_service: Any
) -> None:
    ledger = tmp_path / "decisions.sqlite"
    client = client_for(make_service(ledger=ledger))
    before = _ask(client, "liver bx")
    assert before[0]["id"] == "UBERON:0002107" and not before[0]["match"]  # 0.45: review
    _record(ledger, "tissue", "liver bx", "replace", "UBERON:0001114")  # a steward chose
    _record(ledger, "tissue", "lung tissue", "reject", "UBERON:0008946")
    _record(ledger, "tissue", "kidney", "none")
    # the service picks up decisions written while it runs (no restart)
    after = _ask(client, "liver bx", properties=[{"pid": "column", "v": "tissue"}])
    assert after[0]["id"] == "UBERON:0001114" and after[0]["match"] and after[0]["score"] == 100
    decided = {f["id"]: f for f in after[0]["features"]}["steward_decision"]
    assert "Ada Steward" in decided["name"]
    assert [c["match"] for c in after[1:]] == [False] * (len(after) - 1)
    # without the column, the decision still applies: same text, decided term offered
    assert _ask(client, "liver bx")[0]["id"] == "UBERON:0001114"
    lung = _ask(client, "lung tissue", properties=[{"pid": "column", "v": "tissue"}])
    assert "UBERON:0008946" not in {c["id"] for c in lung} and lung
    assert _ask(client, "kidney", properties=[{"pid": "column", "v": "tissue"}]) == []  # no term


def test_an_obsolete_decided_term_proposes_its_replacement(
    tmp_path: Path, make_service: Any
) -> None:
    ledger = tmp_path / "decisions.sqlite"
    _record(ledger, "tissue", "skin", "accept", "UBERON:0002097")
    client = client_for(make_service(REVIEW / "anatomy_v2.obo", ledger=ledger))
    found = _ask(client, "skin", properties=[{"pid": "column", "v": "tissue"}])
    assert found[0]["id"] == "UBERON:8000001" and not found[0]["match"]
    assert "replaces_obsolete_decision" in {f["id"] for f in found[0]["features"]}


def test_decisions_are_written_back_through_the_endpoint(tmp_path: Path, make_service: Any) -> None:
    ledger = tmp_path / "mappings" / "decisions.sqlite"
    client = client_for(make_service(ledger=ledger), reviewer_name="Ben Curator")
    assert not ledger.exists()  # created by the first decision
    offered = _ask(client, "liver bx", properties=[{"pid": "column", "v": "tissue"}])[0]
    shown = next(f["value"] for f in offered["features"] if f["id"] == "confidence")
    assert offered["id"] == "UBERON:0002107" and 0 < shown < 0.95 and not offered["match"]
    body = {"decisions": [
        {"column": "tissue", "value": "liver bx", "id": "UBERON:0002107", "action": "accept", "type": BRANCH},
        {"column": "tissue", "value": "lung tissue", "judgment": "matched",
         "match": {"id": "UBERON:0008946", "name": "lung parenchyma"}},
        {"column": "tissue", "value": "PBMC", "judgment": "new"},
        {"column": "tissue", "value": "heart", "judgment": "matched", "judgmentAction": "auto",
         "match": {"id": "UBERON:0000948"}},
    ]}  # fmt: skip
    resp = client.post("/decisions", json=body)
    assert resp.status_code == 200, resp.text
    assert resp.json()["recorded"] == 3 and resp.json()["unchanged"] == 0  # auto-match skipped
    states = Ledger.open(ledger).states()
    liver = states[local_curie("tissue", "liver bx")]
    assert liver.chosen == "UBERON:0002107" and liver.decision is not None
    assert liver.decision.reviewer_label == "Ben Curator"
    assert liver.decision.confidence == shown and "UBERON:0002107" in liver.decision.shown
    assert states[local_curie("tissue", "PBMC")].status == "no_term"
    assert local_curie("tissue", "heart") not in states
    again = client.post("/decisions", json=body).json()
    assert again["recorded"] == 0 and again["unchanged"] == 3  # nothing curated twice
    assert _ask(client, "liver bx", properties=[{"pid": "column", "v": "tissue"}])[0]["match"]


def test_the_decision_endpoint_refuses_other_sites_and_bad_input(client: Any) -> None:
    one = {
        "decisions": [
            {"column": "tissue", "value": "liver", "id": "UBERON:0002107", "action": "accept"}
        ]
    }
    evil = client.post("/decisions", json=one, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    sandboxed = client.post("/decisions", json=one, headers={"Origin": "null"})
    assert sandboxed.status_code == 403
    form = client.post(
        "/decisions", content=json.dumps(one), headers={"content-type": "text/plain"}
    )
    assert form.status_code == 415  # a cross-site form cannot send JSON without a preflight
    preflight = client.options("/decisions", headers={"Origin": "https://evil.example",
                                                      "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert "access-control-allow-origin" not in preflight.headers
    unknown = {
        "decisions": [
            {"column": "tissue", "value": "liver", "id": "UBERON:404", "action": "accept"}
        ]
    }
    resp = client.post("/decisions", json=unknown)
    assert resp.status_code == 400 and "UBERON:404" in resp.json()["message"]
    resp = client.post("/decisions", json={"decisions": [{"value": "liver", "action": "accept"}]})
    assert resp.status_code == 400 and "'id'" in resp.json()["message"]
    bad_orcid = {**one, "reviewer": "0000-0002-1825-0098"}
    assert client.post("/decisions", json=bad_orcid).status_code == 400
    same_site = client.post("/decisions", json=one, headers={"Origin": "http://127.0.0.1:8766"})
    assert same_site.status_code == 200


HISTORY = [
    {"op": "core/recon", "engineConfig": {"facets": [], "mode": "row-based"}, "columnName": "tissue_src",
     "config": {"mode": "standard-service", "service": "http://127.0.0.1:8766/",
                "type": {"id": BRANCH, "name": "anatomical entity"}, "autoMatch": True}},
    {"op": "core/recon-judge-similar-cells", "engineConfig": {"facets": [], "mode": "row-based"},
     "columnName": "tissue_src", "similarValue": "liver bx", "judgment": "matched",
     "match": {"id": "UBERON:0002107", "name": "liver", "types": [BRANCH], "score": 45.0},
     "shareNewTopics": False, "description": "Match liver (UBERON:0002107) to cells containing \"liver bx\""},
    {"op": "core/recon-judge-similar-cells", "engineConfig": {"facets": [], "mode": "row-based"},
     "columnName": "tissue_src", "similarValue": "PBMC", "judgment": "new", "shareNewTopics": True,
     "description": "Mark to create one single new item for all cells containing \"PBMC\""},
    {"op": "core/recon-match-best-candidates", "engineConfig": {"facets": [], "mode": "row-based"},
     "columnName": "tissue_src", "description": "Match each cell to its best recon candidate"},
    {"op": "core/column-rename", "oldColumnName": "a", "newColumnName": "b", "description": "rename"},
]  # fmt: skip


def test_openrefine_operation_history_imports_once(tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps(HISTORY))
    ledger = tmp_path / "decisions.sqlite"

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "harmonize", "reconcile", "--import-openrefine", str(history),
             "--ledger", str(ledger), "--reviewer", "Ada Steward"],
            capture_output=True, text=True, env=os.environ.copy(), timeout=120,
        )  # fmt: skip

    first = run()
    assert first.returncode == 0, first.stderr
    assert (
        "imported 2 decision(s)" in first.stdout and "2 reconciliation operation(s)" in first.stdout
    )
    states = Ledger.open(ledger).states()
    assert states[local_curie("tissue_src", "liver bx")].chosen == "UBERON:0002107"
    assert states[local_curie("tissue_src", "PBMC")].status == "no_term"
    second = run()
    assert second.returncode == 0 and "imported 0 decision(s)" in second.stdout
    assert len(Ledger.open(ledger)) == 2
    history.write_text("[{]")
    broken = run()
    assert (
        broken.returncode == 2
        and "history.json" in broken.stderr
        and "Traceback" not in broken.stderr
    )


def test_review_import_takes_openrefine_history_too(tmp_path: Path) -> None:
    """``harmonize review --import`` reads OpenRefine's JSON beside exported SSSOM files."""
    history = tmp_path / "history.json"
    history.write_text(json.dumps(HISTORY))
    ledger = tmp_path / "decisions.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "harmonize", "review", "--import", str(history),
         "--ledger", str(ledger), "--reviewer", "Ada Steward"],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "imported 2 OpenRefine decision(s)" in done.stdout
    states = Ledger.open(ledger).states()
    assert states[local_curie("tissue_src", "liver bx")].chosen == "UBERON:0002107"
    decision = states[local_curie("tissue_src", "liver bx")].decision
    assert decision is not None and decision.reviewer_label == "Ada Steward"
