"""The workbench's pages (GET): queue, item, bulk preview, progress, export, health, icon."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from harmonize.errors import ReviewError
from harmonize.review.forms import filter_kwargs, filters_of
from harmonize.review.queue import filter_items, next_item
from harmonize.review.web import render, session, who

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = [
    "PAGE_SIZE",
    "bulk_page",
    "export_page",
    "favicon",
    "health",
    "item_context",
    "item_page",
    "progress_page",
    "qs",
    "queue_page",
]

PAGE_SIZE = 200
_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect width="16" height="16" rx="3" fill="#1d2330"/>'
    '<path d="M4 8.5l2.5 2.5L12 5" stroke="#7ee0a8" stroke-width="2" fill="none"/></svg>'
)


def qs(filters: dict[str, str], **more: object) -> str:
    """The query string of ``filters`` (status kept even when empty) and ``more``."""
    data = {k: v for k, v in filters.items() if v}
    data.setdefault("status", "")
    data.update({k: str(v) for k, v in more.items() if v is not None and v != ""})
    return urlencode(data)


def _me(request: Request) -> str | None:
    found = who(request)
    return found.id if found is not None else None


async def queue_page(request: Request) -> Response:
    ws = session(request).workspace
    filters = filters_of(request.query_params)
    items = ws.items()
    shown = filter_items(items, **filter_kwargs(filters, _me(request)))
    page_text = request.query_params.get("page", "1")
    page = max(1, int(page_text)) if page_text.isdecimal() and len(page_text) < 9 else 1
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
            "qs": qs(filters),
            "columns": sorted({i.column for i in items}),
            "ontologies": sorted({i.ontology for i in items if i.ontology}),
        },
    )


def item_context(
    request: Request, subject_id: str, filters: dict[str, str], **extra: Any
) -> dict[str, Any]:
    """What the item page shows (also after a conflict, with ``extra``)."""
    ws = session(request).workspace
    items = ws.items()
    item = ws.item(subject_id, items)
    nxt = next_item(filter_items(items, **filter_kwargs(filters, _me(request))), subject_id)
    query = request.query_params.get("search", "").strip()[:200]
    hits = ws.search(item, query) if query else []
    header, samples, sample_column = ws.samples(subject_id)
    index = ws.index
    return {
        "item": item,
        "filters": filters,
        "qs": qs(filters),
        "next": nxt if nxt is not None and nxt.subject_id != subject_id else None,
        "search": query,
        "hits": hits,
        "can_search": index is not None,
        "roots": [(r, index.label(r) if index else None) for r in ws.item_roots(item, items)],
        "terms": {m.object_id: ws.term(m.object_id) for m in item.ranked},
        "hit_terms": {h.id: ws.term(h.id) for h in hits},
        "matched": {m.object_id: ws.matched_name(m) for m in item.ranked},
        "header": header,
        "samples": samples,
        "sample_column": sample_column,
        "history": list(reversed(item.state.history)),
        "comment": "",
        "predicate": "",
        **extra,
    }


async def item_page(request: Request) -> Response:
    filters = filters_of(request.query_params)
    subject_id = request.query_params.get("s", "")
    try:
        context = item_context(request, subject_id, filters)
    except ReviewError as exc:
        return render(request, "error.html", {"error": str(exc)}, status_code=404)
    return render(request, "item.html", context)


async def bulk_page(request: Request) -> Response:
    ws = session(request).workspace
    filters = filters_of(request.query_params)
    try:
        threshold = float(request.query_params.get("threshold") or ws.cut)
    except ValueError:
        threshold = ws.cut
    if not 0.0 <= threshold <= 1.0:
        threshold = ws.cut
    kwargs = filter_kwargs(filters)
    kwargs.pop("status")
    preview = ws.bulk_preview(threshold, **kwargs)
    context = {"preview": preview, "bulk_threshold": threshold, "filters": filters}
    return render(request, "bulk.html", {**context, "columns": ws.columns()})


async def progress_page(request: Request) -> Response:
    from harmonize.review.progress import progress

    rows, columns = progress(session(request).workspace.items())
    return render(request, "progress.html", {"rows": rows, "column_row": columns})


async def export_page(request: Request) -> Response:
    return render(request, "export.html", {"written": None})


async def health(request: Request) -> Response:
    from starlette.responses import JSONResponse

    s = session(request)
    if s.token is not None:  # open to probes, so it tells nothing about the data
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "ok", "items": len(s.workspace.items())})


async def favicon(request: Request) -> Response:
    from starlette.responses import Response as PlainResponse

    return PlainResponse(
        _ICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )
