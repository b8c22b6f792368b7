"""Ground free-text values to ontology terms: exact tiers first, then vectorised fuzzy.

Tiers, strongest first: ``exact`` (case and spacing only), ``normalized`` (see
:mod:`harmonize.text.normalize`), ``token`` (same set of meaningful words), ``fuzzy``
(IDF-weighted word overlap from numpy posting arrays, re-scored with rapidfuzz
``cpdist``/``cdist`` in batches, unknown words typo-corrected against the vocabulary with
``cdist``). A value with an exact or normalised hit, or a token hit on a label or exact synonym, is not
sent to the fuzzy tier (no fuzzy score can outrank it).
Scores are weighed by the scope of the name met (label = exact synonym > narrow/broad >
related > learned initialism). Candidates are restricted to a branch when roots are given;
the best hit outside it is reported in :attr:`MatchResult.outside_branch`, never returned.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harmonize.errors import CurieError
from harmonize.match.values.cache import cached_name_table
from harmonize.match.values.calibration import CandidateFeatures, default_calibrator, feature_row
from harmonize.match.values.candidate import Candidate, Evidence, MatchResult
from harmonize.match.values.fuzzy import FuzzyHit, fuzzy_candidates
from harmonize.match.values.index import (
    curated_names,
    exact_key,
    joined_key,
    key_tokens,
    token_key,
)
from harmonize.match.values.readings import ALTERNATIVES, alternative_readings, says_disease
from harmonize.text.normalize import american_spelling, normalize_steps

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.mappings.model import MappingSet
    from harmonize.match.values.index import NameTable
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "ALTERNATIVE_MAX_CONFIDENCE",
    "BRACKETED_MAX_CONFIDENCE",
    "BRACKET_STEP",
    "JOINED_STEP",
    "METHOD_BASE",
    "SCOPE_WEIGHT",
    "RankedChunk",
    "ValueMatcher",
]

METHOD_BASE: dict[str, float] = {
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
JOINED_STEP = "spaces removed (words written apart or together)"
SCOPE_WEIGHT: dict[str, float] = {
    "LABEL": 1.0,
    "EXACT": 1.0,  # an OBO exact synonym means the same as the label
    "NARROW": 0.93,
    "BROAD": 0.93,
    "RELATED": 0.9,
}
_FIELD_WEIGHT = {"label": 1.0, "synonym": 1.0, "curated": 1.0, "abbreviation": 0.97}
_WEAK_WEIGHT = 0.85
_OBSOLETE_WEIGHT = 0.98
_FUZZY_POOL = 30
_STRONG_SCOPES = frozenset({"LABEL", "EXACT"})
_HAS_BRACKET = re.compile(r"[\(\[\{]")
#: a token hit where only one side names a disease ("disorders of cartilage" / "cartilage")
_DISEASE_WORD_WEIGHT = 0.85


@dataclass(slots=True)
class _Hit:
    row: int
    method: str
    score: float
    sim: float
    dice: float
    part: str | None = None  # the alternative ("a" of "a/b") this hit matched
    joined: bool = False  # met with the spaces of both texts removed


@dataclass(slots=True)
class RankedChunk:
    """Ranked candidates of a run of values before calibration, one column per attribute.

    Per value: how many in-branch candidates, whether an outside-branch one follows, and the
    normalisation steps; per candidate (values in order, in-branch ones then the outside one):
    term, raw score, name row, method, alternative part, whether met with spaces removed,
    predicate and its calibration
    features (one row of ``features``). Compact, so a worker process sends it back cheaply.
    """

    need: int = 0  # values sent to the fuzzy tier
    inside: list[int] = field(default_factory=list)
    outside: list[bool] = field(default_factory=list)
    steps: list[tuple[str, ...]] = field(default_factory=list)
    term: list[int] = field(default_factory=list)
    score: list[float] = field(default_factory=list)
    row: list[int] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    part: list[str | None] = field(default_factory=list)
    joined: list[bool] = field(default_factory=list)
    predicate: list[str] = field(default_factory=list)
    features: npt.NDArray[np.float64] | None = None


def _full_key(text: str) -> str:
    """Token key of ``text`` normalised with its bracketed qualifiers kept."""
    return token_key(normalize_steps(text, drop_brackets=False).text)


class ValueMatcher:
    """Match values against one ontology index (optionally restricted to a branch)."""

    def __init__(
        self,
        index: OntologyIndex,
        *,
        roots: Sequence[str] = (),
        curated: Sequence[MappingSet] = (),
    ) -> None:
        import numpy as np

        unknown = [r for r in roots if r not in index.terms]
        if unknown:
            raise CurieError(
                f"root term {unknown[0]} is not in the loaded ontologies", value=unknown[0]
            )
        self.index = index
        self.roots = tuple(roots)
        self.table: NameTable = cached_name_table(index, curated_names(curated))
        self.calibrator = default_calibrator()
        if self.roots:
            branch = index.branch(self.roots)
            self.allowed_term = np.asarray([t in branch for t in self.table.term_ids], dtype=bool)
        else:
            self.allowed_term = np.ones(len(self.table.term_ids), dtype=bool)
        assert self.table.name_term is not None
        self.allowed_row = self.allowed_term[self.table.name_term]
        self._allowed_row_list: list[bool] = self.allowed_row.tolist()
        # ties go to the ontology given first (its prefixes come first in the merged meta)
        order = {p: i for i, p in enumerate(index.meta.prefixes)}
        self._priority = [order.get(t.partition(":")[0], len(order)) for t in self.table.term_ids]
        self._weights = [self._row_weight(r) for r in range(len(self.table))]
        self._allowed_list: list[bool] = self.allowed_term.tolist()
        self._all_allowed = bool(self.allowed_term.all())
        self._disease_rows: list[int] = [-1] * len(self.table)  # -1: not computed yet
        #: when a dict, every candidate's calibration features are recorded here (benchmarks)
        self.feature_log: dict[tuple[str, str], CandidateFeatures] | None = None

    # -- public API ---------------------------------------------------------
    def match(self, value: str, top_k: int = 5) -> MatchResult:
        """Candidates for one value, best first."""
        return self.match_many([value], top_k)[0]

    def match_many(self, values: Sequence[str], top_k: int = 5) -> list[MatchResult]:
        """Candidates for many values; each distinct value is matched once."""
        distinct = list(dict.fromkeys(values))
        results = self._match_distinct(distinct, max(1, top_k))
        return [results[v] for v in values]

    # -- internals ----------------------------------------------------------
    def _lexical(self, value: str) -> tuple[list[_Hit], tuple[str, ...], str, bool]:
        """Exact/normalised/token hits; also whether the fuzzy tier is still needed.

        A normalised/token hit on a name with brackets is demoted to ``bracketed`` when it
        needed the name's bracketed qualifier dropped: ``cM0`` meets ``cM0 (i+)`` (isolated
        tumour cells, another value) only that way, and must not rank or score as an equal
        name. The name's bracket-kept key is stored in the table (computed once, at build).
        """
        table = self.table
        allowed_row = self._allowed_row_list
        hits: list[_Hit] = []
        for row in table.exact.get(exact_key(value), ()):
            hits.append(_Hit(row, "exact", METHOD_BASE["exact"], 1.0, 1.0))
        norm = normalize_steps(value)
        # token key of the value normalised with its brackets kept (computed only when a
        # bracketed name is met; without brackets in the value it is its plain token key)
        tkey = token_key(norm.text)
        value_key: str | None = None if _HAS_BRACKET.search(value) else tkey
        bracket_key = table.bracket_key
        bracketed_base = METHOD_BASE["bracketed"]
        strong = bool(hits) if self._all_allowed else any(allowed_row[h.row] for h in hits)
        value_disease = says_disease(norm.text)
        normal_rows = table.normal.get(norm.text, ())
        # the value with only its case and spelling changed (when it has an exact hit)
        spelled_as = american_spelling(exact_key(value)) if hits and normal_rows else None
        exact_rows = {h.row for h in hits} if spelled_as is not None else set()
        row_disease = self._row_disease
        joined_rows: Sequence[int] = ()
        if not normal_rows and " " in norm.text:
            joined_rows = table.joined.get(joined_key(norm.text), ())
        elif not normal_rows:  # "pacemaker" meets "pace maker"
            joined_rows = [r for r in table.joined.get(norm.text, ()) if " " in table.norm[r]]
        for method, rows, joined in (
            ("normalized", normal_rows, False),
            ("normalized", joined_rows, True),
            ("token", table.tokkey.get(tkey, ()) if norm.text else (), False),
        ):
            base = METHOD_BASE[method]
            for row in rows:
                name_key = bracket_key[row]
                if name_key is not None:
                    if value_key is None:
                        value_key = _full_key(value)
                    if name_key != value_key:
                        hits.append(_Hit(row, "bracketed", bracketed_base, 1.0, 1.0))
                        continue
                if method == "token" and value_disease != row_disease(row):
                    # "disorders of cartilage" is not "cartilage": only one side names a
                    # disease, so this is weaker than a same-words hit and the fuzzy tier runs
                    hits.append(_Hit(row, method, base * _DISEASE_WORD_WEIGHT, 1.0, 1.0))
                    continue
                # "Leukaemia" is the same name as "leukemia": as strong as an exact hit
                if (
                    method == "normalized"
                    and not joined
                    and spelled_as is not None
                    and row not in exact_rows  # already as strong
                    and american_spelling(exact_key(table.text[row])) == spelled_as
                ):
                    hits.append(_Hit(row, method, METHOD_BASE["exact"], 1.0, 1.0))
                    continue
                hits.append(_Hit(row, method, base, 1.0, 1.0, joined=joined))
                # a normalised hit, or the same meaningful words as a label or exact
                # synonym: no fuzzy score can outrank it
                if not strong and allowed_row[row]:
                    strong = method == "normalized" or table.scope[row] in _STRONG_SCOPES
        if not strong and ALTERNATIVES.search(value):
            hits.extend(self._alternatives(value, value_disease))
        return hits, norm.steps, norm.text, not strong

    def _row_disease(self, row: int) -> bool:
        """Does the name of ``row`` name a disease? (computed once per row, on demand)"""
        flag = self._disease_rows[row]
        if flag < 0:
            flag = self._disease_rows[row] = int(says_disease(self.table.norm[row]))
        return bool(flag)

    def _alternatives(self, value: str, disease: bool) -> list[_Hit]:
        """``"emphysema/chronic bronchitis"``: each alternative through the exact tiers.

        A one-word alternative beside a longer one may swap one of its words
        (``"fracture patella / knee"``, ``"infective/viral hepatitis"``): when the swapped
        reading (``"fracture knee"``) names a term, it is tried at full part weight and
        the bare word only at a lower one, so "knee" alone does not win; otherwise every
        alternative counts the same, the first winning ties.
        """
        readings = alternative_readings(value)
        norms: dict[str, str] = {}  # each part is normalised once across readings
        for i, reading in enumerate(readings):
            hits = self._reading_hits(reading, disease, norms)
            swapped_hit = any(h.part == reading[1][0] for h in hits)
            if swapped_hit or i == len(readings) - 1:
                return hits
        return []

    def _reading_hits(
        self, reading: list[tuple[str, float]], disease: bool, norms: dict[str, str]
    ) -> list[_Hit]:
        """Exact-tier hits of each alternative; ``disease``: the whole value names one
        ("Diseases of vocal cords and larynx": the alternative "larynx" is no organ)."""
        table = self.table
        row_disease = self._row_disease
        hits: list[_Hit] = []
        for i, (part, weight) in enumerate(reading):
            weight *= 1.0 - 0.001 * i  # the first alternative wins ties
            norm = norms.get(part)
            if norm is None:
                norm = norms[part] = normalize_steps(part).text
            tiers = (
                ("exact", table.exact.get(exact_key(part), ())),
                ("normalized", table.normal.get(norm, ())),
                ("token", table.tokkey.get(token_key(norm), ()) if norm else ()),
            )
            for method, rows in tiers:
                score = METHOD_BASE[method] * weight
                for r in rows:
                    if row_disease(r) != disease:
                        hits.append(_Hit(r, method, score * _DISEASE_WORD_WEIGHT, 1, 1, part))
                    else:
                        hits.append(_Hit(r, method, score, 1.0, 1.0, part))
        return hits

    def _match_distinct(self, values: list[str], top_k: int) -> dict[str, MatchResult]:
        from harmonize.gc_pause import paused_gc
        from harmonize.match.values.parallel import match_in_parallel

        with paused_gc():  # millions of short-lived acyclic objects: no cycle collections
            out = match_in_parallel(self, values, top_k)
            if out is None:
                out = {}
                chunk = self.rank_chunk(values, top_k)
                self.build_results(values, chunk, self.confidences(chunk), out)
            return out

    def confidences(self, chunk: RankedChunk) -> list[float]:
        """Calibrated confidence of each candidate of ``chunk`` (one vectorised pass)."""
        if chunk.features is None:
            return []
        return self.calibrator.batch(chunk.features).tolist()  # type: ignore[no-any-return]

    def rank_chunk(
        self, values: Sequence[str], top_k: int, *, workers: int = -1, small: bool | None = None
    ) -> RankedChunk:
        """Ranked candidates of distinct ``values``, before calibration (columnar, compact).

        Each value's candidates depend on that value only, so a batch may be split into
        chunks (processes): ``small`` and ``workers`` are passed to the fuzzy tier.
        """
        import numpy as np

        lexical = [self._lexical(v) for v in values]
        need = [(v, lex[2]) for v, lex in zip(values, lexical, strict=True) if lex[3] and lex[2]]
        fuzzy: dict[str, list[FuzzyHit]] = fuzzy_candidates(
            self.table, need, self.allowed_row, pool=_FUZZY_POOL, workers=workers, small=small
        )
        chunk = RankedChunk(need=len(need))
        vectors: list[list[float]] = []
        fuzzy_base = METHOD_BASE["fuzzy"]
        for value, (hits, steps, norm, _) in zip(values, lexical, strict=True):
            fuzzy_hits = fuzzy.get(value)
            if fuzzy_hits:
                # a name met only without its bracketed qualifier stays a "bracketed" hit
                dropped = {h.row for h in hits if h.method == "bracketed"}
                for fh in fuzzy_hits:
                    if fh.row in dropped:
                        continue
                    hits.append(_Hit(fh.row, "fuzzy", fuzzy_base * fh.similarity, fh.sim, fh.dice))
            self._rank_into(chunk, vectors, value, norm, hits, top_k)
            chunk.steps.append(steps)
        if vectors:
            chunk.features = np.asarray(vectors, dtype=np.float64)
        return chunk

    def build_results(
        self,
        values: Sequence[str],
        chunk: RankedChunk,
        confidences: Sequence[float],
        out: dict[str, MatchResult],
    ) -> None:
        """The results of ``chunk`` (ranked from ``values``) into ``out``, by value."""
        from itertools import islice

        table = self.table
        term_ids = table.term_ids
        term_labels = table.term_labels
        text = table.text
        name_field = table.field
        name_scope = table.scope
        note = table.note
        columns = iter(
            zip(
                chunk.term,
                chunk.score,
                chunk.row,
                chunk.method,
                chunk.part,
                chunk.joined,
                chunk.predicate,
                confidences,
                strict=True,
            )
        )
        for value, n_inside, has_outside, steps in zip(
            values, chunk.inside, chunk.outside, chunk.steps, strict=True
        ):
            built: list[Candidate] = []
            for term, score, row, method, part, joined, predicate, conf in islice(
                columns, n_inside + has_outside
            ):
                used_steps = () if method == "exact" else steps
                if method == "bracketed":
                    conf = min(conf, BRACKETED_MAX_CONFIDENCE)
                    used_steps = (*used_steps, BRACKET_STEP)
                if joined:
                    used_steps = (*used_steps, JOINED_STEP)
                if part is not None:
                    conf = min(conf, ALTERNATIVE_MAX_CONFIDENCE)
                    used_steps = (*used_steps, f"alternative {part!r}")
                built.append(
                    Candidate(
                        term_ids[term],
                        term_labels[term],
                        round(min(1.0, max(0.0, score)), 4),
                        round(conf, 4),
                        predicate,
                        Evidence(text[row], name_field[row], name_scope[row], method, used_steps),
                        note[row],
                    )
                )
            if has_outside:
                out[value] = MatchResult(value, tuple(built[:-1]), built[-1])
            else:
                out[value] = MatchResult(value, tuple(built), None)
        if next(columns, None) is not None:  # pragma: no cover - a malformed chunk
            raise ValueError("ranked chunk has more candidates than its values")

    def _row_weight(self, row: int) -> float:
        table = self.table
        w = SCOPE_WEIGHT.get(table.scope[row], 0.9) * _FIELD_WEIGHT.get(table.field[row], 1.0)
        if table.weak[row]:
            w *= _WEAK_WEIGHT
        if table.note[row] and table.field[row] != "curated":
            w *= _OBSOLETE_WEIGHT
        return w

    def _rank_into(
        self,
        chunk: RankedChunk,
        vectors: list[list[float]],
        value: str,
        norm: str,
        hits: list[_Hit],
        top_k: int,
    ) -> None:
        """Rank one value's hits by term; append its candidates and features to ``chunk``."""
        weights = self._weights
        term_of = self.table.term
        best: dict[int, tuple[float, _Hit]] = {}
        for hit in hits:
            row = hit.row
            score = hit.score * weights[row]
            term = term_of[row]
            cur = best.get(term)
            if cur is None or score > cur[0] + 1e-12:
                best[term] = (score, hit)
        if self._all_allowed:
            inside = self._ordered(list(best.items()), top_k)
            outside: list[tuple[int, float, _Hit]] = []
        else:
            allowed = self._allowed_list
            inside = self._ordered([kv for kv in best.items() if allowed[kv[0]]], top_k)
            outside = self._ordered([kv for kv in best.items() if not allowed[kv[0]]], 2)
        qtokens = len(key_tokens(norm)) if norm else 0
        self._emit(chunk, vectors, value, norm, inside[:top_k], qtokens, len(inside))
        chunk.inside.append(len(inside))
        has_outside = bool(outside) and (not inside or outside[0][1] > inside[0][1])
        if has_outside:
            self._emit(chunk, vectors, value, norm, outside[:2], qtokens, 1)
        chunk.outside.append(has_outside)

    def _ordered(
        self, items: list[tuple[int, tuple[float, _Hit]]], n: int
    ) -> list[tuple[int, float, _Hit]]:
        """The best ``n`` (term, score, hit), best first; only the contenders are sorted.

        Order: score rounded to 9 decimals (descending), the ontology given first, a label
        before a synonym, the term id (unique, so the order is total).
        """
        if len(items) < 2:
            return [(t, s, h) for t, (s, h) in items]
        rounded = [round(s, 9) for _, (s, _) in items]
        if len(items) > 4 * n:
            cutoff = heapq.nlargest(n, rounded)[-1]
            kept = [i for i, r in enumerate(rounded) if r >= cutoff]
            items = [items[i] for i in kept]
            rounded = [rounded[i] for i in kept]
            if len(items) < 2:
                return [(t, s, h) for t, (s, h) in items]
        table = self.table
        priority = self._priority
        scope = table.scope
        term_ids = table.term_ids
        keyed = sorted(
            (-r, priority[t], scope[h.row] != "LABEL", term_ids[t], i)
            for i, (r, (t, (s, h))) in enumerate(zip(rounded, items, strict=True))
        )
        return [(items[i][0], *items[i][1]) for *_, i in keyed[:n]]

    def _emit(
        self,
        chunk: RankedChunk,
        vectors: list[list[float]],
        value: str,
        norm: str,
        chosen: list[tuple[int, float, _Hit]],
        qtokens: int,
        keep: int,
    ) -> None:
        """Append the first ``keep`` of ``chosen`` (with features against all of them)."""
        if not chosen:
            return
        table = self.table
        term_ids = table.term_ids
        scope = table.scope
        name_field = table.field
        log = self.feature_log
        scores = [s for _, s, _ in chosen]
        top = scores[0]
        tied = sum(1 for s in scores if abs(s - top) < 1e-9)
        several = len(chosen) > 1
        if several:
            prefixes = [term_ids[t].partition(":")[0] for t, _, _ in chosen]
            best = max(scores)
            # the best score among the *other* candidates: the second best for the best one
            # (unless the best is shared), the best for every other one
            runner_up = best if scores.count(best) > 1 else max(s for s in scores if s != best)
        for rank, (term, score, hit) in enumerate(chosen):
            if rank >= keep and log is None:
                break
            contested = contested_other = False
            if several:
                margin = score - (runner_up if score == best else best)
                prefix = prefixes[rank]
                for j, other in enumerate(scores):
                    if j != rank and abs(other - score) <= 0.03:
                        contested = True
                        if prefixes[j] != prefix:
                            contested_other = True
                            break
            else:
                margin = score - 0.0
            row = hit.row
            field_ = name_field[row]
            via_obsolete = bool(table.note[row]) and field_ != "curated"
            # in CandidateFeatures' field order, which feature_row takes one by one
            args = (
                hit.method,
                scope[row],
                field_,
                table.weak[row],
                via_obsolete,
                score,
                hit.sim,
                hit.dice,
                margin,
                tied,
                rank,
                qtokens,
                contested,
                contested_other,
            )
            if log is not None:
                log[(value, term_ids[term])] = CandidateFeatures(*args)
                if rank >= keep:
                    continue
            vectors.append(feature_row(*args))
            chunk.term.append(term)
            chunk.score.append(score)
            chunk.row.append(row)
            chunk.method.append(hit.method)
            chunk.part.append(hit.part)
            chunk.joined.append(hit.joined)
            chunk.predicate.append(self._predicate(hit, norm))

    def _predicate(self, hit: _Hit, norm: str) -> str:
        table = self.table
        scope = table.scope[hit.row]
        if scope == "NARROW":
            return "skos:broadMatch"  # the name is narrower than the term: term is broader
        if scope == "BROAD":
            return "skos:narrowMatch"
        if hit.method == "bracketed":
            return "skos:closeMatch"  # the name's qualifier was dropped: never exact
        if hit.method != "fuzzy":
            if scope in {"LABEL", "EXACT"} and not table.weak[hit.row]:
                return "skos:exactMatch"
            return "skos:closeMatch"
        query = set(key_tokens(norm))
        name = set(key_tokens(table.norm[hit.row]))
        if name < query:
            return "skos:broadMatch"  # the value says more than the term
        if query < name:
            return "skos:narrowMatch"
        return "skos:closeMatch"
