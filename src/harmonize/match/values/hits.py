"""What the value matcher's tiers produce before ranking: hits, their scores, and chunks.

A :class:`Hit` is one name row met by one tier (and, when it came from a reading of the
value, which reading); a :class:`RankedChunk` is the columnar result of ranking a run of
values, compact enough for a worker process to send back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harmonize.match.values.interpret import READING_MAX_CONFIDENCE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.match.values.candidate import Method

__all__ = [
    "ALTERNATIVE_MAX_CONFIDENCE",
    "BRACKETED_MAX_CONFIDENCE",
    "BRACKET_STEP",
    "CONTRADICTED_WEIGHT",
    "FUZZY_MAX_CONFIDENCE",
    "JOINED_STEP",
    "METHOD_BASE",
    "SCOPE_WEIGHT",
    "Hit",
    "RankedChunk",
    "confidence_cap",
    "contradicted",
    "read_texts",
]

METHOD_BASE: dict[Method, float] = {
    "exact": 1.0,
    "normalized": 0.97,
    "token": 0.93,
    "fuzzy": 0.9,
    # the name only met after its bracketed qualifier was dropped ("cM0 (i+)" for "cM0"):
    # the qualifier may change the meaning, so this is weaker than any full-name hit
    "bracketed": 0.8,
}
#: a candidate met only by dropping the name's bracketed qualifier is never auto-accepted
BRACKETED_MAX_CONFIDENCE = 0.45  # below the column matcher's retry point (0.5)
BRACKET_STEP = "brackets dropped from the name"
#: a hit on one alternative of "a/b" is not a hit on the whole value: never auto-accepted
ALTERNATIVE_MAX_CONFIDENCE = 0.9
#: a fuzzy hit is a name close to the value, not one the value says: like a reading,
#: never auto-accepted, as no benchmark shows the class >= 0.98 precise (bench/RESULTS.md:
#: of the fuzzy first answers the shipped model put at >= 0.95 on the EFO sets, 22 of 25)
FUZZY_MAX_CONFIDENCE = 0.9
#: a value of one or two characters ("M", "F", "RA") names several things in most
#: ontologies (PATO's biological sex holds mating types with the synonyms "M" and "F-"):
#: a name it matches exactly is never enough to accept it unreviewed
SHORT_VALUE_MAX_CONFIDENCE = 0.9
#: the slot's root ("cell") reached by anything but its own name (``CD45+ cells``, ``live
#: cells``, a fuzzy name replaced by it): no kind of it is named
ROOT_MAX_CONFIDENCE = 0.3
#: the Cell Ontology's root: a term below it is a kind of cell (not a part of a structure,
#: and not where a sample came from)
CELL_ROOT = "CL:0000000"
SHORT_VALUE_LENGTH = 2
#: a term whose name contradicts the value (a marker's sign, a T cell's coreceptor, a word
#: it negates) weighs this much: after the rest (the lowest other score of 17,273
#: candidates of the benchmark values is 0.13)
CONTRADICTED_WEIGHT = 0.01
JOINED_STEP = "spaces removed (words written apart or together)"
SCOPE_WEIGHT: dict[str, float] = {
    "LABEL": 1.0,
    "EXACT": 1.0,  # an OBO exact synonym means the same as the label
    "NARROW": 0.93,
    "BROAD": 0.93,
    "RELATED": 0.9,
}


@dataclass(slots=True)
class Hit:
    """One name row met by one tier (not frozen: built by the million, never shared)."""

    row: int
    method: Method
    score: float
    sim: float
    dice: float
    part: str | None = None  # the alternative ("a" of "a/b") this hit matched
    joined: bool = False  # met with the spaces of both texts removed
    #: (reading kind, what was read) when the hit came from a reading of the value
    reading: tuple[str, str] | None = None
    filler: bool = False  # a fuzzy hit only filling top-k after exact hits


@dataclass(slots=True)
class RankedChunk:
    """Ranked candidates of a run of values before calibration, one column per attribute.

    Per value: how many in-branch candidates, whether an outside-branch one follows, the
    normalisation steps and a note on the value as a whole (a cell line, a negation,
    qualifiers only); per candidate (values in order, in-branch ones then the outside
    one): term, raw score, name row, method, alternative part, whether met with spaces
    removed, reading, predicate and its calibration features (one row of ``features``).
    """

    need: int = 0  # values sent to the fuzzy tier
    inside: list[int] = field(default_factory=list)
    outside: list[bool] = field(default_factory=list)
    steps: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str | None] = field(default_factory=list)
    #: per value: the highest confidence of any of its candidates, and why (or None)
    ceilings: list[tuple[float, str] | None] = field(default_factory=list)
    term: list[int] = field(default_factory=list)
    score: list[float] = field(default_factory=list)
    row: list[int] = field(default_factory=list)
    method: list[Method] = field(default_factory=list)
    part: list[str | None] = field(default_factory=list)
    joined: list[bool] = field(default_factory=list)
    reading: list[tuple[str, str] | None] = field(default_factory=list)
    predicate: list[str] = field(default_factory=list)
    features: npt.NDArray[np.float64] | None = None


def confidence_cap(method: str, part: str | None, reading: tuple[str, str] | None) -> float:
    """The highest confidence a candidate may have: met only by similarity (fuzzy), with
    its name's bracket dropped, on one alternative of "a/b", or through a reading of the
    value (:data:`~harmonize.match.values.interpret.READING_MAX_CONFIDENCE`)."""
    cap = 1.0
    if method == "bracketed":
        cap = BRACKETED_MAX_CONFIDENCE
    elif method == "fuzzy":
        cap = FUZZY_MAX_CONFIDENCE
    if part is not None:
        cap = min(cap, ALTERNATIVE_MAX_CONFIDENCE)
    if reading is not None:
        cap = min(cap, READING_MAX_CONFIDENCE[reading[0]])
    return cap


def contradicted(score: float, hit: Hit, said: str) -> tuple[float, Hit]:
    """``hit`` (ranked at ``score``) read as ``contradicted``: ``said`` after what it was read
    as, and weighed :data:`CONTRADICTED_WEIGHT` (after every other candidate)."""
    from dataclasses import replace

    note = f"{hit.reading[1]}; {said}" if hit.reading else said
    return score * CONTRADICTED_WEIGHT, replace(hit, reading=("contradicted", note))


def read_texts(norms: list[str], norm: str, hits: list[Hit]) -> dict[str, float]:
    """The texts a value was read as (itself, and each name a reading of it met), with the
    best score each reached."""
    texts = {norm: 1.0}
    for h in hits:
        if h.reading and h.method != "fuzzy":
            text = norms[h.row]
            texts[text] = max(texts.get(text, 0.0), h.score)
    return texts
