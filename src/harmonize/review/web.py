"""What every workbench handler shares: the session state on ``app.state``, who is
asking, rendering a page, reading a form, and banners that cannot be forged.

A banner (``?msg=...``) is shown only with the signature the server gave it when it
redirected after a decision, so a link cannot make the workbench display any text as a
success message.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import Reviewer, reviewer
from harmonize.review.forms import FormError

if TYPE_CHECKING:
    from starlette.datastructures import FormData
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.templating import Jinja2Templates

    from harmonize.review.workspace import Workspace

__all__ = [
    "REVIEWER_COOKIE",
    "Session",
    "read_form",
    "redirect",
    "render",
    "require_who",
    "session",
    "who",
]

REVIEWER_COOKIE = "harmonize_reviewer"
MAX_FIELDS = 200_000  # bulk accept posts one field per item


@dataclass
class Session:
    """The server's state (``app.state.session``)."""

    workspace: Workspace
    templates: Jinja2Templates
    reviewer: Reviewer | None = None  # --reviewer: one person's session
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def sign(self, msg: str, kind: str) -> str:
        return hmac.new(self.key, f"{kind}\x00{msg}".encode(), hashlib.sha256).hexdigest()[:24]

    def flash(self, msg: str, kind: str = "ok") -> dict[str, str]:
        """Query parameters that show ``msg`` as a banner on the next page."""
        return {"msg": msg, "kind": kind, "sig": self.sign(msg, kind)}

    def verified(self, params: Any) -> tuple[str, str] | None:
        msg, kind, sig = (str(params.get(k) or "") for k in ("msg", "kind", "sig"))
        if not msg or kind not in {"ok", "error"}:
            return None
        return (msg, kind) if hmac.compare_digest(sig, self.sign(msg, kind)) else None


def session(request: Request) -> Session:
    state: Session = request.app.state.session
    return state


def who(request: Request) -> Reviewer | None:
    """The reviewer this browser named (cookie), else the session's ``--reviewer``."""
    name = request.cookies.get(REVIEWER_COOKIE)
    if name:
        try:
            return reviewer(name)
        except ReviewError:  # a cookie from before a fix; the form refuses bad ones
            pass
    return session(request).reviewer


def require_who(request: Request) -> Reviewer:
    found = who(request)
    if found is None:
        raise FormError(
            "type your name or ORCID iD (top right) before your first decision: "
            "every decision is someone's"
        )
    return found


async def read_form(request: Request) -> FormData:
    """The posted form, after the CSRF check (the token only ever sits in our pages)."""
    form = await request.form(max_fields=MAX_FIELDS, max_files=0)
    token = form.get("csrf")
    if not isinstance(token, str) or not hmac.compare_digest(token, session(request).csrf):
        raise FormError("the form is stale or forged (CSRF check failed): reload the page")
    return form


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Page ``name`` with what every page shows (reviewer, counts, banner, undo target)."""
    from harmonize.display import format_confidence, truncate
    from harmonize.review.queue import OPEN, STATUS_LABELS, STATUSES, bands

    s = session(request)
    ws = s.workspace
    me = who(request)
    mine = ws.ledger.last_own(me) if me is not None else None
    counts = ws.counts()
    base = {
        "csrf": s.csrf,
        "reviewer": me,
        "counts": counts,
        "open_count": sum(n for status, n in counts.items() if status in OPEN),
        "banner": s.verified(request.query_params),
        "threshold": ws.cut,
        "conf": format_confidence,
        "pct": lambda c: round(truncate(c, 2) * 100),
        "STATUS_LABELS": STATUS_LABELS,
        "BANDS": bands(ws.cut),
        "STATUSES": STATUSES,
        "mine": mine,
        "filters": {},
    }
    return s.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def redirect(request: Request, path: str, params: dict[str, str], msg: str | None = None,
             kind: str = "ok") -> Response:  # fmt: skip
    """A 303 to ``path`` with ``params`` and, if given, a signed banner."""
    from starlette.responses import RedirectResponse

    query = {k: v for k, v in params.items() if v is not None}
    if msg:
        query.update(session(request).flash(msg, kind))
    return RedirectResponse(f"{path}?{urlencode(query)}" if query else path, 303)
