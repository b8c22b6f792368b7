"""One partner cell -> what it becomes in each slot its column fills (pure; cached).

A column's distinct values repeat across a table, so each ``(column, value)`` is coded
once: a literal of the slot's datatype (or the problem with it), the coded term with its
provenance node, a link to another record, or the reason no mapping codes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from harmonize.conversion.literals import parse_literal, split_number_unit
from harmonize.conversion.plan import ConversionPlan, SetRef, ValueCode
from harmonize.conversion.terms import RDF_TYPE, XSD, TermCache, legacy_repr
from harmonize.conversion.vocab import HMZ, PROV, set_iri, slug
from harmonize.schema.shapes import schema_iri
from harmonize.text.values import is_missing, value_key

if TYPE_CHECKING:
    import pyoxigraph as ox

    from harmonize.schema.view import SchemaInfo, SlotInfo

__all__ = ["Cell", "CellCoder", "CellKind"]

CellKind = Literal["link", "literal", "coded", "unmapped"]
#: Distinct values remembered per column; identifiers (all distinct) stop filling it.
_PER_COLUMN = 20_000


@dataclass(frozen=True, slots=True, eq=False)
class Cell:
    """A cell's value in one slot (built once per distinct column value)."""

    cls: str
    slot: SlotInfo
    predicate: ox.NamedNode
    column: str
    raw: str
    kind: CellKind
    term: ox.NamedNode | ox.Literal | None = None
    problem: str | None = None  # invalid literal, or why the value is unmapped
    unit: str | None = None  # a unit written inside the value ("6 months")
    coding: tuple[str, tuple[str, ...]] | None = None  # its node's IRI and N-Triples lines
    unmapped_node: str = ""  # appended to the record IRI: the node an unmapped value gets
    tails: tuple[str, ...] = ()  # " <p> <o> .\n" of the record's lines (after the subject)


class CellCoder:
    """Codes cells under one plan; every distinct result is built once."""

    def __init__(self, plan: ConversionPlan, terms: TermCache, base: str) -> None:
        self.plan = plan
        self.schema: SchemaInfo = plan.schema
        self.terms = terms
        self.base = base
        self._schema_ref = SetRef(id=self.schema.id, version=self.schema.version)
        self._caches: list[dict[str, tuple[Cell, ...]]] = [{} for _ in plan.columns]
        self._units: dict[tuple[str, str, str], Cell | None] = {}
        self._value_coding = terms.iri(HMZ + "valueCoding")
        # a value decided for one column also codes it in another column only when both
        # are bound to the same enum (same vocabulary): namespaces allowed per enum
        self._namespaces: dict[str, set[str | None]] = {}
        for col in plan.columns:
            for target in col.targets:
                vocab = target.slot.binding.enum_name or target.slot.range
                self._namespaces.setdefault(vocab, {None}).update({col.column, target.slot.name})

    def iri(self, curie_or_iri: str) -> ox.NamedNode:
        return self.terms.iri(schema_iri(self.schema, curie_or_iri))

    def record_iri(self, cls_name: str, ident: str) -> str:
        return f"{self.base}{cls_name.lower()}/{slug(ident)}"

    def cells(self, position: int, raw: str) -> tuple[Cell, ...]:
        """The cells of column ``position`` (in plan order) holding ``raw``; () if missing."""
        cache = self._caches[position]
        found = cache.get(raw)
        if found is None:
            found = self._make(position, raw)
            if len(cache) < _PER_COLUMN:
                cache[raw] = found
        return found

    def unit_cell(self, cls_name: str, slot: SlotInfo, word: str) -> Cell | None:
        """The unit slot's coded term for ``word`` ("months"), or None when not an enum value."""
        key = (cls_name, slot.name, word)
        if key not in self._units:
            term = self._enum_direct(slot, value_key(word))
            self._units[key] = (
                None
                if term is None
                else self._cell(cls_name, slot, "", word, "coded", term, source=self._schema_ref)
            )
        return self._units[key]

    # -- building ---------------------------------------------------------------------
    def _make(self, position: int, raw: str) -> tuple[Cell, ...]:
        if is_missing(raw):
            return ()
        col = self.plan.columns[position]
        return tuple(self._target(col.column, t.cls.name, t.slot, raw) for t in col.targets)

    def _target(self, column: str, cls_name: str, slot: SlotInfo, raw: str) -> Cell:
        kind = slot.binding.kind
        if kind == "class":
            record = self.terms.iri(self.record_iri(slot.range, raw.strip()))
            return self._cell(cls_name, slot, column, raw, "link", record)
        if kind == "literal":
            return self._literal_cell(column, cls_name, slot, raw)
        coded = self._code(column, slot, raw)
        if isinstance(coded, str):
            node = f"/unmapped/{slot.name}/{slug(raw)[:60]}"
            lit = self.terms.literal
            tails = (
                f" <{HMZ}slot> {self.iri(slot.uri)} .\n",
                f" <{HMZ}sourceValue> {lit(raw)} .\n",
                f" <{HMZ}sourceColumn> {lit(column)} .\n",
            )
            return Cell(cls_name, slot, self.iri(slot.uri), column, raw, "unmapped", None, coded, unmapped_node=node, tails=tails)  # fmt: skip
        term, code, source = coded
        return self._cell(cls_name, slot, column, raw, "coded", term, source=source, code=code)

    def _cell(
        self,
        cls_name: str,
        slot: SlotInfo,
        column: str,
        raw: str,
        kind: CellKind,
        term: ox.NamedNode | ox.Literal | None,
        *,
        problem: str | None = None,
        unit: str | None = None,
        source: SetRef | None = None,
        code: ValueCode | None = None,
    ) -> Cell:
        predicate = self.iri(slot.uri)
        coding = None
        tails: tuple[str, ...] = ()
        if term is not None:
            tails = (f" {predicate} {term} .\n",)
        if source is not None and term is not None:
            coding = self._coding(slot, predicate, column, raw, term, source, code)
            tails += (f" {self._value_coding} <{coding[0]}> .\n",)
        return Cell(cls_name, slot, predicate, column, raw, kind, term, problem, unit, coding, "", tails)  # fmt: skip

    def _literal_cell(self, column: str, cls_name: str, slot: SlotInfo, raw: str) -> Cell:
        text, unit = raw, None
        cls = self.schema.classes[cls_name]
        if slot.unit is not None and cls.slot(f"{slot.name}_unit") is not None:
            split = split_number_unit(raw)
            if split is not None:
                text, unit = split
        lexical, datatype, problem = self._literal(slot, text)
        term = self.terms.literal(lexical, datatype)
        return self._cell(cls_name, slot, column, raw, "literal", term, problem=problem, unit=unit)

    def _literal(self, slot: SlotInfo, raw: str) -> tuple[str, str | None, str | None]:
        """(lexical form, datatype IRI, problem) - on a problem the raw text as a string."""
        datatype = slot.binding.datatype or "xsd:string"
        try:
            lexical = parse_literal(raw, datatype)
        except ValueError as exc:
            return raw.strip(), None, f"{exc} ({datatype} expected)"
        dt_iri = XSD + datatype.partition(":")[2]
        if slot.pattern and not re.search(slot.pattern, lexical):
            return lexical, dt_iri, f"does not match the pattern {slot.pattern}"
        if slot.minimum is not None or slot.maximum is not None:
            number = float(lexical)
            if slot.minimum is not None and number < slot.minimum:
                return lexical, dt_iri, f"is below the minimum {slot.minimum:g}"
            if slot.maximum is not None and number > slot.maximum:
                return lexical, dt_iri, f"is above the maximum {slot.maximum:g}"
        return lexical, dt_iri, None

    # -- value coding ---------------------------------------------------------------
    def _admissible(self, slot: SlotInfo, curie: str) -> bool:
        binding = slot.binding
        meanings = {pv.meaning for pv in binding.permissible_values if pv.meaning}
        if curie in meanings:
            return True
        if binding.kind == "ontology":
            prefixes = {root.partition(":")[0] for root in binding.roots}
            return curie.partition(":")[0] in prefixes
        return any(pv.text == curie for pv in binding.permissible_values)

    def _term_for(self, slot: SlotInfo, curie: str) -> ox.NamedNode | ox.Literal:
        for pv in slot.binding.permissible_values:
            if pv.text == curie and not pv.meaning:
                return self.terms.literal(pv.text)
        return self.iri(curie)

    def _enum_direct(self, slot: SlotInfo, key: str) -> ox.NamedNode | ox.Literal | None:
        for pv in slot.binding.permissible_values:
            names = (pv.text, pv.title or "", *pv.aliases, pv.meaning or "")
            if any(value_key(n) == key for n in names if n):
                return self.iri(pv.meaning) if pv.meaning else self.terms.literal(pv.text)
        return None

    def _code(
        self, column: str, slot: SlotInfo, raw: str
    ) -> tuple[ox.NamedNode | ox.Literal, ValueCode | None, SetRef | None] | str:
        """(term, the mapping row, the set behind it) for ``raw``, or why there is none."""
        key = value_key(raw)
        allowed = self._namespaces.get(slot.binding.enum_name or slot.range, {None})
        codes = [
            c
            for c in self.plan.values.get(key, ())
            if c.namespace in allowed and self._admissible(slot, c.term)
        ]
        if codes:
            preferred = [c for c in codes if c.namespace in {column, slot.name}] or codes
            best = max(preferred, key=lambda c: c.confidence or 0.0)
            return self._term_for(slot, best.term), best, best.mapping
        direct = self._enum_direct(slot, key)
        if direct is not None:
            return direct, None, self._schema_ref
        text = raw.strip()
        if "://" in text or re.match(r"^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_.-]+$", text):
            from harmonize.curie import compress

            curie = compress(text, strict=False) if "://" in text else text
            if curie is not None and self._admissible(slot, curie):
                return self.iri(curie), None, None
        vocab = slot.binding.enum_name or slot.range
        return f"no reviewed or auto-accepted mapping codes this value for {slot.name} ({vocab})"

    def _coding(
        self,
        slot: SlotInfo,
        predicate: ox.NamedNode,
        column: str,
        raw: str,
        term: ox.NamedNode | ox.Literal,
        source: SetRef,
        code: ValueCode | None,
    ) -> tuple[str, tuple[str, ...]]:
        """The provenance node of a coded value: one per distinct (column, value, slot,
        term, mapping set), shared by every record coded the same way."""
        key = (column, raw, predicate.value, legacy_repr(term), source.id)
        digest = hashlib.sha1("\x00".join(key).encode()).hexdigest()[:16]
        node = self.terms.iri(f"{self.base}coding/{slot.name}/{digest}")
        iri, lit = self.terms.iri, self.terms.literal
        pairs: list[tuple[str, ox.NamedNode | ox.Literal]] = [
            (RDF_TYPE, iri(HMZ + "ValueCoding")),
            (HMZ + "slot", predicate),
            (HMZ + "sourceValue", lit(raw)),
            (HMZ + "codedAs", term),
            (PROV + "wasDerivedFrom", iri(set_iri(source))),
        ]
        if column:
            pairs.append((HMZ + "sourceColumn", lit(column)))
        if code is not None and code.confidence is not None:
            pairs.append((HMZ + "confidence", lit(f"{code.confidence:.4f}", XSD + "decimal")))
        return node.value, tuple(f"{node} <{p}> {o} .\n" for p, o in pairs)
