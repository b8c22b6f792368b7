"""The ontology's own abbreviation among a value's other words: ``DM type 2``.

A clinician writes a disease by its abbreviation and adds its type or site (``DM type 2``);
the ontology gives the abbreviation (MONDO's "DM" for diabetes mellitus) but names the
term whole ("diabetes mellitus, type 2"). A word of a longer value that the loaded file
gives, in that case, as an abbreviation of an in-branch term is read as that term's label
and exact synonyms, and the text so read is offered when it names an in-branch term (its
words, in any order): a reading of its own (``shorthand``, the file's short
form, never auto-accepted). A short form of the shorthand list is read by the list's
expansion instead ("TCM"), and an abbreviation whose names give no term with the other
words ("Hep B": MONDO's "HEP" is a porphyria) offers nothing. :class:`AbbreviationsInside`
is a mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from harmonize.match.values.abbreviations import looks_like_abbreviation
from harmonize.match.values.index import STRONG_SCOPES, exact_key
from harmonize.match.values.interpret import normal_form
from harmonize.match.values.shorthand import is_shorthand

if TYPE_CHECKING:
    from harmonize.match.values.hits import Hit
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["AbbreviationsInside"]

#: a word of the value as an abbreviation is written (letters and digits)
_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]{1,7}(?![\w-])")
_MAX_WORDS = 6  # longer values are sentences, not a short form with its type or site
#: a short form the file gives more terms than this (lipid classes' "PC", "CC") is read by
#: none of them: each expansion would be tried, and the value's other words decide little
_MAX_TERMS = 3
#: a name met through the file's abbreviation ranks as a shorthand expansion of the list
_WEIGHT = 0.97
#: only a name the text so read says, its words in any order ("DM type 1": "type 1
#: diabetes mellitus"), never a similarity guess
_NAMED = frozenset({"exact", "normalized", "token"})


class AbbreviationsInside:
    """The loaded file's abbreviations read inside a longer value (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _abbreviation_inside(self, value: str, out: Lexical) -> bool:
        """Offer (to ``out``) the in-branch term that ``value`` names once a word of it,
        written as the file writes an in-branch term's abbreviation, is read as that
        term's names; True when one was offered."""
        if not 2 <= len(value.split()) <= _MAX_WORDS:
            return False
        table, allowed = self.table, self._allowed_row_list
        for match in _WORD.finditer(value):
            word = match.group(0)
            if not looks_like_abbreviation(word) or is_shorthand(word):
                continue  # (a short form of the list is read by its expansion: "TCM")
            rows = table.exact.get(exact_key(word), ())
            terms = dict.fromkeys(
                table.term[r]
                for r in rows
                if table.field[r] == "abbreviation"
                and table.text[r] == word
                and allowed[r]
                and table.strong(r)  # (the file's own, not an initialism guessed of a label)
            )
            if not terms or len(terms) > _MAX_TERMS:
                continue  # (a short form of many terms, "CC", "PC": the value says which)
            before, after = normal_form(value[: match.start()]), normal_form(value[match.end() :])
            for term in terms:
                for name in self._full_names(table.term_ids[term]):
                    norm = " ".join(w for w in (before, normal_form(name), after) if w)
                    met = (*table.normal.get(norm, ()), *table.token_rows(norm))
                    if not any(allowed[r] for r in met):
                        continue  # (a dict lookup first: most names so read name nothing)
                    said = f"the ontology's abbreviation {word!r} = {name!r}"
                    reading = ("shorthand", said)
                    found = self._exact_only(norm, _WEIGHT, reading, normal=True)
                    out.hits.extend(h for h in found if h.method in _NAMED and allowed[h.row])
                    return True
        return False

    def _full_names(self, term_id: str) -> list[str]:
        """The term's label and exact synonyms that are no abbreviations themselves."""
        term = self.index.terms.get(term_id)
        return [
            text
            for text, scope, _ in (term.names() if term is not None else ())
            if scope in STRONG_SCOPES and not looks_like_abbreviation(text)
        ]

    def _exact_only(
        self, text: str, weight: float, reading: tuple[str, str], *, normal: bool = False
    ) -> list[Hit]:
        raise NotImplementedError  # provided by ExactTiers
