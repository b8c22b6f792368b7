"""Negation and uncertainty in a partner's value: ``no HCC`` is not HCC.

Clinical text marks a finding as absent (``no X``, ``not X``, ``without X``, ``negative
for X``, ``ruled out X``), uncertain (``X?``, ``?X``, ``suspected X``, ``possible X``,
``r/o X``, ``query X``) or past (``history of X``, ``h/o X``); the cues are the one list
:data:`harmonize.text.values.HEDGE_CUES` (NegEx's trigger families), read here at the
start or end of a short value. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harmonize.text.values import HEDGE_CUES, HEDGE_WORDS, HedgeKind, cue_pattern

__all__ = ["NORMAL_NAMES", "Hedge", "HedgeKind", "read_hedge"]

_PREFIXES: tuple[tuple[HedgeKind, str], ...] = tuple(
    (kind, cue_pattern(cues) + (r"|\?" if kind == "uncertain" else ""))
    for kind, cues in HEDGE_CUES.items()
)
_PREFIX = re.compile(
    "|".join(rf"(?P<{kind}>^\s*(?:{cues})(?:\s+|(?<=\?)\s*))" for kind, cues in _PREFIXES),
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s*(?:\?+|\(\?\)|,?\s+(?:suspected|possible|r/o|query|\?))\s*$", re.I)

# a cheap test every hedged value passes: a cue word or a question mark (most values fail it)
_MAY_HEDGE = re.compile(rf"\?|(?<![\w/])(?:{cue_pattern(HEDGE_WORDS)})(?![\w/])", re.IGNORECASE)

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
