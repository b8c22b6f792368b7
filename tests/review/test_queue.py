"""The queue a steward works through: order, statuses, filters, progress - figures counted
by hand from the fixtures (tests/data/review/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.review.conftest import REVIEW

from harmonize.curie import local_curie
from harmonize.mappings import Mapping, MappingSet, write_sssom
from harmonize.mappings.decisions import reviewer
from harmonize.mappings.model import JUSTIFICATION_LEXICAL, JUSTIFICATION_MANUAL
from harmonize.review.queue import filter_items
from harmonize.review.workspace import load_workspace

LIVER_BX = "local:tissue/liver_bx-e0d66b"
ADA, BEN = reviewer("Ada"), reviewer("Ben")


def test_open_items_are_ordered_by_rows_times_uncertainty(workspace: Any) -> None:
    open_items = [i for i in workspace.items() if i.open]
    # rows counted in partner1.csv; confidences as written in partner1_tissue.sssom.tsv
    assert [(i.label, i.rows) for i in open_items] == [
        ("PBMC", 1),  # no candidate: 1 x 1.0
        ("liver bx", 5),  # 5 x (1 - 0.85) = 0.75
        ("lung tissue", 3),  # 3 x (1 - 0.84) = 0.48
        ("cardiac muscle", 1),  # 1 x (1 - 0.91) = 0.09
        ("hepatic", 1),  # 1 x (1 - 0.9487) = 0.0513
    ]
    assert [i.impact for i in open_items] == pytest.approx([1.0, 0.75, 0.48, 0.09, 0.0513])


def test_what_convert_accepts_at_the_threshold_is_auto_not_open(workspace: Any) -> None:
    items = {i.label: i for i in workspace.items()}
    auto = sorted(label for label, i in items.items() if i.status == "auto")
    assert auto == ["Liver", "Lung", "brain", "heart", "kidney", "plasma", "skin", "whole blood"]
    assert not any(items[label].open for label in auto)
    # 0.9487 is below 0.95: pending, whatever a rounded figure would suggest
    assert items["hepatic"].status == "pending" and items["hepatic"].open
    assert [i.label for i in workspace.bulk_preview(0.95)] == [
        i.label for i in workspace.items() if i.status == "auto"
    ]


def test_filters_hold(workspace: Any) -> None:
    items = workspace.items()
    medium = filter_items(items, band="medium")
    assert {i.label for i in medium} == {"liver bx", "lung tissue", "cardiac muscle", "hepatic"}
    assert {i.label for i in filter_items(items, band="none")} == {"PBMC"}
    assert filter_items(items, ontology="MONDO") == []
    assert {i.label for i in filter_items(items, text="LIVER")} == {"liver bx", "Liver"}
    workspace.decide(LIVER_BX, "defer", ADA, version=0)
    items = workspace.items()
    assert [i.label for i in filter_items(items, status="deferred")] == ["liver bx"]
    assert "liver bx" in {i.label for i in filter_items(items, status="open")}


def test_curated_rows_count_as_decided_with_their_source_file(tmp_path: Path) -> None:
    """A ManualMappingCuration row (confidence 1: a curated synonym, a schema alias) is
    a decision already taken: 'curated', not pending."""
    sex = [
        Mapping(local_curie("Gender", "F"), "skos:exactMatch", "PATO:0000383", JUSTIFICATION_MANUAL,
                subject_label="F", object_label="female", confidence=1.0,
                author_label="harmonize common model", comment="'F' is a curated name of female"),
        Mapping(local_curie("Gender", "F"), "skos:exactMatch", "PATO:0000383", JUSTIFICATION_LEXICAL,
                subject_label="F", object_label="female", confidence=0.9487),
        Mapping(local_curie("Gender", "fem."), "skos:exactMatch", "PATO:0000383", JUSTIFICATION_LEXICAL,
                subject_label="fem.", object_label="female", confidence=0.62),
    ]  # fmt: skip
    path = write_sssom(
        MappingSet("https://example.org/sex", tuple(sex)), tmp_path / "sex.sssom.tsv"
    )
    ws = load_workspace([path], tmp_path / "d.sqlite")
    items = {i.label: i for i in ws.items()}
    assert items["F"].status == "curated" and not items["F"].open
    assert items["F"].source == "sex.sssom.tsv" and items["F"].decided_label == "female"
    assert items["fem."].status == "pending"
    assert sum(i.open for i in ws.items()) == 1
    # a steward may still override it
    ws.decide(items["F"].subject_id, "none", ADA, version=0)
    assert ws.item(items["F"].subject_id).status == "no_term"


def test_the_demo_and_the_workbench_count_the_same_open_values(
    demo_run: Any, tmp_path: Path
) -> None:
    """'N left for review' in the demo = open value items of the workbench: the curated
    rows (schema aliases, confidence 1) and the auto-accepted ones are not open."""
    ws = load_workspace(
        [demo_run.columns_sssom, demo_run.values_sssom], tmp_path / "d.sqlite", table=demo_run.table
    )
    items = ws.items()
    with_rows = [i for i in items if i.open and i.kind == "value" and i.set_id]
    assert len(with_rows) == len(demo_run.values_review)
    assert {i.subject_id for i in with_rows} == {s for s, *_ in demo_run.values_review}
    curated = [i for i in items if i.status == "curated"]
    assert curated and all(i.source == "values.sssom.tsv" for i in curated)
    assert not any(i.open for i in items if i.kind == "column")  # 18/18 columns mapped
    # cells convert calls missing (N/A) are no values to review
    assert not any(i.label.casefold() in {"n/a", "na", ""} for i in items)


def test_progress_keeps_column_rows_apart_from_value_rows(tmp_path: Path) -> None:
    from harmonize.review.progress import progress

    ws = load_workspace(
        [REVIEW / "partner1_columns.sssom.tsv", REVIEW / "partner1_tissue.sssom.tsv"],
        tmp_path / "d.sqlite",
        table=REVIEW / "partner1.csv",
    )
    values, columns = progress(ws.items())
    assert [(r.column, r.total, r.rows_total) for r in values] == [("tissue", 13, 35)]
    assert columns is not None and columns.total == 4 and columns.rows_total == 4 * 35
    tissue = values[0]
    assert (tissue.auto, tissue.open, tissue.decided) == (8, 5, 8)


def test_a_column_item_shows_its_distinct_values_first(tmp_path: Path) -> None:
    ws = load_workspace(
        [REVIEW / "partner1_columns.sssom.tsv"],
        tmp_path / "d.sqlite",
        table=REVIEW / "partner1.csv",
    )
    tissue = next(i for i in ws.items() if i.label == "tissue")
    assert tissue.kind == "column" and tissue.rows == 35
    header, rows, column = ws.samples(tissue.subject_id)
    assert column == "tissue" and header[0] == "tissue"  # the column under review first
    values = [cells[0] for _, cells in rows]
    assert len(values) == 5 and len(set(values)) == 5 and "Lung" in values  # most frequent


def test_search_lists_the_branch_terms_holding_the_words(workspace: Any) -> None:
    item = workspace.item(LIVER_BX)
    ids = [h.id for h in workspace.search(item, "liver")]
    # anatomy.obo: liver and its two lobes carry the word (by hand from the file)
    assert ids[0] == "UBERON:0002107"
    assert {"UBERON:0001114", "UBERON:0001115"} <= set(ids)
    assert all(workspace.index.is_under(t, ["UBERON:0001062"]) for t in ids)


def test_search_never_leaks_outside_the_branch(tmp_path: Path) -> None:
    ws = load_workspace(
        [REVIEW / "partner1_tissue.sssom.tsv"],
        tmp_path / "d.sqlite",
        ontologies=[REVIEW / "anatomy.obo"],
        roots=["UBERON:0000479"],  # tissue
    )
    hits = ws.search(ws.item(LIVER_BX), "lung")
    assert "UBERON:0008946" in {h.id for h in hits}  # lung parenchyma is a tissue
    assert "UBERON:0002048" not in {h.id for h in hits}  # lung (an organ) is not
    assert all(ws.index.is_under(h.id, ["UBERON:0000479"]) for h in hits)


def test_assign_and_second_opinion_keep_an_item_open(workspace: Any) -> None:
    whole_blood = next(i for i in workspace.items() if i.label == "whole blood")
    assert whole_blood.status == "auto"
    workspace.decide(whole_blood.subject_id, "assign", ADA, version=0, assignee=BEN)
    item = workspace.item(whole_blood.subject_id)
    assert item.status == "assigned" and item.open and item.assignee == (BEN.id, "Ben")
    assert [i.label for i in filter_items(workspace.items(), status="mine", me=BEN.id)] == [
        "whole blood"
    ]
    assert filter_items(workspace.items(), status="mine", me=ADA.id) == []
    workspace.decide(LIVER_BX, "second_opinion", ADA, version=0, object_id="UBERON:0002107",
                     comment="biopsy site unclear")  # fmt: skip
    item = workspace.item(LIVER_BX)
    assert item.status == "second_opinion" and item.open
    assert item.decision is not None and item.decision.object_id == "UBERON:0002107"
    from harmonize.mappings.replay import reviewed_or_auto

    ms = workspace.mapping_sets[0][1]
    chosen = {m.subject_label for m in reviewed_or_auto(ms, workspace.ledger)}
    assert "whole blood" not in chosen  # 0.99, but a person asked Ben to look: not auto
    assert "liver bx" not in chosen


def test_one_value_can_map_to_several_terms(tmp_path: Path) -> None:
    ws = load_workspace(
        [REVIEW / "dx_first.sssom.tsv"], tmp_path / "d.sqlite", table=REVIEW / "dx_first.csv"
    )
    both = next(i for i in ws.items() if i.label == "liver and kidney")
    state = ws.decide(both.subject_id, "accept", ADA, version=0, object_id="UBERON:0002107",
                      also=["UBERON:0002113"])  # fmt: skip
    assert state.chosen_all == ("UBERON:0002107", "UBERON:0002113")
    assert ws.item(both.subject_id).decided_label == "liver, kidney"
    from harmonize.mappings.replay import apply_decisions, reviewed_or_auto

    ms = ws.mapping_sets[0][1]
    rows = [m for m in reviewed_or_auto(ms, ws.ledger) if m.subject_id == both.subject_id]
    assert [m.object_id for m in rows] == ["UBERON:0002107", "UBERON:0002113"]
    applied = [m for m in apply_decisions(ms, ws.ledger) if m.subject_id == both.subject_id]
    assert [m.mapping_justification for m in applied[:2]] == [JUSTIFICATION_MANUAL] * 2
