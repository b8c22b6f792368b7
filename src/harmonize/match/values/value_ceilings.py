"""Values whose exact match is no proof: the highest confidence their candidates may get.

An exact name is accepted unreviewed when the shipped model is sure enough. Two kinds of
value name several things however exactly they match one name:

- one or two characters (``M``, ``F``): PATO's biological sex holds yeast mating types
  whose exact synonyms are "M" and "F-" (:data:`~.hits.SHORT_VALUE_MAX_CONFIDENCE`);
- an abbreviation the ontology gives one term while other terms of the branch use it as
  a word of their names, terms that are not kinds of it (``DETC``: CL's abbreviation of
  "dendritic epidermal T cell", also a word of "mature DETC precursor"). ``HSC`` is used
  by kinds of the hematopoietic stem cell only: it stays. (When the abbreviation also
  begins its parent's label, as ``VIP`` does "VIP GABAergic interneuron", the parent
  comes first: :mod:`~harmonize.match.values.parent_names`.)

The candidates keep their rank; their confidence is capped below the auto-accept
threshold and the comment says why. :class:`ValueCeilings` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import SHORT_VALUE_LENGTH, SHORT_VALUE_MAX_CONFIDENCE

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["FAMILY_ABBREVIATION_MAX_CONFIDENCE", "ValueCeilings"]

#: an abbreviation other terms of the branch use as a word: a family, not one term
FAMILY_ABBREVIATION_MAX_CONFIDENCE = 0.9
#: how many of those other terms the comment names
_SAID = 2
_EXACT = frozenset({"exact", "normalized"})


class ValueCeilings:
    """The confidence a value's candidates may reach (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _value_ceiling(self, out: Lexical, norm: str) -> None:
        """Set ``out.ceiling`` for a value of one or two characters, or an abbreviation of
        one term that other terms of the branch use as a word (none set before)."""
        if out.ceiling is not None:
            return
        letters = len(norm.replace(" ", ""))
        if letters <= SHORT_VALUE_LENGTH:
            said = f"a value of {letters} character(s) names several things"
            out.ceiling = (SHORT_VALUE_MAX_CONFIDENCE, said)
            return
        if " " not in norm:
            others = self._family_of(norm, out)
            if others:
                said = f"{norm!r} is also a word of other terms' names ({', '.join(others)})"
                out.ceiling = (FAMILY_ABBREVIATION_MAX_CONFIDENCE, said)

    def _family_of(self, word: str, out: Lexical) -> list[str]:
        """Labels of in-branch terms, not kinds of the term the value met as an exact
        abbreviation, whose names use ``word``; empty when the value met no abbreviation."""
        table, allowed = self.table, self._allowed_row_list
        field = table.field
        met = {
            table.term[h.row]
            for h in out.hits
            if field[h.row] == "abbreviation"
            and h.reading is None
            and h.method in _EXACT
            and allowed[h.row]
        }
        rows = table.postings.get(word) if len(met) == 1 else None
        if rows is None:
            return []
        (term,) = met
        term_id = table.term_ids[term]
        others: list[str] = []
        for other in sorted(
            {table.term[r] for r in rows.tolist() if allowed[r] and table.strong(r)}
        ):
            if other != term and term_id not in self.index.steps_above(table.term_ids[other]):
                others.append(table.term_labels[other] or table.term_ids[other])
                if len(others) >= _SAID:
                    break
        return others
