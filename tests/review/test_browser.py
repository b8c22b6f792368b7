"""The workbench driven in headless Chromium: a steward's session from queue to export,
two stewards at once, and the next partner's file."""

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


def _serve(start_server: Callable[..., Any], data: Path, *extra: str, **kw: Any) -> Any:
    return start_server(
        str(data / "partner1_tissue.sssom.tsv"),
        str(data / "partner1_columns.sssom.tsv"),
        "--table", str(data / "partner1.csv"),
        "--ontology", str(data / "anatomy.obo"),
        "--root", "UBERON:0001062",
        *extra, **kw,
    )  # fmt: skip


def _press(page: Any, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or page.context.tmp_shots)
    folder.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(path=str(folder / name), full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def _page(browser: Any, server: Any, width: int = 1280, height: int = 860) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.tmp_shots = server.folder / "shots"
    return context.new_page()


def _name(page: Any, name: str) -> None:
    page.fill("#reviewer", name)
    with page.expect_navigation():
        page.press("#reviewer", "Enter")  # saves the name (a cookie)
    assert page.input_value("#reviewer") == name


def _open(page: Any, label: str) -> None:
    with page.expect_navigation():
        page.click(f"table.queue a.value:text-is('{label}')")
    assert page.inner_text("#value") == label


def test_a_steward_reviews_a_queue_and_exports_sssom(
    start_server: Callable[..., Any], browser: Any, review_data: Path
) -> None:
    server = _serve(start_server, review_data)
    page = _page(browser, server)
    page.goto(server.url + "/")
    page.select_option("select[name=column]", "tissue")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    values = page.locator("table.queue a.value").all_inner_texts()
    # open items by impact (tests/data/review/README.md): 1 x 1.0, 5 x 0.15, 3 x 0.16...
    assert values == ["PBMC", "liver bx", "lung tissue", "cardiac muscle", "hepatic"]
    assert "0.948" in page.locator("tr.row", has_text="hepatic").inner_text()  # never 0.95

    _press(page, "n")  # the first open item
    assert page.inner_text("#value") == "PBMC"
    assert "found no candidate" in page.inner_text("#candidates")
    _press(page, "x")

    assert page.inner_text("#value") == "liver bx"
    assert page.locator("table.sample td.hit").count() == 5
    first = page.locator("li.cand").first
    assert "UBERON:0002107" in first.inner_text() and "exocrine gland" in first.inner_text()
    assert "right lobe of liver" in first.locator(".hier").inner_text()  # a child
    _shot(page, "review-item.png")
    page.fill("#comment", "biopsy: liver")
    page.select_option("#predicate", "skos:broadMatch")  # the term is broader than the value
    page.locator("body").click(position={"x": 5, "y": 300})  # leave the text box
    _press(page, "a")
    assert page.inner_text("#value") == "lung tissue"
    assert "accepted liver for liver bx" in page.inner_text("#flash")

    # r rejects the selected (first) candidate; it keeps its number, so 1 accepts nothing
    _press(page, "r")
    assert page.inner_text("#value") == "lung tissue"
    labels = page.locator("li.cand .label").all_inner_texts()
    assert labels == ["tissue", "lung", "right lung"]
    assert "rejected" in page.locator("#cand-1").inner_text()
    page.keyboard.press("1")
    assert "was rejected" in page.inner_text("#client-msg")
    assert page.inner_text("#value") == "lung tissue"  # nothing accepted under my key

    page.keyboard.press("/")
    page.keyboard.type("parenchyma")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    hit = page.locator("li.hit", has_text="lung parenchyma").first
    with page.expect_navigation():
        hit.locator("button", has_text="Pick").click()
    assert page.inner_text("#value") == "cardiac muscle"
    _press(page, "1")
    assert page.inner_text("#value") == "hepatic"
    _press(page, "u")  # undo my last: cardiac muscle is back
    assert page.inner_text("#value") == "cardiac muscle" and page.inner_text("#status") == "pending"
    _press(page, "1")

    ledger = Ledger.open(server.ledger)
    states = {s.decision.subject_label: s for s in ledger.states().values() if s.decision}
    liver_bx = states["liver bx"].decision
    assert liver_bx is not None and liver_bx.comment == "biopsy: liver"
    assert liver_bx.predicate_id == "skos:broadMatch" and liver_bx.reviewer_label == "Ada Steward"
    assert states["lung tissue"].chosen == "UBERON:0008946"
    assert states["lung tissue"].rejected == {"UBERON:0000479"}
    assert states["cardiac muscle"].chosen == "UBERON:0001133"

    page.goto(server.url + "/?status=")
    _shot(page, "review-queue.png")
    page.goto(server.url + "/bulk?column=tissue")
    preview = page.locator("#preview tbody tr").all_inner_texts()
    assert len(preview) == 8 and all("0.990" in row for row in preview)
    _shot(page, "review-bulk.png")
    before = len(ledger)
    with page.expect_navigation():
        page.click("#bulk-accept")
    assert page.inner_text("#bulk-result").startswith("8 accepted")
    assert len(ledger) == before + 8

    page.goto(server.url + "/progress")
    total = page.inner_text("#values-total")
    assert "35 / 35" not in total and "34 / 35" in total  # hepatic (1 row) is still open
    _shot(page, "review-progress.png")

    page.goto(server.url + "/export")
    with page.expect_navigation():
        page.click("#export")
    assert "decisions.sssom.tsv" in page.inner_text("#written")
    folder = server.ledger.parent
    positive = read_sssom(folder / "decisions.sssom.tsv", strict=True)
    rows = {m.subject_label: m for m in positive}
    assert len(rows) == 12 and rows["PBMC"].object_id == "sssom:NoTermFound"
    assert all(m.mapping_justification == JUSTIFICATION_MANUAL for m in positive)
    negative = read_sssom(folder / "decisions.negative.sssom.tsv", strict=True)
    assert [(m.subject_label, m.object_id) for m in negative] == [("lung tissue", "UBERON:0000479")]


def test_two_stewards_on_one_item_see_a_conflict(
    start_server: Callable[..., Any], browser: Any, review_data: Path
) -> None:
    server = _serve(start_server, review_data, reviewer=None)
    pages = {}
    for name in ("Ada Steward", "Ben Curator"):
        page = _page(browser, server)
        page.goto(server.url + "/?column=tissue")
        _name(page, name)
        _open(page, "liver bx")
        pages[name] = page
    _press(pages["Ada Steward"], "a")  # Ada accepts first
    ben = pages["Ben Curator"]
    ben.fill("#comment", "a biopsy, not the organ")
    ben.locator("body").click(position={"x": 5, "y": 300})
    with ben.expect_navigation() as nav:
        ben.keyboard.press("r")  # Ben's page is stale
    assert nav.value.status == 409
    assert "nothing was overwritten" in ben.inner_text("#conflict")
    assert "Ada Steward" in ben.inner_text("#conflict")
    assert ben.inner_text("#status") == "accepted"
    assert ben.input_value("#comment") == "a biopsy, not the organ"  # kept
    _shot(ben, "review-conflict.png")
    ledger = Ledger.open(server.ledger)
    assert [(d.action, d.reviewer_label) for d in ledger.decisions()] == [("accept", "Ada Steward")]
    _press(ben, "r")  # having seen the current state, Ben may still disagree
    assert [(d.action, d.reviewer_label, d.comment) for d in ledger.decisions()] == [
        ("accept", "Ada Steward", None),
        ("reject", "Ben Curator", "a biopsy, not the organ"),
    ]


def test_two_reviewers_each_undo_only_their_own(
    start_server: Callable[..., Any], browser: Any, review_data: Path
) -> None:
    server = _serve(start_server, review_data, reviewer=None)
    log = next(server.folder.glob(f"server-{server.url.rsplit(':', 1)[1]}.log")).read_text()
    assert "each browser names its reviewer" in log  # no shared default identity
    nobody = _page(browser, server)
    nobody.goto(server.url + "/?column=tissue")
    _open(nobody, "liver bx")
    nobody.keyboard.press("a")  # no name yet: asked for one, nothing recorded
    assert "name" in nobody.inner_text("#client-msg")
    assert nobody.evaluate("document.activeElement.id") == "reviewer"
    ledger = Ledger.open(server.ledger)
    assert len(ledger) == 0

    ada, ben = _page(browser, server), _page(browser, server)
    for page, name in ((ada, "Ada Steward"), (ben, "Ben Curator")):
        page.goto(server.url + "/?column=tissue")
        _name(page, name)
    _open(ada, "liver bx")
    _press(ada, "a")  # Ada accepts liver bx
    _open(ben, "lung tissue")
    _press(ben, "x")  # then Ben: no suitable term for lung tissue
    ada.reload()
    _press(ada, "u")  # Ada's u: her own last decision, not Ben's later one
    assert ledger.state("local:tissue/liver_bx-e0d66b").status == "pending"
    assert ledger.state("local:tissue/lung_tissue-471e21").status == "no_term"
    assert "undo accept" in ada.inner_text("#flash")
    ben.reload()
    _press(ben, "u")
    assert ledger.state("local:tissue/lung_tissue-471e21").status == "pending"
    undos = [(d.reviewer_label, d.comment) for d in ledger.decisions() if d.action == "undo"]
    assert undos == [("Ada Steward", "undo accept"), ("Ben Curator", "undo none")]


def test_a_similar_value_is_queued_with_the_decision_as_evidence(
    start_server: Callable[..., Any], browser: Any, review_data: Path, tmp_path: Path
) -> None:
    """Accept HCC; the next file's 'HCC (suspected)' and 'HCC?' are queued, not replayed."""
    ledger_path = tmp_path / "mappings" / "decisions.sqlite"
    first = start_server(
        str(review_data / "dx_first.sssom.tsv"), "--table", str(review_data / "dx_first.csv"),
        ledger=ledger_path, reviewer=None,
    )  # fmt: skip
    page = _page(browser, first, width=1400, height=900)
    page.goto(first.url + "/")
    _name(page, "Ada Steward")
    _open(page, "HCC")
    cell = page.locator("table.sample th.hit").bounding_box()  # Dx is the 16th column
    assert cell is not None and cell["x"] >= 0 and cell["x"] + cell["width"] <= 1400
    _press(page, "1")  # hepatocellular carcinoma
    first.kill()

    second = start_server(
        str(review_data / "dx_second.sssom.tsv"), "--table", str(review_data / "dx_second.csv"),
        ledger=ledger_path, reviewer="Ben Curator",
    )  # fmt: skip
    page = _page(browser, second, width=1400, height=900)
    page.goto(second.url + "/?status=")
    rows = {
        r.split("\t")[1].split(" “")[0].strip(): r
        for r in page.locator("table.queue tbody tr").all_inner_texts()
    }
    assert "accepted" in rows["HCC"]  # the same value in the same column: the same subject
    assert "accepted" in rows["hcc"] and "replayed" in rows["hcc"]  # case folded only
    for value in ("HCC (suspected)", "HCC?"):
        assert "pending" in rows[value] and "replayed" not in rows[value], rows[value]
        assert "a decision on 'HCC' exists" in rows[value]
    assert "pending" in rows["no HCC"]
    assert "pending" in rows["hepatocellular carcinoma?"]  # 0.990, but it says "?"
    _shot(page, "review-replay.png")
    _open(page, "HCC?")
    assert "a decision on 'HCC' exists" in page.inner_text("#similar")
    assert "always reviewed by a person" in page.inner_text("#hedge")
    with page.expect_navigation():
        page.click("#same-form button")  # the steward confirms the variant
    ledger = Ledger.open(ledger_path)
    confirmed = [
        s for s in ledger.states().values() if s.decision and s.decision.subject_label == "HCC?"
    ]
    assert confirmed and confirmed[0].chosen == "MONDO:0007256"
    assert confirmed[0].decision.reviewer_label == "Ben Curator"  # type: ignore[union-attr]


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
    page = _page(browser, server, height=700)
    page.goto(server.url + "/?status=")
    rows = {r.split("\t")[1]: r for r in page.locator("table.queue tbody tr").all_inner_texts()}
    assert "replayed" in rows["Liver"] and "accepted" in rows["Liver"]  # other column, same value
    assert "replayed" in rows["lung"]  # "Lung" decided, "lung" arrives: case folded
    assert "requeued" in rows["skin"] and "skin of organism" in rows["skin"]
    assert "all candidates rejected" in rows["kidney"]
    _open(page, "skin")
    assert "is obsolete" in page.inner_text("#obsolete")
    _press(page, "1")  # confirm the proposed replacement
    state = next(
        s for s in ledger.states().values() if s.subject_id.startswith("local:Tissue_type/skin")
    )
    assert state.chosen == "UBERON:8000001" and state.decision.reviewer_label == "Ben Curator"  # type: ignore[union-attr]
    page.goto(server.url + "/progress")
    cells = page.locator("#progress tbody tr").first.locator("td").all_inner_texts()
    values, by_steward, replayed = (int(c) for c in cells[2:5])
    assert (values, by_steward, replayed) == (7, 3, 2)  # Liver and lung replayed, skin confirmed
