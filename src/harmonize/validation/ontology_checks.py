"""Ontology-aware checks SHACL alone cannot make: a coded term must exist in the
ontology, must not be obsolete, and must lie under the slot's roots."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harmonize.validation.report import Issue

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema.view import SchemaInfo, SlotInfo

__all__ = ["HMZ_CHECK", "OntologyChecker"]

HMZ_CHECK = "https://w3id.org/harmonize/model/OntologyTermConstraint"


@dataclass(frozen=True, slots=True)
class _Bound:
    slot: SlotInfo
    class_name: str


class OntologyChecker:
    """Checks (record, predicate, value IRI) triples against the loaded ontologies."""

    def __init__(self, schema: SchemaInfo, indexes: dict[str, OntologyIndex]) -> None:
        from harmonize.schema.shapes import schema_iri

        self.indexes = indexes
        self.by_predicate: dict[str, list[_Bound]] = {}
        for cls, slot in schema.all_slots():
            if slot.binding.kind == "ontology":
                self.by_predicate.setdefault(schema_iri(schema, slot.uri), []).append(
                    _Bound(slot, cls.name)
                )
        self._verdicts: dict[tuple[str, str], str | None] = {}

    def _verdict(self, slot: SlotInfo, curie: str) -> str | None:
        key = (slot.name, curie)
        if key in self._verdicts:
            return self._verdicts[key]
        verdict = self._judge(slot, curie)
        if len(self._verdicts) < 500_000:
            self._verdicts[key] = verdict
        return verdict

    def _judge(self, slot: SlotInfo, curie: str) -> str | None:
        binding = slot.binding
        if curie in {pv.meaning for pv in binding.permissible_values if pv.meaning}:
            return None
        prefix = curie.partition(":")[0]
        if prefix not in {root.partition(":")[0] for root in binding.roots}:
            return None  # another ontology altogether: SHACL's IRI pattern reports it
        index = self.indexes.get(prefix)
        if index is None:
            return None  # no ontology loaded for this prefix: SHACL's pattern still applies
        term = index.get(curie)
        version = index.meta.version or "?"
        if term is None:
            return f"unknown term: {curie} is not in {index.meta.name} {version}"
        if term.obsolete:
            replaced = index.resolve(curie)
            hint = f"; replaced by {replaced}" if replaced and replaced != curie else ""
            named = f" ({term.label})" if term.label else ""
            return f"obsolete term: {curie}{named} is obsolete in {index.meta.name} {version}{hint}"
        roots = binding.roots
        if curie in roots and not binding.include_self:
            return f"too general: {curie} ({term.label}) is the root of {slot.range}, use a term below it"
        if not index.is_under(curie, roots):
            names = ", ".join(f"{r} ({index.label(r) or '?'})" for r in roots)
            return f"out of branch: {curie} ({term.label}) is not under {names}"
        return None

    def check(
        self, triples: Iterable[tuple[str, str, str]], classes: dict[str, str]
    ) -> list[Issue]:
        """Issues for ``(subject, predicate, object IRI)``; ``classes`` = subject -> class."""
        from harmonize.curie import compress

        issues: list[Issue] = []
        for subject, predicate, obj in triples:
            bound = self.by_predicate.get(predicate)
            if not bound:
                continue
            curie = compress(obj, strict=False)
            if curie is None:
                continue
            cls_name = classes.get(subject)
            chosen = next((b for b in bound if b.class_name == cls_name), bound[0])
            verdict = self._verdict(chosen.slot, curie)
            if verdict is not None:
                issues.append(
                    Issue(
                        record=subject,
                        record_class=cls_name,
                        slot=chosen.slot.name,
                        value=curie,
                        message=verdict,
                        constraint=HMZ_CHECK,
                    )
                )
        return issues
