"""Push named graphs to another triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT {url}?graph=IRI`` replaces a graph (the store does the swap), with the body as
N-Triples. Graphs bigger than one batch are sent as a ``PUT`` of the first batch and
``POST`` (merge) of the rest — such a graph is only atomic on the server side per request.
Authentication: HTTP basic or digest (user/password; Virtuoso's
``/sparql-graph-crud-auth`` asks for digest) or a bearer token. Uses only the standard
library's HTTP client.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from harmonize.errors import PublishError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["PushAuth", "PushResult", "auth_from_env", "push_graph"]

USER_ENV = "HARMONIZE_PUSH_USER"
PASSWORD_ENV = "HARMONIZE_PUSH_PASSWORD"
TOKEN_ENV = "HARMONIZE_PUSH_TOKEN"
DEFAULT_BATCH = 250_000


@dataclass(frozen=True)
class PushAuth:
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PushResult:
    graph: str
    triples: int
    requests: int


def auth_from_env(
    user: str | None = None, password: str | None = None, token: str | None = None
) -> PushAuth:
    """Flags win over ``$HARMONIZE_PUSH_USER`` / ``_PASSWORD`` / ``_TOKEN``."""
    return PushAuth(
        user=user or os.environ.get(USER_ENV) or None,
        password=password or os.environ.get(PASSWORD_ENV) or None,
        token=token or os.environ.get(TOKEN_ENV) or None,
    )


def _opener(url: str, auth: PushAuth) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if auth.user is not None and auth.password is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, auth.user, auth.password)
        handlers += [
            urllib.request.HTTPBasicAuthHandler(manager),
            urllib.request.HTTPDigestAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _target(url: str, graph: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublishError(f"--to needs an http(s) Graph Store URL, got {url!r}")
    sep = "&" if parts.query else "?"
    return f"{url}{sep}graph={quote(graph, safe='')}"


def _batches(triples: Iterable[pyoxigraph.Triple], size: int) -> Iterator[tuple[bytes, int]]:
    lines: list[str] = []
    for triple in triples:
        lines.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
        if len(lines) >= size:
            yield "".join(lines).encode("utf-8"), len(lines)
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8"), len(lines)


def _send(
    opener: urllib.request.OpenerDirector,
    method: str,
    url: str,
    body: bytes,
    auth: PushAuth,
    timeout: float,
) -> None:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Content-Type", "application/n-triples")
    if auth.token:
        request.add_header("Authorization", f"Bearer {auth.token}")
    elif auth.user is not None and auth.password is not None and urlsplit(url).scheme == "https":
        # preemptive basic over TLS saves a round trip; digest servers answer 401 and retry
        pair = base64.b64encode(f"{auth.user}:{auth.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {pair}")
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        hint = " (check --user/--password or --token)" if exc.code in (401, 403) else ""
        raise PublishError(
            f"{method} {url} failed: HTTP {exc.code} {exc.reason}{hint}"
            + (f": {detail[0][:160]}" if detail else "")
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PublishError(f"cannot reach the triple store at {url}: {reason}") from None


def push_graph(
    url: str,
    graph: str,
    triples: Iterable[pyoxigraph.Triple],
    *,
    auth: PushAuth | None = None,
    replace: bool = True,
    batch_size: int = DEFAULT_BATCH,
    timeout: float = 600.0,
) -> PushResult:
    """Send ``triples`` as graph ``graph`` to the Graph Store at ``url``.

    With ``replace`` the first request is a PUT (the graph's old content goes); otherwise
    every request is a POST (merged into what is there).
    """
    auth = auth or PushAuth()
    target = _target(url, graph)
    opener = _opener(target, auth)
    sent = 0
    requests = 0
    for body, count in _batches(triples, batch_size):
        method = "PUT" if replace and requests == 0 else "POST"
        _send(opener, method, target, body, auth, timeout)
        sent += count
        requests += 1
    if requests == 0 and replace:
        _send(opener, "PUT", target, b"", auth, timeout)  # an empty graph replaces the old one
        requests = 1
    return PushResult(graph=graph, triples=sent, requests=requests)
