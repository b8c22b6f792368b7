"""Cells named by the structure they were found in: ``zona reticularis cell``.

Atlases label a cluster by the structure it sits in and a cell word: ``comma-shaped body
cell``, ``zona reticularis cell``, ``gastric smooth muscle cell``. When such a value names
no cell type, its first words name a term of another branch (the anatomy's "zona
reticularis of adrenal gland") and its last words an in-branch one ("cell", a cell type's
name). The cell type's name for that structure (``<structure> <cell>``, ``<cell> of
<structure>``, also with the words the ontology writes in each other's place: "renal" for
"kidney") is looked up, then for the terms the structure is a part or kind of, nearest
first: "adrenal cortex cell" one step up, "kidney cell" two steps up from the comma-shaped
body. A term of the structure itself is read as the value's cell (``cell``); one of a
structure above it is broader (``dropped``): never auto-accepted. An adjective naming no
term is read as its organ first ("gastric" -> stomach, the name "... of stomach").
:class:`StructureCells` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.context_terms import word_pairs
from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import FEW_NAMES, STRONG_SCOPES, key_tokens
from harmonize.match.values.interpret import normal_form
from harmonize.match.values.organ_words import formed_nouns, words_in_place
from harmonize.match.values.qualifiers import is_qualifier
from harmonize.match.values.word_contrasts import contrasted

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.ontology.index import OntologyIndex

__all__ = ["StructureCells"]

_MAX_WORDS = 6
#: the structures above the one named, at most this many steps up ("kidney": 2 from the
#: comma-shaped body); further up are systems and "organ", no place a cell type is named by
_MAX_STEPS = 2
#: the cell type of the structure named ranks as a name read so; one of a structure above
#: it as a broader term, still above what the fuzzy tier guesses from the words
_WEIGHT = {True: 0.9, False: 0.8}


class StructureCells:
    """The cell type named for the structure a value's cells are in (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]
    _all_allowed: bool  # every term is in the branch

    def _structure_cell(self, head: str, hits: list[Hit]) -> bool:
        """Offer (to ``hits``) the cell type named for the structure the first words of
        ``head`` name, or for the nearest structure above it; True when one was offered."""
        words = normal_form(head).split()
        if self._all_allowed or not 2 <= len(words) <= _MAX_WORDS:
            return False  # (every term in the branch: no other branch to read a place in)
        table, allowed = self.table, self._allowed_row_list
        for k in range(len(words) - 1, 0, -1):  # the longest structure first
            rest = " ".join(words[k:])
            if not any(allowed[r] for r in table.normal.get(rest, ())):
                continue  # (the cell word names an in-branch term: "cell", a cell type)
            place = " ".join(words[:k])
            found = self._structures(place)
            up = bool(found) and not self._named_inside(place)  # ("loop of Henle": named)
            for said, structures in found:
                if self._offer_cells(head, said, structures, rest, hits, up=up):
                    return True
        return False

    def _named_inside(self, place: str) -> bool:
        """Does an in-branch name say ``place`` among other words ("kidney loop of Henle
        epithelial cell")? Then the fuzzy tier reads those names: no structure above."""
        table, allowed = self.table, self._allowed_row_list
        rarest = table.rarest_postings(key_tokens(place))
        if rarest is None:
            return False
        if len(rarest) > FEW_NAMES:
            return True  # (a common word: the structure is no place of its own)
        padded = f" {place} "
        return any(allowed[r] and padded in f" {table.norm[r]} " for r in rarest.tolist())

    def _structures(self, text: str) -> list[tuple[str, list[str]]]:
        """The out-of-branch terms ``text`` names, each batch with how it was read: the
        words themselves, else (one word) the organ the ontology writes it for."""
        table, allowed = self.table, self._allowed_row_list
        found = []
        nouns = [text]
        while nouns:
            noun = nouns.pop(0)
            rows = [r for r in table.normal.get(noun, ()) if table.strong(r) and not allowed[r]]
            terms = list(dict.fromkeys(table.term_ids[table.term[r]] for r in rows))
            if terms:
                found.append((text if noun == text else f"{text} ({noun})", terms))
            elif noun == text and " " not in text:  # ("gastric": the organ it is written for)
                nouns = words_in_place(table, self.index, text)
                # then the noun it is formed from ("dermal" -> dermis: no pair in the file)
                nouns += [n for n in formed_nouns(text) if n not in nouns and not is_qualifier(n)]
        return found

    def _offer_cells(
        self, head: str, said: str, structures: list[str], rest: str, hits: list[Hit], *, up: bool
    ) -> bool:
        table, allowed, index = self.table, self._allowed_row_list, self.index
        levels: dict[int, list[str]] = {}
        for term in structures:
            levels.setdefault(0, []).append(term)
            for above, steps in index.steps_above(term, _MAX_STEPS if up else 0).items():
                levels.setdefault(steps, []).append(above)
        for steps in sorted(levels):
            rows: dict[int, str] = {}
            for swapped in (False, True):  # the ontology's own names first, then "renal ..."
                for term in dict.fromkeys(levels[steps]):
                    for name, swap in _names(index, term, table if swapped else None).items():
                        for key in (f"{name} {rest}", f"{rest} of {name}"):
                            for row in table.normal.get(key, ()):
                                if not (allowed[row] and table.strong(row)):
                                    continue
                                if swap is None or not contrasted(table, *swap):
                                    rows.setdefault(row, index.label(term) or term)
                if rows:
                    break
            if not rows:
                continue
            own = steps == 0
            for row, place in rows.items():
                note = (
                    f"{head!r} read as a cell of {said!r}: {table.text[row]!r}"
                    if own
                    else f"{head!r} read as a cell of {said!r}, {steps} step(s) inside"
                    f" {place!r}: {table.text[row]!r}, a broader term"
                )
                tag = ("cell", note) if own else ("dropped", note)
                score = METHOD_BASE["normalized"] * _WEIGHT[own]
                hits.append(Hit(row, "normalized", score, 1.0, 1.0, None, False, tag))
            return True
        return False

    def _bracket_structure(self, head: str, inner: str, hits: list[Hit]) -> list[Hit]:
        """``Fibroblast (dermal)``: a bracket of one word that names no term with the head,
        read before it as the structure the cells are in ("dermal fibroblast": "fibroblast
        of dermis"); the cell types found so, added to ``hits`` too."""
        offered: list[Hit] = []
        if len(inner.split()) != 1 or not inner.isalpha() or len(head.split()) >= _MAX_WORDS:
            return offered
        self._structure_cell(f"{inner} {head}", offered)
        for hit in offered:
            kind, note = hit.reading or ("cell", "")
            hit.reading = ("specialised" if kind == "cell" else kind, f"bracket {inner!r}: {note}")
        hits.extend(offered)
        return offered


def _names(
    index: OntologyIndex, term_id: str, table: NameTable | None
) -> dict[str, tuple[str, str] | None]:
    """The term's label and exact synonyms, normalised; with the name ``table``, only each
    written with one word as the ontology writes it elsewhere ("renal" for "kidney"), with
    the words swapped (a contrast is checked only for a name that is met: it costs a scan
    of the names with the word)."""
    term = index.terms.get(term_id)
    pairs = word_pairs(table) if table is not None else {}
    names: dict[str, tuple[str, str] | None] = {}
    for text, scope, _ in term.names() if term is not None else ():
        if scope not in STRONG_SCOPES:
            continue
        norm = normal_form(text)
        if table is None:
            names[norm] = None
            continue
        words = norm.split()
        for i, word in enumerate(words):
            for other in pairs.get(word, ()):
                names.setdefault(" ".join((*words[:i], other, *words[i + 1 :])), (word, other))
    return names
