"""Push named graphs to another triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT {url}?graph=IRI`` replaces a graph (the store does the swap), with the body as
N-Triples. Graphs bigger than one batch are sent as a ``PUT`` of the first batch and
``POST`` (merge) of the rest — such a graph is only atomic on the server side per request.
Authentication: HTTP basic or digest (user/password; Virtuoso's
``/sparql-graph-crud-auth`` asks for digest, answered up front so a big body is never
refused mid-upload) or a bearer token. Uses only the standard library's HTTP client.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
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


class _Authorizer:
    """Builds the ``Authorization`` header: bearer, basic, or digest (RFC 7616, MD5).

    Digest credentials are computed up front from a challenge fetched with an empty
    request, so a large body is never sent only to be refused (Virtuoso closes the
    connection on its 401, which a client still sending a body sees as a broken pipe).
    """

    def __init__(self, auth: PushAuth) -> None:
        self.auth = auth
        self.challenge: dict[str, str] | None = None
        self.basic = False
        self.count = 0

    @property
    def has_password(self) -> bool:
        return self.auth.user is not None and self.auth.password is not None

    def learn(self, header: str | None) -> bool:
        """Take a ``WWW-Authenticate`` value; True when a retry with credentials makes sense."""
        if not header or not self.has_password:
            return False
        scheme = header.strip().split(" ", 1)[0].lower()
        if scheme == "digest":
            self.challenge = {k.lower(): (q if q else v) for k, v, q in _PARAM.findall(header)}
            self.count = 0
            return True
        if scheme == "basic":
            self.basic = True
            return True
        return False

    def header(self, method: str, url: str) -> str | None:
        if self.auth.token:
            return f"Bearer {self.auth.token}"
        if not self.has_password:
            return None
        user, password = self.auth.user or "", self.auth.password or ""
        if self.challenge is not None:
            c = self.challenge
            parts = urlsplit(url)
            uri = parts.path + (f"?{parts.query}" if parts.query else "")
            self.count += 1
            nc = f"{self.count:08x}"
            cnonce = secrets.token_hex(8)
            ha1 = _md5(f"{user}:{c.get('realm', '')}:{password}")
            ha2 = _md5(f"{method}:{uri}")
            qop = "auth" if "auth" in c.get("qop", "").split(",") else ""
            if qop:
                response = _md5(f"{ha1}:{c.get('nonce', '')}:{nc}:{cnonce}:{qop}:{ha2}")
            else:
                response = _md5(f"{ha1}:{c.get('nonce', '')}:{ha2}")
            fields = [
                f'username="{user}"',
                f'realm="{c.get("realm", "")}"',
                f'nonce="{c.get("nonce", "")}"',
                f'uri="{uri}"',
                f'response="{response}"',
                "algorithm=MD5",
            ]
            if qop:
                fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
            if "opaque" in c:
                fields.append(f'opaque="{c["opaque"]}"')
            return "Digest " + ", ".join(fields)
        if self.basic or urlsplit(url).scheme == "https":
            pair = base64.b64encode(f"{user}:{password}".encode()).decode()
            return f"Basic {pair}"
        return None


_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


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


def _send(method: str, url: str, body: bytes, authorizer: _Authorizer, timeout: float) -> None:
    for attempt in range(2):
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", "application/n-triples")
        header = authorizer.header(method, url)
        if header:
            request.add_header("Authorization", header)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
            return
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate") if exc.headers else None
            if exc.code == 401 and attempt == 0 and authorizer.learn(challenge):
                continue  # first contact, or a stale nonce: retry once with credentials
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
    authorizer = _Authorizer(auth)
    if authorizer.has_password and not auth.token:
        _send("POST", target, b"", authorizer, timeout)  # empty merge: learns the challenge
    sent = 0
    requests = 0
    for body, count in _batches(triples, batch_size):
        method = "PUT" if replace and requests == 0 else "POST"
        _send(method, target, body, authorizer, timeout)
        sent += count
        requests += 1
    if requests == 0 and replace:
        _send("PUT", target, b"", authorizer, timeout)  # an empty graph replaces the old one
        requests = 1
    return PushResult(graph=graph, triples=sent, requests=requests)
