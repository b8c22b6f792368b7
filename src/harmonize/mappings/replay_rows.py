"""The SSSOM rows replay writes: a steward's decision, a held subject's candidates, the
proposed replacement of an obsolete term. Pure."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from harmonize.mappings.decisions import HOLDING, NO_TERM, Decision
from harmonize.mappings.extras import dump_extras, extras_of
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping

if TYPE_CHECKING:
    from harmonize.mappings.replay_match import Replayed
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "JUSTIFICATION_CHAINING",
    "held_candidate",
    "is_deferred",
    "is_held",
    "manual_rows",
    "obsolete_proposal",
]

JUSTIFICATION_CHAINING = "semapv:MappingChaining"

_HELD = {"defer": "deferred", "assign": "assigned", "second_opinion": "held for a second opinion"}


def _comment(d: Decision, rep: Replayed, subject: str) -> str:
    note = "decision replayed" if rep.via != "subject" or d.subject_id != subject else "decision"
    what = {"defer": "defer (not decided yet)"}.get(d.action, d.action)
    if d.action == "assign" and d.object_label:
        what = f"assign to {d.object_label}"
    comment = f"{note}: {what} by {d.reviewer_label or d.reviewer_id} on {d.date}"
    if rep.via != "subject":
        comment += f" for {d.subject_label!r} ({rep.via})"
    return f"{comment}; {d.comment}" if d.comment else comment


def manual_rows(subject: str, rows: list[Mapping], d: Decision, rep: Replayed) -> list[Mapping]:
    """The steward's decision on ``subject`` as ``semapv:ManualMappingCuration`` rows (one
    per chosen term; a ``sssom:NoTermFound`` row for "none" and for held subjects)."""
    first = rows[0]
    extra: dict[str, object] = {
        "decision": d.uid,
        "action": d.action,
        "time": d.created_at,
        "replayed": rep.via != "subject",
    }
    if d.action == "assign" and d.object_id:
        extra.update(assignee=d.object_id, assignee_label=d.object_label)
    held = d.action in HOLDING
    terms = [(NO_TERM, _HELD[d.action])] if held else list(d.terms) or [(NO_TERM, None)]
    out = []
    for term, label in terms:
        same = next((m for m in rows if m.object_id == term), None)
        out.append(
            Mapping(
                subject_id=subject,
                subject_label=first.subject_label,
                predicate_id=d.predicate_id,
                object_id=term,
                object_label=label or (same.object_label if same else None),
                mapping_justification=JUSTIFICATION_MANUAL,
                subject_source=first.subject_source,
                object_source=same.object_source if same else None,
                object_source_version=same.object_source_version if same else None,
                subject_category=first.subject_category,
                author_id=(d.reviewer_id,),
                author_label=(d.reviewer_label,) if d.reviewer_label else (),
                mapping_date=d.date,
                mapping_tool="harmonize review",
                comment=_comment(d, rep, subject),
                other=dump_extras(extra),
            )
        )
    return out


def is_held(m: Mapping) -> bool:
    """True for a row a reviewed export marks held open (deferred, assigned, second
    opinion): the marker row, or a candidate of such a subject."""
    data = extras_of(m)
    return data.get("action") in HOLDING or bool(data.get("deferred"))


#: The former name of :func:`is_held`.
is_deferred = is_held


def held_candidate(m: Mapping, d: Decision) -> Mapping:
    """A candidate of a held subject, as exported: marked, without confidence, so no
    reader of the file can accept it on its score."""
    data = extras_of(m) if m.other else {}
    if m.other and not data:
        data = {"other": m.other}
    data["deferred"] = d.uid
    if m.confidence is not None:
        data["confidence"] = m.confidence
    why = _HELD.get(d.action, "held")
    note = f"{why} by {d.reviewer_label or d.reviewer_id} on {d.date}: not accepted"
    return replace(
        m,
        confidence=None,
        comment=f"{note}; {m.comment}" if m.comment else note,
        other=dump_extras(data),
    )


def obsolete_proposal(
    subject: str, rows: list[Mapping], rep: Replayed, index: OntologyIndex
) -> Mapping:
    """The row proposing the replacement of an obsolete accepted term (to be reviewed)."""
    d = rep.state.decision
    assert d is not None and rep.replacement is not None
    version = index.version
    was = f" ({d.object_label})" if d.object_label else ""
    return Mapping(
        subject_id=subject,
        subject_label=rows[0].subject_label,
        predicate_id=d.predicate_id,
        object_id=rep.replacement,
        object_label=index.label(rep.replacement),
        mapping_justification=JUSTIFICATION_CHAINING,
        subject_category=rows[0].subject_category,
        object_source_version=version,
        mapping_tool="harmonize review",
        comment=(
            f"accepted term {rep.obsolete}{was} is obsolete{f' in {version}' if version else ''}"
            f"; replaced_by {rep.replacement}: review"
        ),
        other=dump_extras({"requeued": True, "obsolete": rep.obsolete, "decision": d.uid}),
    )
