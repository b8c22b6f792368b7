"""A first privacy policy drafted from a scan, for the steward to review and edit."""

from __future__ import annotations

import json
from collections.abc import Sequence

from harmonize.privacy.finding import ColumnFinding

__all__ = ["SUGGESTED", "draft_policy"]

SUGGESTED: dict[str, str] = {
    "national_id": "pseudonymize",  # keeps records linkable across files
    "record_number": "pseudonymize",
    "person_name": "drop",
    "email": "drop",
    "phone": "drop",
    "address": "drop",
    "iban": "drop",
    "ip_address": "drop",
    "free_text": "drop",
    "date_of_birth": "generalize",  # -> year
    "age": "generalize",  # -> 5-year bands
    "postcode": "generalize",  # -> first 2 characters
}
"""The action suggested for each kind (quasi-identifiers without one are listed as comments)."""


def _key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def draft_policy(findings: Sequence[ColumnFinding], *, source: str = "") -> str:
    """YAML text of a policy with a rule for every direct identifier the scan found.

    >>> from harmonize.privacy.finding import ColumnFinding
    >>> print(draft_policy([ColumnFinding("CPR", "direct", "national_id", 1.0, 9)]))
    ... # doctest: +ELLIPSIS
    # Privacy policy drafted by `harmonize privacy scan`...
    columns:
      "CPR": pseudonymize  # direct national_id, 100% of values
    ...
    """
    lines = [
        "# Privacy policy drafted by `harmonize privacy scan`"
        + (f" from {source}" if source else "")
        + ": review every rule.",
        "# Actions: drop | pseudonymize | generalize | keep (keep needs a reason: ...)",
        '# Key for pseudonymize: $HARMONIZE_PSEUDONYM_KEY, or key: {file: "..."}',
        'version: "draft-1"',
        "columns:",
    ]
    commented: list[str] = []
    for f in findings:
        note = f"{f.category} {f.kind}, {f.match_share:.0%} of values"
        action = SUGGESTED.get(f.kind)
        if f.is_direct:
            rule = action or "drop"
            lines.append(f"  {_key(f.column)}: {rule}  # {note}")
        elif f.category == "quasi":
            rule = action or '{action: keep, reason: "..."}'
            commented.append(f"  # {_key(f.column)}: {rule}  # {note}")
    if commented:
        lines.append("# quasi-identifiers: uncomment to generalize, drop or keep (with a reason)")
        lines.extend(commented)
    return "\n".join(lines) + "\n"
