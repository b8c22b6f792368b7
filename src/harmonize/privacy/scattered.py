"""Identifiers scattered in a column: one validated cell is enough to flag it.

The column rules decide on shares ("50% of values are valid e-mails"); a national
identifier, e-mail address or phone number typed into a few cells of an otherwise clinical
column stays far below any share. :func:`scattered_identifiers` looks at EVERY value
(not the rules' sample): a cheap shape test first, then the same validators (check digits,
syntax) the rules use, so a column with even one such cell is flagged, with its share.

Check digits also pass by chance: about one random 10-digit number in eleven is a valid
NHS number. A validated number therefore counts only when it stands out from its column:
when at least :data:`CHANCE_GROUP` values share its shape (``9999999999``) and fewer than
half of them validate, the column holds numbers of that shape (accessions, counts) and the
few that validate are chance (a column where most validate is the rules' business).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from harmonize.privacy.detectors import value_kind

__all__ = ["CHANCE_GROUP", "SCATTERED_KINDS", "Scattered", "scattered_identifiers"]

#: Kinds one validated cell is enough for (validated by check digits or syntax).
SCATTERED_KINDS = ("national_id", "email", "phone")
# could be an e-mail, or holds 7+ digits (national ids and phone numbers do)
_CANDIDATE = re.compile(r"@|(?:\d\D{0,2}){7}")
#: Values of one shape from which on a minority that validates is taken as chance.
CHANCE_GROUP = 5


def _shape(value: str) -> str:
    return re.sub(r"[A-Za-z]", "a", re.sub(r"\d", "9", value))


@dataclass(frozen=True, slots=True)
class Scattered:
    """The strongest validated kind found, how many cells hold it, out of how many."""

    kind: str
    cells: int
    total: int
    examples: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.cells / self.total if self.total else 0.0


def scattered_identifiers(values: Sequence[str], *, hinted: str | None = None) -> Scattered | None:
    """The national-ID / e-mail / phone cells among ``values`` (all of them), or None.

    >>> found = scattered_identifiers(["T2 N0", "211062-5629"] + ["grade 2"] * 18)
    >>> (found.kind, found.cells, found.total)
    ('national_id', 1, 20)
    >>> scattered_identifiers(["grade 2", "pT1a"]) is None
    True
    """
    counts = Counter(v.strip() for v in values if v.strip())
    total = sum(counts.values())
    shapes: Counter[str] = Counter()
    valid: dict[str, list[tuple[str, str, int]]] = {}  # shape -> (kind, value, count)
    for value, n in counts.items():
        if not _CANDIDATE.search(value):
            continue
        shape = _shape(value)
        shapes[shape] += n
        kind = value_kind(
            value,
            allow_plain_ssn=hinted == "national_id",
            allow_plain_phone=hinted == "phone",
        )
        if kind in SCATTERED_KINDS:
            valid.setdefault(shape, []).append((str(kind), value, n))
    found: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for shape, hits in valid.items():
        validated = sum(n for _, _, n in hits)
        if shapes[shape] >= CHANCE_GROUP and validated * 2 < shapes[shape]:
            hits = [h for h in hits if h[0] == "email"]  # check digits passing by chance
        for kind, value, n in hits:
            found[kind] += n
            examples.setdefault(kind, []).append(value)
    if not found:
        return None
    kind = min(found, key=SCATTERED_KINDS.index)  # strongest evidence first
    return Scattered(kind, found[kind], total, tuple(examples[kind][:3]))
