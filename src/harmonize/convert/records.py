"""One partner row -> the RDF triples of its model records (pure; no file I/O).

A row can hold several records (a donor, the biosample taken from it, the run made
from it, the dataset): every class that receives a value gets a record, identified by
its identifier slot (or by the row when the table has no identifier column). Records
of one row are linked through the schema's class-ranged slots (``Biosample.donor``...).

Every record carries PROV-O provenance: ``prov:wasDerivedFrom`` the source row (with
its number and file), ``prov:wasGeneratedBy`` the conversion activity, and one
``hmz:ValueCoding`` node per coded value naming the mapping set (and version) that
produced it. Values no mapping covers become ``hmz:unmappedValue`` nodes, or reject
the row, per the ``on_unmapped`` policy; values of the wrong datatype, pattern or
range are kept as plain strings (SHACL then flags them), reject the row or stop the
conversion, per ``on_invalid``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from harmonize.convert.literals import parse_literal, split_number_unit
from harmonize.convert.plan import ConversionPlan, SetRef, SlotTarget, ValueCode
from harmonize.convert.terms import RDF_TYPE, Iri, Lit, Term, Triple
from harmonize.errors import ConversionError
from harmonize.schema.shapes import schema_iri
from harmonize.schema.view import ClassInfo, SchemaInfo, SlotInfo
from harmonize.text.cells import is_missing, value_key

__all__ = [
    "DEFAULT_BASE",
    "HMZ",
    "PROV",
    "Policy",
    "Problem",
    "RowConverter",
    "RowOutcome",
    "SourceInfo",
    "set_iri",
]

HMZ = "https://w3id.org/harmonize/model/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_BASE = "https://w3id.org/harmonize/data/"

Policy = Literal["keep", "reject", "fail"]
_DISTINCT_PROBLEMS = 10_000
_CODINGS_LIMIT = 200_000  # distinct (column, value) problems counted per conversion
ProblemKind = Literal["unmapped", "invalid"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The partner file a conversion reads (checksum = SHA-256 of its bytes)."""

    path: str
    sha256: str

    @property
    def iri(self) -> str:
        return f"urn:sha256:{self.sha256}"

    def row_iri(self, row: int) -> str:
        return f"{self.iri}#row={row}"


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    slot: str
    value: str
    kind: ProblemKind
    message: str


@dataclass(slots=True)
class RowOutcome:
    triples: list[Triple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False
    coded: int = 0


@dataclass(frozen=True, slots=True)
class _Coded:
    term: Term
    code: ValueCode | None  # None: the schema's own enum value or a CURIE in the cell
    source: SetRef | None


def _slug(text: str) -> str:
    return quote(text.strip(), safe="-._~")


class RowConverter:
    """Converts rows under one plan; caches how each distinct cell value is coded."""

    def __init__(
        self,
        plan: ConversionPlan,
        source: SourceInfo,
        activity: str,
        *,
        base: str = DEFAULT_BASE,
        on_unmapped: Policy = "keep",
        on_invalid: Policy = "keep",
    ) -> None:
        self.plan = plan
        self.schema: SchemaInfo = plan.schema
        self.source = source
        self.activity = activity
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.on_unmapped = on_unmapped
        self.on_invalid = on_invalid
        self._cache: dict[tuple[str, str, str], _Coded | str] = {}
        self._codings: dict[tuple[str, str, str, str, str], str] = {}
        self._slot_iri: dict[str, str] = {}
        self._class_iri = {
            c.name: schema_iri(self.schema, c.uri) for c in self.schema.classes.values()
        }
        self.problem_counts: Counter[tuple[str, str, ProblemKind]] = Counter()
        self._schema_ref = SetRef(id=self.schema.id, version=self.schema.version)
        # a value decided for one column also codes it in another column only when both
        # are bound to the same enum (same vocabulary): namespaces allowed per enum
        self._namespaces: dict[str, set[str | None]] = {}
        for col in plan.columns:
            for target in col.targets:
                vocab = target.slot.binding.enum_name or target.slot.range
                self._namespaces.setdefault(vocab, {None}).update({col.column, target.slot.name})

    # -- naming ---------------------------------------------------------------
    def slot_iri(self, slot: SlotInfo) -> str:
        iri = self._slot_iri.get(slot.uri)
        if iri is None:
            iri = self._slot_iri[slot.uri] = schema_iri(self.schema, slot.uri)
        return iri

    def record_iri(self, cls_name: str, ident: str) -> str:
        return f"{self.base}{cls_name.lower()}/{_slug(ident)}"

    # -- value coding -----------------------------------------------------------
    def _admissible(self, slot: SlotInfo, curie: str) -> bool:
        binding = slot.binding
        meanings = {pv.meaning for pv in binding.permissible_values if pv.meaning}
        if curie in meanings:
            return True
        if binding.kind == "ontology":
            prefixes = {root.partition(":")[0] for root in binding.roots}
            return curie.partition(":")[0] in prefixes
        return any(pv.text == curie for pv in binding.permissible_values)

    def _term_for(self, slot: SlotInfo, curie: str) -> Term:
        for pv in slot.binding.permissible_values:
            if pv.text == curie and not pv.meaning:
                return Lit(pv.text)
        return Iri(schema_iri(self.schema, curie))

    def _enum_direct(self, slot: SlotInfo, key: str) -> Term | None:
        for pv in slot.binding.permissible_values:
            names = (pv.text, pv.title or "", *pv.aliases, pv.meaning or "")
            if any(value_key(n) == key for n in names if n):
                return Iri(schema_iri(self.schema, pv.meaning)) if pv.meaning else Lit(pv.text)
        return None

    def _code(self, column: str, slot: SlotInfo, raw: str) -> _Coded | str:
        """The coded term for ``raw`` in ``slot``, or a reason why there is none."""
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
            return _Coded(self._term_for(slot, best.term), best, best.mapping)
        direct = self._enum_direct(slot, key)
        if direct is not None:
            return _Coded(direct, None, self._schema_ref)
        text = raw.strip()
        if "://" in text or re.match(r"^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_.-]+$", text):
            from harmonize.curie import compress

            curie = compress(text, strict=False) if "://" in text else text
            if curie is not None and self._admissible(slot, curie):
                return _Coded(Iri(schema_iri(self.schema, curie)), None, None)
        vocab = slot.binding.enum_name or slot.range
        return f"no reviewed or auto-accepted mapping codes this value for {slot.name} ({vocab})"

    def _literal(self, slot: SlotInfo, raw: str) -> tuple[Lit, str | None]:
        """(literal, problem) - on a problem the literal is the raw text as a string."""
        datatype = slot.binding.datatype or "xsd:string"
        try:
            lexical = parse_literal(raw, datatype)
        except ValueError as exc:
            return Lit(raw.strip()), f"{exc} ({datatype} expected)"
        dt_iri = XSD + datatype.partition(":")[2]
        if slot.pattern and not re.search(slot.pattern, lexical):
            return Lit(lexical, dt_iri), f"does not match the pattern {slot.pattern}"
        if slot.minimum is not None or slot.maximum is not None:
            number = float(lexical)
            if slot.minimum is not None and number < slot.minimum:
                return Lit(lexical, dt_iri), f"is below the minimum {slot.minimum:g}"
            if slot.maximum is not None and number > slot.maximum:
                return Lit(lexical, dt_iri), f"is above the maximum {slot.maximum:g}"
        return Lit(lexical, dt_iri), None

    # -- rows -----------------------------------------------------------------
    def _problem(
        self,
        out: RowOutcome,
        row: int,
        column: str,
        slot: SlotInfo,
        raw: str,
        kind: ProblemKind,
        msg: str,
    ) -> bool:
        """Record a problem; True when the value should still be kept."""
        policy = self.on_unmapped if kind == "unmapped" else self.on_invalid
        if policy == "fail":
            raise ConversionError(
                f"{slot.name}: {raw!r} {msg}" if kind == "invalid" else f"{slot.name}: {msg}",
                path=self.source.path,
                row=row,
                column=column,
                value=raw if kind == "unmapped" else None,
            )
        out.problems.append(Problem(row, column, slot.name, raw, kind, msg))
        key = (column, raw, kind)
        if key in self.problem_counts or len(self.problem_counts) < _DISTINCT_PROBLEMS:
            self.problem_counts[key] += 1  # bounded: a million distinct bad ids stay cheap
        if policy == "reject":
            out.rejected = True
            return False
        return True

    def convert(self, row: int, cells: list[str]) -> RowOutcome:
        """The triples of row number ``row`` (1 = first data row)."""
        out = RowOutcome()
        values: dict[str, dict[str, list[tuple[Term, _Coded | None, str, str]]]] = {}
        unmapped: dict[str, list[tuple[SlotInfo, str, str]]] = {}
        unit_words: dict[str, dict[str, str]] = {}
        for col in self.plan.columns:
            raw = cells[col.index] if col.index < len(cells) else ""
            if is_missing(raw):
                continue
            for target in col.targets:
                self._convert_cell(out, row, col.column, target, raw, values, unmapped, unit_words)
        if out.rejected:
            return RowOutcome(problems=out.problems, rejected=True)
        self._emit(out, row, values, unmapped, unit_words)
        return out

    def _convert_cell(
        self,
        out: RowOutcome,
        row: int,
        column: str,
        target: SlotTarget,
        raw: str,
        values: dict[str, dict[str, list[tuple[Term, _Coded | None, str, str]]]],
        unmapped: dict[str, list[tuple[SlotInfo, str, str]]],
        unit_words: dict[str, dict[str, str]],
    ) -> None:
        cls, slot = target.cls, target.slot
        bucket = values.setdefault(cls.name, {})
        kind = slot.binding.kind
        if kind == "class":
            ident = raw.strip()
            bucket.setdefault(slot.name, []).append(
                (Iri(self.record_iri(slot.range, ident)), None, column, raw)
            )
            return
        if kind == "literal":
            text = raw
            if slot.unit is not None and cls.slot(f"{slot.name}_unit") is not None:
                split = split_number_unit(raw)
                if split is not None:
                    text, unit = split
                    if unit:
                        unit_words.setdefault(cls.name, {})[f"{slot.name}_unit"] = unit
            lit, problem = self._literal(slot, text)
            if problem is not None and not self._problem(
                out, row, column, slot, raw, "invalid", problem
            ):
                return
            bucket.setdefault(slot.name, []).append((lit, None, column, raw))
            return
        cache_key = (column, slot.name, raw)
        coded = self._cache.get(cache_key)
        if coded is None:
            coded = self._code(column, slot, raw)
            if len(self._cache) < 200_000:
                self._cache[cache_key] = coded
        if isinstance(coded, str):
            if self._problem(out, row, column, slot, raw, "unmapped", coded):
                unmapped.setdefault(cls.name, []).append((slot, column, raw))
            return
        out.coded += 1
        bucket.setdefault(slot.name, []).append((coded.term, coded, column, raw))

    def _identity(
        self,
        cls: ClassInfo,
        slots: dict[str, list[tuple[Term, _Coded | None, str, str]]],
        row: int,
        linked: dict[str, str],
    ) -> str:
        """The identifier column's value; else the id another record of the row links
        to (a ``Donor`` column filling ``Biosample.donor``); else one made from the row."""
        ident_slot = cls.identifier_slot
        if ident_slot is not None and slots.get(ident_slot.name):
            return slots[ident_slot.name][0][3].strip()
        if cls.name in linked:
            return linked[cls.name]
        return f"{self.source.sha256[:12]}-row{row}"

    def _emit(
        self,
        out: RowOutcome,
        row: int,
        values: dict[str, dict[str, list[tuple[Term, _Coded | None, str, str]]]],
        unmapped: dict[str, list[tuple[SlotInfo, str, str]]],
        unit_words: dict[str, dict[str, str]],
    ) -> None:
        schema = self.schema
        names = set(values) | set(unmapped)
        linked: dict[str, str] = {}
        for name, slots in values.items():
            for slot in schema.classes[name].slots:
                if slot.binding.kind == "class" and slot.range != name and slots.get(slot.name):
                    linked.setdefault(slot.range, slots[slot.name][0][3].strip())
        records: dict[str, str] = {}
        idents: dict[str, str] = {}
        for name in names:
            cls = schema.classes[name]
            idents[name] = self._identity(cls, values.get(name, {}), row, linked)
            records[name] = self.record_iri(name, idents[name])
        triples = out.triples
        row_iri = self.source.row_iri(row)
        for name, iri in records.items():
            cls = schema.classes[name]
            slots = values.get(name, {})
            triples.append((iri, RDF_TYPE, Iri(self._class_iri[name])))
            ident_slot = cls.identifier_slot
            if ident_slot is not None and not slots.get(ident_slot.name):
                # no identifier column: the linked or row-derived id is the record's id
                triples.append((iri, self.slot_iri(ident_slot), Lit(idents[name])))
            # a unit given inside the value (e.g. "6 months") or the slot's default unit
            for slot in cls.slots:
                if slot.name.endswith("_unit") and slot.name not in slots:
                    measured = cls.slot(slot.name[: -len("_unit")])
                    if measured is None or measured.name not in slots:
                        continue
                    word = unit_words.get(name, {}).get(slot.name) or measured.unit
                    term = self._enum_direct(slot, value_key(word)) if word else None
                    if term is not None:
                        slots[slot.name] = [
                            (term, _Coded(term, None, self._schema_ref), "", word or "")
                        ]
            for slot in cls.slots:
                entries = slots.get(slot.name)
                if (
                    not entries
                    and slot.binding.kind == "class"
                    and slot.range in records
                    and slot.range != name
                ):
                    triples.append((iri, self.slot_iri(slot), Iri(records[slot.range])))
                    continue
                for term, coded, column, raw in entries or ():
                    p = self.slot_iri(slot)
                    triples.append((iri, p, term))
                    if coded is not None and coded.source is not None:
                        self._coding(triples, iri, slot, p, term, coded, column, raw)
            for slot, column, raw in unmapped.get(name, ()):
                node = f"{iri}/unmapped/{slot.name}/{_slug(raw)[:60]}"
                triples += [
                    (iri, HMZ + "unmappedValue", Iri(node)),
                    (node, HMZ + "slot", Iri(self.slot_iri(slot))),
                    (node, HMZ + "sourceValue", Lit(raw)),
                    (node, HMZ + "sourceColumn", Lit(column)),
                ]
            triples += [
                (iri, PROV + "wasDerivedFrom", Iri(row_iri)),
                (iri, PROV + "wasGeneratedBy", Iri(self.activity)),
            ]
        triples += [
            (row_iri, RDF_TYPE, Iri(HMZ + "SourceRow")),
            (row_iri, HMZ + "rowNumber", Lit(str(row), XSD + "integer")),
            (row_iri, DCTERMS + "isPartOf", Iri(self.source.iri)),
        ]

    def _coding(
        self,
        triples: list[Triple],
        iri: str,
        slot: SlotInfo,
        p: str,
        term: Term,
        coded: _Coded,
        column: str,
        raw: str,
    ) -> None:
        # one coding node per distinct (column, value, slot, term, mapping set), shared by
        # every record coded the same way: the provenance of a coded value, written once
        assert coded.source is not None
        key = (column, raw, p, str(term), coded.source.id)
        node = self._codings.get(key)
        if node is not None:
            triples.append((iri, HMZ + "valueCoding", Iri(node)))
            return
        digest = hashlib.sha1("\x00".join(key).encode()).hexdigest()[:16]
        node = f"{self.base}coding/{slot.name}/{digest}"
        if len(self._codings) >= _CODINGS_LIMIT:
            self._codings.clear()  # re-emitting a node is harmless; memory stays bounded
        self._codings[key] = node
        triples += [
            (iri, HMZ + "valueCoding", Iri(node)),
            (node, RDF_TYPE, Iri(HMZ + "ValueCoding")),
            (node, HMZ + "slot", Iri(p)),
            (node, HMZ + "sourceValue", Lit(raw)),
            (node, HMZ + "codedAs", term),
            (node, PROV + "wasDerivedFrom", Iri(set_iri(coded.source))),
        ]
        if column:
            triples.append((node, HMZ + "sourceColumn", Lit(column)))
        if coded.code is not None and coded.code.confidence is not None:
            triples.append(
                (node, HMZ + "confidence", Lit(f"{coded.code.confidence:.4f}", XSD + "decimal"))
            )


def set_iri(ref: SetRef) -> str:
    """The IRI provenance uses for a mapping set (its id when that is an IRI)."""
    if "://" in ref.id or ref.id.startswith("urn:"):
        return ref.id
    return f"https://w3id.org/harmonize/mapping-set/{_slug(ref.id)}"
