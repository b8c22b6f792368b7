"""Per-schema arrays for column matching, built once per (schema, class) and cached.

A :class:`SlotIndex` holds, for every slot of one class: its name words, TF-IDF
vectors of its name and of its name + description, what kind of values it expects
(numeric or not, from the datatype or, for untyped ``string`` slots, from words of its
description such as "number of" or "measured in"), and all permissible values of all
enum slots as one normalised array grouped by slot, so a column's values are compared
with every permissible value in one vectorised ``rapidfuzz`` call.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harmonize.match.columns.text import name_words, stem, text_stems
from harmonize.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np
    import numpy.typing as npt

    from harmonize.schema import ClassInfo, SchemaInfo, SlotInfo

__all__ = ["SlotIndex", "Vectorizer", "build_slot_index", "remember_slot_index", "slot_index"]

#: Function words left out of permissible-value word sets ("head of pancreas").
VALUE_STOP = frozenset({"of", "the", "a", "an", "and", "or", "in", "on", "to", "with", "for", "by"})
_VALUE_STOP = VALUE_STOP
_NUMERIC_TYPES = {"xsd:integer", "xsd:float", "xsd:double", "xsd:decimal"}
_NUMERIC_CUES = re.compile(
    r"\b(number of|numeric|numerical|the number|count of|total number|how many|"
    r"measured in|expressed in|in (centi|milli)?met(er|re)s|in days|in years|in months|"
    r"percent(age)?|ratio|score|amount|quantity|index value|concentration|weight|height)\b"
)
_UNIT_WORDS = {
    "length": ("centimeter", "millimeter", "meter", "inch", "dimension", "diameter", "size"),
    "time": ("day", "year", "month", "week", "hour", "minute", "age", "time", "duration"),
    "mass": ("kilogram", "gram", "weight", "pound"),
    "ratio": ("percent", "percentage", "proportion", "fraction", "ratio"),
    "volume": ("milliliter", "volume", "liter"),
}


class Vectorizer:
    """TF-IDF over stems with sublinear term frequency; rows L2-normalised."""

    def __init__(self, documents: list[list[str]]) -> None:
        import numpy as np

        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        self.vocab: dict[str, int] = {w: i for i, w in enumerate(sorted(df))}
        n = len(documents)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[w])) + 1.0 for w in sorted(df)], dtype=np.float32
        )
        self.matrix = self.transform(documents)
        self.binary = (self.matrix > 0).astype(np.float32)
        self.mass = self.binary @ self.idf  # idf mass of each document's distinct words

    def to_arrays(self) -> tuple[list[str], dict[str, npt.NDArray[np.float32]]]:
        """The vocabulary (in column order) and the arrays, for a safe on-disk store."""
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        arrays = {"idf": self.idf, "matrix": self.matrix, "binary": self.binary, "mass": self.mass}
        return words, arrays

    @classmethod
    def from_arrays(
        cls, words: list[str], arrays: Mapping[str, npt.NDArray[np.float32]]
    ) -> Vectorizer:
        """Rebuild what :meth:`to_arrays` gave, without recounting any document."""
        vec = cls.__new__(cls)
        vec.vocab = {w: i for i, w in enumerate(words)}
        vec.idf = arrays["idf"]
        vec.matrix = arrays["matrix"]
        vec.binary = arrays["binary"]
        vec.mass = arrays["mass"]
        return vec

    def presence(self, documents: list[list[str]]) -> npt.NDArray[np.float32]:
        """0/1 rows: which vocabulary words each document contains."""
        import numpy as np

        out = np.zeros((len(documents), len(self.vocab)), dtype=np.float32)
        for row, doc in enumerate(documents):
            for word in doc:
                col = self.vocab.get(word)
                if col is not None:
                    out[row, col] = 1.0
        return out

    def transform(
        self, documents: list[list[str]], weights: list[dict[str, float]] | None = None
    ) -> npt.NDArray[np.float32]:
        import numpy as np

        out = np.zeros((len(documents), len(self.vocab)), dtype=np.float32)
        for row, doc in enumerate(documents):
            counts = Counter(w for w in doc if w in self.vocab)
            extra = weights[row] if weights else {}
            for word, count in counts.items():
                col = self.vocab[word]
                out[row, col] = (1.0 + math.log(count)) * self.idf[col] * extra.get(word, 1.0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: npt.NDArray[np.float32] = (out / norms).astype(np.float32)
        return result


@dataclass(frozen=True, slots=True, eq=False)
class SlotIndex:
    """Precomputed arrays for the slots of one class (see module docstring)."""

    slots: tuple[SlotInfo, ...]
    name_words: frozenset[str]  # every (expanded) word of a slot name
    names: tuple[str, ...]  # expanded name words joined (for fuzzy name scores)
    compact: tuple[str, ...]  # raw name words without spaces
    exact_names: dict[str, tuple[int, ...]]  # compact name / title / alias -> slot indices
    name_vec: Vectorizer  # over name (+ title, aliases) stems
    desc_vec: Vectorizer  # over name + description stems
    numeric: npt.NDArray[np.float32]  # 1 = expects numbers, 0.5 = unknown, 0 = not numeric
    enum: npt.NDArray[np.bool_]  # slot has permissible values
    enum_numeric: npt.NDArray[np.bool_]  # ... and they are mostly numbers
    kind_date: npt.NDArray[np.float32]  # 1 = a date/datetime slot
    kind_bool: npt.NDArray[np.float32]  # 1 = a boolean slot
    kind_id: npt.NDArray[np.float32]  # 1 = an identifier slot (flag, or named *_id)
    minimum: npt.NDArray[np.float32]  # numeric bounds (nan = none)
    maximum: npt.NDArray[np.float32]
    patterns: tuple[tuple[int, re.Pattern[str]], ...]  # (slot index, compiled pattern)
    quantity: tuple[frozenset[str], ...]  # quantity kinds its description mentions
    pv_text: tuple[str, ...]  # normalised permissible values, grouped by slot
    pv_slot: npt.NDArray[np.int32]  # slot index of each pv_text entry
    pv_starts: npt.NDArray[np.intp]  # start offset per enum slot (for reduceat)
    pv_owner: npt.NDArray[np.intp]  # slot index of each group in pv_starts
    pv_exact: dict[str, tuple[int, ...]]  # normalised pv -> slot indices
    pv_postings: dict[str, npt.NDArray[np.int32]]  # word -> pv_text rows containing it
    pv_words: npt.NDArray[np.float32]  # number of distinct words of each pv_text entry

    def __len__(self) -> int:
        return len(self.slots)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _slot_numeric(slot: SlotInfo) -> float:
    if slot.binding.kind == "enum" or slot.binding.kind == "ontology":
        return 0.0
    if slot.datatype in _NUMERIC_TYPES:
        return 1.0
    if slot.datatype not in (None, "xsd:string"):
        return 0.0  # dates, booleans, URIs
    if slot.minimum is not None or slot.maximum is not None or slot.unit:
        return 1.0
    if slot.identifier:
        return 0.0
    text = f"{(slot.description or '')} {slot.title or ''}".lower()
    if _NUMERIC_CUES.search(text) or re.match(r"^(days|years|age|number|percent)_", slot.name):
        return 0.85
    return 0.3


def _exact_names(slots: tuple[SlotInfo, ...]) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for i, slot in enumerate(slots):
        for name in (slot.name, slot.title, *slot.aliases):
            if name:
                key = "".join(name_words(name).raw)
                if key and i not in out.setdefault(key, []):
                    out[key].append(i)
    return {k: tuple(v) for k, v in out.items()}


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return None  # a pattern Python cannot read is not evidence


def _quantities(slot: SlotInfo) -> frozenset[str]:
    words = set(normalize(f"{slot.name.replace('_', ' ')} {slot.description or ''}").split())
    return frozenset(kind for kind, cues in _UNIT_WORDS.items() if words & set(cues))


def _name_doc(slot: SlotInfo) -> list[str]:
    words = name_words(slot.name)
    doc = [stem(w) for w in words.expanded]
    for extra in (slot.title, *slot.aliases):
        if extra:
            doc.extend(stem(w) for w in name_words(extra).expanded)
    return doc


def build_slot_index(cls: ClassInfo) -> SlotIndex:
    """Build the arrays for the slots of ``cls`` (pure; see :func:`slot_index`)."""
    import numpy as np

    slots = tuple(cls.slots)
    name_docs = [_name_doc(s) for s in slots]
    desc_docs = [
        doc + text_stems(s.description or "") for doc, s in zip(name_docs, slots, strict=False)
    ]
    pv_text: list[str] = []
    pv_slot: list[int] = []
    starts: list[int] = []
    owners: list[int] = []
    exact: dict[str, list[int]] = {}
    enum_numeric = np.zeros(len(slots), dtype=bool)
    for i, slot in enumerate(slots):
        pvs = slot.binding.permissible_values
        if not pvs:
            continue
        starts.append(len(pv_text))
        owners.append(i)
        texts = set()
        for pv in pvs:
            for variant in (pv.text, pv.title, *pv.aliases):
                if variant:
                    texts.add(normalize(variant) or variant.casefold())
        for text in sorted(texts):
            pv_text.append(text)
            pv_slot.append(i)
            exact.setdefault(text, []).append(i)
        enum_numeric[i] = sum(_is_number(pv.text) for pv in pvs) > 0.5 * len(pvs)
    postings: dict[str, list[int]] = {}
    n_words: list[int] = []
    for row, text in enumerate(pv_text):
        words = set(text.split()) - _VALUE_STOP or set(text.split())
        n_words.append(len(words))
        for word in words:
            postings.setdefault(word, []).append(row)
    return SlotIndex(
        slots=slots,
        name_words=frozenset(w for s in slots for w in name_words(s.name).expanded),
        names=tuple(name_words(s.name).text for s in slots),
        compact=tuple("".join(name_words(s.name).raw) for s in slots),
        exact_names=_exact_names(slots),
        name_vec=Vectorizer(name_docs),
        desc_vec=Vectorizer(desc_docs),
        numeric=np.array([_slot_numeric(s) for s in slots], dtype=np.float32),
        enum=np.array([bool(s.binding.permissible_values) for s in slots], dtype=bool),
        enum_numeric=enum_numeric,
        kind_date=np.array(
            [s.datatype in {"xsd:date", "xsd:dateTime"} for s in slots], dtype=np.float32
        ),
        kind_bool=np.array([s.datatype == "xsd:boolean" for s in slots], dtype=np.float32),
        kind_id=np.array(
            [s.identifier or s.name.lower().endswith(("_id", "identifier")) for s in slots],
            dtype=np.float32,
        ),
        minimum=np.array(
            [np.nan if s.minimum is None else s.minimum for s in slots], dtype=np.float32
        ),
        maximum=np.array(
            [np.nan if s.maximum is None else s.maximum for s in slots], dtype=np.float32
        ),
        patterns=tuple(
            (i, compiled) for i, s in enumerate(slots) if (compiled := _compile(s.pattern))
        ),
        quantity=tuple(_quantities(s) for s in slots),
        pv_text=tuple(pv_text),
        pv_slot=np.array(pv_slot, dtype=np.int32),
        pv_starts=np.array(starts, dtype=np.intp),
        pv_owner=np.array(owners, dtype=np.intp),
        pv_exact={k: tuple(sorted(set(v))) for k, v in exact.items()},
        pv_postings={w: np.array(rows, dtype=np.int32) for w, rows in postings.items()},
        pv_words=np.array(n_words, dtype=np.float32),
    )


_CACHE: dict[tuple[int, str], tuple[SchemaInfo, SlotIndex]] = {}


def remember_slot_index(schema: SchemaInfo, class_name: str, index: SlotIndex) -> SlotIndex:
    """Put an index built elsewhere (e.g. read from disk) into the in-memory cache."""
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[(id(schema), class_name)] = (schema, index)
    return index


def slot_index(schema: SchemaInfo, class_name: str | None = None) -> SlotIndex:
    """The (cached, in memory) :class:`SlotIndex` of one class of ``schema``."""
    cls = schema.cls(class_name)
    key = (id(schema), cls.name)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    index = build_slot_index(cls)
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = (schema, index)
    return index
