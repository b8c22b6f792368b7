"""A synonym that is also the start of its parent's name: ``Sst Chodl``, ``Lamp5``.

Cell atlases attach their own short labels to the terms of one study: CL gives "Sst
Chodl" as an exact synonym of "striatal SST-CHODL GABAergic interneuron (Primate)",
whose parent is "sst chodl GABAergic interneuron"; "LAMP5" and "VIP" likewise name
striatal primate terms below "lamp5 GABAergic interneuron" and "VIP GABAergic
interneuron". A partner who writes ``Sst Chodl`` names the family the parent's label
says (the value's words, then the class), not the one study's region and taxon: a
steward expects the parent, and an exact synonym is no proof here. When the value met
exactly (no reading) a synonym of one in-branch term and no label, and a term at most
:data:`_MAX_STEPS` above it has a label that is the value's words, then the label of a
term above it (a class: "GABAergic interneuron"), that term is offered first (read as ``cell``: the value's words with a class noun, as ``Basal`` is read
"basal cell"), the synonym's term after it, neither auto-accepted.
:class:`ParentNames` is a mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import Hit
from harmonize.match.values.interpret import READING_MAX_CONFIDENCE
from harmonize.text.normalize import normalize_steps

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["ParentNames"]

#: the parent's label ranks just above the synonym's term
_ABOVE = 1.005
#: how far up the parent may be (the study's term is usually one step below it)
_MAX_STEPS = 2
_EXACT = frozenset({"exact", "normalized"})


class ParentNames:
    """The parent a synonym's words begin the label of (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _parent_name(self, out: Lexical, norm: str) -> None:
        """Offer the parent whose label begins with the words of a synonym the value met."""
        table, allowed = self.table, self._allowed_row_list
        met = [h for h in out.hits if h.method in _EXACT and h.reading is None and allowed[h.row]]
        if not met or any(table.field[h.row] in ("label", "curated") for h in met):
            return
        if len({table.term[h.row] for h in met}) != 1 or not norm:
            return
        hit = max(met, key=lambda h: h.score)
        term_id = table.term_ids[table.term[hit.row]]
        first = norm.split(" ", 1)[0]
        near = self.index.steps_above(term_id, max_steps=_MAX_STEPS)  # nearest first
        for parent in near:
            if parent == term_id:
                continue  # (a cycle)
            found = self.index.terms.get(parent)
            if found is None or not found.label or not found.label.casefold().startswith(first):
                continue  # (a cheap first test: most parents' labels begin otherwise)
            label = normalize_steps(found.label).text  # (not remembered: no value's form)
            if not label.startswith(f"{norm} ") or not self._names_a_class(label, norm, parent):
                continue
            row = self._label_row(parent, label)
            if row is None:
                continue
            synonym, parent_label = table.text[hit.row], table.text[row]
            own = table.term_labels[table.term[hit.row]] or term_id
            note = (
                f"{synonym!r}, a synonym of {own!r}, begins the label of its parent"
                f" {parent_label!r}: read as that family"
            )
            out.hits.append(
                Hit(row, "normalized", hit.score * _ABOVE, 1.0, 1.0, None, False, ("cell", note))
            )
            said = f"{synonym!r} also begins the label of {parent_label!r}"
            out.ceiling = out.ceiling or (READING_MAX_CONFIDENCE["cell"], said)
            return

    def _names_a_class(self, label: str, norm: str, term_id: str) -> bool:
        """Is ``label`` (normalised, beginning with the value's words) those words, then
        the label of a term above ``term_id`` ("sst chodl" + "gabaergic interneuron")? Not
        any label that begins with them: a disease's synonym may begin the label of its
        parent, an infection by the agent it is named after, which is no family of it."""
        rest = label[len(norm) + 1 :]
        terms = self.index.terms
        for above in self.index.steps_above(term_id):
            found = terms.get(above)
            if found is not None and found.label and normalize_steps(found.label).text == rest:
                return True
        return False

    def _label_row(self, term_id: str, label: str) -> int | None:
        """The row of an in-branch term's label, ``label`` normalised (None: not in the
        branch)."""
        table = self.table
        for row in table.normal.get(label, ()):
            if table.term_ids[table.term[row]] == term_id and table.field[row] == "label":
                return row if self._allowed_row_list[row] else None
        return None
