"""Request and response helpers: bounded bodies, form or JSON input, JSON or JSONP output.

JSONP (API 0.2, optional there, gone in 1.0) wraps a GET answer in ``callback(...)`` when
the request names a ``callback``; the name must be a plain JavaScript identifier path, so
a request cannot inject script. Every refusal is a :class:`~harmonize.errors.ReconcileError`
turned into a 4xx JSON body ``{"status": "error", "message": ...}``.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from harmonize.errors import HarmonizeError, ReconcileError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["CALLBACK", "error_response", "inputs", "int_param", "read_body", "respond"]

#: an acceptable JSONP callback name (jQuery's look like ``jQuery3510_1700000000000``)
CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
_MAX_CALLBACK = 100
_MAX_FIELDS = 1000


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused with 413 past ``max_bytes`` (before reading it all)."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > max_bytes:
        raise ReconcileError(f"request body too large (at most {max_bytes} bytes)", status=413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ReconcileError(f"request body too large (at most {max_bytes} bytes)", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


async def inputs(request: Request, max_bytes: int) -> tuple[dict[str, str], Any]:
    """(parameters from the URL and a form body, a JSON body or None)."""
    params = dict(request.query_params)
    if request.method != "POST":
        return params, None
    body = await read_body(request, max_bytes)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ReconcileError("the request body is not UTF-8 text", status=400) from None
    if ctype == "application/json" or (not ctype and text.lstrip().startswith(("{", "["))):
        from harmonize.reconcile.query import parse_json

        return params, parse_json(text, "the body")
    if ctype in {"", "application/x-www-form-urlencoded"}:
        try:
            fields = parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
        except ValueError as exc:
            raise ReconcileError(f"malformed form body ({exc})") from None
        params.update(fields)
        return params, None
    if ctype == "multipart/form-data":
        form = await request.form(max_files=0, max_fields=_MAX_FIELDS, max_part_size=max_bytes)
        params.update((k, v) for k, v in form.items() if isinstance(v, str))
        return params, None
    raise ReconcileError(
        f"unsupported content type {ctype!r} (send a form or application/json)", status=415
    )


def int_param(params: dict[str, str], name: str, default: int, *, maximum: int) -> int:
    """A whole-number parameter in ``[0, maximum]`` (a larger one is capped)."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not raw.strip().isdecimal():
        raise ReconcileError(f"parameter {name!r} must be a whole number >= 0", value=raw)
    return min(int(raw), maximum)


def _callback(request: Request) -> str | None:
    name = request.query_params.get("callback")
    if name is None or request.method != "GET":
        return None
    if len(name) > _MAX_CALLBACK or not CALLBACK.match(name):
        raise ReconcileError("'callback' must be a JavaScript function name", value=name)
    return name


def respond(request: Request, data: Any, status: int = 200) -> Response:
    """``data`` as JSON, or as JSONP when a GET request names a callback."""
    from starlette.responses import JSONResponse, Response

    callback = _callback(request)
    if callback is None:
        return JSONResponse(data, status_code=status)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(
        f"/**/{callback}({payload});",
        status_code=status,
        media_type="application/javascript",
        headers={"X-Content-Type-Options": "nosniff"},
    )


def error_response(request: Request, exc: Exception) -> Response:
    """A 4xx (or 503) JSON answer for one of our errors (never a traceback)."""
    from starlette.responses import JSONResponse

    status = exc.status if isinstance(exc, ReconcileError) else 400
    message = str(exc) if isinstance(exc, HarmonizeError) else "bad request"
    return JSONResponse({"status": "error", "message": message}, status_code=status)
