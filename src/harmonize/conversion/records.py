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

A record written on a recent row with the same cells is not written again: the new row
only adds its ``prov:wasDerivedFrom`` link (a donor on many rows is written once).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from harmonize.conversion.cells import Cell, CellCoder
from harmonize.conversion.layout import ClassLayout, layouts
from harmonize.conversion.plan import ConversionPlan
from harmonize.conversion.terms import RDF_TYPE, TermCache, named
from harmonize.conversion.vocab import (
    DCTERMS,
    DEFAULT_BASE,
    HMZ,
    PROV,
    XSD,
    SourceInfo,
)
from harmonize.errors import ConversionError

if TYPE_CHECKING:
    pass

__all__ = ["Policy", "Problem", "ProblemKind", "RowConverter", "RowOutcome", "record_key"]

Policy = Literal["keep", "reject", "fail"]
ProblemKind = Literal["unmapped", "invalid"]
_DISTINCT_PROBLEMS = 10_000  # distinct (column, value) problems counted per conversion
_SEEN_LIMIT = 100_000  # records remembered, so a donor repeated on many rows is written once
_CODINGS_LIMIT = 200_000  # coding nodes remembered as written


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
    triples: list[str] = field(default_factory=list)  # N-Triples lines
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False
    coded: int = 0


def record_key(iri: str) -> int:
    """A record IRI as a stable 64-bit number (distinct records are counted by it)."""
    return int.from_bytes(hashlib.blake2b(iri.encode(), digest_size=8).digest(), "little")


class RowConverter:
    """Converts rows under one plan; remembers recently written records and codings."""

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
        self.schema = plan.schema
        self.source = source
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.on_unmapped = on_unmapped
        self.on_invalid = on_invalid
        self.terms = TermCache()
        self.coder = CellCoder(plan, self.terms, self.base)
        named(self.base)  # a base that is no IRI fails here, once
        iri = self.terms.iri
        self._source = str(iri(source.iri))
        self._layouts = layouts(self.coder)
        self._p = {
            name: f"<{ns}{name}>"
            for ns, names in (
                (
                    HMZ,
                    (
                        "unmappedValue",
                        "slot",
                        "sourceValue",
                        "sourceColumn",
                        "rowNumber",
                        "valueCoding",
                    ),
                ),
                (PROV, ("wasDerivedFrom", "wasGeneratedBy")),
            )
            for name in names
        }
        self._p["type"], self._p["isPartOf"] = f"<{RDF_TYPE}>", f"<{DCTERMS}isPartOf>"
        self._source_row = f"<{HMZ}SourceRow>"
        self._integer = f"<{XSD}integer>"
        self._generated = f" {self._p['wasGeneratedBy']} {iri(activity)} .\n"
        self._positions = [(i, col.index) for i, col in enumerate(plan.columns)]
        self._seen: dict[str, tuple[object, ...]] = {}
        self._codings: set[str] = set()
        self.problem_counts: Counter[tuple[str, str, ProblemKind]] = Counter()
        self.new_records: dict[str, list[int]] = {}  # class -> keys of records written

    def record_iri(self, cls_name: str, ident: str) -> str:
        return self.coder.record_iri(cls_name, ident)

    # -- problems ---------------------------------------------------------------------
    def _problem(self, out: RowOutcome, row: int, cell: Cell, kind: ProblemKind) -> bool:
        """Record a problem; True when the value should still be kept."""
        policy = self.on_unmapped if kind == "unmapped" else self.on_invalid
        slot, raw, msg = cell.slot, cell.raw, cell.problem or ""
        if policy == "fail":
            raise ConversionError(
                f"{slot.name}: {raw!r} {msg}" if kind == "invalid" else f"{slot.name}: {msg}",
                path=self.source.path,
                row=row,
                column=cell.column,
                value=raw if kind == "unmapped" else None,
            )
        out.problems.append(Problem(row, cell.column, slot.name, raw, kind, msg))
        key = (cell.column, raw, kind)
        if key in self.problem_counts or len(self.problem_counts) < _DISTINCT_PROBLEMS:
            self.problem_counts[key] += 1  # bounded: a million distinct bad ids stay cheap
        if policy == "reject":
            out.rejected = True
            return False
        return True

    # -- rows -----------------------------------------------------------------------
    def convert(self, row: int, cells: list[str]) -> RowOutcome:
        """The triples of row number ``row`` (1 = first data row)."""
        out = RowOutcome()
        by_class: dict[str, list[Cell]] = {}
        n = len(cells)
        coder_cells = self.coder.cells
        for position, index in self._positions:
            for cell in coder_cells(position, cells[index] if index < n else ""):
                if cell.problem is not None:
                    kind: ProblemKind = "unmapped" if cell.kind == "unmapped" else "invalid"
                    if not self._problem(out, row, cell, kind):
                        continue
                elif cell.kind == "coded":
                    out.coded += 1
                by_class.setdefault(cell.cls, []).append(cell)
        if out.rejected:
            return RowOutcome(problems=out.problems, rejected=True)
        self._emit(out, row, by_class)
        return out

    def _identities(self, row: int, by_class: dict[str, list[Cell]]) -> dict[str, str]:
        """Class -> record id: the identifier column's value; else the id another record of
        the row links to (a ``Donor`` column filling ``Biosample.donor``); else the row's."""
        linked: dict[str, str] = {}
        for name, cells in by_class.items():
            given: dict[str, str] = {}
            for c in cells:
                if c.kind == "link":
                    given.setdefault(c.slot.name, c.raw)
            if given:
                for link in self._layouts[name].links:
                    if link.name in given:
                        linked.setdefault(link.link or "", given[link.name].strip())
        idents: dict[str, str] = {}
        for name, cells in by_class.items():
            ident_slot = self._layouts[name].ident_slot
            own = next((c.raw for c in cells if c.slot.name == ident_slot), None)
            if own is not None:
                idents[name] = own.strip()
            elif name in linked:
                idents[name] = linked[name]
            else:
                idents[name] = f"{self.source.sha256[:12]}-row{row}"
        return idents

    def _emit(self, out: RowOutcome, row: int, by_class: dict[str, list[Cell]]) -> None:
        idents = self._identities(row, by_class)
        records = {name: self.record_iri(name, ident) for name, ident in idents.items()}
        row_node = f"<{self.source.row_iri(row)}>"
        lines, p = out.triples, self._p
        derived = f" {p['wasDerivedFrom']} {row_node} .\n"
        for name, iri in records.items():
            layout = self._layouts[name]
            cells = by_class[name]
            links = tuple(records.get(s.link) for s in layout.links if s.link is not None)
            key = (tuple([(c.column, c.raw) for c in cells]), links)
            subject = f"<{iri}>"
            if self._seen.get(iri) == key:
                lines.append(subject + derived)
                continue
            if len(self._seen) >= _SEEN_LIMIT:
                self._seen.clear()
            self._seen[iri] = key
            self.new_records.setdefault(name, []).append(record_key(iri))
            self._record(lines, layout, subject, idents[name], cells, records)
            lines += [subject + derived, subject + self._generated]
        lines += [
            f"{row_node} {p['type']} {self._source_row} .\n",
            f'{row_node} {p["rowNumber"]} "{row}"^^{self._integer} .\n',
            f"{row_node} {p['isPartOf']} {self._source} .\n",
        ]

    def _record(
        self,
        lines: list[str],
        layout: ClassLayout,
        subject: str,
        ident: str,
        cells: list[Cell],
        records: dict[str, str],
    ) -> None:
        """The lines of one record (its type, values, codings, unmapped values)."""
        lines.append(subject + layout.type_tail)
        given = {c.slot.name for c in cells if c.kind != "unmapped"}
        if layout.ident_predicate is not None and layout.ident_slot not in given:
            # no identifier column: the linked or row-derived id is the record's id
            lines.append(f"{subject} {layout.ident_predicate} {self.terms.literal(ident)} .\n")
        for slot in layout.links:
            if slot.name not in given and slot.link in records:
                lines.append(f"{subject} {slot.predicate} <{records[slot.link or '']}> .\n")
        codings = self._codings
        for cell in [*cells, *self._units(layout, cells, given)]:
            if cell.kind == "unmapped":
                node = f"<{subject[1:-1]}{cell.unmapped_node}>"
                lines.append(f"{subject} {self._p['unmappedValue']} {node} .\n")
                lines += [node + tail for tail in cell.tails]
                continue
            lines += [subject + tail for tail in cell.tails]
            if cell.coding is not None and cell.coding[0] not in codings:
                if len(codings) >= _CODINGS_LIMIT:
                    codings.clear()  # re-emitting a node is harmless; memory stays bounded
                codings.add(cell.coding[0])
                lines += cell.coding[1]

    def _units(self, layout: ClassLayout, cells: list[Cell], given: set[str]) -> list[Cell]:
        """A unit given inside the value (e.g. "6 months"), else the slot's default unit."""
        out: list[Cell] = []
        for unit_slot, measured, default in layout.units:
            if unit_slot.name in given or measured not in given:
                continue
            word = next((c.unit for c in cells if c.slot.name == measured and c.unit), None)
            word = word or default
            unit = self.coder.unit_cell(layout.name, unit_slot, word) if word else None
            if unit is not None:
                out.append(unit)
        return out
