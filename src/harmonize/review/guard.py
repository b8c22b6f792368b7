"""Who may talk to the workbench at all (an ASGI middleware in front of every route).

* Bound to a loopback address without a token, requests whose ``Host`` is not a loopback
  name are refused (DNS rebinding).
* With a token, every request but ``/health`` must present it: ``?token=`` once (then a
  cookie), the cookie, or ``Authorization: Bearer``.
* A POST whose ``Origin`` is another site is refused (with the CSRF token in every form).
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["TOKEN_COOKIE", "Guard"]

TOKEN_COOKIE = "harmonize_token"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _host(request: Request) -> str:
    raw = request.headers.get("host") or ""
    if raw.startswith("[") and "]" in raw:
        return raw.split("]")[0] + "]"
    return raw.rsplit(":", 1)[0]


class Guard:
    """Refuse what must not reach a handler (see the module docs)."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback_only: bool) -> None:
        self.app = app
        self.token = token
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.requests import Request

        refusal = self.refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        """The response that refuses ``request``, or None to let it through."""
        from starlette.responses import PlainTextResponse, RedirectResponse

        if self.loopback_only and self.token is None and _host(request) not in _LOOPBACK:
            return PlainTextResponse("forbidden host", status_code=403)
        if self.token is not None and request.url.path != "/health":
            given = request.query_params.get("token")
            if not hmac.compare_digest(
                self._presented(request, given).encode(), self.token.encode()
            ):
                return PlainTextResponse(
                    "a token is required: open the URL printed by `harmonize review`",
                    status_code=401,
                )
            if given:
                clean = request.url.remove_query_params("token")
                response: Any = RedirectResponse(str(clean), 303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return response  # type: ignore[no-any-return]
        origin = request.headers.get("origin")
        if (
            request.method == "POST"
            and origin
            and origin != "null"
            and urlsplit(origin).netloc != request.headers.get("host")
        ):
            return PlainTextResponse("cross-site request refused", status_code=403)
        return None

    @staticmethod
    def _presented(request: Request, given: str | None) -> str:
        bearer = request.headers.get("authorization", "")
        return (
            given
            or (bearer[7:] if bearer.lower().startswith("bearer ") else None)
            or request.cookies.get(TOKEN_COOKIE)
            or ""
        )
