"""Who may talk to the service, and CORS (one ASGI middleware in front of the routes).

* Bound to a loopback address without a token, a request whose ``Host`` is not a
  loopback name is refused (DNS rebinding: a web page cannot reach the service through
  a name that resolves to 127.0.0.1).
* With a token (required when bound elsewhere), every request but ``/health`` must
  present it: as the path prefix ``/k/<token>`` (what the printed service URL holds, so
  OpenRefine's every request carries it, suggest and preview included), as
  ``Authorization: Bearer <token>`` or as ``?token=``.
* CORS, as the specification requires of every endpoint: ``Access-Control-Allow-Origin:
  *`` on answers and preflights. Not on ``/decisions`` (it writes to the ledger): that
  route also refuses requests sent from another site's page.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["LOOPBACK_NAMES", "TOKEN_PREFIX", "WRITE_PATHS", "Guard"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
TOKEN_PREFIX = "/k/"
#: routes that change the ledger: no CORS, same-site requests only
WRITE_PATHS = frozenset({"/decisions"})
_CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Content-Type, Authorization"),
    (b"access-control-max-age", b"86400"),
]


def _host(headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


async def _plain(send: Send, status: int, message: str, cors: bool = False) -> None:
    body = json.dumps({"status": "error", "message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": headers + (_CORS if cors else []),
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The middleware (see the module docs)."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback_only: bool) -> None:
        self.app = app
        self.token = token
        self.loopback_only = loopback_only

    def _strip_token(self, scope: Scope, headers: dict[bytes, bytes]) -> bool:
        """Whether the request presents the token; a path prefix becomes the root path."""
        assert self.token is not None
        path: str = scope["path"]
        prefix = TOKEN_PREFIX + self.token
        if path == prefix or path.startswith(prefix + "/"):
            if path == prefix:
                scope["path"] = path = prefix + "/"
            scope["root_path"] = scope.get("root_path", "") + prefix
            return True
        auth = headers.get(b"authorization", b"").decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        from urllib.parse import parse_qs

        given = auth[7:] if auth.lower().startswith("bearer ") else ""
        given = given or (parse_qs(query).get("token") or [""])[0]
        return hmac.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if self.loopback_only and self.token is None and _host(headers) not in LOOPBACK_NAMES:
            await _plain(send, 403, "forbidden host: use http://127.0.0.1 or http://localhost")
            return
        if (
            self.token is not None
            and scope["path"] != "/health"
            and not self._strip_token(scope, headers)
        ):
            await _plain(
                send,
                401,
                "a token is required: use the URL `harmonize reconcile` printed",
                cors=True,
            )
            return
        path = scope["path"][len(scope.get("root_path", "")) :] or "/"
        writes = path in WRITE_PATHS
        if scope["method"] == "OPTIONS":
            status = 403 if writes else 204
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [] if writes else _CORS,
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if writes:
            origin = headers.get(b"origin", b"").decode("latin-1")
            own = headers.get(b"host", b"").decode("latin-1")
            if origin and origin.split("://", 1)[-1] != own:  # "null" (a sandbox) too
                await _plain(
                    send, 403, "decisions are only taken from this machine's own pages or tools"
                )
                return
            await self.app(scope, receive, send)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_CORS[:1]]
            await send(message)

        await self.app(scope, receive, with_cors)
