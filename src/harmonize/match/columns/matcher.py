"""Column -> slot matching against any LinkML schema.

``match_columns(table, schema)`` profiles every column of a partner table, scores it
against every slot of one class (name, description, values, datatype, unit: see
:mod:`harmonize.match.columns.features`), combines the evidence with a small logistic
model (:mod:`harmonize.match.columns.scoring`), and runs a one-to-one assignment so two
columns do not both claim one single-valued slot unless both are strong. The result
lists, per column, its top-k slots best first with a confidence and a readable
explanation of the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harmonize.match.columns.features import FEATURES, ColumnProfile, column_profile

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.io.tables import Table
    from harmonize.match.columns.index import SlotIndex
    from harmonize.match.columns.scoring import Weights
    from harmonize.schema import SchemaInfo, SlotInfo

__all__ = [
    "CURATED_NAME",
    "EXACT_AT",
    "MIN_ASSIGN",
    "STRONG",
    "ColumnMatch",
    "ColumnMatching",
    "SlotCandidate",
    "match_columns",
    "rank_profiles",
]

#: Two columns may share one single-valued slot only when both are at least this sure.
STRONG = 0.9
#: The assigned slot is a ``skos:exactMatch`` from this confidence on (else closeMatch).
EXACT_AT = 0.8
#: Below this confidence a column is left unassigned (no slot is a good guess).
MIN_ASSIGN = 0.2
_ASSIGN_DEPTH = 3  # how far down its list a column may go to find a free slot
#: Confidence of a header equal to a slot's name, title or curated alias: the schema's
#: authors listed that name for the slot, so it is a lexical match made by curation.
CURATED_NAME = 0.97
_NAME_EXACT = FEATURES.index("name_exact")


@dataclass(frozen=True, slots=True)
class SlotCandidate:
    """One slot proposed for a column, with its evidence."""

    slot: str
    uri: str  # the slot's CURIE (or IRI)
    confidence: float  # probability the slot is right, in [0, 1]
    score: float  # raw model score (ranking)
    predicate: str  # skos:exactMatch | skos:closeMatch
    evidence: tuple[str, ...]
    note: str | None = None
    curated_name: bool = False  # the header equals the slot's name, title or an alias

    def explain(self) -> str:
        parts = list(self.evidence) or ["weak evidence only"]
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """Ranked slots for one column; ``assigned`` is the slot the 1:1 step chose."""

    column: str
    candidates: tuple[SlotCandidate, ...]
    assigned: str | None
    distinct_values: int
    numeric_share: float

    @property
    def best(self) -> SlotCandidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True, slots=True)
class ColumnMatching:
    """The result of matching one table against one class of one schema."""

    table: str
    table_format: str
    schema: str
    schema_name: str
    class_name: str
    n_slots: int
    columns: tuple[ColumnMatch, ...]

    def column(self, name: str) -> ColumnMatch:
        for match in self.columns:
            if match.column == name:
                return match
        raise KeyError(name)

    def assignments(self) -> dict[str, str]:
        """Column -> assigned slot, for columns that got one."""
        return {m.column: m.assigned for m in self.columns if m.assigned}


def _evidence(profile: ColumnProfile, slot: SlotInfo, f: npt.NDArray[np.float32]) -> list[str]:
    from harmonize.match.columns.text import name_words

    get = {name: float(f[i]) for i, name in enumerate(FEATURES)}
    out: list[str] = []
    col = profile.words.text
    slot_words = name_words(slot.name).text
    if get["name_exact"] >= 1.0:
        out.append("header equals the slot's name, title or a curated alias")
    elif get["name_tfidf"] >= 0.2 or get["name_fuzzy"] >= 0.7:
        out.append(
            f"name '{col}' ~ '{slot_words}' (words {get['name_tfidf']:.2f}, "
            f"fuzzy {get['name_fuzzy']:.2f}, slot words covered {get['slot_cover']:.0%})"
        )
    if get["col_cover"] >= 0.3 and slot.description:
        out.append(f"description has {get['col_cover']:.0%} of the column's words")
    pvs = len(slot.binding.permissible_values)
    if pvs:
        share = max(get["value_overlap"], get["value_tokens"])
        if share > 0:
            out.append(f"{share:.0%} of values match its {pvs} permissible values")
        elif get["value_miss"] > 0.5:
            out.append(f"values fit none of its {pvs} permissible values")
    if get["type_fit"] > 0.5:
        out.append("numeric values, numeric slot")
    if get["type_clash"] > 0.5:
        out.append("datatype clash (numbers vs text)")
    if get["unit_fit"] > 0 and profile.words.unit:
        out.append(f"unit '{profile.words.unit}' in the name fits the slot")
    return out


def rank_profiles(
    profiles: Sequence[ColumnProfile],
    index: SlotIndex,
    *,
    top_k: int = 5,
    weights: Weights | None = None,
) -> tuple[ColumnMatch, ...]:
    """Rank the slots of ``index`` for each profiled column, then assign one-to-one."""
    import numpy as np

    from harmonize.match.columns.features import feature_matrix
    from harmonize.match.columns.scoring import default_weights, score

    weights = weights or default_weights()
    top_k = max(1, min(top_k, len(index))) if len(index) else 0
    features = feature_matrix(list(profiles), index)
    scored: list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], list[int]]] = []
    depth = max(top_k, _ASSIGN_DEPTH) + 1
    named: dict[int, int] = {}
    for c in range(len(profiles)):
        logit, conf = score(features[c], weights)
        order = [int(i) for i in np.argsort(-logit, kind="stable")[:depth]]
        hits = np.flatnonzero(features[c, :, _NAME_EXACT] >= 1.0)
        if len(hits):  # the first slot (schema order) the header names comes first
            first = named[c] = int(hits[0])
            conf[first] = max(float(conf[first]), CURATED_NAME)
            order = [first, *[i for i in order if i != first][: depth - 1]]
        scored.append((logit, conf, order))
    assigned, claimed_by = _assign(scored, index)
    out: list[ColumnMatch] = []
    for c, profile in enumerate(profiles):
        logit, conf, order = scored[c]
        chosen = assigned.get(c)
        if chosen is not None and order[0] != chosen:
            order = [chosen] + [i for i in order if i != chosen]
        candidates = []
        for rank, i in enumerate(order[:top_k]):
            slot = index.slots[i]
            note = None
            owner = claimed_by.get(i)
            if owner is not None and owner != c and chosen != i:
                note = f"slot taken by column {profiles[owner].name!r}"
            exact = rank == 0 and chosen == i and float(conf[i]) >= EXACT_AT
            candidates.append(
                SlotCandidate(
                    slot=slot.name,
                    uri=slot.uri,
                    confidence=round(float(conf[i]), 4),
                    score=round(float(logit[i]), 4),
                    predicate="skos:exactMatch" if exact else "skos:closeMatch",
                    evidence=tuple(_evidence(profile, slot, features[c, i])),
                    note=note,
                    curated_name=named.get(c) == i,
                )
            )
        out.append(
            ColumnMatch(
                column=profile.name,
                candidates=tuple(candidates),
                assigned=index.slots[chosen].name if chosen is not None else None,
                distinct_values=profile.distinct,
                numeric_share=round(profile.numeric, 3),
            )
        )
    return tuple(out)


def _assign(
    scored: list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], list[int]]],
    index: SlotIndex,
) -> tuple[dict[int, int], dict[int, int]]:
    """Greedy one-to-one: strongest (column, slot) pairs first.

    A single-valued slot already claimed is given to a second column only when both
    confidences reach :data:`STRONG`; a column whose top slots are all taken gets none.
    """
    pairs = [
        (float(conf[i]), c, i)
        for c, (_, conf, order) in enumerate(scored)
        for i in order[:_ASSIGN_DEPTH]
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    assigned: dict[int, int] = {}
    claimed: dict[int, tuple[int, float]] = {}
    for conf, c, i in pairs:
        if c in assigned or conf < MIN_ASSIGN:
            continue
        holder = claimed.get(i)
        slot = index.slots[i]
        if holder is None or slot.multivalued or (conf >= STRONG and holder[1] >= STRONG):
            assigned[c] = i
            if holder is None:
                claimed[i] = (c, conf)
    return assigned, {i: c for i, (c, _) in claimed.items()}


def match_columns(
    table: Table,
    schema: SchemaInfo,
    *,
    class_name: str | None = None,
    top_k: int = 5,
    weights: Weights | None = None,
) -> ColumnMatching:
    """Rank the slots of ``class_name`` (default: the schema's root class) per column."""
    from harmonize.match.columns.cache import slot_index_cached

    cls = schema.cls(class_name)
    if not cls.slots:
        from harmonize.errors import SchemaError

        raise SchemaError(f"class {cls.name} has no slots to match columns to", path=schema.path)
    index = slot_index_cached(schema, cls.name)
    profiles = [column_profile(name, table.column(name)) for name in table.columns]
    columns = rank_profiles(profiles, index, top_k=top_k, weights=weights)
    return ColumnMatching(
        table=str(table.path),
        table_format=table.format.describe(),
        schema=str(schema.path),
        schema_name=schema.name,
        class_name=cls.name,
        n_slots=len(index),
        columns=columns,
    )
