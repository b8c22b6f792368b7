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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harmonize.errors import CurieError
from harmonize.match.calibration import CandidateFeatures, default_calibrator, feature_vector
from harmonize.match.candidate import Candidate, Evidence, MatchResult
from harmonize.match.value_cache import cached_name_table
from harmonize.match.value_fuzzy import FuzzyHit, fuzzy_candidates
from harmonize.match.value_index import (
    curated_names,
    exact_key,
    joined_key,
    key_tokens,
    token_key,
)
from harmonize.text.normalize import american_spelling, normalize_steps

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.match.value_index import NameTable
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "ALTERNATIVE_MAX_CONFIDENCE",
    "BRACKETED_MAX_CONFIDENCE",
    "BRACKET_STEP",
    "JOINED_STEP",
    "METHOD_BASE",
    "SCOPE_WEIGHT",
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
# "a/b", "a / b", "a +/- b", and ICD-style titles "a and b", "a or b"
_ALTERNATIVES = re.compile(r"\s*\+?/-?\s*|\s+(?:and|or)\s+", re.IGNORECASE)
_PART_WEIGHT = 0.85
_FRAGMENT_WEIGHT = 0.75  # a one-word alternative read alone beside a longer one


def _alternative_readings(value: str) -> list[list[tuple[str, float]]]:
    """Readings of ``"a/b"`` with their weights, best first; later lists are fallbacks.

    In a list with a swapped reading, that reading is the second entry.
    """
    parts = [p.strip() for p in _ALTERNATIVES.split(value) if len(p.strip()) >= 3]
    if not 2 <= len(parts) <= 4:
        return []
    plain = [(p, _PART_WEIGHT) for p in parts]
    if len(parts) == 2:
        left, right = parts[0].split(), parts[1].split()
        if len(right) == 1 and len(left) >= 2:  # "fracture patella / knee"
            swapped = " ".join([*left[:-1], right[0]])
            first = (parts[0], _PART_WEIGHT), (swapped, _PART_WEIGHT)
            return [[*first, (parts[1], _FRAGMENT_WEIGHT)], plain]
        if len(left) == 1 and len(right) >= 2:  # "infective/viral hepatitis"
            swapped = " ".join([left[0], *right[1:]])
            first = (parts[1], _PART_WEIGHT), (swapped, _PART_WEIGHT)
            return [[*first, (parts[0], _FRAGMENT_WEIGHT)], plain]
    return [plain]


#: words that make a name a disease name; token keys leave them out ("X disease" = "X")
_DISEASE_WORDS = frozenset({"disease", "disorder"})
_DISEASE_WORD_WEIGHT = 0.85


def _says_disease(norm: str) -> bool:
    return not _DISEASE_WORDS.isdisjoint(norm.split())


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
class _Pending:
    """A ranked candidate waiting for its (batch-computed) confidence."""

    term: int
    score: float
    hit: _Hit
    features: CandidateFeatures
    steps: tuple[str, ...]
    norm: str
    confidence: float = 0.0


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
        value_key: str | None = None if _HAS_BRACKET.search(value) else token_key(norm.text)
        bracket_key = table.bracket_key
        bracketed_base = METHOD_BASE["bracketed"]
        strong = any(allowed_row[h.row] for h in hits)
        normal_rows = table.normal.get(norm.text, ())
        # the value with only its case and spelling changed (when it has an exact hit)
        spelled_as = american_spelling(exact_key(value)) if hits and normal_rows else None
        joined_rows: Sequence[int] = ()
        if not normal_rows and " " in norm.text:
            joined_rows = table.joined.get(joined_key(norm.text), ())
        elif not normal_rows:  # "pacemaker" meets "pace maker"
            joined_rows = [r for r in table.joined.get(norm.text, ()) if " " in table.norm[r]]
        for method, rows, joined in (
            ("normalized", normal_rows, False),
            ("normalized", joined_rows, True),
            ("token", table.tokkey.get(token_key(norm.text), ()) if norm.text else (), False),
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
                if method == "token" and _says_disease(norm.text) != _says_disease(table.norm[row]):
                    # "disorders of cartilage" is not "cartilage": only one side names a
                    # disease, so this is weaker than a same-words hit and the fuzzy tier runs
                    hits.append(_Hit(row, method, base * _DISEASE_WORD_WEIGHT, 1.0, 1.0))
                    continue
                # "Leukaemia" is the same name as "leukemia": as strong as an exact hit
                if (
                    method == "normalized"
                    and not joined
                    and spelled_as is not None
                    and american_spelling(exact_key(table.text[row])) == spelled_as
                ):
                    hits.append(_Hit(row, method, METHOD_BASE["exact"], 1.0, 1.0))
                    continue
                hits.append(_Hit(row, method, base, 1.0, 1.0, joined=joined))
                # a normalised hit, or the same meaningful words as a label or exact
                # synonym: no fuzzy score can outrank it
                if not strong and allowed_row[row]:
                    strong = method == "normalized" or table.scope[row] in _STRONG_SCOPES
        if not strong and _ALTERNATIVES.search(value):
            hits.extend(self._alternatives(value))
        return hits, norm.steps, norm.text, not strong

    def _alternatives(self, value: str) -> list[_Hit]:
        """``"emphysema/chronic bronchitis"``: each alternative through the exact tiers.

        A one-word alternative beside a longer one may swap one of its words
        (``"fracture patella / knee"``, ``"infective/viral hepatitis"``): when the swapped
        reading (``"fracture knee"``) names a term, it is tried at full part weight and
        the bare word only at a lower one, so "knee" alone does not win; otherwise every
        alternative counts the same, the first winning ties.
        """
        readings = _alternative_readings(value)
        disease = _says_disease(normalize_steps(value).text)
        for i, reading in enumerate(readings):
            hits = self._reading_hits(reading, disease)
            swapped_hit = any(h.part == reading[1][0] for h in hits)
            if swapped_hit or i == len(readings) - 1:
                return hits
        return []

    def _reading_hits(self, reading: list[tuple[str, float]], disease: bool) -> list[_Hit]:
        """Exact-tier hits of each alternative; ``disease``: the whole value names one
        ("Diseases of vocal cords and larynx": the alternative "larynx" is no organ)."""
        table = self.table
        norms = table.norm
        hits: list[_Hit] = []
        for i, (part, weight) in enumerate(reading):
            weight *= 1.0 - 0.001 * i  # the first alternative wins ties
            norm = normalize_steps(part).text
            tiers = (
                ("exact", table.exact.get(exact_key(part), ())),
                ("normalized", table.normal.get(norm, ())),
                ("token", table.tokkey.get(token_key(norm), ()) if norm else ()),
            )
            for method, rows in tiers:
                score = METHOD_BASE[method] * weight
                for r in rows:
                    if _says_disease(norms[r]) != disease:
                        hits.append(_Hit(r, method, score * _DISEASE_WORD_WEIGHT, 1, 1, part))
                    else:
                        hits.append(_Hit(r, method, score, 1.0, 1.0, part))
        return hits

    def _match_distinct(self, values: list[str], top_k: int) -> dict[str, MatchResult]:
        lexical = {v: self._lexical(v) for v in values}
        need = [(v, lex[2]) for v, lex in lexical.items() if lex[3] and lex[2]]
        fuzzy: dict[str, list[FuzzyHit]] = fuzzy_candidates(
            self.table, need, self.allowed_row, pool=_FUZZY_POOL
        )
        ranked: list[tuple[str, list[_Pending], _Pending | None]] = []
        for value in values:
            hits, steps, norm, _ = lexical[value]
            # a name met only without its bracketed qualifier stays a "bracketed" hit
            dropped = {h.row for h in hits if h.method == "bracketed"}
            for fh in fuzzy.get(value, ()):
                if fh.row in dropped:
                    continue
                hits.append(
                    _Hit(fh.row, "fuzzy", METHOD_BASE["fuzzy"] * fh.similarity, fh.sim, fh.dice)
                )
            ranked.append((value, *self._rank(value, norm, steps, hits, top_k)))
        # one vectorised calibration pass over every candidate of every value
        pending = [p for _, inside, outside in ranked for p in (*inside, outside) if p is not None]
        confidences = self.calibrator.batch([feature_vector(p.features) for p in pending])
        for p, conf in zip(pending, confidences, strict=True):
            if p.hit.method == "bracketed":
                conf = min(float(conf), BRACKETED_MAX_CONFIDENCE)
            elif p.hit.part is not None:
                conf = min(float(conf), ALTERNATIVE_MAX_CONFIDENCE)
            p.confidence = round(float(conf), 4)
        out: dict[str, MatchResult] = {}
        for value, inside, outside in ranked:
            out[value] = MatchResult(
                value,
                tuple(self._candidate(p) for p in inside),
                self._candidate(outside) if outside is not None else None,
            )
        return out

    def _row_weight(self, row: int) -> float:
        table = self.table
        w = SCOPE_WEIGHT.get(table.scope[row], 0.9) * _FIELD_WEIGHT.get(table.field[row], 1.0)
        if table.weak[row]:
            w *= _WEAK_WEIGHT
        if table.note[row] and table.field[row] != "curated":
            w *= _OBSOLETE_WEIGHT
        return w

    def _rank(
        self, value: str, norm: str, steps: tuple[str, ...], hits: list[_Hit], top_k: int
    ) -> tuple[list[_Pending], _Pending | None]:
        table = self.table
        weights = self._weights
        best: dict[int, tuple[float, _Hit]] = {}
        for hit in hits:
            score = hit.score * weights[hit.row]
            term = table.term[hit.row]
            cur = best.get(term)
            if cur is None or score > cur[0] + 1e-12:
                best[term] = (score, hit)
        allowed = self._allowed_list
        inside = self._ordered([kv for kv in best.items() if allowed[kv[0]]], top_k)
        outside = self._ordered([kv for kv in best.items() if not allowed[kv[0]]], 2)
        qtokens = len(key_tokens(norm)) if norm else 0
        chosen = self._pending(value, norm, steps, inside[:top_k], qtokens)
        outside_best: _Pending | None = None
        if outside and (not inside or outside[0][1] > inside[0][1]):
            outside_best = self._pending(value, norm, steps, outside[:2], qtokens)[0]
        return chosen, outside_best

    def _ordered(
        self, items: list[tuple[int, tuple[float, _Hit]]], n: int
    ) -> list[tuple[int, float, _Hit]]:
        """The best ``n`` (term, score, hit), best first; only the contenders are sorted."""
        if len(items) > 4 * n:
            rounded = [round(kv[1][0], 9) for kv in items]
            cutoff = heapq.nlargest(n, rounded)[-1]
            items = [kv for kv, r in zip(items, rounded, strict=True) if r >= cutoff]
        if len(items) < 2:
            return [(t, s, h) for t, (s, h) in items]
        table = self.table
        priority = self._priority
        items.sort(
            key=lambda kv: (
                -round(kv[1][0], 9),
                priority[kv[0]],
                table.scope[kv[1][1].row] != "LABEL",
                table.term_ids[kv[0]],
            )
        )
        return [(t, s, h) for t, (s, h) in items[:n]]

    def _pending(
        self,
        value: str,
        norm: str,
        steps: tuple[str, ...],
        chosen: list[tuple[int, float, _Hit]],
        qtokens: int,
    ) -> list[_Pending]:
        table = self.table
        if not chosen:
            return []
        top = chosen[0][1]
        tied = sum(1 for _, s, _ in chosen if abs(s - top) < 1e-9)
        out: list[_Pending] = []
        for rank, (term, score, hit) in enumerate(chosen):
            others = [(s, t) for t, s, _ in chosen if t != term]
            margin = score - (max(others)[0] if others else 0.0)
            prefix = table.term_ids[term].partition(":")[0]
            close = [t for s, t in others if abs(s - score) <= 0.03]
            contested_other = any(table.term_ids[t].partition(":")[0] != prefix for t in close)
            row = hit.row
            feats = CandidateFeatures(
                method=hit.method,
                scope=table.scope[row],
                field=table.field[row],
                weak=table.weak[row],
                via_obsolete=bool(table.note[row]) and table.field[row] != "curated",
                score=score,
                sim=hit.sim,
                dice=hit.dice,
                margin=margin,
                tied=tied,
                rank=rank,
                query_tokens=qtokens,
                contested=bool(close),
                contested_other_ontology=contested_other,
            )
            if self.feature_log is not None:
                self.feature_log[(value, table.term_ids[term])] = feats
            out.append(_Pending(term, score, hit, feats, steps, norm))
        return out

    def _candidate(self, p: _Pending) -> Candidate:
        table = self.table
        row = p.hit.row
        used_steps = () if p.hit.method == "exact" else p.steps
        if p.hit.method == "bracketed":
            used_steps = (*used_steps, BRACKET_STEP)
        if p.hit.joined:
            used_steps = (*used_steps, JOINED_STEP)
        if p.hit.part is not None:
            used_steps = (*used_steps, f"alternative {p.hit.part!r}")
        return Candidate(
            id=table.term_ids[p.term],
            label=table.term_labels[p.term],
            score=round(min(1.0, max(0.0, p.score)), 4),
            confidence=p.confidence,
            predicate=self._predicate(p.hit, p.norm),
            evidence=Evidence(
                matched_text=table.text[row],
                field=table.field[row],
                scope=table.scope[row],
                method=p.hit.method,
                steps=used_steps,
            ),
            note=table.note[row],
        )

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
