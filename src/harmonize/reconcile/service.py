"""The reconciliation service: ontologies, types, matchers and the ledger, without HTTP.

Each query is grounded with the value matcher of its type (built on first use, then
kept), exactly as ``harmonize ground`` would ground it; the results then go through the
ledger's replay (:func:`~harmonize.mappings.replay.replay`) and
:func:`~harmonize.mappings.replay.reviewed_or_auto`, so a steward's earlier decisions
come first and ``match`` means what harmonize would apply. See
:mod:`harmonize.reconcile.candidates` for scores and features.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import ReconcileError
from harmonize.reconcile.candidates import DECIDED_SCORE, Feature, Scored, scored_candidates
from harmonize.reconcile.ledger_view import LedgerView
from harmonize.reconcile.query import Limits, Query
from harmonize.reconcile.types import ReconType, build_types

if TYPE_CHECKING:
    from harmonize.mappings.decisions import ItemState
    from harmonize.mappings.model import MappingSet
    from harmonize.match.values.candidate import MatchResult
    from harmonize.match.values.matcher import ValueMatcher
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Term
    from harmonize.schema.view import SchemaInfo

__all__ = [
    "DEFAULT_NAMESPACE",
    "MAPPING_SET_ID",
    "ReconcileService",
    "describe_term",
    "reconcile_service",
]

#: ledger namespace of a value whose query names no ``column`` property
DEFAULT_NAMESPACE = "openrefine"
MAPPING_SET_ID = "https://w3id.org/harmonize/mappings/reconcile"
#: candidates ranked before the ``under`` filter keeps those below the context term
_UNDER_POOL = 50
_DESCRIPTION_CHARS = 200
_Job = tuple[str | None, str, int, tuple[str, ...]]  # type, namespace, limit, under


class ReconcileService:
    """Everything a reconciliation request needs. Safe to share between threads."""

    def __init__(
        self,
        indexes: Sequence[OntologyIndex],
        *,
        roots: Sequence[str] = (),
        schema: SchemaInfo | None = None,
        ledger: str | Path | None = None,
        limits: Limits | None = None,
    ) -> None:
        from harmonize.ontology.index import merge_indexes

        if not indexes:
            raise ReconcileError("no ontology given: the service needs at least one ontology")
        self.indexes = tuple(indexes)
        self.index = merge_indexes(self.indexes)
        self.schema = schema
        self.types = build_types(self.indexes, self.index, roots=roots, schema=schema)
        self.type_by_id = {t.id: t for t in self.types}
        self.limits = limits or Limits()
        self.ledger = LedgerView(ledger)
        self._matchers: dict[str, ValueMatcher] = {}
        self._curated: list[MappingSet] | None = None
        self._build_lock = threading.Lock()
        self._match_lock = threading.Lock()
        self._members: dict[str, tuple[ReconType, ...]] = {}
        self._enums: dict[str, OntologyIndex] = {}

    @property
    def name(self) -> str:
        loaded = ", ".join(
            f"{i.meta.name} {i.meta.version}" if i.meta.version else i.meta.name
            for i in self.indexes
        )
        return f"harmonize ({loaded})"

    # -- types and matchers ------------------------------------------------------------
    def type(self, type_id: str) -> ReconType:
        """The type ``type_id``; an unknown one is a 400 listing some known ones."""
        found = self.type_by_id.get(type_id)
        if found is None:
            known = ", ".join(t.id for t in self.types[:8])
            more = " ..." if len(self.types) > 8 else ""
            raise ReconcileError(
                f"unknown type {type_id!r}; this service offers: {known}{more}", value=type_id
            )
        return found

    def matcher(self, type_id: str | None) -> ValueMatcher:
        """The value matcher of a type (``None``: every loaded ontology), built once."""
        key = type_id or ""
        with self._build_lock:
            built = self._matchers.get(key)
            if built is None:
                built = self._matchers[key] = self._new_matcher(type_id)
            return built

    def _new_matcher(self, type_id: str | None) -> ValueMatcher:
        from harmonize.match.values.ground import load_curated
        from harmonize.match.values.matcher import ValueMatcher

        if self._curated is None:
            self._curated = load_curated()
        t = self.type(type_id) if type_id else None
        if t is None or (t.kind == "ontology" and len(self.indexes) == 1):
            return ValueMatcher(self.index, curated=self._curated, fill=True)
        if t.kind == "branch":
            return ValueMatcher(self.index, roots=t.roots, curated=self._curated, fill=True)
        if t.kind == "ontology":
            assert t.source is not None
            return ValueMatcher(self.indexes[t.source], curated=self._curated, fill=True)
        from harmonize.match.columns.values import slot_matchers

        assert self.schema is not None and t.slot is not None
        # the slot's ontology branch when it has one (after its permissible values)
        matchers = slot_matchers(self.schema, t.slot, fill=True)
        if not matchers or (t.slot.binding.kind == "ontology" and len(matchers) < 2
                            and t.slot.binding.permissible_values):  # fmt: skip
            raise ReconcileError(
                f"type {t.id}: the ontology its slot is bound to could not be loaded",
                status=503,
                value=t.id,
            )
        return matchers[-1]

    def _contains(self, t: ReconType, term_id: str) -> bool:
        if t.kind == "ontology":
            assert t.source is not None
            return term_id in self.indexes[t.source].terms
        if t.kind == "branch" or (t.roots and all(r in self.index.terms for r in t.roots)):
            return term_id in self.index.terms and self.index.is_under(term_id, t.roots)
        built = self._matchers.get(t.id)
        if built is not None:  # a slot bound to an ontology loaded for it alone
            return term_id in built.index.terms and (
                not t.roots or built.index.is_under(term_id, t.roots)
            )
        if t.slot is not None and not t.roots:
            return term_id in self._enum_index(t).terms
        return False

    def _enum_index(self, t: ReconType) -> OntologyIndex:
        """The permissible values of an enum slot type, as a small index (built once)."""
        found = self._enums.get(t.id)
        if found is None:
            from harmonize.match.columns.values import enum_index

            assert self.schema is not None and t.slot is not None
            found = self._enums[t.id] = enum_index(self.schema, t.slot)
        return found

    def types_of(self, term_id: str) -> tuple[ReconType, ...]:
        """The offered types a term belongs to (slot types bound to an ontology that is
        not loaded here count once their matcher has been built)."""
        found = self._members.get(term_id)
        if found is None:
            found = tuple(t for t in self.types if self._contains(t, term_id))
            if len(self._members) > 200_000:
                self._members.clear()
            self._members[term_id] = found
        return found

    # -- terms -------------------------------------------------------------------------
    def lookup(self, term_id: str) -> tuple[Term, OntologyIndex] | None:
        """A term by id (or alt_id) in the loaded ontologies or a slot's values."""
        candidates = [self.index, *(m.index for m in list(self._matchers.values()))]
        candidates.extend(self._enum_index(t) for t in self.types if t.slot and not t.roots)
        for index in candidates:
            term = index.get(term_id)
            if term is None and term_id in index.alt_id_map():
                term = index.get(index.alt_id_map()[term_id])
            if term is not None:
                return term, index
        return None

    def describe(self, scored: Scored) -> dict[str, object]:
        """A candidate as the API serialises it: with its types and a short description."""
        out: dict[str, object] = {
            "id": scored.id,
            "name": scored.name,
            "score": scored.score,
            "match": scored.match,
            "type": [{"id": t.id, "name": t.name} for t in self.types_of(scored.id)],
            "features": [f.as_json() for f in scored.features],
        }
        found = self.lookup(scored.id)
        if found is not None and (text := describe_term(found[0])):
            out["description"] = text
        return out

    # -- reconciliation ----------------------------------------------------------------
    def ground(
        self, values: Sequence[str], type_id: str | None, *, top_k: int
    ) -> list[MatchResult]:
        """``values`` grounded by the type's matcher, as ``harmonize ground`` grounds them
        (one batch at a time: the matchers are not shared between threads)."""
        matcher = self.matcher(type_id)
        with self._match_lock:
            return matcher.match_many(values, top_k=top_k)

    def reconcile(self, queries: Sequence[Query]) -> list[list[Scored]]:
        """Candidates per query, in order (each list at most ``query.limit`` long)."""
        for q in queries:
            for type_id in q.types:
                self.type(type_id)
            for term_id in q.under:
                if self.lookup(term_id) is None:
                    raise ReconcileError(f"query {q.key!r}: unknown term in 'under'", value=term_id)
        states = self.ledger.states()
        jobs: dict[_Job, list[str]] = {}
        for q in queries:
            if q.text is not None and q.text.strip():
                for one in q.types or (None,):
                    jobs.setdefault(_job(q, one), []).append(q.text)
        answers = {job: self._answer(job, texts, states) for job, texts in jobs.items()}
        out = []
        for q in queries:
            lists = (
                [answers[_job(q, t)][q.text] for t in q.types or (None,)]
                if q.text is not None and q.text.strip()
                else []
            )
            found = (self._by_id(q) + self._merge(lists, q))[: q.limit]
            # OpenRefine auto-matches the first candidate only: no match further down
            out.append([s if i == 0 else _no_match(s) for i, s in enumerate(found)])
        return out

    def _answer(
        self, job: _Job, texts: list[str], states: dict[str, ItemState]
    ) -> dict[str, list[Scored]]:
        from harmonize.confidence import AUTO_ACCEPT
        from harmonize.curie import local_curie
        from harmonize.mappings.replay import replay, reviewed_or_auto
        from harmonize.match.values.ground import results_to_mapping_set

        type_id, namespace, limit, under = job
        matcher = self.matcher(type_id)
        top_k = max(limit, _UNDER_POOL) if under else limit
        results = self.ground(list(dict.fromkeys(texts)), type_id, top_k=top_k)
        if under:
            results = [self._keep_under(r, under) for r in results]
        found = results_to_mapping_set(
            results, namespace=namespace, mapping_set_id=MAPPING_SET_ID, unmatched=True
        )
        applied = replay(found, states, index=matcher.index)[0].by_subject()
        chosen = reviewed_or_auto(found, states, AUTO_ACCEPT, index=matcher.index).by_subject()
        out: dict[str, list[Scored]] = {}
        for result in results:
            subject = local_curie(namespace, result.query)
            pick = chosen.get(subject)
            rows = applied.get(subject, [])
            out[result.query] = scored_candidates(result, rows, pick[0] if pick else None, limit)
        return out

    def _keep_under(self, result: MatchResult, under: Sequence[str]) -> MatchResult:
        from dataclasses import replace

        def below(term_id: str) -> bool:
            return any(
                term_id in index.terms and index.is_under(term_id, [u])
                for u in under
                for index in (self.index, *(m.index for m in self._matchers.values()))
                if u in index.terms
            )

        kept = tuple(c for c in result.candidates if below(c.id))
        return replace(result, candidates=kept)

    def _merge(self, lists: list[list[Scored]], q: Query) -> list[Scored]:
        """One list from the candidates of each requested type (a union; with
        ``type_strict: all`` only candidates of every type)."""
        if len(lists) == 1:
            return lists[0]
        best: dict[str, Scored] = {}
        for candidates in lists:
            for s in candidates:
                if s.id not in best or s.score > best[s.id].score:
                    best[s.id] = s
        ordered = sorted(best.values(), key=lambda s: -s.score)
        if q.type_strict == "all":
            wanted = set(q.types)
            ordered = [s for s in ordered if wanted <= {t.id for t in self.types_of(s.id)}]
        return ordered

    def _by_id(self, q: Query) -> list[Scored]:
        """Entities asked for by identifier (1.0 ``matchType: id``), within the types."""
        out = []
        for term_id in q.ids:
            found = self.lookup(term_id)
            if found is None:
                continue
            term = found[0]
            if q.types and not {t.id for t in self.types_of(term.id)} & set(q.types):
                continue
            feature = Feature("id_match", f"the identifier {term_id} names this term", True)
            out.append(Scored(term.id, term.label or term.id, DECIDED_SCORE, False, (feature,)))
        return out


def reconcile_service(
    ontologies: Sequence[str | Path | OntologyIndex],
    *,
    roots: Sequence[str] = (),
    schema: str | Path | SchemaInfo | None = None,
    ledger: str | Path | None = None,
) -> ReconcileService:
    """A reconciliation service over ontology files (or manifest names, or loaded
    indexes), with branch types ``roots``, the coded slots of ``schema`` as types, and the
    decision ledger at ``ledger``. Serve it with :func:`harmonize.reconcile.server.serve`
    or mount :func:`harmonize.reconcile.app.create_app` in any ASGI server."""
    from harmonize.ontology.cache import load_index
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema.view import SchemaInfo, load_schema

    indexes = [o if isinstance(o, OntologyIndex) else load_index(o) for o in ontologies]
    info = schema if isinstance(schema, SchemaInfo) or schema is None else load_schema(schema)
    return ReconcileService(indexes, roots=roots, schema=info, ledger=ledger)


def _no_match(s: Scored) -> Scored:
    return s if not s.match else Scored(s.id, s.name, s.score, False, s.features)


def _job(q: Query, type_id: str | None) -> _Job:
    return (type_id, q.column or DEFAULT_NAMESPACE, q.limit, q.under)


def describe_term(term: Term) -> str | None:
    """A one-line description: obsolete status first, then the definition (shortened)."""
    parts = []
    if term.obsolete:
        repl = ", ".join(term.replaced_by)
        parts.append(f"OBSOLETE{f', replaced by {repl}' if repl else ''}.")
    if term.definition:
        text = " ".join(term.definition.split())
        if len(text) > _DESCRIPTION_CHARS:
            text = text[: _DESCRIPTION_CHARS - 1].rstrip() + "…"
        parts.append(text)
    return " ".join(parts) or None
