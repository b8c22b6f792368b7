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

A value read down to the slot's root alone (``CD45+ cells``, ``live cells``: "cell", the
marker or state set aside) names no kind of it: its candidates are capped at
:data:`ROOT_MAX_CONFIDENCE` (it had 0.9, a qualifier reading's cap).

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

__all__ = ["FAMILY_ABBREVIATION_MAX_CONFIDENCE", "ROOT_MAX_CONFIDENCE", "ValueCeilings"]

#: an abbreviation other terms of the branch use as a word: a family, not one term
FAMILY_ABBREVIATION_MAX_CONFIDENCE = 0.9
#: a value whose readings name the slot's root only ("cell"): no kind of it
ROOT_MAX_CONFIDENCE = 0.3
#: how many of those other terms the comment names
_SAID = 2
_EXACT = frozenset({"exact", "normalized"})


class ValueCeilings:
    """The confidence a value's candidates may reach (a mixin)."""

    index: OntologyIndex
    table: NameTable
    roots: tuple[str, ...]
    _allowed_row_list: list[bool]

    def _value_ceiling(self, out: Lexical, norm: str) -> None:
        """Set ``out.ceiling`` for a value of one or two characters, an abbreviation of
        one term that other terms of the branch use as a word, or a value read down to
        the slot's root (none set before)."""
        if out.ceiling is not None:
            return
        root = self._root_only(out)
        if root is not None:
            said = f"only {root!r}, the slot's root, is named: no kind of it"
            out.ceiling = (ROOT_MAX_CONFIDENCE, said)
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

    def _root_only(self, out: Lexical) -> str | None:
        """The root's label when every in-branch name the value met through a reading is
        the slot's root (not when the value is the root's own name)."""
        table, allowed = self.table, self._allowed_row_list
        named = [h for h in out.hits if h.method != "fuzzy" and allowed[h.row]]
        if not self.roots or not named or any(h.reading is None for h in named):
            return None
        terms = {table.term[h.row] for h in named}
        if len(terms) != 1 or table.term_ids[next(iter(terms))] not in self.roots:
            return None
        (term,) = terms
        return table.term_labels[term] or table.term_ids[term]

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
