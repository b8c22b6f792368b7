"""The ledger file across versions, and decisions beyond one term: several terms, assign,
second opinion - kept in the ledger and carried through SSSOM."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.conftest import DATA

from harmonize.mappings import read_sssom, write_sssom
from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.decisions_sssom import decisions_from_sssom, decisions_to_sssom
from harmonize.mappings.ledger import Ledger
from harmonize.mappings.replay import apply_decisions, reviewed_or_auto

ADA, BEN = reviewer("Ada Steward"), reviewer("Ben Curator")
LIVER = "local:tissue/liver_bx-e0d66b"

#: The schema harmonize 0.1 wrote (user_version 1), as it was.
_V1 = """
CREATE TABLE items (subject_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE,
    subject_id TEXT NOT NULL, subject_label TEXT,
    action TEXT NOT NULL CHECK (action IN ('accept', 'replace', 'reject', 'none', 'defer', 'undo')),
    object_id TEXT, object_label TEXT, predicate_id TEXT NOT NULL, reviewer_id TEXT NOT NULL,
    reviewer_label TEXT, created_at TEXT NOT NULL, comment TEXT, confidence REAL,
    evidence TEXT, shown TEXT NOT NULL DEFAULT '[]', mapping_set_id TEXT, target_uid TEXT,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX decisions_subject ON decisions (subject_id, created_at, seq);
CREATE INDEX decisions_reviewer ON decisions (reviewer_id, seq);
INSERT INTO decisions (uid, subject_id, subject_label, action, object_id, predicate_id,
    reviewer_id, reviewer_label, created_at, shown)
VALUES ('u1', 'local:tissue/liver_bx-e0d66b', 'liver bx', 'accept', 'UBERON:0002107',
    'skos:exactMatch', 'local:reviewer/Ada-1', 'Ada', '2026-11-25T10:00:00.000000Z', '[]');
INSERT INTO items VALUES ('local:tissue/liver_bx-e0d66b', 1);
PRAGMA user_version = 1;
"""


def test_a_schema_1_ledger_is_migrated_in_place_keeping_every_decision(tmp_path: Path) -> None:
    path = tmp_path / "decisions.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(_V1)
    ledger = Ledger.open(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
    state = ledger.state(LIVER)
    assert state.chosen == "UBERON:0002107" and state.version == 1
    assert state.decision is not None and state.decision.uid == "u1" and state.decision.seq == 1
    after = ledger.record(new_decision(LIVER, "second_opinion", BEN), expected_version=1)
    assert after.status == "second_opinion" and after.history[-1].seq == 2
    assert ledger.integrity_check() == "ok"
    assert Ledger.open(path).state(LIVER).version == 2  # opening again changes nothing


def test_a_decision_may_name_several_terms(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path / "d.sqlite")
    both = new_decision("local:tissue/liver_and_kidney-1", "accept", ADA,
                        subject_label="liver and kidney", object_id="UBERON:0002107",
                        object_label="liver", also=[("UBERON:0002113", "kidney")])  # fmt: skip
    state = ledger.record(both, expected_version=0)
    assert state.chosen_all == ("UBERON:0002107", "UBERON:0002113")
    again = Ledger.open(ledger.path).state(both.subject_id)
    assert again.decision is not None and again.decision.also == (("UBERON:0002113", "kidney"),)
    # rejecting one of the terms cancels the choice, as for a single term
    ledger.record(new_decision(both.subject_id, "reject", BEN, object_id="UBERON:0002113"))
    assert ledger.state(both.subject_id).status == "pending"
    with pytest.raises(ValueError, match="one term at most"):
        new_decision("x:1", "none", ADA, also=[("UBERON:1", None)])


def test_several_terms_travel_as_one_decision_through_sssom(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path / "a" / "d.sqlite")
    ledger.record(new_decision("local:tissue/liver_and_kidney-1", "accept", ADA,
                               subject_label="liver and kidney", object_id="UBERON:0002107",
                               also=[("UBERON:0002113", "kidney")]))  # fmt: skip
    positive, negative = ledger.export_sssom()
    rows = read_sssom(positive, strict=True)
    assert [m.object_id for m in rows] == ["UBERON:0002107", "UBERON:0002113"]
    other = Ledger.open(tmp_path / "b" / "d.sqlite")
    assert other.import_sssom(positive, negative) == 1  # one decision, two rows
    assert other.state("local:tissue/liver_and_kidney-1").chosen_all == (
        "UBERON:0002107",
        "UBERON:0002113",
    )
    assert other.import_sssom(positive) == 0  # importing twice adds nothing


def test_held_decisions_are_not_exported_as_mappings_and_block_auto_accept(tmp_path: Path) -> None:
    p1 = read_sssom(DATA / "review" / "partner1_tissue.sssom.tsv")
    by_label = {m.subject_label: m.subject_id for m in p1}
    ledger = Ledger.open(tmp_path / "d.sqlite")
    ledger.record(new_decision(by_label["Liver"], "assign", ADA, subject_label="Liver",
                               object_id=BEN.id, object_label=BEN.label))  # fmt: skip
    ledger.record(new_decision(by_label["kidney"], "second_opinion", ADA, subject_label="kidney"))
    positive, negative = decisions_to_sssom(ledger.states().values(), set_id="x")
    assert len(positive) == 0 and len(negative) == 0
    chosen = {m.subject_label for m in reviewed_or_auto(p1, ledger)}
    assert "Liver" not in chosen and "kidney" not in chosen and "Lung" in chosen
    # the reviewed export keeps them held, without the ledger
    path = write_sssom(apply_decisions(p1, ledger), tmp_path / "p1.reviewed.sssom.tsv")
    back = read_sssom(path, strict=True)
    assert {"Liver", "kidney"}.isdisjoint(m.subject_label for m in reviewed_or_auto(back, None))
    held = {d.subject_label: d for d in decisions_from_sssom(back)}
    assert held["Liver"].action == "assign" and held["Liver"].object_id == BEN.id
    assert held["kidney"].action == "second_opinion"
