"""HTTP plumbing of the endpoint: errors, limit headers, capped request bodies, answers.

Every error is a plain-text response with a status and one line, never an exception that
reaches the server (which would answer 500 and drop the keep-alive connection).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from harmonize.publishing.limits import Limits, QueryError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from harmonize.publishing.worker import Reply

__all__ = [
    "BodyTooLargeError",
    "answer",
    "authorize",
    "cap_headers",
    "error",
    "query_error",
    "read_body",
    "read_params",
    "reply_bytes",
]

_CHUNK = 64 * 1024


class BodyTooLargeError(QueryError):
    """The request body is over the endpoint's limit."""

    status = 413


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)


def query_error(exc: QueryError, limits: Limits) -> Response:
    headers = cap_headers(limits)
    if exc.status == 503:
        headers["Retry-After"] = "1"
    return error(exc.status, exc.message, headers)


def cap_headers(limits: Limits, reply: Reply | None = None) -> dict[str, str]:
    """The limits, and for an answer what it holds and whether it was cut."""
    headers = {
        "X-Harmonize-Result-Limit": str(limits.max_rows),
        "X-Harmonize-Byte-Limit": str(limits.max_result_bytes),
        "X-Harmonize-Time-Limit": f"{limits.timeout_s:g}",
        "Vary": "Accept, Authorization, Origin",
    }
    if reply is not None:
        headers["X-Harmonize-Rows"] = str(reply.rows)
        headers["X-Harmonize-Truncated"] = "true" if reply.truncated else "false"
        headers["X-Harmonize-Elapsed"] = f"{reply.elapsed_s:.4f}"
        if reply.truncated and reply.note:
            headers["Warning"] = f'199 harmonize "{reply.note}"'
    return headers


def authorize(request: Request) -> tuple[bool, Response | None]:
    """Whether the request may see restricted graphs; a 401 for a wrong token."""
    decision = request.app.state.config.access.decide(request.headers.get("authorization"))
    if decision.error:
        return False, error(401, decision.error, {"WWW-Authenticate": 'Bearer realm="harmonize"'})
    return decision.authorized, None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body; :class:`BodyTooLargeError` past ``limit`` bytes (checked on the
    declared length first, then while reading, so a huge body is never held)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdecimal() and int(declared) > limit:
        raise BodyTooLargeError(_too_large(int(declared), limit))
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(_too_large(size, limit))
        parts.append(chunk)
    return b"".join(parts)


def _too_large(size: int, limit: int) -> str:
    return f"the request body is over {size:,} bytes, over this endpoint's limit of {limit:,}"


async def read_params(request: Request, limit: int) -> dict[str, list[str]] | Response:
    """Query-string and body parameters of a SPARQL protocol request (or an error)."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method != "POST":
        return params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        return params | {"update": [""]}
    if ctype not in (
        "application/sparql-query",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return error(
            415,
            "POST a query as application/sparql-query or as the form field 'query' "
            "(application/x-www-form-urlencoded)",
        )
    body = await read_body(request, limit)
    if ctype == "multipart/form-data":
        return params | await _multipart(request, body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return error(400, "the request body is not UTF-8 text")
    if ctype == "application/sparql-query":
        params["query"] = [text]
        return params
    for key, value in parse_qsl(text, keep_blank_values=True):
        params.setdefault(key, []).append(value)
    return params


async def _multipart(request: Request, body: bytes) -> dict[str, list[str]]:
    """Form fields of a multipart body already read (and capped)."""
    from starlette.requests import Request as StarletteRequest

    sent = False

    async def replay() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    form = await StarletteRequest(request.scope, replay).form()
    out: dict[str, list[str]] = {}
    for key, item in form.multi_items():
        if isinstance(item, str):
            out.setdefault(key, []).append(item)
    return out


def reply_bytes(reply: Reply) -> bytes:
    """The whole body of a worker's reply (reading and deleting its file, if any)."""
    if reply.body_file is None:
        return reply.body
    try:
        with open(reply.body_file, "rb") as handle:  # noqa: PTH123
            return handle.read()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(reply.body_file)  # noqa: PTH108


async def _stream_file(path: str) -> AsyncIterator[bytes]:
    import anyio

    try:
        async with await anyio.open_file(path, "rb") as handle:
            while chunk := await handle.read(_CHUNK):
                yield chunk
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # noqa: PTH108


def answer(reply: Reply, limits: Limits) -> Response:
    """A worker's reply as the HTTP response: an error, or the body (streamed from its
    file when large) with the limit headers."""
    from starlette.responses import Response, StreamingResponse

    if reply.status != 200:
        return error(reply.status, reply.message or "query failed", cap_headers(limits))
    media = reply.media_type
    if media.startswith("text/") or media.endswith(("json", "xml", "triples")):
        media += "; charset=utf-8"
    headers = cap_headers(limits, reply)
    if reply.body_file is not None:
        return StreamingResponse(_stream_file(reply.body_file), media_type=media, headers=headers)
    return Response(reply.body, media_type=media, headers=headers)
