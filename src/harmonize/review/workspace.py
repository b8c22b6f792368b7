"""A review workspace: the mapping sets under review, the ledger, the ontology, the table.

The web app holds no logic: every page asks the workspace. The queue is rebuilt from the
ledger on each call, so several browsers (or several servers on one ledger file) always
see each other's decisions.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import Action, ItemState, Reviewer, new_decision
from harmonize.mappings.ledger import ConflictError, Ledger
from harmonize.mappings.model import Mapping, MappingSet
from harmonize.mappings.replay import (
    apply_decisions,
    grouped,
    namespace_of,
    obsolete_proposal,
    replay_states,
)
from harmonize.review.queue import Item, build_items, filter_items, next_item

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema import SchemaInfo

__all__ = ["SearchHit", "TermInfo", "Workspace", "load_workspace"]

_FIELD_SCOPE = {
    "rdfs:label": "label",
    "oboInOwl:hasExactSynonym": "exact synonym",
    "oboInOwl:hasNarrowSynonym": "narrow synonym",
    "oboInOwl:hasBroadSynonym": "broad synonym",
    "oboInOwl:hasRelatedSynonym": "related synonym",
    "skos:prefLabel": "label",
    "skos:altLabel": "synonym",
}


@dataclass(frozen=True, slots=True)
class TermInfo:
    """What the item page shows about a term, from the ontology index."""

    id: str
    label: str | None
    definition: str | None = None
    synonyms: tuple[tuple[str, str], ...] = ()  # (text, scope)
    parents: tuple[tuple[str, str | None], ...] = ()
    children: tuple[tuple[str, str | None], ...] = ()
    more_children: int = 0
    obsolete: bool = False
    replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    label: str | None
    confidence: float | None
    explanation: str
    predicate: str = "skos:exactMatch"


def _ns(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", text).strip("_")


@dataclass
class Workspace:
    """Everything one review session works on (built by :func:`load_workspace`)."""

    mapping_sets: list[tuple[Path | None, MappingSet]]
    ledger: Ledger
    index: OntologyIndex | None = None
    table: Table | None = None
    roots: tuple[str, ...] = ()
    threshold: float = 0.95
    export_dir: Path | None = None
    schema: SchemaInfo | None = None
    _counts: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _unmatched: dict[str, tuple[str, str]] = field(default_factory=dict, init=False, repr=False)
    _samples: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False)
    _sample_column: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _column_of: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _matchers: dict[tuple[str, ...], Any] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _items_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _cache: tuple[tuple[int, int], list[Item]] | None = field(default=None, init=False, repr=False)
    _states: dict[str, ItemState] | None = field(default=None, init=False, repr=False)
    _seen: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.table is not None:
            self._index_table(self.table)

    # -- the partner table ------------------------------------------------------------
    def _index_table(self, table: Table) -> None:
        by_column: dict[str, dict[str, list[int]]] = {}
        for c, name in enumerate(table.columns):
            cells: dict[str, list[int]] = {}
            for r, row in enumerate(table.rows):
                value = row[c].strip() if c < len(row) else ""
                if value:
                    cells.setdefault(value, []).append(r)
            by_column[name] = cells
        ns_to_column = {_ns(c): c for c in table.columns}
        ns_to_column.update({_ns(c).casefold(): c for c in table.columns})
        # harmonize match-columns names value subjects local:value_<column>/...
        ns_to_column.update({_ns(f"value/{c}"): c for c in table.columns})
        covered: dict[str, set[str]] = {}  # table column -> values with candidates
        for _, ms in self.mapping_sets:
            for subject, rows in grouped(ms).items():
                label = (rows[0].subject_label or "").strip()
                ns = namespace_of(subject) or ""
                column = ns_to_column.get(ns) or ns_to_column.get(ns.casefold())
                if column is not None:
                    covered.setdefault(column, set()).add(label)
                hits: list[int] = []
                sample: list[int] | None = None
                if column is not None:
                    hits = by_column[column].get(label, [])
                    self._sample_column[subject] = column
                    self._column_of[subject] = column
                    self._column_of[subject] = column
                elif label in by_column:  # the subject is a column itself
                    cells = by_column[label]
                    hits = sorted({r for rs in cells.values() for r in rs})
                    common = sorted(cells.values(), key=len, reverse=True)[:5]
                    sample = sorted(rs[0] for rs in common)  # five of its distinct values
                    self._sample_column[subject] = label
                else:
                    hits = sorted({r for cells in by_column.values() for r in cells.get(label, [])})
                self._counts[subject] = len(hits)
                self._samples[subject] = sample if sample is not None else hits[:5]
        from harmonize.curie import local_curie

        for column, labels in covered.items():  # values the matcher found nothing for
            for value, hits in by_column[column].items():
                if value not in labels:
                    subject = local_curie(column, value)
                    self._unmatched[subject] = (value, namespace_of(subject) or column)
                    self._counts[subject] = len(hits)
                    self._samples[subject] = hits[:5]
                    self._sample_column[subject] = column
                    self._column_of[subject] = column

    def samples(
        self, subject_id: str
    ) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]], str | None]:
        """(header, [(row number, cells)], column to highlight): up to five table rows
        holding the value (for a column: five of its most frequent distinct values)."""
        if self.table is None:
            return (), [], None
        rows = self._samples.get(subject_id, [])
        return (
            self.table.columns,
            [(r + 2, self.table.rows[r]) for r in rows],  # line 1 is the header
            self._sample_column.get(subject_id),
        )

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
        if self._states is None:
            stamp = self.ledger.stamp()
            self._states = self.ledger.states()
            self._seen = stamp[0]  # rows after this one are re-read next time (idempotent)
        else:
            changed, self._seen = self.ledger.changes_since(self._seen)
            self._states.update(changed)
        return dict(self._states)

    def _build_items(self) -> list[Item]:
        states = self._current_states()
        replayed: dict[str, Any] = {}
        proposals: dict[str, Mapping] = {}
        for _, ms in self.mapping_sets:
            reps = replay_states(ms, states, index=self.index)
            replayed.update(reps)
            if self.index is not None:
                groups = grouped(ms)
                for subject, rep in reps.items():
                    if rep.obsolete and rep.replacement:
                        proposals[subject] = obsolete_proposal(
                            subject, groups[subject], rep, self.index
                        )
        return build_items(
            (ms for _, ms in self.mapping_sets),
            states,
            replayed,
            self._counts,
            proposals,
            self._unmatched,
            previous={i.subject_id: i for i in self._cache[1]} if self._cache else None,
            column_of=self._column_of,
        )

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

    # -- ontology ---------------------------------------------------------------------
    def term(self, term_id: str, *, max_children: int = 12) -> TermInfo | None:
        index = self.index
        term = index.get(term_id) if index is not None else None
        if index is None or term is None:
            return None
        children = sorted(index.children(term_id), key=lambda t: index.label(t) or t)
        return TermInfo(
            id=term.id,
            label=term.label,
            definition=term.definition,
            synonyms=tuple((s.text, s.scope.lower()) for s in term.synonyms),
            parents=tuple((p, index.label(p)) for p in index.parents(term_id)),
            children=tuple((c, index.label(c)) for c in children[:max_children]),
            more_children=max(0, len(children) - max_children),
            obsolete=term.obsolete,
            replaced_by=term.replaced_by,
        )

    def matched_name(self, candidate: Mapping) -> str | None:
        """``'hepatic' (exact synonym)``: the name the candidate matched and its scope."""
        if not candidate.match_string:
            return None
        text = candidate.match_string[0]
        field = candidate.object_match_field[0] if candidate.object_match_field else ""
        scope = _FIELD_SCOPE.get(field)
        if scope is None and self.index is not None:
            term = self.index.get(candidate.object_id)
            if term is not None:
                from harmonize.text.normalize import normalize

                key = normalize(text)
                for name, name_scope, _ in term.names():
                    if normalize(name) == key:
                        scope = (
                            "label" if name_scope == "LABEL" else f"{name_scope.lower()} synonym"
                        )
                        break
        return f"{text!r} ({scope})" if scope else repr(text)

    def warm(self) -> None:
        """Build what the first item page and the first search need (hierarchy graph,
        value matcher, the queue) so a steward never waits on them; safe to run in a
        background thread while the server starts."""
        if self.index is not None:
            _ = self.index.graph
            self._value_matcher()
        self.items()

    def _value_matcher(self, roots: tuple[str, ...] | None = None) -> Any:
        key = self.roots if roots is None else roots
        with self._lock:
            matcher = self._matchers.get(key)
            if matcher is None:
                from harmonize.match.values.matcher import ValueMatcher

                known = tuple(r for r in key if self.index is not None and r in self.index)
                matcher = ValueMatcher(self.index, roots=known)  # type: ignore[arg-type]
                self._matchers[key] = matcher
            return matcher

    def _slot_roots(self) -> dict[str, tuple[str, ...]]:
        """Slot URI / name -> branch roots, for the ontology-bound slots of ``schema``."""
        out: dict[str, tuple[str, ...]] = {}
        if self.schema is None:
            return out
        for _, slot in self.schema.all_slots():
            if slot.binding.roots:
                out.setdefault(slot.uri, slot.binding.roots)
                out.setdefault(slot.name, slot.binding.roots)
        return out

    def item_roots(self, item: Item, items: Sequence[Item] | None = None) -> tuple[str, ...]:
        """The branch a value must come from: its column's slot binding (``--schema``,
        the slot chosen for the column in a column mapping set under review), else
        ``--root``, else none."""
        slot_roots = self._slot_roots()
        if slot_roots:
            column = self._column_of.get(item.subject_id) or item.column
            for other in items if items is not None else self.items():
                if other.label != column or other.subject_id == item.subject_id:
                    continue
                slot = other.state.chosen or (
                    other.candidates[0].object_id if other.candidates else None
                )
                if slot is None:
                    continue
                roots = slot_roots.get(slot) or slot_roots.get(slot.partition(":")[2])
                if roots and self.index is not None:
                    roots = tuple(r for r in roots if r in self.index)
                if roots:
                    return roots
        return self.roots

    def search(self, item: Item, query: str, top_k: int = 10) -> list[SearchHit]:
        """Terms for ``query``, restricted to the slot's branch (:meth:`item_roots`), or
        else to the ontologies of the item's candidates."""
        if self.index is None or not query.strip():
            return []
        roots = self.item_roots(item)
        result = self._value_matcher(roots).match(query.strip(), top_k=top_k * 3)
        prefixes = {m.object_id.partition(":")[0] for m in item.candidates}
        hits = []
        for cand in result.candidates:
            if not roots and prefixes and cand.id.partition(":")[0] not in prefixes:
                continue
            hits.append(
                SearchHit(cand.id, cand.label, cand.confidence, cand.explain(), cand.predicate)
            )
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
    ) -> ItemState:
        """Record one decision; a stale ``version`` raises :class:`ConflictError`.

        ``predicate`` overrides the candidate's mapping predicate (e.g. the steward
        says the term is broader than the value: ``skos:broadMatch``)."""
        from harmonize.mappings.model import PREDICATES

        if predicate and predicate not in PREDICATES:
            raise ReviewError("unknown mapping predicate", value=predicate)
        item = self.item(subject_id)
        decision = self._decision(item, action, who, object_id, comment)
        if predicate and action in {"accept", "replace"}:
            from dataclasses import replace

            decision = replace(decision, predicate_id=predicate)
        return self.ledger.record(decision, expected_version=version)

    def _decision(
        self,
        item: Item,
        action: Action,
        who: Reviewer,
        object_id: str | None,
        comment: str | None,
    ) -> Any:
        cand = next((m for m in item.candidates if m.object_id == object_id), None)
        if cand is None:
            cand = next((m for m in item.rejected if m.object_id == object_id), None)
        label = cand.object_label if cand is not None else None
        predicate = cand.predicate_id if cand is not None else None
        if action in {"accept", "replace", "reject"}:
            if not object_id:
                raise ReviewError(f"{action} needs a term", value=item.subject_id)
            if cand is None:
                term = self.index.get(object_id) if self.index is not None else None
                if term is None:
                    raise ReviewError(
                        "unknown term: not a candidate nor in the ontology", value=object_id
                    )
                roots = self.item_roots(item)
                if roots and not self.index.is_under(object_id, roots):  # type: ignore[union-attr]
                    raise ReviewError("term lies outside the slot's branch", value=object_id)
                label, action = term.label, "replace" if action == "accept" else action
        top = item.candidates[0] if item.candidates else None
        shown_from = cand or top
        return new_decision(
            item.subject_id,
            action,
            who,
            subject_label=item.label,
            object_id=object_id if action != "none" and action != "defer" else None,
            object_label=label if action != "none" and action != "defer" else None,
            predicate_id=predicate,
            comment=comment,
            confidence=shown_from.confidence if shown_from is not None else None,
            evidence=(shown_from.comment or "|".join(shown_from.match_string) or None)
            if shown_from
            else None,
            shown=[m.object_id for m in item.candidates],
            mapping_set_id=item.set_id,
        )

    def bulk_preview(self, threshold: float, **filters: str | None) -> list[Item]:
        """Open items whose best candidate reaches ``threshold`` (what bulk accept does)."""
        return [
            i
            for i in self.filtered(**filters)
            if i.open
            and i.status != "requeued"
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
        items = {i.subject_id: i for i in self.items()}
        batch = []
        for subject_id, object_id, version in selected:
            item = items.get(subject_id)
            if item is None:
                continue
            batch.append((self._decision(item, "accept", who, object_id, comment), version))
        return self.ledger.record_many(batch)

    # -- export -----------------------------------------------------------------------
    def export(self) -> list[Path]:
        """Write the ledger as SSSOM (positive + negative sets) and, for each mapping set
        under review, ``<name>.reviewed.sssom.tsv`` with the decisions applied."""
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

    def counts(self) -> Counter[str]:
        return Counter(i.status for i in self.items())


def load_workspace(
    mappings: Sequence[str | Path],
    ledger: str | Path,
    *,
    ontologies: Sequence[str | Path] = (),
    table: str | Path | None = None,
    roots: Sequence[str] = (),
    threshold: float = 0.95,
    export_dir: str | Path | None = None,
    schema: str | Path | None = None,
) -> Workspace:
    """Read everything a review session needs (one-line errors on bad input)."""
    from harmonize.mappings.sssom_io import read_sssom

    sets: list[tuple[Path | None, MappingSet]] = [(Path(p), read_sssom(p)) for p in mappings]
    index = None
    if ontologies:
        from harmonize.ontology.cache import load_index
        from harmonize.ontology.index import merge_indexes

        index = merge_indexes(load_index(p) for p in ontologies)
        unknown = [r for r in roots if r not in index.terms]
        if unknown:
            raise ReviewError("--root term is not in the loaded ontologies", value=unknown[0])
    elif roots:
        raise ReviewError("--root needs --ontology (the branch is read from the ontology)")
    loaded_table = None
    if table is not None:
        from harmonize.io.tables import read_table

        loaded_table = read_table(table)
    schema_info = None
    if schema is not None:
        from harmonize.schema import load_schema

        schema_info = load_schema(schema)
    return Workspace(
        schema=schema_info,
        mapping_sets=sets,
        ledger=Ledger.open(ledger),
        index=index,
        table=loaded_table,
        roots=tuple(roots),
        threshold=threshold,
        export_dir=Path(export_dir) if export_dir is not None else None,
    )
