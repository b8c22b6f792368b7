"""The workbench's writes (POST): decide, undo, bulk accept, export, name the reviewer.

Each one checks the CSRF token, then every field (:mod:`harmonize.review.forms`); a
decision also needs a named reviewer and the version of the item it was taken on. A
stale version is a conflict (HTTP 409): nothing is overwritten, and the page comes back
with the current state and what the steward had typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import reviewer
from harmonize.mappings.ledger import ConflictError
from harmonize.review.forms import (
    FormError,
    filter_kwargs,
    filters_of,
    parse_action,
    parse_pick,
    text_field,
    version_field,
)
from harmonize.review.pages import item_context
from harmonize.review.web import (
    REVIEWER_COOKIE,
    read_form,
    redirect,
    render,
    require_who,
    session,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["bulk_post", "decide", "export_post", "set_reviewer", "undo"]

_DONE = {
    "none": "no suitable term for {value}",
    "defer": "deferred {value}",
    "assign": "assigned {value} to {term}",
    "second_opinion": "asked a second opinion on {value}",
    "reject": "rejected {term} for {value}",
}


def _terms(form: object) -> list[str]:
    raw = form.getlist("terms")  # type: ignore[attr-defined]
    if any(not isinstance(t, str) for t in raw):
        raise FormError("terms must be text")
    return list(dict.fromkeys(t.strip() for t in raw if t.strip()))


async def decide(request: Request) -> Response:
    form = await read_form(request)
    who = require_who(request)
    filters = filters_of(form)
    subject_id = text_field(form, "s")
    if not subject_id:
        raise FormError("which item? the form names none")
    action = parse_action(text_field(form, "action"))
    version = version_field(form)
    terms = _terms(form) or [t for t in [text_field(form, "object_id")] if t]
    comment = text_field(form, "comment") or None
    predicate = text_field(form, "predicate") or None
    assignee_name = text_field(form, "assignee", limit=200)
    assignee = reviewer(assignee_name) if action == "assign" and assignee_name else None
    ws = session(request).workspace
    upcoming = ws.next_open(subject_id, **filter_kwargs(filters, who.id))
    try:
        state = ws.decide(
            subject_id, action, who, version=version, object_id=terms[0] if terms else None,
            comment=comment, predicate=predicate, also=terms[1:], assignee=assignee,
        )  # fmt: skip
    except ConflictError as exc:
        context = item_context(
            request, subject_id, filters, conflict=exc, comment=comment or "",
            predicate=predicate or "",
        )  # fmt: skip
        return render(request, "item.html", context, status_code=409)
    last = state.history[-1]
    term = ", ".join(label or t for t, label in last.terms) or ""
    value = last.subject_label or subject_id
    if action == "reject":  # stay: the numbers of the other candidates do not move
        msg = _DONE["reject"].format(term=term, value=value)
        return redirect(request, "/item", {**filters, "s": subject_id}, msg)
    verb = {"accept": "accepted", "replace": "replaced with"}.get(action)
    template = f"{verb} {{term}} for {{value}}" if verb else _DONE[action]
    msg = template.format(term=term, value=value)
    nxt = upcoming if upcoming is not None and upcoming.subject_id != subject_id else None
    if nxt is None:
        return redirect(request, "/", filters, msg + " - queue done")
    return redirect(request, "/item", {**filters, "s": nxt.subject_id}, msg)


async def undo(request: Request) -> Response:
    """Undo this reviewer's last decision - the one their page showed, at the version
    it showed (``target``, ``version``); anything else is a conflict, nothing undone."""
    form = await read_form(request)
    who = require_who(request)
    filters = filters_of(form)
    target = text_field(form, "target")
    if not target:
        return redirect(request, "/", filters, "nothing of yours to undo", "error")
    version = version_field(form)
    ws = session(request).workspace
    try:
        state = ws.ledger.undo_last(who, target_uid=target, expected_version=version)
    except ConflictError as exc:
        subject = exc.state.subject_id
        return redirect(request, "/item", {**filters, "s": subject}, str(exc.message), "error")
    if state is None:
        return redirect(request, "/", filters, "nothing of yours to undo", "error")
    what = state.last.comment if state.last is not None else "undo"
    return redirect(request, "/item", {**filters, "s": state.subject_id}, f"{what}: done")


async def bulk_post(request: Request) -> Response:
    form = await read_form(request)
    who = require_who(request)
    picks = form.getlist("pick")
    if not picks:
        raise FormError("nothing selected to accept")
    selected = [parse_pick(p) if isinstance(p, str) else parse_pick("") for p in picks]
    comment = text_field(form, "comment") or None
    done, conflicts = session(request).workspace.bulk_accept(selected, who, comment=comment)
    return render(request, "bulk_done.html", {"done": done, "conflicts": conflicts})


async def export_post(request: Request) -> Response:
    await read_form(request)
    written = session(request).workspace.export()
    return render(request, "export.html", {"written": written})


async def set_reviewer(request: Request) -> Response:
    """Remember this browser's reviewer (a cookie for a year)."""
    form = await read_form(request)
    name = " ".join(text_field(form, "reviewer", limit=200).split())
    back = text_field(form, "back", limit=4000) or "/"
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    path, _, query = back.partition("?")
    from urllib.parse import parse_qsl

    params = {k: v for k, v in parse_qsl(query) if k not in {"msg", "kind", "sig"}}
    try:
        found = reviewer(name)
    except ReviewError as exc:
        return redirect(request, path, params, str(exc), "error")
    response = redirect(request, path, params, f"decisions are now recorded as {found.label}")
    response.set_cookie(
        REVIEWER_COOKIE, name, max_age=365 * 24 * 3600, httponly=True, samesite="strict"
    )
    return response
