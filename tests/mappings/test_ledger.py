"""The decision ledger: recording, versions and conflicts, undo, SSSOM round trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from harmonize.errors import ReviewError
from harmonize.mappings import read_sssom
from harmonize.mappings.decisions import NO_TERM, decisions_from_sssom, new_decision, reviewer
from harmonize.mappings.ledger import ConflictError, Ledger, default_ledger_path
from harmonize.mappings.model import JUSTIFICATION_MANUAL

ADA = reviewer("0000-0002-1825-0097")
BEN = reviewer("Ben Curator")
LIVER = "local:tissue/liver_bx-e0d66b"
LUNG = "local:tissue/lung_tissue-471e21"


def _ledger(tmp_path: Path) -> Ledger:
    return Ledger.open(tmp_path / "mappings" / "decisions.sqlite")


def test_reviewer_identity() -> None:
    assert ADA.id == "orcid:0000-0002-1825-0097"
    assert reviewer("https://orcid.org/0000-0002-1825-0097") == ADA
    assert BEN.id.startswith("local:reviewer/Ben_Curator-") and BEN.label == "Ben Curator"
    with pytest.raises(ReviewError, match="ORCID"):
        reviewer("0000-0002-1825-0098")  # wrong check digit


def test_default_path_is_next_to_the_mappings(tmp_path: Path) -> None:
    assert default_ledger_path(tmp_path) == tmp_path / "mappings" / "decisions.sqlite"


def test_record_keeps_everything_shown(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    state = ledger.record(
        new_decision(
            LIVER, "accept", ADA, subject_label="liver bx", object_id="UBERON:0002107",
            object_label="liver", predicate_id="skos:broadMatch", comment="biopsy of liver",
            confidence=0.848, evidence="fuzzy match on label 'liver'",
            shown=["UBERON:0002107", "UBERON:0001115"], mapping_set_id="set1",
        ),
        expected_version=0,
    )  # fmt: skip
    assert state.status == "accepted" and state.chosen == "UBERON:0002107" and state.version == 1
    again = Ledger.open(ledger.path).state(LIVER)  # a fresh connection sees it
    d = again.decision
    assert d is not None
    assert (d.reviewer_id, d.reviewer_label) == ("orcid:0000-0002-1825-0097", "0000-0002-1825-0097")
    assert (d.confidence, d.evidence, d.comment) == (
        0.848,
        "fuzzy match on label 'liver'",
        "biopsy of liver",
    )
    assert d.shown == ("UBERON:0002107", "UBERON:0001115")
    assert d.created_at.endswith("Z") and d.seq == 1
    journal = sqlite3.connect(ledger.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


def test_stale_version_is_a_conflict_not_an_overwrite(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    seen = ledger.state(LIVER).version  # both stewards open the item at version 0
    ledger.record(
        new_decision(LIVER, "accept", ADA, object_id="UBERON:0002107"), expected_version=seen
    )
    with pytest.raises(ConflictError) as info:
        ledger.record(
            new_decision(LIVER, "reject", BEN, object_id="UBERON:0002107"), expected_version=seen
        )
    assert info.value.state.chosen == "UBERON:0002107"
    assert "Ada" in str(info.value) or "0000-0002" in str(info.value)
    assert [d.action for d in ledger.decisions()] == ["accept"]
    # after reloading (new version) Ben's decision goes in
    state = ledger.record(
        new_decision(LIVER, "reject", BEN, object_id="UBERON:0002107"), expected_version=1
    )
    assert state.chosen is None and state.rejected == {"UBERON:0002107"}


def test_reject_then_accept_other_and_none(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    ledger.record(new_decision(LUNG, "reject", ADA, object_id="UBERON:0002167"))
    state = ledger.record(new_decision(LUNG, "replace", ADA, object_id="UBERON:0002048"))
    assert state.status == "replaced" and state.rejected == {"UBERON:0002167"}
    state = ledger.record(new_decision(LUNG, "none", ADA))
    assert state.status == "no_term" and state.decision and state.decision.object_id == NO_TERM
    with pytest.raises(ValueError, match="needs an object_id"):
        new_decision(LUNG, "accept", ADA)


def test_undo_last_walks_back_only_my_decisions(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    ledger.record(new_decision(LIVER, "accept", ADA, object_id="UBERON:0002107"))
    ledger.record(new_decision(LUNG, "reject", BEN, object_id="UBERON:0002167"))
    ledger.record(new_decision(LUNG, "accept", ADA, object_id="UBERON:0002048"))
    state = ledger.undo_last(ADA)
    assert state is not None and state.subject_id == LUNG
    assert state.status == "pending" and state.rejected == {"UBERON:0002167"}  # Ben's stays
    state = ledger.undo_last(ADA)
    assert state is not None and state.subject_id == LIVER and state.status == "pending"
    assert ledger.undo_last(ADA) is None
    history = ledger.decisions()
    assert [d.action for d in history].count("undo") == 2  # nothing deleted: auditable
    assert sum(d.undone for d in history) == 2
    with pytest.raises(ReviewError, match="nothing to undo"):
        ledger.undo(LIVER, ADA)


def test_record_many_commits_the_rest_and_reports_conflicts(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    ledger.record(new_decision(LUNG, "defer", BEN))
    done, conflicts = ledger.record_many(
        [
            (new_decision(LIVER, "accept", ADA, object_id="UBERON:0002107"), 0),
            (new_decision(LUNG, "accept", ADA, object_id="UBERON:0002048"), 0),  # stale
        ]
    )
    assert [s.subject_id for s in done] == [LIVER]
    assert [c.state.subject_id for c in conflicts] == [LUNG]
    assert ledger.state(LUNG).status == "deferred"


def test_export_and_import_sssom_round_trip(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    ledger.record(
        new_decision(
            LIVER,
            "accept",
            ADA,
            subject_label="liver bx",
            object_id="UBERON:0002107",
            object_label="liver",
            comment="ok",
        )
    )
    ledger.record(
        new_decision(
            LUNG,
            "reject",
            BEN,
            subject_label="lung tissue",
            object_id="UBERON:0002167",
            object_label="right lung",
        )
    )
    ledger.record(
        new_decision(
            LUNG,
            "replace",
            BEN,
            subject_label="lung tissue",
            object_id="UBERON:0002048",
            object_label="lung",
        )
    )
    ledger.record(new_decision("local:tissue/PBMC-1", "none", ADA, subject_label="PBMC"))
    ledger.record(new_decision("local:tissue/x-1", "defer", ADA, subject_label="x"))
    positive, negative = ledger.export_sssom()
    assert positive.parent == ledger.path.parent
    pos, neg = read_sssom(positive, strict=True), read_sssom(negative, strict=True)
    rows = {m.subject_id: m for m in pos}
    assert set(rows) == {LIVER, LUNG, "local:tissue/PBMC-1"}  # deferred is not exported
    assert all(m.mapping_justification == JUSTIFICATION_MANUAL for m in (*pos, *neg))
    assert (
        rows[LIVER].author_id == (ADA.id,)
        and rows[LIVER].mapping_date
        and rows[LIVER].comment == "ok"
    )
    assert rows[LUNG].object_id == "UBERON:0002048" and rows[LUNG].author_label == ("Ben Curator",)
    assert rows["local:tissue/PBMC-1"].object_id == NO_TERM
    assert [(m.subject_id, m.object_id, m.predicate_modifier) for m in neg] == [
        (LUNG, "UBERON:0002167", "Not")
    ]
    # sssom-py reads both files
    from sssom.parsers import parse_sssom_table

    assert len(parse_sssom_table(positive).df) == 3
    assert len(parse_sssom_table(negative).df) == 1
    # a colleague's empty ledger imports them and ends in the same state
    other = Ledger.open(tmp_path / "other.sqlite")
    assert other.import_sssom(positive, negative) == 4
    assert other.import_sssom(positive, negative) == 0  # idempotent
    mine, theirs = ledger.states(), other.states()
    for subject in (LIVER, LUNG, "local:tissue/PBMC-1"):
        assert theirs[subject].status == mine[subject].status
        assert theirs[subject].chosen == mine[subject].chosen
        assert theirs[subject].rejected == mine[subject].rejected
    # rows curated by hand elsewhere import too (uid derived from content)
    foreign = decisions_from_sssom(read_sssom(positive))
    assert {d.action for d in foreign} == {"accept", "replace", "none"}


def test_bad_ledger_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "decisions.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ReviewError) as info:
        Ledger.open(bad)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ReviewError, match="not found"):
        Ledger.open(tmp_path / "missing.sqlite", create=False)


def test_import_keeps_authors_of_files_from_elsewhere(tmp_path: Path) -> None:
    from harmonize.mappings import Mapping, MappingSet, write_sssom

    foreign = MappingSet(
        "https://example.org/curated",
        (
            Mapping("local:tissue/x-1", "skos:exactMatch", "UBERON:0002107", JUSTIFICATION_MANUAL,
                    subject_label="x", author_id="orcid:0000-0000-0000-0000",
                    author_label="Someone", mapping_date="2025-01-02"),
            Mapping("local:tissue/y-2", "skos:exactMatch", "UBERON:0002048",
                    "semapv:LexicalMatching", subject_label="y", confidence=0.9),
        ),
    )  # fmt: skip
    path = write_sssom(foreign, tmp_path / "curated.sssom.tsv")
    ledger = _ledger(tmp_path)
    assert ledger.import_sssom(path) == 1  # only the manually curated row is a decision
    d = ledger.state("local:tissue/x-1").decision
    assert d is not None and d.reviewer_id == "orcid:0000-0000-0000-0000"
    assert d.reviewer_label == "Someone" and d.created_at.startswith("2025-01-02")
