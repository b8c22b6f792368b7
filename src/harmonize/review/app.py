"""The review workbench: a Starlette app with server-rendered pages over a Workspace.

Pages: the queue (``/``), an item (``/item?s=ID``), bulk accept (``/bulk``), progress
(``/progress``) and export (``/export``). Every change is a POST form carrying a CSRF
token (random per server start, only ever sent inside our own pages) and is refused if
its ``Origin`` is another site. Bound to a loopback address the app also refuses
requests whose ``Host`` is not a loopback name (DNS rebinding); with a ``token`` every
request must present it (``?token=`` once, then a cookie, or ``Authorization: Bearer``).
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import ACTIONS, Reviewer, reviewer
from harmonize.mappings.ledger import ConflictError
from harmonize.review.queue import BANDS, STATUSES, next_item, progress

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from harmonize.review.workspace import Workspace

__all__ = ["FILTERS", "create_app"]

HERE = Path(__file__).resolve().parent
FILTERS = ("column", "ontology", "status", "band", "q")
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_TOKEN_COOKIE = "harmonize_token"
_REVIEWER_COOKIE = "harmonize_reviewer"
PAGE_SIZE = 200


def _filters(source: Any) -> dict[str, str]:
    out = {k: str(source.get(k) or "").strip() for k in FILTERS}
    if "status" not in source:
        out["status"] = "open"
    return out


def _qs(filters: dict[str, str], **more: object) -> str:
    data = {k: v for k, v in filters.items() if v}
    if "status" not in data:
        data["status"] = ""
    data.update({k: str(v) for k, v in more.items() if v is not None and v != ""})
    return urlencode(data)


def _filter_kwargs(filters: dict[str, str]) -> dict[str, str | None]:
    return {
        "column": filters["column"] or None,
        "ontology": filters["ontology"] or None,
        "status": filters["status"] or None,
        "band": filters["band"] or None,
        "text": filters["q"] or None,
    }


def create_app(
    workspace: Workspace,
    *,
    reviewer_name: str = "anonymous",
    token: str | None = None,
    loopback_only: bool = True,
) -> Starlette:
    """The ASGI app over ``workspace``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles
    from starlette.templating import Jinja2Templates

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(BANDS=BANDS, STATUSES=STATUSES)
    csrf = secrets.token_urlsafe(32)

    default_reviewer = reviewer(reviewer_name)

    def who(request: Request) -> Reviewer:
        name = request.cookies.get(_REVIEWER_COOKIE)
        if not name:
            return default_reviewer
        try:
            return reviewer(name)
        except ReviewError:  # a cookie from before a fix; the form refuses bad ones
            return default_reviewer

    def render(
        request: Request, name: str, context: dict[str, Any], status_code: int = 200
    ) -> Response:
        base = {
            "csrf": csrf,
            "reviewer": who(request),
            "counts": workspace.counts(),
            "msg": request.query_params.get("msg", ""),
            "threshold": workspace.threshold,
        }
        return templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status_code
        )

    async def form_of(request: Request) -> Any:
        form = await request.form()
        if not hmac.compare_digest(str(form.get("csrf") or ""), csrf):
            raise ReviewError("the form is stale or forged (CSRF check failed): reload the page")
        return form

    # -- pages --------------------------------------------------------------------------
    async def queue(request: Request) -> Response:
        filters = _filters(request.query_params)
        items = workspace.items()
        shown = _apply(items, filters)
        page_text = request.query_params.get("page", "1")
        page = max(1, int(page_text)) if page_text.isdigit() else 1
        start = (page - 1) * PAGE_SIZE
        return render(
            request,
            "queue.html",
            {
                "items": shown[start : start + PAGE_SIZE],
                "total": len(shown),
                "page": page,
                "pages": max(1, -(-len(shown) // PAGE_SIZE)),
                "filters": filters,
                "qs": _qs(filters),
                "columns": sorted({i.column for i in items}),
                "ontologies": sorted({i.ontology for i in items if i.ontology}),
            },
        )

    def _apply(items: list[Any], filters: dict[str, str]) -> list[Any]:
        from harmonize.review.queue import filter_items

        return filter_items(items, **_filter_kwargs(filters))

    def item_context(
        request: Request, subject_id: str, filters: dict[str, str], **extra: Any
    ) -> dict[str, Any]:
        items = workspace.items()
        item = workspace.item(subject_id, items)
        visible = _apply(items, filters)
        nxt = next_item(visible, subject_id)
        if nxt is not None and nxt.subject_id == subject_id:
            nxt = None
        query = request.query_params.get("search", "").strip()
        hits = workspace.search(item, query) if query else []
        header, samples, sample_column = workspace.samples(subject_id)
        terms = {m.object_id: workspace.term(m.object_id) for m in item.candidates}
        return {
            "item": item,
            "filters": filters,
            "qs": _qs(filters),
            "next": nxt,
            "search": query,
            "hits": hits,
            "can_search": workspace.index is not None,
            "roots": [
                (r, workspace.index.label(r) if workspace.index else None)
                for r in workspace.item_roots(item, items)
            ],
            "terms": terms,
            "hit_terms": {h.id: workspace.term(h.id) for h in hits},
            "matched": {m.object_id: workspace.matched_name(m) for m in item.candidates},
            "header": header,
            "samples": samples,
            "sample_column": sample_column,
            "history": list(reversed(item.state.history)),
            **extra,
        }

    async def item_page(request: Request) -> Response:
        subject_id = request.query_params.get("s", "")
        filters = _filters(request.query_params)
        try:
            context = item_context(request, subject_id, filters)
        except ReviewError as exc:
            return render(request, "error.html", {"error": str(exc)}, status_code=404)
        return render(request, "item.html", context)

    async def decide(request: Request) -> Response:
        form = await form_of(request)
        subject_id = str(form.get("s") or "")
        action = str(form.get("action") or "")
        filters = _filters(form)
        if action not in ACTIONS or action == "undo":
            raise ReviewError("unknown action", value=action)
        version_text = str(form.get("version") or "")
        version = int(version_text) if version_text.isdigit() else None
        # the next item in the queue as the steward saw it (a decided item sinks)
        upcoming = workspace.next_open(subject_id, **_filter_kwargs(filters))
        try:
            state = workspace.decide(
                subject_id,
                action,  # type: ignore[arg-type]
                who(request),
                version=version,
                object_id=str(form.get("object_id") or "") or None,
                comment=str(form.get("comment") or "").strip() or None,
                predicate=str(form.get("predicate") or "") or None,
            )
        except ConflictError as exc:
            context = item_context(request, subject_id, filters, conflict=exc)
            return render(request, "item.html", context, status_code=409)
        label = state.decision.object_label if state.decision else ""
        if action == "reject":
            object_id = str(form.get("object_id") or "")
            rejected = state.history[-1].object_label if state.history else None
            msg = f"rejected {rejected or object_id} for {state.history[-1].subject_label or subject_id}"
            return RedirectResponse(f"/item?{_qs(filters, s=subject_id, msg=msg)}", 303)
        value = state.decision.subject_label if state.decision else subject_id
        if action in {"accept", "replace"}:
            verb = "accepted" if action == "accept" else "replaced with"
            msg = f"{verb} {label or form.get('object_id')} for {value}"
        else:
            msg = f"no suitable term for {value}" if action == "none" else f"deferred {value}"
        nxt = upcoming if upcoming is not None and upcoming.subject_id != subject_id else None
        if nxt is None:
            return RedirectResponse(f"/?{_qs(filters, msg=msg + ' - queue done')}", 303)
        return RedirectResponse(f"/item?{_qs(filters, s=nxt.subject_id, msg=msg)}", 303)

    async def undo(request: Request) -> Response:
        form = await form_of(request)
        filters = _filters(form)
        state = workspace.ledger.undo_last(who(request))
        if state is None:
            return RedirectResponse(f"/?{_qs(filters, msg='nothing to undo')}", 303)
        last = state.last
        what = last.comment if last is not None else "undo"
        return RedirectResponse(
            f"/item?{_qs(filters, s=state.subject_id, msg=f'{what}: done')}", 303
        )

    async def bulk(request: Request) -> Response:
        filters = _filters(request.query_params)
        try:
            threshold = float(request.query_params.get("threshold") or workspace.threshold)
        except ValueError:
            threshold = workspace.threshold
        kwargs = _filter_kwargs(filters)
        kwargs.pop("status")
        preview = workspace.bulk_preview(threshold, **kwargs)
        return render(
            request,
            "bulk.html",
            {
                "preview": preview,
                "bulk_threshold": threshold,
                "filters": filters,
                "columns": workspace.columns(),
            },
        )

    async def bulk_post(request: Request) -> Response:
        form = await form_of(request)
        selected = []
        for value in form.getlist("pick"):
            subject_id, _, rest = str(value).partition("\t")
            object_id, _, version = rest.partition("\t")
            selected.append((subject_id, object_id, int(version or 0)))
        comment = str(form.get("comment") or "").strip() or None
        done, conflicts = workspace.bulk_accept(selected, who(request), comment=comment)
        return render(request, "bulk_done.html", {"done": done, "conflicts": conflicts})

    async def progress_page(request: Request) -> Response:
        rows = progress(workspace.items(), workspace.threshold)
        return render(request, "progress.html", {"rows": rows})

    async def export_page(request: Request) -> Response:
        return render(request, "export.html", {"written": None})

    async def export_post(request: Request) -> Response:
        await form_of(request)
        written = workspace.export()
        return render(request, "export.html", {"written": written})

    async def set_reviewer(request: Request) -> Response:
        form = await form_of(request)
        name = " ".join(str(form.get("reviewer") or "").split())[:200]
        back = str(form.get("back") or "/")
        if not back.startswith("/") or back.startswith("//"):
            back = "/"
        if name:
            try:
                reviewer(name)
            except ReviewError as exc:
                sep = "&" if "?" in back else "?"
                return RedirectResponse(f"{back}{sep}{urlencode({'msg': str(exc)})}", 303)
        response = RedirectResponse(back, 303)
        if name:
            response.set_cookie(_REVIEWER_COOKIE, name, httponly=True, samesite="strict")
        return response

    async def health(request: Request) -> Response:
        if token is not None:  # open to probes, so it tells nothing about the data
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "ok", "items": len(workspace.items())})

    # -- guards -------------------------------------------------------------------------
    class Guard(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: Any) -> Response:
            host = (request.headers.get("host") or "").rsplit(":", 1)[0]
            if host.startswith("[") and "]" in (request.headers.get("host") or ""):
                host = (request.headers.get("host") or "").split("]")[0] + "]"
            if loopback_only and token is None and host not in _LOOPBACK:
                return PlainTextResponse("forbidden host", status_code=403)
            if token is not None and request.url.path != "/health":
                given = request.query_params.get("token")
                bearer = request.headers.get("authorization", "")
                presented = (
                    given
                    or (bearer[7:] if bearer.lower().startswith("bearer ") else None)
                    or request.cookies.get(_TOKEN_COOKIE)
                    or ""
                )
                if not hmac.compare_digest(presented.encode(), token.encode()):
                    return PlainTextResponse(
                        "a token is required: open the URL printed by `harmonize review`",
                        status_code=401,
                    )
                if given:
                    clean = request.url.remove_query_params("token")
                    response: Response = RedirectResponse(str(clean), 303)
                    response.set_cookie(_TOKEN_COOKIE, token, httponly=True, samesite="strict")
                    return response
            if request.method == "POST":
                origin = request.headers.get("origin")
                if (
                    origin
                    and origin != "null"
                    and urlsplit(origin).netloc != request.headers.get("host")
                ):
                    return PlainTextResponse("cross-site request refused", status_code=403)
            return await call_next(request)  # type: ignore[no-any-return]

    async def on_error(request: Request, exc: Exception) -> Response:
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "error": str(exc),
                "csrf": csrf,
                "reviewer": who(request),
                "counts": {},
                "msg": "",
                "threshold": workspace.threshold,
            },
            status_code=400,
        )

    routes = [
        Route("/", queue),
        Route("/item", item_page),
        Route("/decide", decide, methods=["POST"]),
        Route("/undo", undo, methods=["POST"]),
        Route("/bulk", bulk),
        Route("/bulk", bulk_post, methods=["POST"]),
        Route("/progress", progress_page),
        Route("/export", export_page),
        Route("/export", export_post, methods=["POST"]),
        Route("/reviewer", set_reviewer, methods=["POST"]),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(
        routes=routes, middleware=[Middleware(Guard)], exception_handlers={ReviewError: on_error}
    )
