"""Names that say every word of a value: reordering the fuzzy tier's best guesses.

The fuzzy tier scores names by shared words and characters; these rules reorder a value's
ranked terms when its best fuzzy name leaves out a word the value says, or adds words the
value did not say (a more specific term, when a term above it says the value as well), or
when the sample's tissue is known and a name saying the value's words in that tissue was
found (``Type 1`` from lung: "pulmonary alveolar type 1 cell"). :class:`SayingNames` is
a mixin of :class:`~harmonize.match.values.ranking.Ranking`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

from harmonize.match.values.fuzzy import pair_similarity
from harmonize.match.values.hits import Hit, contradicted
from harmonize.match.values.index import FEW_NAMES, key_tokens
from harmonize.match.values.interpret import READING_MAX_CONFIDENCE
from harmonize.text.values import tissue_said

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.ontology.index import OntologyIndex

__all__ = ["WEAKER_READINGS", "SayingNames", "numbered_kinds"]

#: the upper of two names that both say the value's words and more ranks just above
_UPPER_FACTOR = 1.001
#: a word every cell type's name says, written or not ("Fibroblast cell" is "fibroblast")
_SAID_BY_EVERY_CELL = frozenset({"cell"})
#: words that negate the word after them, or written before it ("non-activated",
#: "nonclassical"): a name saying one of them before a word of the value says its opposite
_NEGATORS = ("non", "not")
_NEGATED_MIN_LETTERS = 4  # "nonclassical" is "non" + "classical"; "none" is no negation
#: a cell class written first as its letter (Seurat / Azimuth labels: ``B intermediate``,
#: ``T CD4 conv``): the value is a kind of that class
_CLASS_LETTERS = frozenset({"b", "t"})
_DIGIT = re.compile(r"\d")
_SIMILAR = frozenset({"fuzzy", "token"})  # hits met by similarity (an exact name is as said)
#: readings capped lower than a term of another taxon (a broader term, a guess ...)
WEAKER_READINGS = frozenset(
    kind
    for kind, cap in READING_MAX_CONFIDENCE.items()
    if cap < READING_MAX_CONFIDENCE["other_taxon"]
)
#: a numbered kind ("type 2", "type II", "Type2", "grade 3", "layer IV"): a name giving
#: the same word another number names another kind, however close its letters
_NUMBERED = re.compile(
    r"\b(?P<w>type|class|grade|stage|group|layer|subtype|phase|lamina)\s*"
    r"(?P<n>\d{1,2}|[ivx]{1,4})\b"
)
_ROMAN = {
    r: i
    for i, r in enumerate(
        ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"), start=1
    )
}


class SayingNames:
    """Reorder a value's ranked terms by the words their names say (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]
    context: tuple[str, ...]  # normalised names of the sample's tissue
    _negating: frozenset[int] | None  # rows whose name negates a word (built on first use)

    def _all_words_first(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``CD8 Naive`` (read "CD8-positive naive T cell"): when the fuzzy tier's best
        name for a reading of the value leaves out one of its words ("Th1 CD8-positive T
        cell"), the best name that says every word ("naive thymus-derived CD8-positive,
        alpha-beta T cell") takes its place: the reading wrote the value out in the
        ontology's words, so a name can only be closer by saying all of them."""
        top = _fuzzy_top(best)
        if top is None or top[2].reading is None:
            return  # (a value as written: the fuzzy tier's scores stand)
        _, top_score, top_hit = top
        query = set(key_tokens(norm))
        if query - self._name_words(top_hit.row) <= _SAID_BY_EVERY_CELL:
            return  # ("Fibroblast cell": "fibroblast" leaves out no word that matters)
        saying = [
            (score, term)
            for term, (score, hit) in best.items()
            if hit.method == "fuzzy" and query <= self._name_words(hit.row)
        ]
        if saying:
            _promote(best, max(saying)[1], top_score)
            return
        row = self._saying_row(query, norm)  # the fuzzy tier's few candidates missed it
        if row is not None:
            found = pair_similarity(self.table, norm, row, 1.0)
            score = top_score * _UPPER_FACTOR
            hit = Hit(row, "fuzzy", score, found.sim, found.dice, reading=top_hit.reading)
            best[self.table.term[row]] = (score, hit)

    def _saying_row(self, query: set[str], norm: str) -> int | None:
        """The in-branch name most like ``norm`` among those saying every word of
        ``query`` (the rarest word's names, when it is in few); None if none."""
        import numpy as np

        table = self.table
        postings = [table.postings.get(w) for w in query]
        present = sorted((p for p in postings if p is not None and len(p)), key=len)
        if not present or len(present) < len(postings):
            return None  # a word no name has: no name says every word
        rows_found = present[0]  # the rarest word's names (postings are sorted row ids)
        if len(rows_found) > FEW_NAMES:  # (else the fuzzy tier's candidates stand)
            return None
        for other in present[1:]:  # ... that also have each other word
            at = np.searchsorted(other, rows_found).clip(max=len(other) - 1)
            rows_found = rows_found[other[at] == rows_found]
            if not len(rows_found):
                return None
        allowed = self._allowed_row_list
        rows = [r for r in rows_found.tolist() if allowed[r]]
        if not rows:
            return None
        return int(max(rows, key=lambda r: (pair_similarity(table, norm, r, 1.0).similarity, -r)))

    def _upper_first(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``Erythroid cell``: the fuzzy tier's best name says the value's words and more
        ("erythroid progenitor cell"); when another such name is of a term above it
        ("erythroid lineage cell"), the value did not say what makes the lower term: the
        upper term takes the lower one's place."""
        top = _fuzzy_top(best)
        if top is None:
            return
        query = set(key_tokens(norm))
        if not query < self._name_words(top[2].row):
            return
        top_term, top_score, _ = top
        above = self.index.steps_above(self.table.term_ids[top_term])
        uppers = [
            (score, term)
            for term, (score, hit) in best.items()
            if term != top_term
            and hit.method == "fuzzy"
            and self.table.term_ids[term] in above
            and query < self._name_words(hit.row)
        ]
        if uppers:
            _promote(best, max(uppers)[1], top_score)

    def _negated_last(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``macrophage activated``: a name met by similarity that says a word of the value
        negated ("non-activated macrophage") says the opposite of the value; it goes after
        the rest, read as ``contradicted`` (never a match). A word the value negates itself
        ("non-activated macrophage" as written) is no contradiction."""
        negating = self._negating_rows()
        found = [
            (term, score, hit)
            for term, (score, hit) in best.items()
            if hit.row in negating and hit.method in _SIMILAR
        ]
        if not found:
            return
        words = norm.split()
        negated = {w for a, w in pairwise(words) if a in _NEGATORS}
        negated |= {w[3:] for w in words if w.startswith("non")}
        said = set(words) - negated
        table = self.table
        for term, score, hit in found:
            word = _negated_word(table.norm[hit.row].split(), said)
            if word is not None:
                said_so = f"the term's name {table.text[hit.row]!r} says {word!r} negated"
                best[term] = contradicted(score, hit, said_so)

    def _renumbered_last(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``Alveolar_Type2``: a name met by similarity that gives a numbered kind of the
        value another number ("type I alveolar cell") is another kind; it goes after the
        rest, read as ``contradicted`` (never a match)."""
        said = numbered_kinds(norm)
        if not said:
            return
        table = self.table
        for term, (score, hit) in list(best.items()):
            if hit.method not in _SIMILAR:
                continue
            named = numbered_kinds(table.norm[hit.row])
            other = next((w for w, n in named.items() if w in said and said[w] != n), None)
            if other is not None:
                said_so = (
                    f"the value says {other} {said[other]}, the term's name"
                    f" {table.text[hit.row]!r} says {other} {named[other]}"
                )
                best[term] = contradicted(score, hit, said_so)

    def _number_left_out(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``SARS-CoV-2 infection``: a name met by similarity that leaves out a number the
        value says ("SARS-CoV infection"; "SK-UT-2" for "SK-UT-1") names another thing more
        often than not; read as ``dropped`` (a broader term at best, never sure), said."""
        if _DIGIT.search(norm) is None:
            return
        numbers = [w for w in key_tokens(norm) if _DIGIT.search(w)]
        table = self.table
        for term, (score, hit) in list(best.items()):
            if hit.method not in _SIMILAR or (hit.reading and hit.reading[0] in WEAKER_READINGS):
                continue
            name = table.norm[hit.row].replace(" ", "")
            left = next((n for n in numbers if n not in name), None)
            if left is not None:
                said = f"the value's {left!r} is not in the name {table.text[hit.row]!r}"
                note = f"{hit.reading[1]}; {said}" if hit.reading else said
                best[term] = (score, replace(hit, reading=("dropped", note)))

    def _class_letter_kept(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``B intermediate kappa``: the value is a kind of B cell; when the best name met by
        similarity leaves out the class letter ("intermediate muscle cell"), the class
        term (the letter's ``<letter> cell``) is offered above it, as a broader term (words
        dropped). Only for the letter alone (Seurat / Azimuth labels), not the class written
        in full (``B cell IgA Plasma``)."""
        words = norm.split()
        if len(words) < 2 or words[0] not in _CLASS_LETTERS or words[1] == "cell":
            return  # (the value names its cell in full)
        allowed, table = self._allowed_row_list, self.table
        inside = [v for v in best.values() if allowed[v[1].row]]
        if not inside:
            return
        top_score, top_hit = max(inside, key=lambda v: v[0])
        if top_hit.method not in _SIMILAR or words[0] in table.norm[top_hit.row].split():
            return
        rows = [
            r for r in table.normal.get(f"{words[0]} cell", ()) if allowed[r] and table.strong(r)
        ]
        if not rows:
            return
        row = rows[0]
        said = f"words dropped: read {table.text[row]!r}, the class the value names first"
        hit = Hit(row, "normalized", top_score * _UPPER_FACTOR, 1.0, 1.0, reading=("dropped", said))
        best[table.term[row]] = (top_score * _UPPER_FACTOR, hit)

    def _negating_rows(self) -> frozenset[int]:
        """Rows whose name has a negating word ("non", "not", "nonclassical"): from the
        postings, once per matcher (the matcher's ``warm`` builds it before a fork)."""
        if self._negating is None:
            postings = self.table.postings
            words = [w for w in postings if w in _NEGATORS or _negating_prefix(w)]
            self._negating = frozenset(r for w in words for r in postings[w].tolist())
        return self._negating

    def _name_words(self, row: int) -> set[str]:
        """The meaningful words of name ``row``."""
        return set(key_tokens(self.table.norm[row]))

    def _tissue_named_first(self, best: dict[int, tuple[float, Hit]], norm: str) -> None:
        """``Type 1`` from lung, ``epsilon`` from pancreas: when the fuzzy tier's best name
        says neither the sample's tissue nor the value's every word in it, the in-branch
        name that says every word of the value and one name of the tissue ("pulmonary
        alveolar type 1 cell", "pancreatic epsilon cell") takes its place, read as
        ``context`` (never auto-accepted, like every term read with the tissue)."""
        top = _fuzzy_top(best) if self.context else None
        if top is None:
            return
        query = set(key_tokens(norm))
        tissues = {name: set(key_tokens(name)) for name in self.context}
        said = self._name_words(top[2].row) | query
        if not query or any(words <= said for words in tissues.values()):
            return  # (the value or the best name already says the tissue)
        found = [
            (pair_similarity(self.table, norm, row, 1.0), name)
            for name, words in tissues.items()
            if (row := self._saying_row(query | words, norm)) is not None
        ]
        if not found:
            return
        scored, name = max(found, key=lambda f: (f[0].similarity, -f[0].row))
        row = scored.row
        reading = ("context", f"{tissue_said(name)}: {self.table.text[row]!r}")
        hit = Hit(row, "fuzzy", top[1] * _UPPER_FACTOR, scored.sim, scored.dice, reading=reading)
        best[self.table.term[row]] = (top[1] * _UPPER_FACTOR, hit)


def numbered_kinds(norm: str) -> dict[str, int]:
    """The numbered kinds a normalised text says, by their word.

    >>> numbered_kinds("alveolar type2"), numbered_kinds("type ii alveolar cell")
    ({'type': 2}, {'type': 2})
    >>> numbered_kinds("grade iv glioma"), numbered_kinds("typed cell"), numbered_kinds("liver")
    ({'grade': 4}, {}, {})
    """
    found: dict[str, int] = {}
    for match in _NUMBERED.finditer(norm):
        written = match.group("n")
        number = int(written) if written.isdigit() else _ROMAN.get(written)
        if number is not None:
            found.setdefault(match.group("w"), number)
    return found


def _negating_prefix(word: str) -> bool:
    """``nonclassical``: "non" written before a word of :data:`_NEGATED_MIN_LETTERS` or more."""
    return word.startswith("non") and len(word) >= 3 + _NEGATED_MIN_LETTERS


def _negated_word(name: list[str], said: set[str]) -> str | None:
    """A word of ``said`` that ``name`` (its words) negates, or None."""
    for i, word in enumerate(name):
        if word in _NEGATORS and i + 1 < len(name) and name[i + 1] in said:
            return name[i + 1]
        if _negating_prefix(word) and word[3:] in said:
            return word[3:]
    return None


def _fuzzy_top(best: dict[int, tuple[float, Hit]]) -> tuple[int, float, Hit] | None:
    """The best (term, score, hit) when the fuzzy tier named it and another term is
    ranked too (else there is nothing to reorder)."""
    if len(best) < 2:
        return None
    term, (score, hit) = max(best.items(), key=lambda kv: kv[1][0])
    return (term, score, hit) if hit.method == "fuzzy" else None


def _promote(best: dict[int, tuple[float, Hit]], term: int, top_score: float) -> None:
    """Rank ``term`` just above the best score ``top_score``."""
    best[term] = (top_score * _UPPER_FACTOR, best[term][1])
