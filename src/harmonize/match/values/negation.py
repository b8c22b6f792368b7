"""Negation and uncertainty in a partner's value: ``no HCC`` is not HCC.

Clinical text marks a finding as absent (``no X``, ``not X``, ``without X``, ``negative
for X``, ``ruled out X``), uncertain (``X?``, ``?X``, ``suspected X``, ``possible X``,
``r/o X``, ``query X``) or past (``history of X``, ``h/o X``); the cues are the one list
:data:`harmonize.text.values.HEDGE_CUES` (NegEx's trigger families), read here at the
start or end of a short value. Absence is also written after the finding (``X ruled
out``, ``X: no``, ``X (negative)``, ``tumor-free``) and as ``non-`` before an abbreviation
(``non-HCC``); uncertainty in a bracket after it (``HCC (suspected)``). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harmonize.text.values import HEDGE_CUES, HEDGE_WORDS, HedgeKind, cue_pattern

__all__ = [
    "NORMAL_NAMES",
    "Hedge",
    "HedgeKind",
    "read_bare_negative",
    "read_bare_positive",
    "read_hedge",
]

_PREFIXES: tuple[tuple[HedgeKind, str], ...] = tuple(
    (kind, cue_pattern(cues) + (r"|\?" if kind == "uncertain" else ""))
    for kind, cues in HEDGE_CUES.items()
)
_PREFIX = re.compile(
    "|".join(rf"(?P<{kind}>^\s*(?:{cues})(?:\s+|(?<=\?)\s*))" for kind, cues in _PREFIXES),
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    r"\s*(?:\?+|\(\?\)|,?\s+(?:suspected|possible|r/o|query|\?)"
    r"|\(\s*(?:suspected|possible|probable|likely|presumed|query|r/o)\s*\))\s*$",
    re.I,
)
#: absence written after the finding: "HCC ruled out", "HCC: no", "HCC (negative)",
#: "tumor-free"; a bare "X negative" is not read so (after a marker it is the marker's sign)
_NEGATED_SUFFIX = re.compile(
    r"(?:\s+(?:ruled\s+out|excluded|absent)|\s*[:=]\s*(?:no|none|absent|negative)"
    r"|\s+-\s+(?:no|none|absent|negative)|\s*\(\s*(?:no|none|absent|negative|neg)\s*\)"
    r"|\s*-\s*free|\s+free)\s*$",
    re.I,
)
#: a test result after what was tested ("HIV negative", "SARS-CoV-2 neg"): read as absence
#: only when the rest names a term of the slot (after a marker it is the marker's sign)
_BARE_NEGATIVE = re.compile(r"[\s,_-]+(?:negative|neg|-ve|not\s+detected|undetected)\s*$", re.I)
#: ... and a positive one ("HIV positive", "EBV pos"): the finding itself, the result said
_BARE_POSITIVE = re.compile(r"[\s,_-]+(?:positive|pos|\+ve|detected)\s*$", re.I)
#: "non-HCC", "non T2D": "non" before an abbreviation ("non-Hodgkin lymphoma",
#: "non-classical monocyte" are names, not negations)
_NON_ABBREVIATION = re.compile(r"^\s*non[-\s]+(?=[A-Z0-9]{2,8}\s*$)")

# a cheap test every hedged value passes: a cue word or a question mark (most values fail it)
_MAY_HEDGE = re.compile(
    rf"\?|(?<![\w/])(?:{cue_pattern(HEDGE_WORDS)}|excluded|free|non|none|negative|neg)(?![\w/])",
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
    >>> read_hedge("HCC ruled out").kind, read_hedge("tumor-free").rest, read_hedge("non-HCC").rest
    ('negated', 'tumor', 'HCC')
    >>> read_hedge("HCC (suspected)").kind, read_hedge("HCC: no").kind
    ('uncertain', 'negated')
    >>> read_hedge("non-classical monocyte"), read_hedge("free")
    (None, None)
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
    match = _NEGATED_SUFFIX.search(value) or _NON_ABBREVIATION.match(value)
    if match is not None:
        rest = (value[: match.start()] + value[match.end() :]).strip(" :-,=")
        if rest:
            return Hedge("negated", match.group(0).strip(" :=-"), rest)
    return None


def read_bare_negative(value: str) -> Hedge | None:
    """``HIV negative``, ``SARS-CoV-2 neg``: a negative test written after what was
    tested, or None. The caller reads it as absence only when the rest names a term of
    the slot: ``CD4 negative`` and ``HER2 neg`` are a marker's sign.

    >>> read_bare_negative("HIV negative"), read_bare_negative("negative")
    (Hedge(kind='negated', cue='negative', rest='HIV'), None)
    """
    match = _BARE_NEGATIVE.search(value)
    if match is None:
        return None
    rest = value[: match.start()].strip(" :-,=")
    return Hedge("negated", match.group(0).strip(" ,_-"), rest) if rest else None


def read_bare_positive(value: str) -> tuple[str, str] | None:
    """``HIV positive``: (the result as written, what was tested), or None; as with
    :func:`read_bare_negative`, read so only when what was tested names a term.

    >>> read_bare_positive("HIV positive"), read_bare_positive("positive")
    (('positive', 'HIV'), None)
    """
    match = _BARE_POSITIVE.search(value)
    if match is None:
        return None
    rest = value[: match.start()].strip(" :-,=")
    return (match.group(0).strip(" ,_-"), rest) if rest else None
