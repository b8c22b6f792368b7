"""The workbench driven in headless Chromium: a steward's session from queue to export."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harmonize.mappings import read_sssom
from harmonize.mappings.ledger import Ledger
from harmonize.mappings.model import JUSTIFICATION_MANUAL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Screenshots go to a temporary folder; to refresh the README's, run
#: ``HARMONIZE_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/review/test_browser.py``
SHOTS_ENV = "HARMONIZE_SCREENSHOTS"


def _serve(start_server: Callable[..., Any], data: Path, *extra: str) -> Any:
    return start_server(
        str(data / "partner1_tissue.sssom.tsv"),
        str(data / "partner1_columns.sssom.tsv"),
        "--table", str(data / "partner1.csv"),
        "--ontology", str(data / "anatomy.obo"),
        "--root", "UBERON:0001062",
        *extra,
    )  # fmt: skip


def _press(page: Any, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or page.context.tmp_shots)
    folder.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(path=str(folder / name), full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_steward_reviews_a_queue_and_exports_sssom(
    start_server: Callable[..., Any], browser: Any, review_data: Path
) -> None:
    server = _serve(start_server, review_data)
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.context.tmp_shots = server.folder / "shots"
    page.goto(server.url + "/")
    values = page.locator("table.queue a.value").all_inner_texts()
    assert {"liver bx", "lung tissue", "age_yrs"} <= set(values)  # values and columns queued

    # filter the queue to one column; the most impactful item comes first
    page.select_option("select[name=column]", "tissue")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    values = page.locator("table.queue a.value").all_inner_texts()
    # PBMC: the matcher found nothing (1 row x 1.0); then liver bx: 5 rows x (1 - 0.85)
    assert values[:2] == ["PBMC", "liver bx"]
    assert "age_yrs" not in values and len(values) == 13

    # n opens the first open item; x says no term of this branch fits (a cell type)
    _press(page, "n")
    assert page.inner_text("#value") == "PBMC"
    assert "No candidate left" in page.inner_text("#candidates")
    _press(page, "x")

    # the next item: source value, sample rows, candidates with hierarchy
    assert page.inner_text("#value") == "liver bx"
    assert page.locator("table.sample td.hit").count() == 5
    first = page.locator("li.cand").first
    assert "liver" in first.inner_text() and "UBERON:0002107" in first.inner_text()
    assert "exocrine gland" in first.inner_text()  # definition
    assert "organ" in first.locator(".hier").inner_text()  # parent
    assert "right lobe of liver" in first.locator(".hier").inner_text()  # child (part_of)
    assert "matched 'liver' (label)" in first.inner_text()
    _shot(page, "review-item.png")

    # a accepts the best candidate and moves on to the next item
    page.fill("#comment", "biopsy: liver")
    page.select_option("#predicate", "skos:broadMatch")  # the term is broader than the value
    page.locator("body").click(position={"x": 5, "y": 300})  # leave the text box
    _press(page, "a")
    assert page.inner_text("#value") == "lung tissue"
    assert "accepted liver" in page.inner_text("#flash")

    # r rejects the selected (best) candidate: it disappears, the item stays
    assert page.locator("li.cand .label").first.inner_text() == "tissue"
    _press(page, "r")
    assert page.inner_text("#value") == "lung tissue"
    assert page.locator("li.cand .label").first.inner_text() == "lung"
    assert "tissue" in page.inner_text("#rejected")

    # / searches the branch; Pick replaces the suggestion with another term
    page.keyboard.press("/")
    page.keyboard.type("parenchyma")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    hit = page.locator("li.hit", has_text="lung parenchyma").first
    assert "UBERON:0008946" in hit.inner_text()
    assert "Parenchymal tissue of the lung" in hit.inner_text()
    with page.expect_navigation():
        hit.locator("button", has_text="Pick").click()
    assert page.inner_text("#value") == "cardiac muscle"

    # 1 picks candidate 1; u undoes my last decision
    _press(page, "1")
    assert page.inner_text("#value") != "cardiac muscle"
    _press(page, "u")
    assert page.inner_text("#value") == "cardiac muscle"
    assert page.inner_text("#status") == "pending"
    _press(page, "1")

    ledger = Ledger.open(server.ledger)
    states = {s.decision.subject_label: s for s in ledger.states().values() if s.decision}
    assert states["liver bx"].chosen == "UBERON:0002107"
    assert states["liver bx"].decision.comment == "biopsy: liver"  # type: ignore[union-attr]
    assert states["liver bx"].decision.predicate_id == "skos:broadMatch"  # type: ignore[union-attr]
    assert states["liver bx"].decision.reviewer_label == "Ada Steward"  # type: ignore[union-attr]
    assert states["lung tissue"].status == "replaced"
    assert states["lung tissue"].chosen == "UBERON:0008946"
    assert states["lung tissue"].rejected == {"UBERON:0000479"}
    assert states["cardiac muscle"].chosen == "UBERON:0001133"

    page.goto(server.url + "/?status=")
    _shot(page, "review-queue.png")

    # bulk accept above a threshold, with a preview of what will change
    page.goto(server.url + "/bulk?column=tissue&threshold=0.95")
    preview = page.locator("#preview tbody tr").all_inner_texts()
    assert len(preview) == 9 and all("0.99" in row or "1.00" in row for row in preview)
    assert any("whole blood" in row and "blood" in row for row in preview)
    _shot(page, "review-bulk.png")
    before = len(ledger)
    with page.expect_navigation():
        page.click("#bulk-accept")
    assert page.inner_text("#bulk-result").startswith("9 accepted")
    assert len(ledger) == before + 9

    page.goto(server.url + "/progress")
    tissue_row = page.locator("#progress tbody tr", has_text="tissue").first.inner_text()
    assert "100%" in tissue_row and "34 / 35" not in tissue_row and "35 / 35" in tissue_row
    _shot(page, "review-progress.png")

    # export writes the decisions as SSSOM
    page.goto(server.url + "/export")
    with page.expect_navigation():
        page.click("#export")
    assert "decisions.sssom.tsv" in page.inner_text("#written")
    folder = server.ledger.parent
    positive = read_sssom(folder / "decisions.sssom.tsv", strict=True)
    negative = read_sssom(folder / "decisions.negative.sssom.tsv", strict=True)
    rows = {m.subject_label: m for m in positive}
    assert len(rows) == 13  # every tissue value decided
    assert rows["PBMC"].object_id == "sssom:NoTermFound"
    assert rows["liver bx"].object_id == "UBERON:0002107"
    assert rows["lung tissue"].object_id == "UBERON:0008946"
    assert all(m.mapping_justification == JUSTIFICATION_MANUAL for m in positive)
    assert all(m.author_label == ("Ada Steward",) and m.mapping_date for m in positive)
    assert [(m.subject_label, m.object_id, m.predicate_modifier) for m in negative] == [
        ("lung tissue", "UBERON:0000479", "Not")
    ]
    reviewed = read_sssom(folder / "partner1_tissue.reviewed.sssom.tsv", strict=True)
    firsts = {s: rows_[0] for s, rows_ in reviewed.by_subject().items()}
    assert all(m.mapping_justification == JUSTIFICATION_MANUAL for m in firsts.values())


def test_two_stewards_on_one_item_see_a_conflict(
    start_server: Callable[..., Any], browser: Any, review_data: Path
) -> None:
    server = _serve(start_server, review_data)
    pages = {}
    for name in ("Ada Steward", "Ben Curator"):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        context.tmp_shots = server.folder / "shots"
        page = context.new_page()
        page.goto(server.url + "/?column=tissue")
        page.fill("#reviewer", name)
        with page.expect_navigation():
            page.press("#reviewer", "Enter")  # saves the name (a cookie)
        assert page.input_value("#reviewer") == name
        with page.expect_navigation():
            page.click("table.queue a.value:text-is('liver bx')")
        assert page.inner_text("#value") == "liver bx"
        pages[name] = page
    _press(pages["Ada Steward"], "a")  # Ada accepts first
    with pages["Ben Curator"].expect_navigation() as nav:
        pages["Ben Curator"].keyboard.press("r")  # Ben's page is stale
    assert nav.value.status == 409
    ben = pages["Ben Curator"]
    assert "nothing was overwritten" in ben.inner_text("#conflict")
    assert "Ada Steward" in ben.inner_text("#conflict")
    assert ben.inner_text("#status") == "accepted"
    _shot(ben, "review-conflict.png")
    ledger = Ledger.open(server.ledger)
    assert [(d.action, d.reviewer_label) for d in ledger.decisions()] == [("accept", "Ada Steward")]
    # having seen the current state, Ben can still disagree: his decision is recorded too
    _press(ben, "r")
    assert [(d.action, d.reviewer_label) for d in ledger.decisions()] == [
        ("accept", "Ada Steward"),
        ("reject", "Ben Curator"),
    ]


def test_the_next_partner_arrives_with_decisions_replayed(
    start_server: Callable[..., Any], browser: Any, review_data: Path, tmp_path: Path
) -> None:
    from harmonize.curie import local_curie
    from harmonize.mappings.decisions import new_decision, reviewer

    ledger = Ledger.open(tmp_path / "mappings" / "decisions.sqlite")
    ada = reviewer("Ada Steward")
    for label, term, name in [("Liver", "UBERON:0002107", "liver"), ("Lung", "UBERON:0002048", "lung"),
                              ("skin", "UBERON:0002097", "skin of body")]:  # fmt: skip
        ledger.record(new_decision(local_curie("tissue", label), "accept", ada,
                                   subject_label=label, object_id=term, object_label=name))  # fmt: skip
    ledger.record(new_decision(local_curie("tissue", "kidney"), "reject", ada,
                               subject_label="kidney", object_id="UBERON:0002113"))  # fmt: skip
    server = start_server(
        str(review_data / "partner2_tissue.sssom.tsv"),
        "--table", str(review_data / "partner2.csv"),
        "--ontology", str(review_data / "anatomy_v2.obo"),  # next release: skin of body obsolete
        ledger=ledger.path, reviewer="Ben Curator",
    )  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 700})
    page.context.tmp_shots = server.folder / "shots"
    page.goto(server.url + "/?status=")
    rows = {r.split("\t")[1]: r for r in page.locator("table.queue tbody tr").all_inner_texts()}
    assert "replayed" in rows["Liver"] and "accepted" in rows["Liver"]  # other column, same value
    assert "replayed" in rows["lung"]  # "Lung" decided, "lung" arrives
    assert "requeued" in rows["skin"] and "skin of organism" in rows["skin"]
    assert "all candidates rejected" in rows["kidney"]
    _shot(page, "review-replay.png")
    with page.expect_navigation():
        page.click("table.queue a.value:text-is('skin')")
    assert "is obsolete" in page.inner_text("#obsolete")
    assert "skin of organism" in page.locator("li.cand").first.inner_text()
    _press(page, "1")  # confirm the proposed replacement
    state = next(
        s for s in ledger.states().values() if s.subject_id.startswith("local:Tissue_type/skin")
    )
    assert state.chosen == "UBERON:8000001" and state.decision.reviewer_label == "Ben Curator"  # type: ignore[union-attr]
    page.goto(server.url + "/progress")
    cells = page.locator("#progress tbody tr").first.locator("td").all_inner_texts()
    items, decided, replayed = (int(c) for c in cells[2:5])
    assert (items, decided, replayed) == (7, 3, 2)  # Liver and lung replayed, skin confirmed
