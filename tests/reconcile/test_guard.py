"""Loopback by default, a token elsewhere, CORS as the specification asks, JSONP without
script injection, and no request input that makes the service answer 500."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.reconcile.conftest import client_for, queries

TOKEN = "s3cret-token-of-24-chars!"


def test_loopback_service_refuses_other_host_names(service: Any) -> None:
    rebinding = client_for(service, host="evil.example:8766")
    assert rebinding.get("/").status_code == 403
    assert client_for(service, host="localhost:8766").get("/").status_code == 200
    assert client_for(service, host="[::1]:8766").get("/").status_code == 200


def test_a_token_is_required_beyond_loopback(service: Any) -> None:
    client = client_for(service, host="10.1.2.3:8766", token=TOKEN, loopback_only=False)
    denied = client.get("/")
    assert denied.status_code == 401 and "token" in denied.json()["message"]
    assert client.get("/health").status_code == 200  # probes need no token
    assert client.get("/k/wrong-token/").status_code == 401
    manifest = client.get(f"/k/{TOKEN}/").json()
    base = f"http://10.1.2.3:8766/k/{TOKEN}"
    assert manifest["suggest"]["type"]["service_url"] == base  # every later request carries it
    assert manifest["preview"]["url"] == f"{base}/preview?id={{{{id}}}}"
    assert client.get(f"/k/{TOKEN}").status_code == 200
    hit = client.get(f"/k/{TOKEN}/suggest/entity", params={"prefix": "liver"})
    assert hit.status_code == 200 and hit.json()["result"][0]["id"] == "UBERON:0002107"
    assert client.get("/v1", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.post(f"/k/{TOKEN}/", data=queries({"query": "liver"})).status_code == 200


def test_cors_on_every_reconciliation_endpoint(client: Any) -> None:
    origin = {"Origin": "http://127.0.0.1:3333"}
    for path in ("/", "/v1", "/suggest/type?prefix=a", "/preview?id=UBERON:0002107",
                 "/extend/propose?type=", "/suggest/entity"):  # fmt: skip
        resp = client.get(path, headers=origin)
        assert resp.headers["access-control-allow-origin"] == "*", path  # errors too
    pre = client.options("/v1/match", headers={**origin, "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == "*"
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()


def test_jsonp_callbacks_cannot_inject_script(client: Any) -> None:
    ok = client.get("/suggest/type", params={"prefix": "anat", "callback": "cb.fn_1"})
    assert ok.text.startswith("/**/cb.fn_1(") and ok.text.endswith(");")
    for bad in ("alert(1)//", "a;b", "<script>", "x" * 101, "1abc"):
        resp = client.get("/", params={"callback": bad})
        assert resp.status_code == 400 and resp.headers["content-type"] == "application/json"
        assert not resp.text.startswith(bad)  # JSON, never a script that calls it
    assert client.post("/?callback=cb", data=queries({"query": "liver"})).text.startswith("{")


def test_view_redirects_only_to_known_terms(client: Any) -> None:
    assert (
        client.get("/view", params={"id": "javascript://x"}, follow_redirects=False).status_code
        == 404
    )
    assert (
        client.get("/view", params={"id": "UBERON:404"}, follow_redirects=False).status_code == 404
    )


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def test_json_constants_and_deep_nesting_are_refused(client: Any) -> None:
    for text in ('{"q0": {"query": "x", "limit": Infinity}}', '{"q0": {"query": NaN}}',
                 "[" * 100_000 + "]" * 100_000, ""):  # fmt: skip
        resp = client.post("/", data={"queries": text})
        assert resp.status_code == 400 and resp.json()["message"]
    resp = client.post("/", content=b'{"q0": {"query": "x", "limit": -Infinity}}',
                       headers={"content-type": "application/json"})  # fmt: skip
    assert resp.status_code == 400


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=JSONISH, raw=st.text(max_size=60))
def test_no_input_makes_the_service_fail(client: Any, payload: Any, raw: str) -> None:
    text = json.dumps(payload)
    answers = [
        client.post("/", data={"queries": text}),
        client.post("/", data={"queries": raw}),
        client.post("/", data={"extend": text}),
        client.post("/", json=payload),
        client.post("/v1/match", json=payload),
        client.post("/v1/extend", json=payload),
        client.post("/decisions", json=payload),
        client.get("/suggest/entity", params={"prefix": raw, "type": raw, "limit": raw}),
        client.get("/preview", params={"id": raw}),
        client.get("/extend/propose", params={"type": raw, "limit": raw}),
    ]
    for resp in answers:
        assert resp.status_code < 500, resp.text
        if resp.status_code >= 400 and resp.headers["content-type"].startswith("application/json"):
            assert resp.json()["message"]
