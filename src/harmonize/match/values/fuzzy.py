"""The fuzzy tier of the value matcher, vectorised over prebuilt arrays.

1. Unknown words of the queries are typo-corrected against the name vocabulary with one
   ``rapidfuzz.process.cdist`` per first-letter bucket (not pairwise Python loops); an
   unknown word that is no typo may be vocabulary words written together
   (``skeletalmuscle``), read apart.
2. Candidate names come from numpy posting arrays, for thousands of queries at once: the
   query's two rarest words generate (query, name) pairs, its other words add their IDF
   weight through ``searchsorted`` membership, and the shared weight becomes a Dice
   coefficient; so a query with ``cell`` does not pull every cell type. Tiny indexes (a schema enum) also take the best names by character
   similarity from one ``cdist`` over all names.
3. All (query, candidate) pairs are re-scored at once with ``process.cpdist``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from harmonize.match.values.group_ranks import group_rank, group_top
from harmonize.match.values.index import COMMON_DF, key_tokens
from harmonize.match.values.typos import correct_tokens, split_glued

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.match.values.index import NameTable

__all__ = [
    "DICE_WEIGHT",
    "FuzzyHit",
    "fuzzy_candidates",
    "is_small",
    "pair_similarity",
]

_COMMON_DF = COMMON_DF  # words in more names than this only add weight
#: a membership test by binary search costs about this many steps a pair (vs marking names)
_SEARCH_STEPS = 8
_CHUNK = 4000  # queries per vectorised candidate-generation batch
_GENERATING = 3  # a query's rarest words that generate candidates; the others add weight
_GENERATING_DF = 400  # ... when in at most this many names (else only the rarest word does)
_SMALL_PAIRS = 4_000_000  # queries x names below which every name is compared directly
_MIN_SIMILARITY = 0.35
DICE_WEIGHT = 0.6  # word overlap (IDF) vs character similarity in the fuzzy score


class FuzzyHit(NamedTuple):
    """A fuzzy candidate name row with its combined and component similarities (a tuple:
    made by the hundred thousand, each in a fraction of a frozen dataclass's time)."""

    row: int
    similarity: float  # combined, in [0, 1]
    sim: float  # character similarity (token-sorted), in [0, 1]
    dice: float  # IDF-weighted word overlap, in [0, 1]


def pair_similarity(table: NameTable, query: str, row: int, unknown_idf: float) -> FuzzyHit:
    """How the fuzzy tier would score name ``row`` for the normalised ``query``.

    IDF word overlap (Dice) and token-sorted character similarity, combined as in
    :func:`fuzzy_candidates` (no typo correction): used to weigh a name a reading reached
    by dropping words against the names the fuzzy tier finds for the whole value.
    ``unknown_idf``: the weight of a query word no name has.
    """
    from rapidfuzz import fuzz

    assert table.name_weight is not None
    words = set(key_tokens(query))
    name_words = set(key_tokens(table.norm[row]))
    weight = sum(table.idf.get(w, unknown_idf) for w in words)
    shared = sum(table.idf.get(w, unknown_idf) for w in words & name_words)
    total = weight + float(table.name_weight[row])
    dice = min(2.0 * shared / total, 1.0) if total > 0 else 0.0
    char = fuzz.token_sort_ratio(query, table.norm[row]) / 100.0
    return FuzzyHit(row, DICE_WEIGHT * dice + (1.0 - DICE_WEIGHT) * char, char, dice)


def is_small(names: int, queries: int) -> bool:
    """Whether a fuzzy batch compares every query with every name (a tiny index)."""
    return names * queries <= _SMALL_PAIRS


def _posting_candidates(
    table: NameTable, words: list[str], qweight: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    import numpy as np

    known = sorted((w for w in words if w in table.postings), key=lambda w: len(table.postings[w]))
    if not known:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    generating = [w for w in known if len(table.postings[w]) <= _COMMON_DF] or known[:1]
    extra = [w for w in known if w not in generating]
    arrays = [table.postings[w] for w in generating]
    if len(arrays) == 1:
        rows = arrays[0].astype(np.int64)
        shared = np.full(len(rows), table.idf[generating[0]])
    else:
        ids = np.concatenate(arrays)
        weights = np.repeat(
            np.asarray([table.idf[w] for w in generating]), [len(a) for a in arrays]
        )
        rows, inverse = np.unique(ids, return_inverse=True)
        rows = rows.astype(np.int64)
        shared = np.bincount(inverse, weights=weights)
    for word in extra:
        shared = shared + table.idf[word] * np.isin(rows, table.postings[word], assume_unique=True)
    assert table.name_weight is not None
    dice = 2.0 * shared / (qweight + table.name_weight[rows])
    return rows, np.minimum(dice, 1.0)


def _top(
    rows: npt.NDArray[np.int64],
    score: npt.NDArray[np.float64],
    allowed: npt.NDArray[np.bool_],
    pool: int,
) -> npt.NDArray[np.int64]:
    """Positions of the best ``pool`` allowed rows plus the best two others."""
    import numpy as np

    keep: list[npt.NDArray[np.int64]] = []
    for mask, n in ((allowed[rows], pool), (~allowed[rows], 2)):
        sub = np.flatnonzero(mask)
        if len(sub) > n:
            sub = sub[np.argpartition(-score[sub], n - 1)[:n]]
        keep.append(sub.astype(np.int64))
    return np.concatenate(keep)


def _batch_candidates(
    table: NameTable,
    words: list[list[str]],
    qweights: list[float],
    allowed_row: npt.NDArray[np.bool_],
    pool: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """(query, row, dice) candidate pairs for a chunk of queries, with no per-query numpy."""
    import numpy as np

    n_rows = len(table)
    arrays: list[npt.NDArray[np.int32]] = []
    owners: list[int] = []
    weights: list[float] = []
    extra_words: list[tuple[int, list[str]]] = []  # per query, its other words in order
    for qi, ws in enumerate(words):
        known = sorted((w for w in ws if w in table.postings), key=lambda w: len(table.postings[w]))
        if not known:
            continue
        generating = [w for w in known[:_GENERATING] if len(table.postings[w]) <= _GENERATING_DF]
        generating = generating or known[:1]
        for w in generating:
            arrays.append(table.postings[w])
            owners.append(qi)
            weights.append(table.idf[w])
        extra = [w for w in known if w not in generating]
        if extra:
            extra_words.append((qi, extra))
    if not arrays:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    rows = np.concatenate(arrays).astype(np.int64)
    keys = np.repeat(np.asarray(owners, dtype=np.int64), lengths) * n_rows + rows
    w_all = np.repeat(np.asarray(weights), lengths)
    # one stable sort: each query's posting arrays are already sorted runs (timsort merges them)
    perm = np.argsort(keys, kind="stable")
    sorted_keys = keys[perm]
    first = np.empty(len(sorted_keys), dtype=bool)
    first[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
    uniq = sorted_keys[first]
    # summed in the original order of each key's entries (the stable sort keeps it)
    shared = np.bincount(np.cumsum(first) - 1, weights=w_all[perm]).astype(np.float64, copy=False)
    q_of = uniq // n_rows
    row_of = uniq % n_rows
    # the query's other words add their weight: pairs are grouped by query (keys sorted),
    # each query's pairs one run
    query_ids = np.arange(len(words))
    starts = np.searchsorted(q_of, query_ids, side="left").tolist()
    ends = np.searchsorted(q_of, query_ids, side="right").tolist()
    _add_extra_words(table, extra_words, starts, ends, row_of, shared)
    assert table.name_weight is not None
    qw = np.asarray(qweights)
    dice = np.minimum(2.0 * shared / (qw[q_of] + table.name_weight[row_of]), 1.0)
    allowed = allowed_row[row_of]
    inside = np.flatnonzero(allowed)
    outside = np.flatnonzero(~allowed)
    pick = np.concatenate(
        [
            inside[group_top(q_of[inside], dice[inside], pool)],
            outside[group_top(q_of[outside], dice[outside], 2)],
        ]
    )
    return q_of[pick], row_of[pick], dice[pick]


def _add_extra_words(
    table: NameTable,
    extra_words: list[tuple[int, list[str]]],
    starts: list[int],
    ends: list[int],
    row_of: npt.NDArray[np.int64],
    shared: npt.NDArray[np.float64],
) -> None:
    """Add to ``shared`` (in place) the weight of each query's other words its candidate
    names have; a query's pairs are ``starts[q]:ends[q]``. One membership test per word
    for all the queries that have it; words are taken rarest first, each query's own order
    (the same sums, to the last bit: equal counts, equal idf)."""
    import numpy as np

    postings = table.postings
    idf = table.idf
    # the postings' own dtype: a key of another dtype makes numpy copy the whole posting list
    row_of_32 = row_of.astype(np.int32)
    member = np.zeros(len(table), dtype=bool)  # (reset after each word)
    having: dict[str, list[int]] = {}
    for qi, extra in extra_words:
        if starts[qi] != ends[qi]:
            for word in extra:
                having.setdefault(word, []).append(qi)
    for word in sorted(having, key=lambda w: len(postings[w])):
        post = postings[word]
        queries = having[word]
        if len(queries) == 1:
            at: npt.NDArray[np.int64] | slice = slice(starts[queries[0]], ends[queries[0]])
        else:
            first_at = np.asarray([starts[q] for q in queries], dtype=np.int64)
            counts = np.asarray([ends[q] for q in queries], dtype=np.int64) - first_at
            offsets = np.cumsum(counts) - counts  # where each query's run begins in ``at``
            at = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(
                first_at - offsets, counts
            )
        rows_w = row_of_32[at]
        if len(rows_w) * _SEARCH_STEPS > len(post):  # many pairs: mark the word's names once
            member[post] = True
            hit = member[rows_w]
            member[post] = False
        else:  # few pairs: a binary search each in the (sorted) posting list
            hit = post.take(np.searchsorted(post, rows_w), mode="clip") == rows_w
        shared[at] += idf[word] * hit


def _pairs(
    table: NameTable,
    fixed_words: list[list[str]],
    qweights: list[float],
    allowed_row: npt.NDArray[np.bool_],
    pool: int,
    char_top: npt.NDArray[np.int64] | None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
    """(query, row, dice) candidate pairs of every query (None: no pair at all)."""
    import numpy as np

    pair_q: list[npt.NDArray[np.int64]] = []
    pair_rows: list[npt.NDArray[np.int64]] = []
    pair_dice: list[npt.NDArray[np.float64]] = []
    if char_top is None:
        for start in range(0, len(fixed_words), _CHUNK):
            q, r, d = _batch_candidates(
                table,
                fixed_words[start : start + _CHUNK],
                qweights[start : start + _CHUNK],
                allowed_row,
                pool,
            )
            pair_q.append(q + start)
            pair_rows.append(r)
            pair_dice.append(d)
    else:  # a tiny index: every query also meets its best names by characters
        for qi, fixed in enumerate(fixed_words):
            rows, dice = _posting_candidates(table, fixed, qweights[qi])
            extra = np.setdiff1d(char_top[qi], rows)
            rows = np.concatenate([rows, extra])
            dice = np.concatenate([dice, np.zeros(len(extra))])
            if len(rows) == 0:
                continue
            pos = _top(rows, dice, allowed_row, pool)
            pair_q.append(np.full(len(pos), qi, dtype=np.int64))
            pair_rows.append(rows[pos])
            pair_dice.append(dice[pos])
    if not pair_q:
        return None
    q_idx = np.concatenate(pair_q)
    r_idx = np.concatenate(pair_rows)
    d_all = np.concatenate(pair_dice)
    if len(q_idx) == 0:
        return None
    return q_idx, r_idx, d_all


def fuzzy_candidates(
    table: NameTable,
    queries: Sequence[tuple[str, str]],
    allowed_row: npt.NDArray[np.bool_],
    *,
    pool: int = 30,
    keep: int = 12,
    workers: int = -1,
    small: bool | None = None,
) -> dict[str, list[FuzzyHit]]:
    """Fuzzy hits per query (best ``keep``); ``queries`` are ``(value, normalised)`` pairs.

    Each query's hits depend only on that query, so a batch may be split across processes,
    provided every part takes the same path: ``small`` forces it (None: decided here, by
    ``len(table) * len(queries)``). ``workers`` is rapidfuzz's thread count.
    """
    if not queries or len(table) == 0:
        return {}
    import numpy as np
    from rapidfuzz import fuzz, process

    words = [list(dict.fromkeys(key_tokens(norm))) for _, norm in queries]
    unknown = sorted({w for ws in words for w in ws if w not in table.postings})
    fixes = correct_tokens(table, unknown, workers=workers)
    max_idf = max(table.idf.values(), default=1.0)
    if small is None:
        small = is_small(len(table), len(queries))
    char_top: npt.NDArray[np.int64] | None = None
    if small:
        sims = process.cdist(
            [n for _, n in queries],
            table.norm,
            scorer=fuzz.token_sort_ratio,
            dtype=np.uint8,
            workers=workers,
        )
        n = min(pool, len(table))
        char_top = np.argpartition(-sims.astype(np.int16), n - 1, axis=1)[:, :n].astype(np.int64)

    glued = {w: pieces for w in unknown if w not in fixes and (pieces := split_glued(table, w))}
    fixed_words = [
        list(dict.fromkeys(p for w in ws for p in glued.get(w, (fixes.get(w, w),)))) for ws in words
    ]
    qweights = [sum(table.idf.get(w, max_idf) for w in ws) for ws in fixed_words]
    pairs = _pairs(table, fixed_words, qweights, allowed_row, pool, char_top)
    if pairs is None:
        return {}
    q_idx, r_idx, d_all = pairs
    norms = [n for _, n in queries]
    left = [norms[i] for i in q_idx.tolist()]
    right = [table.norm[i] for i in r_idx.tolist()]
    char = process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=workers) / 100.0
    combined = DICE_WEIGHT * d_all + (1.0 - DICE_WEIGHT) * char
    # keep, per query, the best ``keep`` pairs above the floor (one lexsort, no Python loop)
    order = np.lexsort((-combined, q_idx))
    rank = group_rank(q_idx[order])
    chosen = order[(rank < keep) & (combined[order] >= _MIN_SIMILARITY)]
    out: dict[str, list[FuzzyHit]] = {}
    for qi, row, comb, c, d in zip(
        q_idx[chosen].tolist(),
        r_idx[chosen].tolist(),
        combined[chosen].tolist(),
        char[chosen].tolist(),
        d_all[chosen].tolist(),
        strict=True,
    ):
        out.setdefault(queries[qi][0], []).append(FuzzyHit(row, comb, c, d))
    return out
