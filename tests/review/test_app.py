"""The workbench's HTTP surface: pages, guards, who decides, and what it shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.review.conftest import client, csrf_of

from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger
from harmonize.review.app import create_app
from harmonize.review.workspace import load_workspace

LIVER_BX = "local:tissue/liver_bx-e0d66b"
LUNG_TISSUE = "local:tissue/lung_tissue-471e21"
HEPATIC = "local:tissue/hepatic-09c4a7"
PBMC = "local:tissue/PBMC-a128ec"


def _named(app: Any, name: str) -> Any:
    """A browser that has typed its reviewer name."""
    c = client(app)
    token = csrf_of(c.get("/").text)
    c.post("/reviewer", data={"csrf": token, "reviewer": name, "back": "/"})
    return c


def test_decide_needs_the_csrf_token_and_same_origin(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    page = c.get("/item", params={"s": LIVER_BX})
    form = {"s": LIVER_BX, "version": "0", "action": "accept", "object_id": "UBERON:0002107"}
    forged = c.post("/decide", data={**form, "csrf": "guess"}, follow_redirects=False)
    assert forged.status_code == 400 and "CSRF" in forged.text
    cross = c.post("/decide", data={**form, "csrf": csrf_of(page.text)},
                   headers={"Origin": "http://evil.example"}, follow_redirects=False)  # fmt: skip
    assert cross.status_code == 403
    assert len(workspace.ledger) == 0
    ok = c.post("/decide", data={**form, "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert ok.status_code == 303 and "s=local%3Atissue%2Flung_tissue" in ok.headers["location"]
    assert workspace.ledger.state(LIVER_BX).chosen == "UBERON:0002107"


def test_a_reviewer_name_is_required_before_the_first_decision(workspace: Any) -> None:
    app = create_app(workspace)  # no --reviewer: every browser names itself
    c = client(app)
    page = c.get("/item", params={"s": LIVER_BX}).text
    assert 'id="need-name"' in page
    form = {"csrf": csrf_of(page), "s": LIVER_BX, "version": "0", "action": "accept",
            "object_id": "UBERON:0002107"}  # fmt: skip
    refused = c.post("/decide", data=form)
    assert refused.status_code == 400 and "your name" in refused.text
    assert len(workspace.ledger) == 0
    empty = c.post("/reviewer", data={"csrf": form["csrf"], "reviewer": "  ", "back": "/"})
    assert "needs a name" in empty.text and len(workspace.ledger) == 0
    c.post("/reviewer", data={"csrf": form["csrf"], "reviewer": "Ada Steward", "back": "/"})
    assert c.post("/decide", data=form, follow_redirects=False).status_code == 303
    assert workspace.ledger.state(LIVER_BX).decision.reviewer_label == "Ada Steward"  # type: ignore[union-attr]
    cookie = next(ck for ck in c.cookies.jar if ck.name == "harmonize_reviewer")
    assert cookie.expires is not None  # remembered by this browser, not for the session only


def _ada_accepts_liver_bx(app: Any) -> tuple[Any, Any, str, str, str]:
    """Ada and Ben name themselves; Ada accepts liver bx. Returns both browsers, the CSRF
    token, and the undo target and version Ada's next page shows."""
    ada, ben = _named(app, "Ada"), _named(app, "Ben")
    csrf = csrf_of(ada.get("/").text)
    ada.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0", "action": "accept",
                              "object_id": "UBERON:0002107"})  # fmt: skip
    undo = re.search(r'id="undo-form".*?</form>', ada.get("/").text, re.S).group(0)  # type: ignore[union-attr]
    target = re.search(r'name="target" value="([^"]+)"', undo).group(1)  # type: ignore[union-attr]
    version = re.search(r'name="version" value="([^"]+)"', undo).group(1)  # type: ignore[union-attr]
    return ada, ben, csrf, target, version


def test_undo_undoes_only_your_own_last_decision(workspace: Any) -> None:
    ada, ben, csrf, target, version = _ada_accepts_liver_bx(create_app(workspace))
    ben.post("/decide", data={"csrf": csrf, "s": LUNG_TISSUE, "version": "0", "action": "none"})
    # Ada's page named her last decision; her u undoes it, never Ben's later one
    done = ada.post("/undo", data={"csrf": csrf, "target": target, "version": version})
    assert done.status_code == 200
    assert workspace.ledger.state(LIVER_BX).status == "pending"
    assert workspace.ledger.state(LUNG_TISSUE).status == "no_term"  # Ben's stands
    again = ada.post("/undo", data={"csrf": csrf, "target": target, "version": version})
    assert "nothing of yours to undo" in again.text
    assert workspace.ledger.state(LUNG_TISSUE).status == "no_term"


def test_undo_refuses_a_stale_page(workspace: Any) -> None:
    ada, ben, csrf, target, _ = _ada_accepts_liver_bx(create_app(workspace))
    ben.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "1", "action": "replace",
                              "object_id": "UBERON:0001114"})  # fmt: skip
    stale = ada.post("/undo", data={"csrf": csrf, "target": target, "version": "1"})
    assert "changed since you opened it" in stale.text
    assert workspace.ledger.state(LIVER_BX).chosen == "UBERON:0001114"
    assert [d.action for d in workspace.ledger.decisions()] == ["accept", "replace"]


_BAD_VERSIONS = ["", "abc", "-1", " 1", "1 ", "1.0", "+1", "0x1", "9" * 40, "١"]


@pytest.mark.parametrize("version", [None, *_BAD_VERSIONS])
def test_a_decision_needs_a_valid_version(workspace: Any, version: str | None) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    form = {"csrf": csrf_of(c.get("/").text), "s": LIVER_BX, "action": "accept",
            "object_id": "UBERON:0002107"}  # fmt: skip
    if version is not None:
        form["version"] = version
    answer = c.post("/decide", data=form, follow_redirects=False)
    assert answer.status_code == 400 and "version" in answer.text
    picks = c.post(
        "/bulk", data={"csrf": form["csrf"], "pick": f"{LIVER_BX}\tUBERON:0002107\t{version}"}
    )
    assert picks.status_code == 400 and "version" in picks.text
    assert len(workspace.ledger) == 0


_RAW = "application/x-www-form-urlencoded"


def _malformed(endpoint: str, csrf: str) -> list[tuple[dict[str, Any], str]]:
    """(request keywords, what it is): bodies a buggy or hostile client may post."""
    common: list[tuple[dict[str, Any], str]] = [
        ({}, "empty body"),
        ({"content": b"\xff\xfe\x00garbage", "headers": {"content-type": _RAW}}, "binary"),
        ({"content": b"--x\r\nnot a part", "headers": {"content-type": "multipart/form-data; boundary=x"}}, "broken multipart"),
        ({"content": b"csrf=%ZZ&s=%", "headers": {"content-type": _RAW}}, "bad escapes"),
        ({"content": b'{"csrf": 1}', "headers": {"content-type": "application/json"}}, "json"),
        ({"data": {"csrf": ""}}, "no csrf"),
        ({"data": {"csrf": csrf}, "files": {"csrf": ("c.txt", b"x", "text/plain")}}, "file upload"),
    ]  # fmt: skip
    good = {"csrf": csrf, "s": LIVER_BX, "version": "0", "action": "accept",
            "object_id": "UBERON:0002107"}  # fmt: skip
    specific: dict[str, list[tuple[dict[str, Any], str]]] = {
        "/decide": [
            ({"data": {**good, "action": "undo"}}, "undo as a decision"),
            ({"data": {**good, "action": "delete"}}, "unknown action"),
            ({"data": {**good, "s": ""}}, "no subject"),
            ({"data": {**good, "s": "local:nope/x-1"}}, "unknown subject"),
            ({"data": {**good, "object_id": "UBERON:9999999"}}, "unknown term"),
            ({"data": {**good, "object_id": ""}}, "accept of nothing"),
            ({"data": {**good, "predicate": "skos:fooMatch"}}, "unknown predicate"),
            ({"data": {**good, "comment": "x" * 5000}}, "comment too long"),
            ({"data": {**good, "comment": "a\x00b"}}, "NUL byte"),
            ({"data": {**good, "action": "assign", "assignee": ""}}, "assign to nobody"),
            ({"data": {**good, "action": "assign", "assignee": "0000-0002-1825-0098"}}, "bad ORCID"),
            ({"data": {**good, "action": "none", "terms": ["UBERON:0002107", "UBERON:0002113"]}}, "terms on none"),
            ({"data": {**good, "terms": ["UBERON:0002107", "UBERON:9999999"]}}, "an unknown second term"),
            ({"data": good, "files": {"comment": ("c.txt", b"file", "text/plain")}}, "comment as a file"),
            *[({"data": {**good, "version": v}}, f"version {v!r}") for v in _BAD_VERSIONS],
        ],
        "/bulk": [
            ({"data": {"csrf": csrf}}, "nothing picked"),
            ({"data": {"csrf": csrf, "pick": "only-one-part"}}, "bad pick"),
            ({"data": {"csrf": csrf, "pick": f"{LIVER_BX}\t\t0"}}, "pick without term"),
            ({"data": {"csrf": csrf, "pick": "local:nope/x-1\tUBERON:0002107\t0"}}, "pick of no item"),
            ({"data": {"csrf": csrf, "pick": f"{LIVER_BX}\tUBERON:9999999\t0"}}, "pick of no term"),
            *[({"data": {"csrf": csrf, "pick": f"{LIVER_BX}\tUBERON:0002107\t{v}"}}, f"pick version {v!r}") for v in _BAD_VERSIONS],
        ],
        "/undo": [
            *[({"data": {"csrf": csrf, "target": "abc", "version": v}}, f"undo version {v!r}") for v in _BAD_VERSIONS],
            ({"data": {"csrf": csrf, "target": "abc"}}, "undo without version"),
        ],
        "/reviewer": [
            ({"data": {"csrf": csrf, "reviewer": "x" * 500}}, "name too long"),
            ({"data": {"csrf": csrf, "reviewer": ""}}, "no name"),
        ],
        "/export": [],
    }  # fmt: skip
    return common + specific[endpoint]


@pytest.mark.parametrize("endpoint", ["/decide", "/undo", "/bulk", "/export", "/reviewer"])
def test_malformed_forms_answer_400_with_a_message_never_500(workspace: Any, endpoint: str) -> None:
    app = create_app(workspace, reviewer_name="Ada")
    c = client(app)
    csrf = csrf_of(c.get("/").text)
    for kwargs, what in _malformed(endpoint, csrf):
        answer = c.post(endpoint, **kwargs)
        if endpoint == "/reviewer" and what == "no name":
            assert answer.status_code == 200 and 'class="flash error"' in answer.text, what
            continue  # refused on the page the steward was on, with the reason
        assert answer.status_code == 400, (endpoint, what, answer.status_code, answer.text[-300:])
        assert re.search(r'<div class="error" id="error"><h1>[^<]+</h1><p>\S', answer.text), what
    assert workspace.ledger.decisions() == []
    assert not (workspace.ledger.path.parent / "decisions.sssom.tsv").exists()


def test_get_pages_survive_odd_parameters(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    for path, params in [("/", {"page": "-1"}), ("/", {"page": "9" * 30}), ("/", {"status": "x"}),
                         ("/bulk", {"threshold": "nan"}), ("/bulk", {"threshold": "7"}),
                         ("/item", {"s": LIVER_BX, "search": "x" * 5000}), ("/progress", {})]:  # fmt: skip
        assert c.get(path, params=params).status_code == 200, (path, params)
    assert c.get("/item", params={"s": "nope"}).status_code == 404
    assert c.get("/nope").status_code == 404 and "no such page" in c.get("/nope").text
    assert c.get("/decide").status_code == 405


def test_a_banner_cannot_be_forged_through_the_url(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    page = c.get("/", params={"msg": "Your data was verified by the partner", "kind": "ok"})
    assert "Your data was verified" not in page.text
    csrf = csrf_of(page.text)
    answer = c.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0",
                                     "action": "accept", "object_id": "UBERON:0002107"})  # fmt: skip
    assert re.search(r'id="flash">accepted liver for liver bx<', answer.text)  # signed by us
    tampered = str(answer.url).replace("accepted", "verified")
    assert "verified liver" not in c.get(tampered).text


def test_confidence_is_truncated_never_rounded_across_the_threshold(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    queue = c.get("/", params={"status": ""}).text
    row = re.search(r'<tr class="row[^"]*"[^>]*hepatic.*?</tr>', queue, re.S).group(0)  # type: ignore[union-attr]
    assert "0.948" in row and "0.95<" not in row and "0.949" not in row
    item = c.get("/item", params={"s": HEPATIC}).text
    assert ">0.948<" in item and ">0.95<" not in item
    bulk = c.get("/bulk").text  # at the threshold: hepatic is not offered
    assert "hepatic" not in bulk and ">0.990<" in bulk


def test_a_comment_typed_before_a_conflict_is_kept(workspace: Any) -> None:
    app = create_app(workspace)
    ada, ben = _named(app, "Ada"), _named(app, "Ben")
    csrf = csrf_of(ada.get("/").text)
    ada.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0", "action": "accept",
                              "object_id": "UBERON:0002107"})  # fmt: skip
    stale = ben.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0",
                                      "action": "reject", "object_id": "UBERON:0002107",
                                      "comment": "bx is a biopsy, not the organ",
                                      "predicate": "skos:broadMatch"})  # fmt: skip
    assert stale.status_code == 409 and "nothing was overwritten" in stale.text
    assert 'value="bx is a biopsy, not the organ"' in stale.text
    assert re.search(r'<option value="skos:broadMatch" selected', stale.text)


def test_candidates_keep_their_numbers_after_a_rejection(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    csrf = csrf_of(c.get("/").text)
    after = c.post("/decide", data={"csrf": csrf, "s": LUNG_TISSUE, "version": "0",
                                    "action": "reject", "object_id": "UBERON:0000479"}).text  # fmt: skip
    numbered = re.findall(
        r'<li class="cand( rejected)?" data-n="(\d)".*?<span class="label">([^<]+)', after, re.S
    )
    assert numbered == [(" rejected", "1", "tissue"), ("", "2", "lung"), ("", "3", "right lung")]
    first = re.search(r'id="cand-1".*?</li>', after, re.S).group(0)  # type: ignore[union-attr]
    assert "accept-form" not in first  # nothing to accept under key 1 any more


def test_no_candidate_found_is_told_apart_from_all_rejected(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    pbmc = c.get("/item", params={"s": PBMC}).text
    assert "found no candidate" in pbmc and "No candidate left" not in pbmc
    csrf = csrf_of(pbmc)
    for n, term in enumerate(["UBERON:0002107", "UBERON:0001115", "UBERON:0001114"]):
        c.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": str(n),
                                "action": "reject", "object_id": term})  # fmt: skip
    page = c.get("/item", params={"s": LIVER_BX}).text
    assert "No candidate left: all 3 rejected" in page and "found no candidate" not in page


def test_favicon(workspace: Any) -> None:
    answer = client(create_app(workspace)).get("/favicon.ico")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/")
    assert answer.text.startswith("<svg")


def test_progress_page_counts_values_and_columns_apart(tmp_path: Path, review_data: Path) -> None:
    ws = load_workspace(
        [review_data / "partner1_columns.sssom.tsv", review_data / "partner1_tissue.sssom.tsv"],
        tmp_path / "d.sqlite",
        table=review_data / "partner1.csv",
    )
    page = client(create_app(ws)).get("/progress").text
    total = re.search(r'<tr id="values-total">.*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
    assert "24 / 35" in total  # of 35 tissue cells, 4+6+1+2+3+2+2+4 in the 8 auto values
    assert 'id="progress-columns"' in page


def test_loopback_server_refuses_foreign_host_headers(workspace: Any) -> None:
    app = create_app(workspace)
    assert client(app, "evil.example:8765").get("/").status_code == 403  # DNS rebinding
    assert client(app, "localhost:8765").get("/").status_code == 200


def test_token_is_required_when_configured(workspace: Any) -> None:
    token = "s3cret-token-for-the-team-0123"
    c = client(create_app(workspace, token=token, loopback_only=False), "10.0.0.5:8765")
    assert c.get("/").status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    first = c.get(f"/?token={token}", follow_redirects=False)
    assert first.status_code == 303 and "token" not in first.headers["location"]
    assert c.get("/").status_code == 200  # the cookie now carries it
    assert c.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


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
    from harmonize.curie import local_curie

    ledger = Ledger.open(tmp_path / "mappings" / "decisions.sqlite")
    ada = reviewer("Ada Steward")
    for label, term in [("Liver", "UBERON:0002107"), ("skin", "UBERON:0002097")]:
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
    c = client(create_app(ws))
    page = c.get("/item", params={"s": items["skin"].subject_id})
    assert "is obsolete" in page.text and "UBERON:8000001" in page.text
    assert "replayed" in c.get("/", params={"status": ""}).text


def test_item_page_links_the_hierarchy_to_the_branch_search(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    page = c.get("/item", params={"s": LIVER_BX, "search": "organ"})
    assert 'search=organ"' in page.text  # parent chip searches the parent
    assert "right lobe of liver" in page.text
    hits = re.findall(r'<li class="hit">.*?<span class="label">([^<]+)', page.text, re.S)
    assert hits and hits[0] == "organ"


def test_disagreement_between_two_stewards_is_shown(workspace: Any) -> None:
    ada, ben = reviewer("Ada"), reviewer("Ben")
    workspace.decide(LIVER_BX, "accept", ada, version=0, object_id="UBERON:0002107")
    assert workspace.item(LIVER_BX).agreement is None  # one steward so far
    workspace.decide(LIVER_BX, "replace", ben, version=1, object_id="UBERON:0001114")
    assert workspace.item(LIVER_BX).agreement is False
    c = client(create_app(workspace))
    disputed = c.get("/", params={"status": "disputed"}).text
    assert "liver bx" in disputed and "lung tissue" not in disputed
    assert "0% of 1" in c.get("/progress").text
    workspace.decide(LIVER_BX, "replace", ada, version=2, object_id="UBERON:0001114")
    assert workspace.item(LIVER_BX).agreement is True
    assert "100% of 1" in c.get("/progress").text


def test_reviewer_name_or_orcid_is_checked(workspace: Any) -> None:
    c = client(create_app(workspace, reviewer_name="Ada"))
    csrf = csrf_of(c.get("/").text)
    bad = c.post("/reviewer", data={"csrf": csrf, "reviewer": "0000-0002-1825-0098", "back": "/"})
    assert "ORCID" in bad.text and 'value="Ada"' in bad.text  # refused, still Ada
    good = c.post("/reviewer", data={"csrf": csrf, "reviewer": "0000-0002-1825-0097", "back": "/"})
    assert 'value="0000-0002-1825-0097"' in good.text
    c.post("/decide", data={"csrf": csrf, "s": LIVER_BX, "version": "0", "action": "defer"})
    assert workspace.ledger.state(LIVER_BX).last.reviewer_id == "orcid:0000-0002-1825-0097"  # type: ignore[union-attr]


def test_bulk_accept_skips_items_decided_meanwhile(workspace: Any) -> None:
    import html

    c = client(create_app(workspace, reviewer_name="Ada"))
    preview = c.get("/bulk", params={"threshold": "0.95"}).text
    picks = [html.unescape(p) for p in re.findall(r'name="pick" value="([^"]+)"', preview)]
    assert len(picks) == 8  # the eight values at 0.99 (hepatic's 0.9487 is not offered)
    lung = next(p for p in picks if "/Lung-" in p).split("\t")[0]
    workspace.decide(lung, "reject", reviewer("Ben"), version=0, object_id="UBERON:0002048")
    done = c.post("/bulk", data={"csrf": csrf_of(preview), "pick": picks}).text
    assert re.search(r"<b>7</b> accepted, <b>1</b> skipped", done)
    state = workspace.ledger.state(lung)
    assert state.status == "pending" and state.rejected == {"UBERON:0002048"}  # Ben's stands


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
    column = items["tissue"]
    ws.decide(column.subject_id, "replace", reviewer("Ada"), version=0, object_id="hmz:cell_type")
    assert ws.item_roots(ws.item(lung.subject_id)) == ()  # CL root: not in the loaded ontology
