"""A review workspace: the mapping sets under review, the ledger, the ontology, the table.

The web app holds no logic: every page asks the workspace. The queue is rebuilt from the
ledger whenever it changed, so several browsers (or several servers on one ledger file)
always see each other's decisions.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import Action, ItemState, Reviewer
from harmonize.mappings.ledger import ConflictError, Ledger
from harmonize.mappings.model import Mapping, MappingSet
from harmonize.mappings.replay_match import (
    DecisionIndex,
    grouped,
    replay_states,
    similar_decisions,
    subjects_of,
)
from harmonize.mappings.replay_rows import obsolete_proposal
from harmonize.review.build import Inputs, build_items, unmatched_subjects
from harmonize.review.queue import Item, filter_items, next_item
from harmonize.review.table_index import TableIndex, index_table
from harmonize.review.terms import FoundTerm, TermInfo

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema import SchemaInfo

__all__ = ["Workspace", "load_workspace"]


@dataclass
class Workspace:
    """Everything one review session works on (built by :func:`load_workspace`)."""

    mapping_sets: list[tuple[Path | None, MappingSet]]
    ledger: Ledger
    index: OntologyIndex | None = None
    table: Table | None = None
    roots: tuple[str, ...] = ()
    threshold: float | None = None  # None: the auto-accept threshold
    export_dir: Path | None = None
    schema: SchemaInfo | None = None
    _table: TableIndex = field(default_factory=TableIndex, init=False, repr=False)
    _search: dict[tuple[str, ...], tuple[Any, Any]] = field(
        default_factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _items_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _cache: tuple[tuple[int, int], list[Item]] | None = field(default=None, init=False, repr=False)
    _states: dict[str, ItemState] | None = field(default=None, init=False, repr=False)
    _decisions: DecisionIndex | None = field(default=None, init=False, repr=False)
    _subjects: list[tuple[str, str, frozenset[str]]] = field(
        default_factory=list, init=False, repr=False
    )
    _seen: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.threshold is None:
            from harmonize.mappings.reviewed import default_threshold

            self.threshold = default_threshold()
        if self.table is not None:
            self._table = index_table(self.table, (ms for _, ms in self.mapping_sets))
        self._subjects = list(unmatched_subjects(self._table))
        for _, ms in self.mapping_sets:
            self._subjects.extend(subjects_of(ms))

    @property
    def cut(self) -> float:
        """The auto-accept threshold of this session."""
        assert self.threshold is not None
        return self.threshold

    def samples(
        self, subject_id: str
    ) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]], str | None]:
        """(header, [(row number, cells)], column under review): up to five table rows
        holding the value (for a column: five of its most frequent distinct values). The
        column under review comes first, so it is always in view."""
        if self.table is None:
            return (), [], None
        rows = self._table.samples.get(subject_id, [])
        column = self._table.sample_column.get(subject_id)
        order = list(range(len(self.table.columns)))
        if column in self.table.columns:
            first = self.table.columns.index(column)
            order = [first, *(c for c in order if c != first)]
        header = tuple(self.table.columns[c] for c in order)
        cells = [
            (r + 2, tuple(row[c] if c < len(row) else "" for c in order))  # line 1: header
            for r in rows
            for row in (self.table.rows[r],)
        ]
        return header, cells, column

    # -- the queue --------------------------------------------------------------------
    def items(self) -> list[Item]:
        """Every item, in queue order, with the ledger's current state (rebuilt only when
        the ledger changed, whoever wrote to it)."""
        with self._items_lock:  # the warm-up thread may be building it too
            stamp = self.ledger.stamp()
            cached = self._cache
            if cached is not None and cached[0] == stamp:
                return cached[1]
            items = self._build_items()
            if self.ledger.stamp() == stamp:  # nobody wrote while we built
                self._cache = (stamp, items)
            return items

    def _current_states(self) -> dict[str, ItemState]:
        """The ledger's states, read whole once, then only what changed since."""
        if self._states is None or self._decisions is None:
            stamp = self.ledger.stamp()
            self._states = self.ledger.states()
            self._decisions = DecisionIndex(self._states)
            self._seen = stamp[0]  # rows after this one are re-read next time (idempotent)
        else:
            changed, self._seen = self.ledger.changes_since(self._seen)
            self._states.update(changed)
            self._decisions.update(changed)
        return dict(self._states)

    def _build_items(self) -> list[Item]:
        states = self._current_states()
        decisions = self._decisions
        inputs = Inputs(self.mapping_sets, states, {}, self.cut, self._table)
        replayed: dict[str, Any] = {}
        proposals: dict[str, Mapping] = {}
        for _, ms in self.mapping_sets:
            reps = replay_states(ms, decisions, index=self.index)
            replayed.update(reps)
            if self.index is not None:
                groups = grouped(ms)
                for subject, rep in reps.items():
                    if rep.obsolete and rep.replacement:
                        proposals[subject] = obsolete_proposal(
                            subject, groups[subject], rep, self.index
                        )
        inputs.replayed, inputs.proposals = replayed, proposals
        inputs.similar = similar_decisions(self._subjects, decisions, skip=replayed)
        inputs.previous = {i.subject_id: i for i in self._cache[1]} if self._cache else {}
        return build_items(inputs)

    def filtered(self, **filters: str | None) -> list[Item]:
        return filter_items(self.items(), **filters)

    def item(self, subject_id: str, items: Sequence[Item] | None = None) -> Item:
        for item in items if items is not None else self.items():
            if item.subject_id == subject_id:
                return item
        raise ReviewError("no such item in the mapping sets under review", value=subject_id)

    def next_open(self, after: str | None, **filters: str | None) -> Item | None:
        return next_item(self.filtered(**filters), after)

    def columns(self) -> list[str]:
        return sorted({i.column for i in self.items()})

    def counts(self) -> Counter[str]:
        return Counter(i.status for i in self.items())

    # -- ontology ---------------------------------------------------------------------
    def term(self, term_id: str) -> TermInfo | None:
        from harmonize.review.terms import term_info

        return term_info(self.index, term_id) if self.index is not None else None

    def matched_name(self, candidate: Mapping) -> str | None:
        from harmonize.review.terms import matched_name

        return matched_name(candidate, self.index)

    def warm(self) -> None:
        """Build what the first item page and the first search need (hierarchy graph,
        value matcher, the queue) so a steward never waits on them; safe to run in a
        background thread while the server starts."""
        items = self.items()
        if self.index is None:
            return
        _ = self.index.graph
        self._searchers(self.roots)
        first = {i.column: i for i in reversed(items) if i.kind == "value"}  # one per column
        for roots in list(dict.fromkeys(self.item_roots(i, items) for i in first.values()))[:12]:
            if roots:
                self._searchers(roots)

    def _searchers(self, roots: tuple[str, ...], prefixes: tuple[str, ...] = ()) -> tuple[Any, Any]:
        """(value matcher, word index) for a branch (or for some ontologies' terms)."""
        key = (*roots, "|", *prefixes)
        with self._lock:
            found = self._search.get(key)
            if found is None:
                from harmonize.match.values.matcher import ValueMatcher
                from harmonize.review.terms import WordIndex

                assert self.index is not None
                known = tuple(r for r in roots if r in self.index)
                pool = (
                    self.index.branch(known)
                    if known
                    else [
                        t.id
                        for t in self.index
                        if not prefixes or t.id.partition(":")[0] in prefixes
                    ]
                )
                found = (ValueMatcher(self.index, roots=known), WordIndex(self.index, pool))
                self._search[key] = found
            return found

    def item_roots(self, item: Item, items: Sequence[Item] | None = None) -> tuple[str, ...]:
        """The branch a value must come from: its column's slot binding (``--schema``,
        the slot chosen for the column in a column mapping set under review), else
        ``--root``, else none."""
        from harmonize.review.branches import slot_roots_for

        found = slot_roots_for(self, item, items if items is not None else self.items())
        return found if found else self.roots

    def search(self, item: Item, query: str, top_k: int = 20) -> list[FoundTerm]:
        """Terms for ``query`` in the slot's branch (:meth:`item_roots`), or else in the
        ontologies of the item's candidates."""
        if self.index is None or not query.strip():
            return []
        from harmonize.review.terms import search_terms

        roots = self.item_roots(item)
        prefixes = (
            () if roots else tuple(sorted({m.object_id.partition(":")[0] for m in item.ranked}))
        )
        matcher, words = self._searchers(roots, prefixes)
        hits = search_terms(matcher, words, self.index, query, top_k=top_k * 2)
        if prefixes:
            hits = [h for h in hits if h.id.partition(":")[0] in prefixes]
        return hits[:top_k]

    # -- decisions --------------------------------------------------------------------
    def decide(
        self,
        subject_id: str,
        action: Action,
        who: Reviewer,
        *,
        version: int | None,
        object_id: str | None = None,
        comment: str | None = None,
        predicate: str | None = None,
        also: Sequence[str] = (),
        assignee: Reviewer | None = None,
    ) -> ItemState:
        """Record one decision; a stale ``version`` raises :class:`ConflictError`.

        ``predicate`` overrides the candidate's mapping predicate (e.g. the steward
        says the term is broader than the value: ``skos:broadMatch``); ``also`` names
        more terms the value maps to; ``assignee`` is who an ``assign`` hands it to."""
        from harmonize.review.deciding import decision_for

        item = self.item(subject_id)
        decision = decision_for(
            self, item, action, who, object_id=object_id, comment=comment,
            predicate=predicate, also=also, assignee=assignee,
        )  # fmt: skip
        return self.ledger.record(decision, expected_version=version)

    def bulk_preview(self, threshold: float, **filters: str | None) -> list[Item]:
        """Items bulk accept would accept at ``threshold``: open or auto-accepted, nobody
        decided, the best candidate reaching it, and no hedging word in the value."""
        return [
            i
            for i in self.filtered(**filters)
            if i.status in {"pending", "auto"}
            and i.hedge is None
            and i.top_confidence is not None
            and i.top_confidence >= threshold
        ]

    def bulk_accept(
        self,
        selected: Sequence[tuple[str, str, int]],
        who: Reviewer,
        *,
        comment: str | None = None,
    ) -> tuple[list[ItemState], list[ConflictError]]:
        """Accept ``(subject_id, object_id, version seen)`` triples in one transaction."""
        from harmonize.review.deciding import decision_for

        items = {i.subject_id: i for i in self.items()}
        batch = []
        for subject_id, object_id, version in selected:
            item = items.get(subject_id)
            if item is None:
                raise ReviewError("no such item in the mapping sets under review", value=subject_id)
            decision = decision_for(self, item, "accept", who, object_id=object_id, comment=comment)
            batch.append((decision, version))
        return self.ledger.record_many(batch)

    # -- export -----------------------------------------------------------------------
    def export(self) -> list[Path]:
        """Write the ledger as SSSOM (positive + negative sets) and, for each mapping set
        under review, ``<name>.reviewed.sssom.tsv`` with the decisions applied."""
        from harmonize.mappings.replay import apply_decisions
        from harmonize.mappings.sssom_io import write_sssom

        folder = self.export_dir or self.ledger.path.parent
        written = list(self.ledger.export_sssom(folder))
        states = self.ledger.states()
        for path, ms in self.mapping_sets:
            stem = path.name if path is not None else ms.mapping_set_id.rsplit("/", 1)[-1]
            for suffix in (".sssom.tsv", ".tsv"):
                if stem.endswith(suffix):
                    stem = stem[: -len(suffix)]
                    break
            reviewed = apply_decisions(ms, states, index=self.index)
            written.append(write_sssom(reviewed, folder / f"{stem}.reviewed.sssom.tsv"))
        return written


def load_workspace(
    mappings: Sequence[str | Path],
    ledger: str | Path,
    *,
    ontologies: Sequence[str | Path] = (),
    table: str | Path | None = None,
    roots: Sequence[str] = (),
    threshold: float | None = None,
    export_dir: str | Path | None = None,
    schema: str | Path | None = None,
) -> Workspace:
    """Read everything a review session needs (one-line errors on bad input)."""
    from harmonize.mappings.reviewed import default_threshold
    from harmonize.mappings.sssom_io import read_sssom

    sets: list[tuple[Path | None, MappingSet]] = [(Path(p), read_sssom(p)) for p in mappings]
    index = None
    if ontologies:
        from harmonize.ontology.cache import load_index
        from harmonize.ontology.index import merge_indexes

        index = merge_indexes(load_index(p) for p in ontologies)
        unknown = [r for r in roots if r not in index.terms]
        if unknown:
            raise ReviewError(
                "branch root is not a term of the loaded ontologies", value=unknown[0]
            )
    elif roots:
        raise ReviewError("a branch root needs an ontology to read the branch from")
    loaded_table = None
    if table is not None:
        from harmonize.io.tables import read_table

        loaded_table = read_table(table)
    schema_info = None
    if schema is not None:
        from harmonize.schema import load_schema

        schema_info = load_schema(schema)
    return Workspace(
        mapping_sets=sets,
        ledger=Ledger.open(ledger),
        index=index,
        table=loaded_table,
        roots=tuple(roots),
        threshold=default_threshold() if threshold is None else threshold,
        export_dir=Path(export_dir) if export_dir is not None else None,
        schema=schema_info,
    )
