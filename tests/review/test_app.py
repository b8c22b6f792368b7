"""The workbench's HTTP surface: pages, CSRF, host and token guards, replay shown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger
from harmonize.review.app import create_app
from harmonize.review.workspace import load_workspace

LIVER_BX = "local:tissue/liver_bx-e0d66b"


def _client(app: Any, host: str = "127.0.0.1:8765") -> Any:
    from starlette.testclient import TestClient

    return TestClient(app, base_url=f"http://{host}")


@pytest.fixture
def workspace(tmp_path: Path, review_data: Path) -> Any:
    return load_workspace(
        [review_data / "partner1_tissue.sssom.tsv"],
        tmp_path / "mappings" / "decisions.sqlite",
        ontologies=[review_data / "anatomy.obo"],
        table=review_data / "partner1.csv",
        roots=["UBERON:0001062"],
    )


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_queue_is_ordered_by_rows_times_uncertainty(workspace: Any) -> None:
    items = workspace.items()
    open_items = [i for i in items if i.open]
    impacts = [i.impact for i in open_items]
    assert impacts == sorted(impacts, reverse=True)
    liver_bx = next(i for i in items if i.label == "liver bx")
    assert liver_bx.rows == 5 and liver_bx.impact == pytest.approx(5 * (1 - 0.8503))
    # a value the matcher found nothing for is queued too, first: 1 row x certainty 0
    assert [(i.label, i.candidates, i.rows) for i in open_items[:1]] == [("PBMC", (), 1)]
    assert open_items[1].label == "liver bx"


def test_decide_needs_the_csrf_token_and_same_origin(workspace: Any) -> None:
    client = _client(create_app(workspace, reviewer_name="Ada"))
    page = client.get("/item", params={"s": LIVER_BX})
    assert page.status_code == 200
    form = {"s": LIVER_BX, "version": "0", "action": "accept", "object_id": "UBERON:0002107"}
    forged = client.post("/decide", data={**form, "csrf": "guess"}, follow_redirects=False)
    assert forged.status_code == 400 and "CSRF" in forged.text
    cross = client.post(
        "/decide",
        data={**form, "csrf": _csrf(page.text)},
        headers={"Origin": "http://evil.example"},
        follow_redirects=False,
    )
    assert cross.status_code == 403
    assert len(workspace.ledger) == 0
    ok = client.post("/decide", data={**form, "csrf": _csrf(page.text)}, follow_redirects=False)
    assert ok.status_code == 303 and "s=local%3Atissue%2Flung_tissue" in ok.headers["location"]
    assert workspace.ledger.state(LIVER_BX).chosen == "UBERON:0002107"


def test_terms_outside_the_branch_or_unknown_are_refused(workspace: Any) -> None:
    client = _client(create_app(workspace))
    csrf = _csrf(client.get("/").text)
    bad = client.post(
        "/decide",
        data={"csrf": csrf, "s": LIVER_BX, "version": "0", "action": "replace",
              "object_id": "UBERON:9999999"},
    )  # fmt: skip
    assert bad.status_code == 400 and "unknown term" in bad.text
    assert len(workspace.ledger) == 0


def test_loopback_server_refuses_foreign_host_headers(workspace: Any) -> None:
    app = create_app(workspace)
    assert _client(app, "evil.example:8765").get("/").status_code == 403  # DNS rebinding
    assert _client(app, "localhost:8765").get("/").status_code == 200


def test_token_is_required_when_configured(workspace: Any) -> None:
    token = "s3cret-token-for-the-team-0123"
    client = _client(create_app(workspace, token=token, loopback_only=False), "10.0.0.5:8765")
    assert client.get("/").status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    first = client.get(f"/?token={token}", follow_redirects=False)
    assert first.status_code == 303 and "token" not in first.headers["location"]
    assert client.get("/").status_code == 200  # the cookie now carries it
    assert client.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_binding_rules() -> None:
    from harmonize.errors import ReviewError
    from harmonize.review.server import is_loopback, resolve_token

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert resolve_token("127.0.0.1", None) is None
    generated = resolve_token("0.0.0.0", None)
    assert generated is not None and len(generated) >= 16
    with pytest.raises(ReviewError, match="16"):
        resolve_token("0.0.0.0", "short")


def test_second_partner_shows_replayed_and_requeued_items(
    tmp_path: Path, review_data: Path
) -> None:
    ledger = Ledger.open(tmp_path / "mappings" / "decisions.sqlite")
    ada = reviewer("Ada Steward")
    for label, term in [("Liver", "UBERON:0002107"), ("skin", "UBERON:0002097")]:
        from harmonize.curie import local_curie

        ledger.record(new_decision(local_curie("tissue", label), "accept", ada,
                                   subject_label=label, object_id=term))  # fmt: skip
    ws = load_workspace(
        [review_data / "partner2_tissue.sssom.tsv"],
        ledger.path,
        ontologies=[review_data / "anatomy_v2.obo"],
        table=review_data / "partner2.csv",
    )
    items = {i.label: i for i in ws.items()}
    assert items["Liver"].status == "accepted" and items["Liver"].is_replayed
    assert items["Liver"].rows == 3
    assert items["skin"].status == "requeued" and items["skin"].open
    assert items["skin"].candidates[0].object_id == "UBERON:8000001"
    client = _client(create_app(ws))
    page = client.get("/item", params={"s": items["skin"].subject_id})
    assert "is obsolete" in page.text and "UBERON:8000001" in page.text
    queue = client.get("/", params={"status": ""}).text
    assert "replayed" in queue
    progress = client.get("/progress").text
    assert re.search(r"<td class=\"num\">1</td>", progress)  # one replayed decision


def test_item_page_links_the_hierarchy_to_the_branch_search(workspace: Any) -> None:
    client = _client(create_app(workspace))
    page = client.get("/item", params={"s": LIVER_BX, "search": "organ"})
    assert 'search=organ"' in page.text  # parent chip searches the parent
    assert "right lobe of liver" in page.text
    hits = re.findall(r'<li class="hit">\s*<span class="label">([^<]+)', page.text)
    assert hits and hits[0] == "organ"
    csrf = _csrf(page.text)
    bad = client.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0",
                                       "action": "accept", "object_id": "UBERON:0002107",
                                       "predicate": "skos:fooMatch"})  # fmt: skip
    assert bad.status_code == 400 and "predicate" in bad.text


def test_search_never_leaks_outside_the_branch(tmp_path: Path, review_data: Path) -> None:
    ws = load_workspace(
        [review_data / "partner1_tissue.sssom.tsv"],
        tmp_path / "d.sqlite",
        ontologies=[review_data / "anatomy.obo"],
        roots=["UBERON:0000479"],  # tissue
    )
    item = ws.item(LIVER_BX)
    hits = ws.search(item, "lung")
    assert "UBERON:0008946" in {h.id for h in hits}  # lung parenchyma is a tissue
    assert "UBERON:0002048" not in {h.id for h in hits}  # lung (an organ) is not
    assert all(ws.index.is_under(h.id, ["UBERON:0000479"]) for h in hits)


def test_two_workbenches_on_one_ledger_see_each_other(tmp_path: Path, review_data: Path) -> None:
    def open_ws() -> Any:
        return load_workspace(
            [review_data / "partner1_tissue.sssom.tsv"],
            tmp_path / "mappings" / "decisions.sqlite",
            table=review_data / "partner1.csv",
        )

    ada_ws, ben_ws = open_ws(), open_ws()
    ada, ben = reviewer("Ada"), reviewer("Ben")
    assert ben_ws.item(LIVER_BX).status == "pending"
    ada_ws.decide(LIVER_BX, "accept", ada, version=0, object_id="UBERON:0002107")
    assert ben_ws.item(LIVER_BX).status == "accepted"  # Ben's queue refreshes
    from harmonize.mappings.ledger import ConflictError

    with pytest.raises(ConflictError):
        ben_ws.decide(LIVER_BX, "reject", ben, version=0, object_id="UBERON:0002107")
    ada_ws.ledger.undo_last(ada)
    assert ben_ws.item(LIVER_BX).status == "pending"  # undo seen too
    lung = next(i for i in ben_ws.items() if i.label == "lung tissue")
    ben_ws.decide(lung.subject_id, "none", ben, version=lung.state.version)
    assert ada_ws.item(lung.subject_id).status == "no_term"


def test_disagreement_between_two_stewards_is_shown(workspace: Any) -> None:
    ada, ben = reviewer("Ada"), reviewer("Ben")
    workspace.decide(LIVER_BX, "accept", ada, version=0, object_id="UBERON:0002107")
    assert workspace.item(LIVER_BX).agreement is None  # one steward so far
    workspace.decide(LIVER_BX, "replace", ben, version=1, object_id="UBERON:0001114")
    assert workspace.item(LIVER_BX).agreement is False
    client = _client(create_app(workspace))
    disputed = client.get("/", params={"status": "disputed"}).text
    assert "liver bx" in disputed and "lung tissue" not in disputed
    assert "0% of 1" in client.get("/progress").text
    workspace.decide(LIVER_BX, "replace", ada, version=2, object_id="UBERON:0001114")
    assert workspace.item(LIVER_BX).agreement is True
    assert "100% of 1" in client.get("/progress").text


def test_reviewer_name_or_orcid_is_checked(workspace: Any) -> None:
    client = _client(create_app(workspace, reviewer_name="Ada"))
    csrf = _csrf(client.get("/").text)
    bad = client.post(
        "/reviewer", data={"csrf": csrf, "reviewer": "0000-0002-1825-0098", "back": "/"}
    )
    assert "ORCID" in bad.text and "Ada" in bad.text  # refused, still Ada
    good = client.post(
        "/reviewer", data={"csrf": csrf, "reviewer": "0000-0002-1825-0097", "back": "/"}
    )
    assert 'value="0000-0002-1825-0097"' in good.text
    page = client.get("/item", params={"s": LIVER_BX})
    client.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0", "action": "defer"})
    assert workspace.ledger.state(LIVER_BX).last.reviewer_id == "orcid:0000-0002-1825-0097"
    assert page.status_code == 200


def test_a_column_item_shows_its_distinct_values(tmp_path: Path, review_data: Path) -> None:
    ws = load_workspace(
        [review_data / "partner1_columns.sssom.tsv"],
        tmp_path / "d.sqlite",
        table=review_data / "partner1.csv",
    )
    tissue = next(i for i in ws.items() if i.label == "tissue")
    assert tissue.rows == 35 and tissue.candidates[0].object_id == "hmz:tissue"
    header, rows, column = ws.samples(tissue.subject_id)
    assert column == "tissue"
    values = [cells[header.index("tissue")] for _, cells in rows]
    assert len(values) == 5 and len(set(values)) == 5 and "Lung" in values  # most frequent


def test_queue_filters_hold(workspace: Any) -> None:
    from harmonize.review.queue import filter_items

    items = workspace.items()
    medium = filter_items(items, band="medium")
    assert {i.label for i in medium} == {"liver bx", "lung tissue", "cardiac muscle"}
    assert all(0.7 <= (i.top_confidence or 0) < 0.95 for i in medium)
    assert {i.label for i in filter_items(items, band="none")} == {"PBMC"}
    assert all(i.ontology == "UBERON" for i in filter_items(items, ontology="UBERON"))
    assert filter_items(items, ontology="MONDO") == []
    assert {i.label for i in filter_items(items, text="LIVER")} == {"liver bx", "Liver"}
    workspace.decide(LIVER_BX, "defer", reviewer("Ada"), version=0)
    items = workspace.items()
    assert [i.label for i in filter_items(items, status="deferred")] == ["liver bx"]
    assert "liver bx" in {i.label for i in filter_items(items, status="open")}
    client = _client(create_app(workspace))
    page = client.get("/", params={"band": "medium", "status": ""}).text
    assert "lung tissue" in page and "whole blood" not in page


def test_bulk_accept_skips_items_decided_meanwhile(workspace: Any) -> None:
    client = _client(create_app(workspace, reviewer_name="Ada"))
    preview = client.get("/bulk", params={"threshold": "0.95"}).text
    picks = re.findall(r'name="pick" value="([^"]+)"', preview)
    assert len(picks) == 9
    lung_pick = next(p for p in picks if "Lung" in p)
    lung = lung_pick.split("&#9;")[0]
    workspace.decide(lung, "reject", reviewer("Ben"), version=0, object_id="UBERON:0002048")
    import html

    data = {"csrf": _csrf(preview), "pick": [html.unescape(p) for p in picks]}
    done = client.post("/bulk", data=data).text
    assert re.search(r"<b>8</b> accepted, <b>1</b> skipped", done)
    state = workspace.ledger.state(lung)
    assert state.status == "pending" and state.rejected == {"UBERON:0002048"}  # Ben's stands


def test_row_counts_can_travel_in_the_sssom_other_field() -> None:
    from harmonize.mappings import Mapping
    from harmonize.mappings.model import JUSTIFICATION_LEXICAL
    from harmonize.review.queue import rows_hint

    def row(other: str | None) -> Mapping:
        return Mapping(
            "local:t/x-1", "skos:exactMatch", "UBERON:1", JUSTIFICATION_LEXICAL, other=other
        )

    assert rows_hint([row('{"rows": 12, "evidence": "x"}')]) == 12
    assert rows_hint([row("rows=7")]) == 7
    assert rows_hint([row("free text"), row(None)]) is None
    assert rows_hint([row('{"rows": -3}')]) is None


def test_match_columns_output_searches_in_the_slot_branch(
    tmp_path: Path, review_data: Path
) -> None:
    """Value sets as `harmonize match-columns --values-out` writes them (namespace
    value/<column>, sssom:NoTermFound for unmatched values) next to the column set."""
    from dataclasses import replace as dc_replace

    from harmonize.curie import local_curie
    from harmonize.mappings import Mapping, read_sssom, write_sssom
    from harmonize.resources import bundled_dir

    base = read_sssom(review_data / "partner1_tissue.sssom.tsv")
    rows = [
        dc_replace(m, subject_id=local_curie("value/tissue", m.subject_label or "")) for m in base
    ]
    rows.append(Mapping(local_curie("value/tissue", "PBMC"), "skos:exactMatch", "sssom:NoTermFound",
                        "semapv:CompositeMatching", subject_label="PBMC"))  # fmt: skip
    values = write_sssom(dc_replace(base, mappings=tuple(rows)), tmp_path / "values.sssom.tsv")
    ws = load_workspace(
        [review_data / "partner1_columns.sssom.tsv", values],
        tmp_path / "d.sqlite",
        ontologies=[review_data / "anatomy.obo"],
        table=review_data / "partner1.csv",
        schema=bundled_dir("schemas") / "harmonize.yaml",
    )
    items = {i.label: i for i in ws.items()}
    pbmc, lung = items["PBMC"], items["lung tissue"]
    assert pbmc.column == "tissue" and pbmc.candidates == () and pbmc.rows == 1
    assert lung.column == "tissue" and lung.rows == 3
    assert ws.item_roots(lung) == ("UBERON:0001062",)  # tissue column -> hmz:tissue -> UBERON
    hits = ws.search(lung, "parenchyma")
    assert hits and hits[0].id == "UBERON:0008946"
    assert all(ws.index.is_under(h.id, ["UBERON:0001062"]) for h in hits)
    # the steward says the column is really cell types: the branch follows the slot
    column = items["tissue"]
    ws.decide(column.subject_id, "replace", reviewer("Ada"), version=0, object_id="hmz:cell_type")
    assert ws.item_roots(ws.item(lung.subject_id)) == ()  # CL root: not in the loaded ontology
