"""The requests OpenRefine 3.x sends, replayed byte for byte, and the answers checked the
way OpenRefine reads them.

Taken from OpenRefine's source (3.5-3.8): ``recon-manager.js`` (adding a service: a CORS
GET of the URL, then a JSONP retry), ``GuessTypesOfColumnCommand`` (``queries=`` with the
column's first 10 distinct values, ``limit`` 3, no type), ``standard-service-panel.js`` and
``suggest-4_3a.js`` (type suggest: ``service_url + service_path`` with ``prefix=``),
``StandardReconConfig`` (batches of ``batchSize`` queries, Jackson-written
``{"query", "type", "type_strict": "should", "properties"}``, posted as a form by
``HttpClient.postNameValue``; results sorted by score, the first auto-matched when its
``match`` is true), ``data-table-cell-ui.js`` (preview and view URLs: ``encodeURI`` of the
template with ``{{id}}`` replaced) and ``ReconciledDataExtensionJob`` / the extend dialog
(``?type=`` proposals, ``extend=`` form posts).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

BROWSER = {
    "Accept": "application/json, text/javascript, */*; q=0.01",
    "Origin": "http://127.0.0.1:3333",
    "Referer": "http://127.0.0.1:3333/project?project=2105443211456",
}
JAVA = {
    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    "User-Agent": "OpenRefine/3.8.2 [TRUNK]",
}
COLUMN = ["liver bx", "Liver", "lung tissue", "LIVER", "kidney", "blood", "hepar", "heart",
          "PBMC", "cardiac muscle", "brain", "stomach"]  # fmt: skip


def _encode_uri(url: str) -> str:
    """JavaScript's ``encodeURI``."""
    return quote(url, safe="~@#$&()*!+=:;,.?/'-_")


def _post_form(client: Any, url: str, name: str, value: str) -> Any:
    """``HttpClient.postNameValue``: one form field, UTF-8, as OpenRefine's backend posts."""
    body = urlencode({name: value}).encode()
    return client.post(url, content=body, headers=JAVA)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _recon_results(items: list[Any]) -> list[dict[str, Any]]:
    """What ``StandardReconConfig.ReconResult`` needs of each item (Jackson would fail or
    default otherwise), then OpenRefine's own sort by decreasing score."""
    for item in items:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)
        assert isinstance(item["score"], int | float) and isinstance(item["match"], bool)
        assert all(isinstance(t["id"], str) and isinstance(t["name"], str) for t in item["type"])
    return sorted(items, key=lambda r: -r["score"])


def test_adding_the_service(client: Any) -> None:
    # 1. "Add Standard Service": the browser GETs the URL cross-origin (CORS)
    resp = client.get("/", headers=BROWSER)
    assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == "*"
    service = resp.json()
    for key in ("name", "identifierSpace", "schemaSpace", "defaultTypes"):
        assert service[key]
    assert "{{id}}" in service["view"]["url"] and "{{id}}" in service["preview"]["url"]
    assert isinstance(service["preview"]["width"], int) and service["preview"]["height"] > 0
    for kind in ("entity", "type", "property"):
        assert service["suggest"][kind]["service_url"].startswith("http://")
    assert isinstance(service["batchSize"], int) and service["batchSize"] >= 10

    # ... and retries with JSONP when CORS fails
    jsonp = client.get(
        "/?callback=jQuery36001844_1700000000000&_=1700000000001",
        headers={**BROWSER, "Accept": "text/javascript, application/javascript, */*; q=0.01"},
    )
    found = re.fullmatch(r"/\*\*/jQuery36001844_1700000000000\((.*)\);", jsonp.text, re.S)
    assert found and json.loads(found.group(1)) == service
    assert jsonp.headers["content-type"].startswith("application/javascript")


def test_reconciling_a_column(client: Any) -> None:
    service = client.get("/", headers=BROWSER).json()

    # 2. the reconcile dialog guesses types from the column's first 10 distinct values
    sample = {f"q{i}": {"query": v, "limit": 3} for i, v in enumerate(COLUMN[:10])}
    resp = _post_form(client, "/", "queries", json.dumps(sample, separators=(",", ":")))
    assert resp.status_code == 200
    groups: dict[str, list[float]] = {}
    for answer in resp.json().values():
        for j, result in enumerate(_recon_results(answer["result"])):
            types = result["type"]
            for t, typ in enumerate(types):
                groups.setdefault(typ["id"], []).append(1 / (1 + j) * (len(types) - t) / len(types))
    ranked = sorted(
        groups, key=lambda k: (-min(10, len(groups[k])), -sum(groups[k]) / len(groups[k]))
    )
    assert ranked[0] == "UBERON:0001062"  # the anatomy branch is proposed first

    # 3. the steward types in the type box: suggest, from the manifest's service_url/path
    typ = service["suggest"]["type"]
    resp = client.get(
        _path(typ["service_url"] + typ["service_path"]) + "?prefix=tiss", headers=BROWSER
    )
    assert resp.headers["access-control-allow-origin"] == "*"
    assert [t["id"] for t in resp.json()["result"]] == ["ex:tissue"]

    # 4. reconcile: batches of 10 (the default; batchSize is a maximum), Jackson's field order
    cells = {}
    for start in range(0, len(COLUMN), 10):
        batch = ",".join(
            f'"q{i}":' + json.dumps({"query": v, "type": "UBERON:0001062", "type_strict": "should",
                                     "properties": [{"pid": "column", "v": "tissue"}]}, separators=(",", ":"))
            for i, v in enumerate(COLUMN[start : start + 10])
        )  # fmt: skip
        resp = _post_form(client, "/", "queries", "{" + batch + "}")
        assert resp.status_code == 200
        for i, value in enumerate(COLUMN[start : start + 10]):
            cells[value] = _recon_results(resp.json()[f"q{i}"]["result"])
    auto = {v: r[0]["id"] for v, r in cells.items() if r and r[0]["match"]}  # autoMatch on
    assert auto["Liver"] == auto["LIVER"] == "UBERON:0002107" and auto["kidney"] == "UBERON:0002113"
    assert "liver bx" not in auto and cells["liver bx"][0]["id"] == "UBERON:0002107"  # offered
    # PBMC (cells) in an anatomy column: at most the broader tissue, never auto-matched
    assert "PBMC" not in auto and cells["PBMC"][0]["id"] == "UBERON:0000178"  # blood, broader
    assert all(c["score"] < 50 for c in cells["PBMC"])
    assert all(not c["match"] for r in cells.values() for c in r[1:])
    assert all(
        t["id"] == "UBERON:0001062" for r in cells.values() for c in r for t in c["type"][:1]
    )

    # 5. hovering a candidate: the preview in an iframe; clicking it: the view URL
    liver = cells["Liver"][0]["id"]
    preview = client.get(_path(_encode_uri(service["preview"]["url"].replace("{{id}}", liver))))
    assert preview.status_code == 200 and ">liver</h1>" in preview.text
    view = client.get(_path(_encode_uri(service["view"]["url"].replace("{{id}}", liver))),
                      follow_redirects=False)  # fmt: skip
    assert view.status_code == 302
    assert view.headers["location"] == "http://purl.obolibrary.org/obo/UBERON_0002107"

    # 6. "Search for match" on a cell: entity suggest with the typed text
    ent = service["suggest"]["entity"]
    resp = client.get(
        _path(ent["service_url"] + ent["service_path"]) + "?prefix=hepar", headers=BROWSER
    )
    first = resp.json()["result"][0]
    assert first["id"] == "UBERON:0002107" and "exact synonym: hepar" in first["description"]


def test_add_columns_from_reconciled_values(client: Any) -> None:
    service = client.get("/", headers=BROWSER).json()
    propose = service["extend"]["propose_properties"]
    url = _path(propose["service_url"] + propose["service_path"]) + "?type=" + "UBERON:0001062"
    props = client.get(url, headers=BROWSER).json()["properties"]
    assert {"label", "synonyms", "parents", "xrefs", "replaced_by"} <= {p["id"] for p in props}
    query = {"ids": ["UBERON:0002107", "UBERON:0002048"],
             "properties": [{"id": "parents"}, {"id": "synonyms", "settings": {"limit": "0"}}]}  # fmt: skip
    resp = _post_form(client, "/", "extend", json.dumps(query))
    data = resp.json()
    assert [(m["id"], m["name"]) for m in data["meta"]] == [
        ("parents", "parents"),
        ("synonyms", "synonyms"),
    ]
    for term_id in query["ids"]:  # ReconciledDataExtensionJob reads every column of every id
        row = data["rows"][term_id]
        assert set(row) == {"parents", "synonyms"}
    assert data["rows"]["UBERON:0002107"]["parents"] == [{"id": "UBERON:0000062", "name": "organ"}]
    assert {"str": "iecur"} in data["rows"]["UBERON:0002107"]["synonyms"]
