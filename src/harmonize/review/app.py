"""The review workbench: a Starlette app with server-rendered pages over a Workspace.

Pages (:mod:`~harmonize.review.pages`): the queue (``/``), an item (``/item?s=ID``), bulk
accept (``/bulk``), progress (``/progress``) and export (``/export``). Writes
(:mod:`~harmonize.review.actions`) are POST forms carrying a CSRF token; who may reach
the app at all is :mod:`~harmonize.review.guard`. Handlers are plain functions; the
session (workspace, CSRF token, the ``--reviewer``) lives on ``app.state.session``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import ReviewError

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from harmonize.review.workspace import Workspace

__all__ = ["create_app"]

HERE = Path(__file__).resolve().parent


async def _refused(request: Request, exc: Exception) -> Response:
    """A request we refuse (bad form, unknown item...): 400 with the reason."""
    from starlette.exceptions import HTTPException

    from harmonize.review.web import render

    status = exc.status_code if isinstance(exc, HTTPException) else 400
    message = str(exc.detail) if isinstance(exc, HTTPException) else str(exc)
    if status == 405:
        message = "this address does not take that kind of request"
    elif status == 404 and isinstance(exc, HTTPException):
        message = "no such page"
    return render(request, "error.html", {"error": message}, status_code=status)


def create_app(
    workspace: Workspace,
    *,
    reviewer_name: str | None = None,
    token: str | None = None,
    loopback_only: bool = True,
) -> Starlette:
    """The ASGI app over ``workspace``. With ``reviewer_name`` (``--reviewer``) every
    browser decides as that person unless it names itself; without, each browser must
    name its reviewer before its first decision."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles
    from starlette.templating import Jinja2Templates

    from harmonize.mappings.decisions import reviewer
    from harmonize.review import actions, pages
    from harmonize.review.guard import Guard
    from harmonize.review.web import Session

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    routes = [
        Route("/", pages.queue_page),
        Route("/item", pages.item_page),
        Route("/decide", actions.decide, methods=["POST"]),
        Route("/undo", actions.undo, methods=["POST"]),
        Route("/bulk", pages.bulk_page),
        Route("/bulk", actions.bulk_post, methods=["POST"]),
        Route("/progress", pages.progress_page),
        Route("/export", pages.export_page),
        Route("/export", actions.export_post, methods=["POST"]),
        Route("/reviewer", actions.set_reviewer, methods=["POST"]),
        Route("/health", pages.health),
        Route("/favicon.ico", pages.favicon),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token, loopback_only=loopback_only)],
        exception_handlers={ReviewError: _refused, HTTPException: _refused},
    )
    app.state.session = Session(
        workspace=workspace,
        templates=templates,
        reviewer=reviewer(reviewer_name) if reviewer_name else None,
        token=token,
    )
    return app
