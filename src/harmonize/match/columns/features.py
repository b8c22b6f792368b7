"""Evidence for every (column, slot) pair, as one feature array.

``feature_matrix`` scores each column's profile
(:func:`~harmonize.match.columns.profile.column_profile`) each column against each slot of a
:class:`~harmonize.match.columns.index.SlotIndex` on the features named in
:data:`FEATURES`, all in ``[0, 1]``:

- ``name_fuzzy`` / ``name_ratio``: rapidfuzz token-set and plain ratio of the names;
- ``name_tfidf`` / ``desc_tfidf``: TF-IDF cosine of the column's name stems against the
  slot's name (+ title, aliases) and against its name + description;
- ``name_exact``: the normalised names are equal;
- ``value_overlap``: share of the column's values (by frequency) that equal or closely
  match one of the slot's permissible values;
- ``value_miss``: the slot is an enum but the column's text values do not fit it;
- ``type_fit`` / ``type_clash``: numeric column vs numeric slot, or a clash;
- ``unit_fit``: a unit in the column name (``_cm``) of a quantity the slot talks about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.columns.index import VALUE_STOP as _VALUE_STOP
from harmonize.match.columns.profile import ColumnProfile, as_number, column_profile
from harmonize.match.columns.text import name_words, stem
from harmonize.text.normalize import normalize

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.match.columns.index import SlotIndex

__all__ = ["FEATURES", "ColumnProfile", "column_profile", "feature_matrix"]

FEATURES: tuple[str, ...] = (
    "name_fuzzy",
    "name_ratio",
    "name_tfidf",
    "desc_tfidf",
    "name_exact",
    "value_overlap",
    "value_miss",
    "type_fit",
    "type_clash",
    "unit_fit",
    "slot_cover",
    "col_cover",
    "value_tokens",
    "name_conflict",
    "col_name_cover",
    "name_is_values",
)
_MAX_VALUES = 40
_CONTEXT_WEIGHT = 0.2
#: Generic yes/no wordings of a finding (value side), and the PV texts they meet.
_POLARITY: dict[str, str] = {
    **dict.fromkeys(
        ["yes", "y", "true", "present", "positive", "identified", "detected", "pos",
         "involved", "seen"], "yes"),
    **dict.fromkeys(
        ["no", "n", "false", "absent", "negative", "not identified", "not detected", "neg",
         "none", "not present", "not involved", "not seen", "uninvolved"], "no"),
}  # fmt: skip
_POLARITY_TEXT: dict[str, tuple[str, ...]] = {
    "yes": ("yes", "present", "positive"),
    "no": ("no", "absent", "negative"),
}
_FUZZY_CUTOFF = 80


def _value_overlap(
    profiles: list[ColumnProfile], index: SlotIndex
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(columns x slots) share of each column's values found among each slot's PVs.

    Two views: whole strings (exact, or rapidfuzz ratio >= 80) and word sets (Dice >=
    0.6, so "clear cell renal cell carcinoma" meets "renal cell carcinoma"). Numbers
    and identifier-like columns are only looked up exactly (no fuzzy number matching).
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    n_slots = len(index)
    shape = (len(profiles), n_slots)
    if not index.pv_text:
        return np.zeros(shape, dtype=np.float32), np.zeros(shape, dtype=np.float32)
    per_column: list[list[tuple[str, int]]] = []
    unique: dict[str, int] = {}
    fuzzy: dict[str, None] = {}
    for profile in profiles:
        items = []
        for value, count in zip(
            profile.values[:_MAX_VALUES], profile.counts[:_MAX_VALUES], strict=False
        ):
            norm = normalize(value) or value.casefold()
            items.append((norm, count))
            unique.setdefault(norm, len(unique))
            if not profile.id_like and as_number(value) is None:
                fuzzy.setdefault(norm)
        per_column.append(items)
    queries = list(unique)
    fuzzy_rows = np.array([unique[q] for q in fuzzy], dtype=np.intp)
    outputs = []
    for tokens in (False, True):
        scores = np.zeros((len(queries), len(index.pv_text)), dtype=np.uint8)
        if len(fuzzy_rows):
            if tokens:
                scores[fuzzy_rows] = _word_dice(list(fuzzy), index)
            else:
                scores[fuzzy_rows] = process.cdist(
                    list(fuzzy),
                    index.pv_text,
                    scorer=fuzz.ratio,
                    score_cutoff=_FUZZY_CUTOFF,
                    dtype=np.uint8,
                    workers=-1,
                )
        best = np.maximum.reduceat(scores, index.pv_starts, axis=1).astype(np.float32) / 100.0
        per_slot = np.zeros((len(queries), n_slots), dtype=np.float32)
        per_slot[:, index.pv_owner] = best
        for row, query in enumerate(queries):  # exact hits (incl. variants) count fully
            for slot in index.pv_exact.get(query, ()):
                per_slot[row, slot] = 1.0
            polar = _POLARITY.get(query)
            if polar is not None:  # "present"/"not identified" meet "yes"/"no" at 0.9
                for variant in _POLARITY_TEXT[polar]:
                    for slot in index.pv_exact.get(variant, ()):
                        per_slot[row, slot] = max(per_slot[row, slot], 0.9)
        overlap = np.zeros(shape, dtype=np.float32)
        for c, items in enumerate(per_column):
            if items:
                rows = np.array([unique[n] for n, _ in items])
                weights = np.array([n for _, n in items], dtype=np.float32)
                overlap[c] = (weights / weights.sum()) @ per_slot[rows]
        outputs.append(overlap)
    return outputs[0], outputs[1]


def _word_dice(queries: list[str], index: SlotIndex) -> npt.NDArray[np.uint8]:
    """(queries x pv_text) Dice overlap of word sets x 100, 0 below 0.6 (inverted index)."""
    import numpy as np

    n_pv = len(index.pv_text)
    out = np.zeros((len(queries), n_pv), dtype=np.uint8)
    for row, query in enumerate(queries):
        words = set(query.split()) - _VALUE_STOP or set(query.split())
        lists = [index.pv_postings[w] for w in words if w in index.pv_postings]
        if not lists:
            continue
        hits = np.bincount(np.concatenate(lists), minlength=n_pv).astype(np.float32)
        dice = 2.0 * hits / (len(words) + index.pv_words)
        dice[dice < 0.6] = 0.0
        out[row] = (dice * 100).astype(np.uint8)
    return out


def feature_matrix(profiles: list[ColumnProfile], index: SlotIndex) -> npt.NDArray[np.float32]:
    """Features (columns x slots x len(FEATURES)), each in [0, 1]."""
    import numpy as np

    n_cols, n_slots = len(profiles), len(index)
    out = np.zeros((n_cols, n_slots, len(FEATURES)), dtype=np.float32)
    if n_cols == 0 or n_slots == 0:
        return out
    docs = _name_features(profiles, index, out)
    overlap, overlap_words = _value_overlap(profiles, index)
    out[:, :, 5] = overlap
    _kind_features(profiles, index, overlap, out)
    _constraints(profiles, index, out)
    for c, profile in enumerate(profiles):
        kind = profile.words.quantity
        if kind:
            out[c, :, 9] = [1.0 if kind in q else 0.0 for q in index.quantity]
    _coverage_features(profiles, index, docs, out)
    out[:, :, 12] = overlap_words
    out[:, :, 13] = _conflicts(profiles, index)
    for c, profile in enumerate(profiles):  # a column named by its values: "Tumor/Normal"
        words = [w for w in profile.words.raw if len(w) > 1]
        if len(words) >= 2:
            hits = np.zeros(len(index), dtype=np.float32)
            for word in words:
                hits[list(index.pv_exact.get(word, ()))] += 1.0
            out[c, :, 15] = hits / len(words) * (hits >= 2)
    return out


def _name_features(
    profiles: list[ColumnProfile], index: SlotIndex, out: npt.NDArray[np.float32]
) -> list[list[str]]:
    """Features 0-4 (name fuzzy/ratio/TF-IDF, description TF-IDF, exact name); returns
    each column's name stems (with synonyms and truncations) for the coverage features."""
    from rapidfuzz import fuzz, process

    col_names = [p.words.text for p in profiles]
    col_compact = ["".join(p.words.raw) for p in profiles]
    out[:, :, 0] = process.cdist(col_names, index.names, scorer=fuzz.token_set_ratio) / 100.0
    out[:, :, 1] = process.cdist(col_compact, index.compact, scorer=fuzz.ratio) / 100.0
    truncated = [_truncations(p.words.expanded, index) for p in profiles]
    docs = [
        [stem(w) for w in p.words.expanded + p.words.synonyms + extra]
        for p, extra in zip(profiles, truncated, strict=True)
    ]
    weights = [
        {stem(w): 0.5 for w in p.words.synonyms + extra}
        for p, extra in zip(profiles, truncated, strict=True)
    ]
    name_q = index.name_vec.transform(docs, weights)
    # header context: the neighbouring columns' words, weakly, in the description query
    context_docs, context_weights = [], []
    for c, doc in enumerate(docs):
        own = set(doc)
        around = [
            w
            for n in (c - 1, c + 1)
            if 0 <= n < len(profiles)
            for w in (stem(x) for x in profiles[n].words.expanded)
            if w not in own
        ]
        context_docs.append(doc + around)
        context_weights.append({**dict.fromkeys(around, _CONTEXT_WEIGHT), **weights[c]})
    desc_q = index.desc_vec.transform(context_docs, context_weights)
    out[:, :, 2] = name_q @ index.name_vec.matrix.T
    out[:, :, 3] = desc_q @ index.desc_vec.matrix.T
    for c, compact in enumerate(col_compact):  # equal to a slot's name, title or alias
        for hit in index.exact_names.get(compact, ()):
            out[c, hit, 4] = 1.0
    return docs


def _kind_features(
    profiles: list[ColumnProfile],
    index: SlotIndex,
    overlap: npt.NDArray[np.float32],
    out: npt.NDArray[np.float32],
) -> None:
    """Features 6-8: values that miss an enum, and the column's kind against the slot's."""
    import numpy as np

    numeric = np.array([p.numeric for p in profiles], dtype=np.float32)[:, None]
    has_text = np.array([p.n_filled > 0 for p in profiles], dtype=np.float32)[:, None]
    enum = index.enum[None, :].astype(np.float32)
    text_enum = (index.enum & ~index.enum_numeric)[None, :].astype(np.float32)
    out[:, :, 6] = text_enum * (1.0 - numeric) * has_text * (1.0 - overlap)
    slot_num = index.numeric[None, :]
    dates = np.array([p.dates for p in profiles], dtype=np.float32)[:, None]
    booleans = np.array([p.booleans for p in profiles], dtype=np.float32)[:, None]
    id_like = np.array([p.id_like for p in profiles], dtype=np.float32)[:, None]
    numeric = np.clip(numeric - dates, 0.0, 1.0)  # "2023-01-02" is no number
    out[:, :, 7] = np.maximum.reduce(
        [
            numeric * slot_num * (1.0 - enum),
            dates * index.kind_date[None, :],
            booleans * index.kind_bool[None, :],
            id_like * index.kind_id[None, :],
        ]
    )
    out[:, :, 8] = np.clip(
        numeric * text_enum + (1.0 - numeric) * has_text * (slot_num >= 0.99), 0.0, 1.0
    )


def _coverage_features(
    profiles: list[ColumnProfile],
    index: SlotIndex,
    docs: list[list[str]],
    out: npt.NDArray[np.float32],
) -> None:
    """Features 10, 11, 14: share (idf mass) of the slot's name words the column names,
    of the column's words the slot's name or description contains, and of the column's
    own name words found in the slot's name."""
    import numpy as np

    present_name = index.name_vec.presence(docs)
    out[:, :, 10] = (present_name @ (index.name_vec.binary * index.name_vec.idf).T) / np.maximum(
        index.name_vec.mass, 1e-6
    )
    present = index.desc_vec.presence([[stem(w) for w in p.words.expanded] for p in profiles])
    col_mass = present @ index.desc_vec.idf
    out[:, :, 11] = ((present * index.desc_vec.idf) @ index.desc_vec.binary.T) / np.maximum(
        col_mass, 1e-6
    )[:, None]
    present_raw = index.name_vec.presence([[stem(w) for w in p.words.expanded] for p in profiles])
    raw_mass = present_raw @ index.name_vec.idf
    out[:, :, 14] = ((present_raw * index.name_vec.idf) @ index.name_vec.binary.T) / np.maximum(
        raw_mass, 1e-6
    )[:, None]


def _constraints(
    profiles: list[ColumnProfile], index: SlotIndex, out: npt.NDArray[np.float32]
) -> None:
    """Numeric range and pattern of a slot: values inside fit, values outside clash."""
    import numpy as np

    fit, clash = FEATURES.index("type_fit"), FEATURES.index("type_clash")
    ranged = np.flatnonzero(~np.isnan(index.minimum) | ~np.isnan(index.maximum))
    for c, profile in enumerate(profiles):
        if profile.numeric >= 0.9 and profile.minimum is not None and profile.maximum is not None:
            low = np.nan_to_num(index.minimum[ranged], nan=-np.inf)
            high = np.nan_to_num(index.maximum[ranged], nan=np.inf)
            inside = (profile.minimum >= low) & (profile.maximum <= high)
            out[c, ranged, fit] *= np.where(inside, 1.0, 0.5)
            out[c, ranged, clash] = np.maximum(out[c, ranged, clash], np.where(inside, 0, 0.5))
        values = profile.values[:_MAX_VALUES]
        if not values:
            continue
        for slot, pattern in index.patterns:
            share = sum(1 for v in values if pattern.fullmatch(v)) / len(values)
            out[c, slot, fit] = max(out[c, slot, fit], share)
            if share < 0.5:
                out[c, slot, clash] = max(out[c, slot, clash], 1.0 - share)


def _truncations(words: tuple[str, ...], index: SlotIndex) -> tuple[str, ...]:
    """Slot-name words a column word abbreviates by truncation ("consum" -> "consumption").

    Truncation is the commonest abbreviation in headers; a word unknown to the slot
    names that starts (at least 3 letters) a few of their words, or that one of their
    words (4+ letters) starts, gets them as weak synonyms.
    """
    vocab = index.name_words
    extra: list[str] = []
    for word in words:
        if word in vocab or len(word) < 3 or not word.isalpha():
            continue
        hits = [v for v in vocab if v.startswith(word) or (len(v) >= 4 and word.startswith(v))]
        if 1 <= len(hits) <= 3:
            extra.extend(hits)
    return tuple(extra)


def _conflicts(profiles: list[ColumnProfile], index: SlotIndex) -> npt.NDArray[np.float32]:
    """1 where the slot's name holds the contrast of a column word (pathologic/clinical)."""
    import numpy as np

    from harmonize.match.columns.text import CONTRASTS

    out = np.zeros((len(profiles), len(index)), dtype=np.float32)
    slot_words = [set(name_words(s.name).expanded) for s in index.slots]
    has: dict[str, npt.NDArray[np.bool_]] = {}

    def slots_with(word: str) -> npt.NDArray[np.bool_]:
        if word not in has:
            has[word] = np.array([word in w for w in slot_words], dtype=bool)
        return has[word]

    pairs = [*CONTRASTS, *((b, a) for a, b in CONTRASTS)]
    for c, profile in enumerate(profiles):
        words = set(profile.words.expanded) | set(profile.words.synonyms)
        for a, b in pairs:
            if a in words and b not in words:
                out[c] = np.maximum(out[c], slots_with(b) & ~slots_with(a))
    return out
