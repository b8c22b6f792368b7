"""Decisions made in OpenRefine, written back to the decision ledger (nothing curated twice).

Two ways in, one record (:class:`DecisionRequest`):

* the service's ``POST /decisions`` endpoint takes JSON
  ``{"reviewer": "...", "decisions": [{"column", "value", "id", "action" | "judgment", ...}]}``;
* ``harmonize reconcile --import-openrefine FILE`` reads OpenRefine's operation history
  (Undo/Redo > Extract > the JSON) - each ``core/recon-judge-similar-cells`` operation
  is a steward matching every cell with one value to a term ("matched": accept) or
  saying none fits ("new": no suitable term) - or the endpoint's JSON.

A value is recorded under ``local_curie(column, value)``, the subject every harmonize
command uses for it, so the decision replays on the next partner file. OpenRefine's own
auto-matches (``judgmentAction: auto``) are not decisions and are skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from harmonize.errors import InputFileError, ReconcileError

if TYPE_CHECKING:
    from harmonize.mappings.decisions import Action, Decision, ItemState, Reviewer
    from harmonize.match.values.candidate import MatchResult
    from harmonize.reconcile.service import ReconcileService

__all__ = [
    "JUDGE_SIMILAR",
    "DecisionRequest",
    "import_openrefine",
    "load_decisions",
    "parse_decisions",
    "parse_history",
    "to_decisions",
    "write_back",
]

Act = Literal["accept", "reject", "none", "defer"]
_ACTIONS: tuple[Act, ...] = ("accept", "reject", "none", "defer")
#: the OpenRefine operation that records "these cells are this term"
JUDGE_SIMILAR = "core/recon-judge-similar-cells"
_JUDGMENTS: dict[str, Act] = {"matched": "accept", "new": "none"}
_MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """One decision to record: the partner ``value`` of ``column`` maps to ``object_id``
    (``accept``), must never map to it (``reject``), has no suitable term (``none``), or
    waits (``defer``). ``source`` makes an imported decision's uid stable."""

    value: str
    action: Act
    column: str | None = None
    object_id: str | None = None
    object_label: str | None = None
    comment: str | None = None
    type_id: str | None = None
    source: str | None = None


def _text(item: Mapping[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReconcileError(f"{where}: {key!r} must be a string", value=value)
    return value.strip() or None


def _one(item: object, where: str) -> DecisionRequest | None:
    """A request from one endpoint item (None: an OpenRefine auto-match or no judgment)."""
    if not isinstance(item, Mapping):
        raise ReconcileError(f"{where} must be an object", value=item)
    value = item.get("value")
    if not isinstance(value, str) or not value.strip():
        raise ReconcileError(f"{where}: 'value' (the cell's text) is required", value=value)
    raw_match = item.get("match")
    match: Mapping[str, Any] = raw_match if isinstance(raw_match, Mapping) else {}
    object_id = _text(item, "id", where) or _text(match, "id", where)
    label = _text(item, "name", where) or _text(match, "name", where)
    if "action" in item:
        action = item["action"]
        if action not in _ACTIONS:
            raise ReconcileError(
                f"{where}: 'action' must be one of {', '.join(_ACTIONS)}", value=action
            )
    else:
        if item.get("judgmentAction") == "auto":
            return None
        judgment = item.get("judgment")
        if judgment == "none":
            return None
        if judgment not in _JUDGMENTS:
            raise ReconcileError(
                f"{where}: give 'action' (accept, reject, none, defer) or an OpenRefine "
                "'judgment' (matched, new)",
                value=judgment,
            )
        action = _JUDGMENTS[judgment]
    if action in {"accept", "reject"} and not object_id:
        raise ReconcileError(f"{where}: an {action} needs the term's 'id'")
    return DecisionRequest(
        value=value,
        action=action,
        column=_text(item, "column", where),
        object_id=object_id if action in {"accept", "reject"} else None,
        object_label=label if action in {"accept", "reject"} else None,
        comment=_text(item, "comment", where),
        type_id=_text(item, "type", where),
        source=_text(item, "source", where),
    )


def parse_decisions(data: object, *, max_items: int) -> tuple[list[DecisionRequest], str | None]:
    """The endpoint's JSON -> (requests, reviewer named in it, if any)."""
    reviewer: str | None = None
    items = data
    if isinstance(data, Mapping):
        reviewer = _text(data, "reviewer", "the request")
        items = data.get("decisions")
    if not isinstance(items, list):
        raise ReconcileError('send {"decisions": [{"column", "value", "id", "action"}, ...]}')
    if len(items) > max_items:
        raise ReconcileError(f"too many decisions: {len(items)} (at most {max_items})", status=413)
    found = [_one(item, f"decision {i}") for i, item in enumerate(items)]
    return [r for r in found if r is not None], reviewer


def parse_history(ops: Sequence[object]) -> tuple[list[DecisionRequest], int]:
    """OpenRefine's extracted operation history -> (requests, recon operations skipped).

    Only "match similar cells" operations name a value; the others (match best
    candidates, mark as new, match to a specific topic) act on facet-filtered rows the
    history does not list, so they are counted as skipped.
    """
    out: list[DecisionRequest] = []
    skipped = 0
    for position, op in enumerate(ops):
        if not isinstance(op, Mapping):
            raise ReconcileError(f"operation {position} is not an object", value=op)
        name = str(op.get("op") or "")
        if name != JUDGE_SIMILAR:
            skipped += name.startswith("core/recon")
            continue
        item = {
            "value": op.get("similarValue"),
            "column": op.get("columnName"),
            "judgment": op.get("judgment"),
            "match": op.get("match"),
            "source": f"openrefine-history:{position}",
        }
        request = _one(item, f"operation {position} ({JUDGE_SIMILAR})")
        if request is None:
            skipped += 1
        else:
            out.append(request)
    return out, skipped


def load_decisions(
    path: str | Path, *, max_items: int = 1_000_000
) -> tuple[list[DecisionRequest], int]:
    """Read an OpenRefine operation history or the endpoint's JSON from ``path``."""
    import json

    source = Path(path)
    try:
        if source.stat().st_size > _MAX_FILE_BYTES:
            raise InputFileError(
                "file too large for a decision import (64 MB at most)", path=source
            )
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError("file not found", path=source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read: {exc}", path=source) from None
    except ValueError as exc:
        raise InputFileError(f"not valid JSON ({exc})", path=source) from None
    try:
        if (
            isinstance(data, list)
            and data
            and all(isinstance(o, Mapping) and "op" in o for o in data)
        ):
            return parse_history(data)
        requests, _ = parse_decisions(data, max_items=max_items)
        return requests, 0
    except ReconcileError as exc:
        raise InputFileError(exc.message, path=source, value=exc.value) from None


def _stable_uid(request: DecisionRequest, subject: str, who: Reviewer) -> str:
    key = "\x00".join(
        str(x) for x in (request.source, subject, request.action, request.object_id, who.id)
    )
    return "openrefine-" + hashlib.sha1(key.encode()).hexdigest()[:24]


def to_decisions(
    requests: Sequence[DecisionRequest],
    who: Reviewer,
    *,
    namespace: str,
    shown: Callable[[DecisionRequest], MatchResult | None] | None = None,
    mapping_set_id: str | None = None,
) -> list[Decision]:
    """Ledger decisions for ``requests``. ``shown`` gives what the service would offer for
    a value (recorded with the decision: confidence, evidence, candidate ids); a request
    with a ``source`` gets a uid derived from it, so importing it twice adds nothing."""
    from harmonize.curie import local_curie
    from harmonize.mappings.decisions import new_decision

    out = []
    for r in requests:
        subject = local_curie(r.column or namespace, r.value)
        result = shown(r) if shown is not None else None
        cand = None
        if result is not None:
            cand = next((c for c in result.candidates if c.id == r.object_id), None)
        action: Action = r.action
        if action == "accept" and result is not None and cand is None:
            action = "replace"  # a term the matcher did not offer: the review's "replace"
        decision = new_decision(
            subject,
            action,
            who,
            subject_label=r.value,
            object_id=r.object_id,
            object_label=r.object_label or (cand.label if cand is not None else None),
            predicate_id=cand.predicate if cand is not None and action == "accept" else None,
            comment=r.comment or "decided in OpenRefine",
            confidence=cand.confidence if cand is not None else None,
            evidence=cand.explain() if cand is not None else None,
            shown=[c.id for c in result.candidates] if result is not None else (),
            mapping_set_id=mapping_set_id,
        )
        if r.source:
            decision = replace(decision, uid=_stable_uid(r, subject, who))
        out.append(decision)
    return out


def import_openrefine(path: str | Path, ledger: str | Path, who: Reviewer) -> tuple[int, int, int]:
    """Record the decisions of an OpenRefine operation history (or of the endpoint's
    JSON) at ``path`` in the ledger at ``ledger``: (added, already there, recon operations
    skipped). Values go under their OpenRefine column's name."""
    from harmonize.reconcile.ledger_view import LedgerView
    from harmonize.reconcile.service import DEFAULT_NAMESPACE, MAPPING_SET_ID

    requests, skipped = load_decisions(path)
    decisions = to_decisions(
        requests, who, namespace=DEFAULT_NAMESPACE, mapping_set_id=MAPPING_SET_ID
    )
    added = LedgerView(ledger).import_decisions(decisions)
    return added, len(decisions) - added, skipped


def _unchanged(decision: Decision, state: ItemState | None) -> bool:
    """Would ``decision`` change nothing (the ledger already says the same)?"""
    if state is None:
        return False
    if decision.action in {"accept", "replace"}:
        return state.chosen == decision.object_id
    if decision.action == "reject":
        return decision.object_id in state.rejected
    return state.status == {"none": "no_term", "defer": "deferred"}.get(decision.action)


def write_back(
    service: ReconcileService, requests: Sequence[DecisionRequest], who: Reviewer
) -> dict[str, Any]:
    """Record ``requests`` in the service's ledger; returns what was done, per value.

    Every term id must be known to the service (a 400 names the first one that is not);
    decisions the ledger already holds are not recorded again.
    """
    from harmonize.reconcile.service import DEFAULT_NAMESPACE, MAPPING_SET_ID

    for i, r in enumerate(requests):
        if r.type_id:
            service.type(r.type_id)
        if r.object_id and service.lookup(r.object_id) is None:
            raise ReconcileError(f"decision {i}: unknown term {r.object_id!r}", value=r.object_id)

    def shown(r: DecisionRequest) -> MatchResult | None:
        if not r.type_id:
            return None
        return service.ground([r.value], r.type_id, top_k=service.limits.default_limit)[0]

    decisions = to_decisions(
        requests, who, namespace=DEFAULT_NAMESPACE, shown=shown, mapping_set_id=MAPPING_SET_ID
    )
    changed = [d for d in decisions if not _unchanged(d, service.ledger.state(d.subject_id))]
    states = {s.subject_id: s for s in service.ledger.record(changed)} if changed else {}
    subjects = []
    for d in decisions:
        state = states.get(d.subject_id) or service.ledger.state(d.subject_id)
        subjects.append(
            {
                "subject_id": d.subject_id,
                "value": d.subject_label,
                "status": state.status if state is not None else "pending",
                "chosen": state.chosen if state is not None else None,
            }
        )
    return {
        "recorded": len(changed),
        "unchanged": len(decisions) - len(changed),
        "ledger": str(service.ledger.path) if service.ledger.path else None,
        "subjects": subjects,
    }
