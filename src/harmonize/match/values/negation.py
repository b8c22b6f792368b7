"""Negation and uncertainty in a partner's value: ``no HCC`` is not HCC.

Clinical text marks a finding as absent (``no X``, ``not X``, ``without X``, ``negative
for X``, ``ruled out X``), uncertain (``X?``, ``?X``, ``suspected X``, ``possible X``,
``r/o X``, ``query X``) or past (``history of X``, ``h/o X``); the cue lists follow the
NegEx trigger families (Chapman et al. 2001, J Biomed Inform 34:301) reduced to what
appears at the start or end of a short value. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["NORMAL_NAMES", "Hedge", "HedgeKind", "read_hedge"]

HedgeKind = Literal["negated", "uncertain", "history"]

_PREFIXES: tuple[tuple[HedgeKind, str], ...] = (
    ("negated", r"no|not|without|negative\s+for|neg\s+for|absence\s+of|free\s+of|"
     r"ruled\s+out|rules\s+out|denies|non-?evidence\s+of"),
    ("uncertain", r"suspected|suspicion\s+of|suspicious\s+for|possible|probable|"
     r"likely|query|questionable|presumed|r/o|rule\s+out|\?"),
    ("history", r"history\s+of|h/o|hx\s+of|past|previous|prior|family\s+history\s+of"),
)  # fmt: skip
_PREFIX = re.compile(
    "|".join(rf"(?P<{kind}>^\s*(?:{cues})(?:\s+|(?<=\?)\s*))" for kind, cues in _PREFIXES),
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s*(?:\?+|\(\?\)|,?\s+(?:suspected|possible|r/o|query|\?))\s*$", re.I)

# a cheap test every hedged value passes: a cue word or a question mark (most values fail it)
_MAY_HEDGE = re.compile(
    r"\?|\b(?:no|not|without|neg|negative|absence|free|ruled?|rules|denies|non-?evidence|"
    r"suspected|suspicion|suspicious|possible|probable|likely|query|questionable|presumed|"
    r"r/o|history|h/o|hx|past|previous|prior|family)\b",
    re.IGNORECASE,
)

#: names of "nothing found" terms a slot may hold (PATO normal, MONDO/NCIT "no disease")
NORMAL_NAMES: frozenset[str] = frozenset({"normal", "no disease", "healthy", "no abnormality"})


@dataclass(frozen=True, slots=True)
class Hedge:
    """A value read as ``kind`` of ``rest`` (``cue`` as written)."""

    kind: HedgeKind
    cue: str
    rest: str

    def describe(self) -> str:
        what = {"negated": "negated", "uncertain": "uncertain", "history": "past"}[self.kind]
        return f"read as {what} ({self.cue.strip()!r}): {self.rest!r}"


def read_hedge(value: str) -> Hedge | None:
    """The negation / uncertainty / history reading of ``value``, or None.

    >>> read_hedge("no HCC")
    Hedge(kind='negated', cue='no ', rest='HCC')
    >>> read_hedge("HCC?").kind, read_hedge("r/o sepsis").rest
    ('uncertain', 'sepsis')
    >>> read_hedge("liver") is None
    True
    """
    if not _MAY_HEDGE.search(value):
        return None
    match = _PREFIX.match(value)
    if match is not None:
        rest = value[match.end() :].strip(" :-,")
        kind: HedgeKind = next(k for k, _ in _PREFIXES if match.group(k) is not None)
        if rest:
            return Hedge(kind, match.group(0), rest)
    match = _SUFFIX.search(value)
    if match is not None:
        rest = value[: match.start()].strip(" :-,")
        if rest:
            return Hedge("uncertain", match.group(0).strip(), rest)
    return None
