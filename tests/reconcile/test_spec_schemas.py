"""Every document the service returns validates against the specification's JSON Schemas
(API 0.2 at the root, 1.0 draft under /v1); malformed batches are refused with 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.reconcile.conftest import BRANCH, client_for, errors_of, queries

GOOD_V02 = {
    "q0": {"query": "liver bx", "type": BRANCH, "type_strict": "should"},
    "q1": {"query": "Lung", "limit": 2},
    "q2": {"query": "kidney", "type": [BRANCH, "ex:tissue"], "type_strict": "any",
           "properties": [{"pid": "column", "v": "tissue"}, {"pid": "under", "v": {"id": "UBERON:0000062", "name": "organ"}}]},
    "q3": {"query": "f", "type": "ex:sex"},
    "q4": {"query": "no such thing at all"},
}  # fmt: skip


def test_manifests_validate(client: Any, v02: dict[str, Any], v10: dict[str, Any]) -> None:
    m2 = client.get("/").json()
    assert errors_of(v02["manifest"], m2) == []
    assert m2["identifierSpace"] == m2["schemaSpace"] == "http://purl.obolibrary.org/obo/"
    assert m2["view"]["url"] == "http://127.0.0.1:8766/view?id={{id}}"
    assert {t["id"] for t in m2["defaultTypes"]} >= {BRANCH, "ex:tissue", "ex:sex"}
    m1 = client.get("/v1").json()
    assert errors_of(v10["manifest"], m1) == []
    assert m1["view"]["url"].endswith("/view?id={id}") and m1["versions"] == ["1.0-draft"]
    # the two manifests cannot be one document: 0.2's suggest entries are objects, 1.0's booleans
    assert errors_of(v02["manifest"], m1) and errors_of(v10["manifest"], m2)


def test_query_batches_validate_v02(client: Any, v02: dict[str, Any]) -> None:
    assert errors_of(v02["reconciliation-query-batch"], GOOD_V02) == []  # a fair request
    for send in (
        lambda: client.post("/", data={"queries": json.dumps(GOOD_V02)}),  # OpenRefine's form
        lambda: client.get("/", params={"queries": json.dumps(GOOD_V02)}),  # GET
        lambda: client.post("/", json=GOOD_V02),  # a JSON body
    ):
        resp = send()
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert errors_of(v02["reconciliation-result-batch"], body) == []
        assert set(body) == set(GOOD_V02)
        assert body["q0"]["result"][0]["id"] == "UBERON:0002107"
        assert body["q3"]["result"][0]["id"] == "PATO:0000383"  # the enum slot's "female"
        assert body["q4"]["result"] == []
    single = client.get("/", params={"query": "liver"}).json()  # API 0.1
    assert errors_of(v02["reconciliation-result-batch"], {"q": single}) == []


def test_query_batches_validate_v10(client: Any, v10: dict[str, Any]) -> None:
    batch = {
        "queries": [
            {"conditions": [{"matchType": "name", "propertyValue": "liver bx"}], "type": BRANCH},
            {"conditions": [{"matchType": "name", "propertyValue": "Lung"},
                            {"matchType": "property", "propertyId": "column", "propertyValue": "tissue"}],
             "limit": 1},
            {"conditions": [{"matchType": "id", "propertyValue": "UBERON:0002048"}]},
        ]
    }  # fmt: skip
    assert errors_of(v10["reconciliation-query-batch"], batch) == []
    resp = client.post("/v1/match", json=batch)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert errors_of(v10["reconciliation-result-batch"], body) == []
    first, second, by_id = (r["candidates"] for r in body["results"])
    assert first[0]["id"] == "UBERON:0002107" and len(second) == 1
    assert [c["id"] for c in by_id] == ["UBERON:0002048"]


MALFORMED_V02: list[tuple[str, Any, int]] = [
    ("not JSON", "{q0: liver}", 400),
    ("an array", json.dumps([{"query": "liver"}]), 400),
    ("query not an object", json.dumps({"q0": "liver"}), 400),
    ("unknown field", json.dumps({"q0": {"query": "liver", "colour": "red"}}), 400),
    ("query not a string", json.dumps({"q0": {"query": 42}}), 400),
    ("no query, no properties", json.dumps({"q0": {"type": BRANCH}}), 400),
    ("type a number", json.dumps({"q0": {"query": "liver", "type": 7}}), 400),
    ("limit a string", json.dumps({"q0": {"query": "liver", "limit": "3"}}), 400),
    ("properties not a list", json.dumps({"q0": {"query": "liver", "properties": {"pid": "column"}}}), 400),
    ("property without v", json.dumps({"q0": {"query": "liver", "properties": [{"pid": "column"}]}}), 400),
    ("bad type_strict", json.dumps({"q0": {"query": "liver", "type_strict": "maybe"}}), 400),
]  # fmt: skip
REFUSED_V02: list[tuple[str, Any, int]] = [  # valid per the schema, refused by this service
    ("unknown type", json.dumps({"q0": {"query": "liver", "type": "Q5"}}), 400),
    ("unknown property", json.dumps({"q0": {"query": "liver", "properties": [{"pid": "P31", "v": "x"}]}}), 400),
    ("unknown context term", json.dumps({"q0": {"query": "liver", "properties": [{"pid": "under", "v": "UBERON:404"}]}}), 400),
    ("too many queries", json.dumps({f"q{i}": {"query": "x"} for i in range(1001)}), 413),
    ("query text too long", json.dumps({"q0": {"query": "x" * 1001}}), 400),
]  # fmt: skip


@pytest.mark.parametrize(("what", "text", "status"), MALFORMED_V02 + REFUSED_V02)
def test_malformed_batches_get_4xx_with_a_message(
    client: Any, v02: dict[str, Any], what: str, text: str, status: int
) -> None:
    if (what, text, status) in MALFORMED_V02:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if parsed is not None:  # the specification's own schema refuses it too
            assert errors_of(v02["reconciliation-query-batch"], parsed), what
    resp = client.post("/", data={"queries": text})
    assert resp.status_code == status, (what, resp.text)
    body = resp.json()
    assert body["status"] == "error" and body["message"] and "Traceback" not in body["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"queries": [{"query": "liver"}]},  # a 0.2 query in a 1.0 batch
        {"queries": [{"conditions": []}]},
        {"queries": [{"conditions": [{"matchType": "label", "propertyValue": "x"}]}]},
        {
            "queries": [
                {"conditions": [{"matchType": "name", "propertyValue": "x"}], "type": [BRANCH]}
            ]
        },
        {"queries": "liver"},
    ],
)
def test_malformed_v10_batches_get_400(client: Any, v10: dict[str, Any], body: Any) -> None:
    assert errors_of(v10["reconciliation-query-batch"], body)
    resp = client.post("/v1/match", json=body)
    assert resp.status_code == 400 and resp.json()["message"]


def test_bodies_too_large_or_of_the_wrong_kind(service: Any) -> None:
    from dataclasses import replace

    service.limits = replace(service.limits, max_body_bytes=2000)
    client = client_for(service)
    big = queries(*({"query": f"liver {i}"} for i in range(200)))
    assert client.post("/", data=big).status_code == 413
    resp = client.post(
        "/", content=b"\x00\x01", headers={"content-type": "application/octet-stream"}
    )
    assert resp.status_code == 415
    resp = client.post("/", content="queries=\xff".encode("latin-1"),
                       headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert resp.status_code == 400


def test_suggest_responses_validate(client: Any, v02: dict[str, Any], v10: dict[str, Any]) -> None:
    for base, schemas in (("", v02), ("/v1", v10)):
        ent = client.get(f"{base}/suggest/entity", params={"prefix": "liv"}).json()
        assert errors_of(schemas["suggest-entities-response"], ent) == []
        assert ent["result"][0]["id"] == "UBERON:0002107"
        typ = client.get(f"{base}/suggest/type", params={"prefix": "anat"}).json()
        assert errors_of(schemas["suggest-types-response"], typ) == []
        assert [t["id"] for t in typ["result"]] == [BRANCH]
        prop = client.get(f"{base}/suggest/property", params={"prefix": "par"}).json()
        assert errors_of(schemas["suggest-properties-response"], prop) == []
        assert {p["id"] for p in prop["result"]} == {"column", "parents"}
    # restricted to a type, paged
    in_sex = client.get("/suggest/entity", params={"prefix": "liv", "type": "ex:sex"}).json()
    assert in_sex["result"] == []
    page = client.get("/suggest/entity", params={"prefix": "l", "limit": 1, "cursor": 1}).json()
    assert len(page["result"]) == 1
    assert client.get("/suggest/entity").status_code == 400  # no prefix
    assert client.get("/suggest/gene", params={"prefix": "x"}).status_code == 404


def test_extend_responses_validate(client: Any, v02: dict[str, Any], v10: dict[str, Any]) -> None:
    query = {"ids": ["UBERON:0002107", "UBERON:404"],
             "properties": [{"id": "label"}, {"id": "synonyms", "settings": {"limit": "1"}},
                            {"id": "parents"}, {"id": "definition"}, {"id": "xrefs"}, {"id": "replaced_by"}]}  # fmt: skip
    assert errors_of(v02["data-extension-query"], query) == []
    for base, schemas in (("", v02), ("/v1", v10)):
        proposal = client.get(f"{base}/extend/propose", params={"type": BRANCH}).json()
        assert errors_of(schemas["data-extension-property-proposal"], proposal) == []
        assert {p["id"] for p in proposal["properties"]} >= {
            "label",
            "synonyms",
            "parents",
            "xrefs",
            "replaced_by",
        }
    r2 = client.post("/", data={"extend": json.dumps(query)}).json()
    assert errors_of(v02["data-extension-response"], r2) == []
    liver = r2["rows"]["UBERON:0002107"]
    assert liver["label"] == [{"str": "liver"}] and liver["synonyms"] == [{"str": "hepar"}]
    assert liver["parents"] == [{"id": "UBERON:0000062", "name": "organ"}]
    assert r2["rows"]["UBERON:404"]["label"] == []
    r1 = client.post("/v1/extend", json=query).json()
    assert errors_of(v10["data-extension-response"], r1) == []
    assert r1["rows"][0]["properties"][0] == {"id": "label", "values": [{"str": "liver"}]}
    bad = client.post(
        "/", data={"extend": json.dumps({"ids": ["x"], "properties": [{"id": "mass"}]})}
    )
    assert bad.status_code == 400 and "mass" in bad.json()["message"]


def test_preview_is_an_escaped_html_card(make_service: Any, data_dir: Any) -> None:
    client = client_for(make_service(data_dir / "reconcile" / "tricky.obo"))
    resp = client.get("/preview", params={"id": "UBERON:9900001"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    html = resp.text
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; gland &amp; duct" in html
    assert "&lt;i&gt;italic&lt;/i&gt; gland" in html  # a synonym, escaped
    assert "anatomical entity" in html  # its parent, by name
    missing = client.get("/preview", params={"id": "<b>UBERON:404</b>"})
    assert missing.status_code == 404 and "<b>" not in missing.text
