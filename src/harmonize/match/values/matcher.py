"""Ground free-text values to ontology terms: exact tiers, readings, then vectorised fuzzy.

Tiers, strongest first: ``exact`` / ``normalized`` / ``token`` and alternatives
(:mod:`~harmonize.match.values.lexical`); readings of the value a curator would make —
qualifiers set aside, shorthand, markers, specialisation, negation, cell lines, the
species of the data (:mod:`~harmonize.match.values.reading_tiers`); ``fuzzy`` (IDF
word overlap from numpy posting arrays, re-scored with rapidfuzz:
:mod:`~harmonize.match.values.fuzzy`). Ranking, predicates and calibration features:
:mod:`~harmonize.match.values.ranking`. Candidates are restricted to a branch when roots
are given; the best hit outside it is reported in :attr:`MatchResult.outside_branch`,
never returned. With ``fill`` (``harmonize ground --top-k``), a value whose exact hits
give fewer than ``top_k`` candidates is also sent to the fuzzy tier to fill them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from harmonize.errors import CurieError
from harmonize.match.values.cache import cached_name_table
from harmonize.match.values.calibration import CandidateFeatures, default_calibrator
from harmonize.match.values.candidate import Candidate, Evidence, MatchResult
from harmonize.match.values.fuzzy import FuzzyHit, fuzzy_candidates
from harmonize.match.values.glued_words import APART_STEP
from harmonize.match.values.hits import (
    BRACKET_STEP,
    JOINED_STEP,
    METHOD_BASE,
    ROOT_MAX_CONFIDENCE,
    Hit,
    RankedChunk,
    confidence_cap,
)
from harmonize.match.values.index import curated_names, key_tokens
from harmonize.match.values.ranking import Ranking
from harmonize.match.values.reading_tiers import Lexical, ReadingTiers

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.match.values.candidate import Method
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.taxon import Lineage
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "ValueMatcher",
]

_FUZZY_POOL = 30
_WHOLE = "\x00whole\x00"  # key of the fuzzy query on the whole value (qualifiers kept)
#: the slot's root met otherwise than by its own name ("cell" for "CD45+ cells")
_ROOT_CEILING = (ROOT_MAX_CONFIDENCE, "the slot's root term: the value names no kind of it")
_OWN_NAME = frozenset({"exact", "normalized"})


class ValueMatcher(Ranking, ReadingTiers):
    """Match values against one ontology index (optionally restricted to a branch).

    ``taxon`` (an NCBITaxon CURIE): the species of the data; terms its file or label
    gives to other taxa lose against terms valid for it. ``fill``: return ``top_k``
    candidates even when the first is exact (the fuzzy tier fills the rest). ``context``:
    the tissue the values were sampled from (names or CURIEs): a name that says the value
    in that tissue is offered first (:mod:`~harmonize.match.values.context_terms`).
    """

    def __init__(
        self,
        index: OntologyIndex,
        *,
        roots: Sequence[str] = (),
        curated: Sequence[MappingSet] = (),
        taxon: str | None = None,
        fill: bool = False,
        context: Sequence[str] = (),
    ) -> None:
        import numpy as np

        from harmonize.match.values.context_terms import context_names
        from harmonize.match.values.usage import curated_usage

        unknown = [r for r in roots if r not in index.terms]
        if unknown:
            raise CurieError(
                f"root term {unknown[0]} is not in the loaded ontologies", value=unknown[0]
            )
        self.index = index
        self.roots = tuple(roots)
        self.fill = fill
        self.table: NameTable = cached_name_table(index, curated_names(curated))
        self.context = context_names(index, self.table, context)
        self.calibrator = default_calibrator()
        #: the roots' rows in the table's terms: "cell" is no answer unless the value names it
        self._root_terms = (
            frozenset(i for i, t in enumerate(self.table.term_ids) if t in self.roots)
            if self.roots
            else frozenset()
        )
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
        used = curated_usage()
        self._used = [t in used for t in self.table.term_ids]
        self._weights = [self._row_weight(r) for r in range(len(self.table))]
        self._allowed_list: list[bool] = self.allowed_term.tolist()
        self._all_allowed = bool(self.allowed_term.all())
        self._disease_rows: list[int] = [-1] * len(self.table)  # -1: not computed yet
        self._verdicts: dict[tuple[str, int], int] = {}
        self._lineages: dict[str, Lineage | None] = {}
        self._max_idf = -1.0
        self._clauses_named: bool | None = None  # DroppedWords: the branch names clauses
        self._taxon_free: dict[str, list[tuple[int, bool]]] | None = None
        self._modifiers: dict[str, bool] = {}  # OrganSites: site words read as modifiers
        self._part_nouns: dict[str, list[tuple[str, str]]] = {}  # OrganWords: organ nouns
        self._completions: dict[str, list[str]] = {}  # TruncatedWords: shortened words
        self._negating: frozenset[int] | None = None
        table = self.table
        self._initialism_words = frozenset(
            w for r, weak in enumerate(table.weak) if weak for w in key_tokens(table.norm[r])
        )
        self.lineage: Lineage | None = None
        if taxon is not None:
            from harmonize.match.values.taxon import lineage

            self.lineage = lineage(taxon)
        #: when a dict, every candidate's calibration features are recorded here (benchmarks)
        self.feature_log: dict[tuple[str, str], CandidateFeatures] | None = None

    # -- public API ---------------------------------------------------------
    def with_context(self, context: Sequence[str]) -> ValueMatcher:
        """This matcher reading values sampled from ``context`` (tissue names or CURIEs;
        see ``context`` above): a shallow copy sharing the name table and caches."""
        import copy

        from harmonize.match.values.context_terms import context_names

        other = copy.copy(self)
        other.context = context_names(self.index, self.table, context)
        return other

    def warm(self) -> None:
        """Build the lookups the readings build on first use (the species' own names when
        a taxon is set) now: before a batch is forked into worker processes, so that they
        share one copy instead of each reading every name row (which copies its pages)."""
        if self.lineage is not None:
            self._taxon_names()
        self._negating_rows()

    def match(self, value: str, top_k: int = 5) -> MatchResult:
        """Candidates for one value, best first."""
        return self.match_many([value], top_k)[0]

    def match_many(self, values: Sequence[str], top_k: int = 5) -> list[MatchResult]:
        """Candidates for many values; each distinct value is matched once."""
        distinct = list(dict.fromkeys(values))
        results = self._match_distinct(distinct, max(1, top_k))
        return [results[v] for v in values]

    # -- internals ----------------------------------------------------------
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

    def _needs_fuzzy(self, lex: Lexical, top_k: int) -> bool:
        if lex.query and lex.note is None:
            return True
        if not self.fill or lex.note is not None or (not lex.steps and not lex.hits):
            return False
        allowed = self._allowed_row_list
        terms = {self.table.term[h.row] for h in lex.hits if allowed[h.row]}
        return len(terms) < top_k

    def rank_chunk(
        self, values: Sequence[str], top_k: int, *, workers: int = -1, small: bool | None = None
    ) -> RankedChunk:
        """Ranked candidates of distinct ``values``, before calibration (columnar, compact).

        Each value's candidates depend on that value only, so a batch may be split into
        chunks (processes): ``small`` and ``workers`` are passed to the fuzzy tier.
        """
        import numpy as np

        lexical = [self._lexical(v) for v in values]
        need = []
        for value, lex in zip(values, lexical, strict=True):
            if self._needs_fuzzy(lex, top_k):
                query = lex.query or lex.norm
                if query:
                    need.append((value, query))
                if lex.whole and lex.whole != query:  # qualifiers may be part of a name
                    need.append((_WHOLE + value, lex.whole))
        fuzzy: dict[str, list[FuzzyHit]] = fuzzy_candidates(
            self.table, need, self.allowed_row, pool=_FUZZY_POOL, workers=workers, small=small
        )
        chunk = RankedChunk(need=len(need))
        vectors: list[list[float]] = []
        for value, lex in zip(values, lexical, strict=True):
            hits = lex.hits
            fuzzy_hits = fuzzy.get(value)
            if fuzzy_hits:
                self._add_fuzzy(lex, fuzzy_hits, lex.fuzzy_reading)
            whole_hits = fuzzy.get(_WHOLE + value) if lex.whole else None
            if whole_hits:
                self._add_fuzzy(lex, whole_hits, None)
            if lex.heads:
                allowed = self._allowed_row_list
                found = (*(fuzzy_hits or ()), *(whole_hits or ()))
                best = max((h.similarity for h in found if allowed[h.row]), default=0.0)
                self.words_dropped(value, lex, best)
            query = lex.query or lex.norm
            self._rank_into(chunk, vectors, value, query, hits, top_k, lex.lineage)
            chunk.steps.append(lex.steps)
            chunk.notes.append(lex.note)
            chunk.ceilings.append(lex.ceiling)
        if vectors:
            chunk.features = np.asarray(vectors, dtype=np.float64)
        return chunk

    def _add_fuzzy(
        self, lex: Lexical, fuzzy_hits: list[FuzzyHit], tag: tuple[str, str] | None
    ) -> None:
        # a name met only without its bracketed qualifier stays a "bracketed" hit
        dropped = {h.row for h in lex.hits if h.method == "bracketed"}
        base = METHOD_BASE["fuzzy"]
        # filling top-k after an exact hit: fuzzy names rank below every exact-tier one
        scale = 0.5 if not lex.query else 1.0
        for fh in fuzzy_hits:
            if fh.row not in dropped:
                score = base * fh.similarity * scale
                hit = Hit(fh.row, "fuzzy", score, fh.sim, fh.dice, None, False, tag, not lex.query)
                lex.hits.append(hit)

    def build_results(
        self,
        values: Sequence[str],
        chunk: RankedChunk,
        confidences: Sequence[float],
        out: dict[str, MatchResult],
    ) -> None:
        """The results of ``chunk`` (ranked from ``values``) into ``out``, by value."""
        from itertools import islice

        columns = iter(
            zip(
                chunk.term,
                chunk.score,
                chunk.row,
                chunk.method,
                chunk.part,
                chunk.joined,
                chunk.reading,
                chunk.predicate,
                confidences,
                strict=True,
            )
        )
        for value, n_inside, has_outside, steps, note, ceiling in zip(
            values,
            chunk.inside,
            chunk.outside,
            chunk.steps,
            chunk.notes,
            chunk.ceilings,
            strict=True,
        ):
            n = n_inside + has_outside
            built = [self._candidate(steps, *c, ceiling=ceiling) for c in islice(columns, n)]
            _descending(built, min(n_inside, len(built)))
            if has_outside:
                out[value] = MatchResult(value, tuple(built[:-1]), built[-1], note)
            else:
                out[value] = MatchResult(value, tuple(built), None, note)
        if next(columns, None) is not None:  # pragma: no cover - a malformed chunk
            raise ValueError("ranked chunk has more candidates than its values")

    def _candidate(
        self,
        steps: tuple[str, ...],
        term: int,
        score: float,
        row: int,
        method: Method,
        part: str | None,
        joined: bool,
        reading: tuple[str, str] | None,
        predicate: str,
        conf: float,
        *,
        ceiling: tuple[float, str] | None = None,
    ) -> Candidate:
        table = self.table
        used_steps = () if method == "exact" else steps
        conf = min(conf, confidence_cap(method, part, reading))
        note = table.note[row]
        if term in self._root_terms and (reading is not None or method not in _OWN_NAME):
            ceiling = min(ceiling or _ROOT_CEILING, _ROOT_CEILING)
        if ceiling is not None and conf > ceiling[0]:
            conf = ceiling[0]  # why, in the note: it is about the term, not the query
            note = f"{note}; {ceiling[1]}" if note else ceiling[1]
        if method == "bracketed":
            used_steps = (*used_steps, BRACKET_STEP)
        if joined:
            used_steps = (*used_steps, JOINED_STEP)
        if part is not None:
            used_steps = (*used_steps, f"alternative {part!r}")
        if reading is not None:
            if APART_STEP in used_steps and APART_STEP in reading[1]:  # (said once)
                used_steps = tuple(s for s in used_steps if s != APART_STEP)
            used_steps = (*used_steps, reading[1])
        return Candidate(
            table.term_ids[term],
            table.term_labels[term],
            round(min(1.0, max(0.0, score)), 4),
            round(conf, 4),
            predicate,
            Evidence(table.text[row], table.field[row], table.scope[row], method, used_steps),
            note,
        )


def _descending(candidates: list[Candidate], n: int) -> None:
    """Rows best first in descending confidence: a candidate ranked below another is
    never more confident than it (its confidence is lowered to that one's)."""
    for i in range(1, n):
        if candidates[i].confidence > candidates[i - 1].confidence:
            candidates[i] = replace(candidates[i], confidence=candidates[i - 1].confidence)
