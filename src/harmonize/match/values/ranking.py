"""Ranking one value's hits into candidates: scores, order, predicates, features.

Scores are weighed by the scope of the name met (label = exact synonym > narrow/broad >
related > learned initialism) and, when the species of the data is known, by whether the
term is valid for it; a term whose name gives one of the value's markers the opposite
sign (:mod:`~harmonize.match.values.marker_signs`) ranks after every other. Order: score,
the ontology given first, a term real curated data uses
(:mod:`~harmonize.match.values.usage`), a label before a synonym, the term id.
:class:`Ranking` is a mixin of :class:`~harmonize.match.values.matcher.ValueMatcher`.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from typing import TYPE_CHECKING

from harmonize.match.values.calibration import CALIBRATED_TOP_K, CandidateFeatures, feature_row
from harmonize.match.values.hits import (
    SCOPE_WEIGHT,
    Hit,
    RankedChunk,
    confidence_cap,
    contradicted,
)
from harmonize.match.values.index import key_tokens
from harmonize.match.values.marker_signs import (
    Sign,
    contradiction,
    other_markers,
    value_coreceptor,
    value_signs,
)
from harmonize.match.values.predicate import predicate_of
from harmonize.match.values.saying_names import WEAKER_READINGS, SayingNames
from harmonize.match.values.taxon import Lineage, term_taxa

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.ontology.index import OntologyIndex

__all__ = ["TAXON_MISMATCH_WEIGHT", "USAGE_WEIGHT", "Ranking"]

_FIELD_WEIGHT = {"label": 1.0, "synonym": 1.0, "curated": 1.0, "abbreviation": 0.97}
_WEAK_WEIGHT = 0.85
_OBSOLETE_WEIGHT = 0.98
#: a term the data's species cannot have (its file or label says so) weighs this much
TAXON_MISMATCH_WEIGHT = 0.8
#: a partial (fuzzy, words dropped) hit on a term real curated data uses weighs this much
USAGE_WEIGHT = 1.05

#: scores closer than this round to the same 9 decimals or to neighbours (ties in order)
_ROUNDED_TIE = 2e-9


class Ranking(SayingNames):
    """Turn hits into ordered candidates with predicates and calibration features."""

    index: OntologyIndex
    table: NameTable
    _weights: list[float]
    _priority: list[int]
    _used: list[bool]
    _all_allowed: bool
    _allowed_list: list[bool]
    _allowed_row_list: list[bool]
    _verdicts: dict[tuple[str, int], int]
    feature_log: dict[tuple[str, str], CandidateFeatures] | None

    def _row_weight(self, row: int) -> float:
        table = self.table
        w = SCOPE_WEIGHT.get(table.scope[row], 0.9) * _FIELD_WEIGHT.get(table.field[row], 1.0)
        if table.weak[row]:
            w *= _WEAK_WEIGHT
        if table.note[row] and table.field[row] != "curated":
            w *= _OBSOLETE_WEIGHT
        return w

    def _taxon_verdict(self, term: int, lineage: Lineage) -> int:
        """+1 / 0 / -1: is table term ``term`` valid for ``lineage`` (memoised)."""
        key = (lineage.taxon, term)
        verdict = self._verdicts.get(key)
        if verdict is None:
            found = self.index.terms.get(self.table.term_ids[term])
            label = self.table.term_labels[term] or ""
            verdict = term_taxa(found, lineage) if found is not None else 0
            if found is None and label:
                from harmonize.match.values.taxon import label_taxa

                verdict = label_taxa(label, lineage)
            self._verdicts[key] = verdict
        return verdict

    def _rank_into(
        self,
        chunk: RankedChunk,
        vectors: list[list[float]],
        value: str,
        norm: str,
        hits: list[Hit],
        top_k: int,
        lineage: Lineage | None = None,
    ) -> None:
        """Rank one value's hits by term; append its candidates and features to ``chunk``."""
        weights = self._weights
        term_of = self.table.term
        used = self._used
        best: dict[int, tuple[float, Hit]] = {}
        for hit in hits:
            row = hit.row
            score = hit.score * weights[row]
            term = term_of[row]
            if lineage is not None and self._taxon_verdict(term, lineage) < 0:
                score *= TAXON_MISMATCH_WEIGHT
            if used[term] and (
                hit.method == "fuzzy" or (hit.reading and hit.reading[0] == "dropped")
            ):
                score *= USAGE_WEIGHT  # a term curators use, among partial matches
            cur = best.get(term)
            if cur is None or score > cur[0] + 1e-12:
                best[term] = (score, hit)
        if norm:
            self._all_words_first(best, norm)
            self._upper_first(best, norm)
            self._tissue_named_first(best, norm)
            self._negated_last(best, norm)
            self._renumbered_last(best, norm)
            self._number_left_out(best, norm)
            self._class_letter_kept(best, norm)
        if lineage is not None:
            self._other_taxon_said(best, lineage)
        signs = value_signs(value)
        coreceptor = value_coreceptor(value)
        if signs or coreceptor is not None:
            self._contradicted_last(best, signs, coreceptor)
        # the candidates a confidence is weighed against: as many as calibrated, however
        # few are asked for (a first answer is as sure with --top-k 1 as with 5)
        pool = max(top_k, CALIBRATED_TOP_K)
        if self._all_allowed:
            inside = self._ordered(list(best.items()), pool)
            outside: list[tuple[int, float, Hit]] = []
        else:
            allowed = self._allowed_list
            inside = self._ordered([kv for kv in best.items() if allowed[kv[0]]], pool)
            outside = self._ordered([kv for kv in best.items() if not allowed[kv[0]]], 2)
        qtokens = len(key_tokens(norm)) if norm else 0
        shown = min(len(inside), top_k)
        self._emit(chunk, vectors, value, norm, inside, qtokens, shown)
        chunk.inside.append(shown)
        has_outside = bool(outside) and (not inside or outside[0][1] > inside[0][1])
        if has_outside:
            self._emit(chunk, vectors, value, norm, outside[:2], qtokens, 1)
        chunk.outside.append(has_outside)

    def _contradicted_last(
        self,
        best: dict[int, tuple[float, Hit]],
        signs: tuple[tuple[str, Sign], ...],
        coreceptor: str | None = None,
    ) -> None:
        """``CD4+ CCR6+``: a term named "... CCR6-negative ..." is not the value's
        population, nor a CD8 T cell ``CD4 Treg``; it goes after the rest, read as
        ``contradicted`` (never a match)."""
        table = self.table
        for term, (score, hit) in list(best.items()):
            names = (table.term_labels[term] or "", table.text[hit.row])
            said = contradiction(signs, *names, coreceptor=coreceptor)
            if said is None and hit.method == "fuzzy":
                said = other_markers(signs, *names)
            if said is not None:
                best[term] = contradicted(score, hit, said)

    def _other_taxon_said(self, best: dict[int, tuple[float, Hit]], lineage: Lineage) -> None:
        """A term given for another taxon ("... (Mmus)", human data) is no exact match:
        read as ``other_taxon``, said in the comment (a weaker reading on the hit stays)."""
        said = f"species check: a term for another taxon than the data's ({lineage.names[0]})"
        for term, (score, hit) in list(best.items()):
            if self._taxon_verdict(term, lineage) < 0:
                kind = hit.reading[0] if hit.reading and hit.reading[0] in WEAKER_READINGS else None
                note = f"{hit.reading[1]}; {said}" if hit.reading else said
                best[term] = (score, replace(hit, reading=(kind or "other_taxon", note)))

    def _ordered(
        self, items: list[tuple[int, tuple[float, Hit]]], n: int
    ) -> list[tuple[int, float, Hit]]:
        """The best ``n`` (term, score, hit), best first; only the contenders are sorted.

        Order: score rounded to 9 decimals (descending), the ontology given first, a term
        curated data uses, a label before a synonym, the term id (unique: a total order).
        """
        if len(items) < 2:
            return [(t, s, h) for t, (s, h) in items]
        if len(items) > n:  # only the contenders: as good as the n-th best score (rounded)
            cutoff = heapq.nlargest(n, [s for _, (s, _) in items])[-1] - _ROUNDED_TIE
            items = [kv for kv in items if kv[1][0] >= cutoff]
            if len(items) < 2:
                return [(t, s, h) for t, (s, h) in items]
        rounded = [round(s, 9) for _, (s, _) in items]
        priority = self._priority
        used = self._used
        scope = self.table.scope
        term_ids = self.table.term_ids
        keyed = sorted(
            (-r, priority[t], not used[t], scope[h.row] != "LABEL", term_ids[t], i)
            for i, (r, (t, (s, h))) in enumerate(zip(rounded, items, strict=True))
        )
        return [(items[i][0], *items[i][1]) for *_, i in keyed[:n]]

    def _emit(
        self,
        chunk: RankedChunk,
        vectors: list[list[float]],
        value: str,
        norm: str,
        chosen: list[tuple[int, float, Hit]],
        qtokens: int,
        keep: int,
    ) -> None:
        """Append the first ``keep`` of ``chosen`` (with features against all of them)."""
        if not chosen:
            return
        table = self.table
        term_ids = table.term_ids
        log = self.feature_log
        scores = [s for _, s, _ in chosen]
        prefixes = [term_ids[t].partition(":")[0] for t, _, _ in chosen]
        margins, contests = _calibrated_contest(scores, prefixes)
        core = [i for i, (_, _, h) in enumerate(chosen) if not h.filler]
        if len(core) < len(chosen) and core:
            # candidates that only fill top-k do not change how sure the others are: the
            # margin and contest of the rest are as without them (as calibrated)
            own_margins, own = _calibrated_contest(
                [scores[i] for i in core], [prefixes[i] for i in core]
            )
            contested, other = list(contests[1]), list(contests[2])
            for j, i in enumerate(core):
                margins[i], contested[i], other[i] = own_margins[j], own[1][j], own[2][j]
            contests = (own[0], contested, other)
        for rank, (term, score, hit) in enumerate(chosen):
            if rank >= keep and log is None:
                break
            row = hit.row
            field_ = table.field[row]
            # in CandidateFeatures' field order, which feature_row takes one by one
            args = (
                hit.method,
                table.scope[row],
                field_,
                table.weak[row],
                bool(table.note[row]) and field_ != "curated",
                score,
                hit.sim,
                hit.dice,
                margins[rank],
                contests[0],
                rank,
                qtokens,
                contests[1][rank],
                contests[2][rank],
                hit.reading[0] if hit.reading else None,
                self._used[term],
            )
            if log is not None:
                log[(value, term_ids[term])] = CandidateFeatures(
                    *args, cap=confidence_cap(hit.method, hit.part, hit.reading)
                )
                if rank >= keep:
                    continue
            vectors.append(feature_row(*args))
            chunk.term.append(term)
            chunk.score.append(score)
            chunk.row.append(row)
            chunk.method.append(hit.method)
            chunk.part.append(hit.part)
            chunk.joined.append(hit.joined)
            chunk.reading.append(hit.reading)
            chunk.predicate.append(predicate_of(self.table, hit, norm))


def _calibrated_contest(
    scores: list[float], prefixes: list[str]
) -> tuple[list[float], tuple[int, list[bool], list[bool]]]:
    """:func:`_contest`, the first :data:`CALIBRATED_TOP_K` candidates weighed among
    themselves only (as calibrated: their confidences do not depend on how many more are
    asked for), the others among all."""
    k = CALIBRATED_TOP_K
    if len(scores) <= k:
        return _contest(scores, prefixes)
    head_margins, head = _contest(scores[:k], prefixes[:k])
    margins, (_, contested, other) = _contest(scores, prefixes)
    return head_margins + margins[k:], (head[0], head[1] + contested[k:], head[2] + other[k:])


def _contest(
    scores: list[float], prefixes: list[str]
) -> tuple[list[float], tuple[int, list[bool], list[bool]]]:
    """Per candidate: margin to the best other term, and (ties at the top, whether another
    term is within 0.03, whether such a term is from another ontology)."""
    top = scores[0]
    tied = sum(1 for s in scores if abs(s - top) < 1e-9)
    if len(scores) == 1:
        return [scores[0]], (tied, [False], [False])
    best = max(scores)
    # the best score among the *other* candidates: the second best for the best one
    # (unless the best is shared), the best for every other one
    runner_up = best if scores.count(best) > 1 else max(s for s in scores if s != best)
    margins: list[float] = []
    contested: list[bool] = []
    other: list[bool] = []
    for rank, score in enumerate(scores):
        margins.append(score - (runner_up if score == best else best))
        near = [j for j, s in enumerate(scores) if j != rank and abs(s - score) <= 0.03]
        contested.append(bool(near))
        other.append(any(prefixes[j] != prefixes[rank] for j in near))
    return margins, (tied, contested, other)
