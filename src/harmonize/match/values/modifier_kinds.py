"""Words before a name that name a kind of its term: ``Atrial cardiomyocyte``.

A value often writes a modifier before a name the ontology has (``Atrial
cardiomyocyte``: "cardiomyocyte" is an exact synonym of "cardiac muscle cell"), and the
ontology names the kind of that term the modifier says in other words ("regular atrial
cardiac myocyte", exact synonym "atrial cardiac muscle cell"). No name says the value's
words, so without this reading the similarity tier offers the broader term, the modifier
lost. Among the in-branch terms at most two steps below the term the rest of the value
names (never a root such as "cell"), those with a label or exact synonym that says the
modifier words and one name of the term found, in any order, and nothing else (a kind as
specific as the value: not "mucous neck cell" for ``Mucous epithelial cell``) are
offered first; of such kinds, one below another, or more steps below the term found than
another, is left out. When several are left, the modifier does not decide between them:
the broader term is offered first, as words dropped (``skos:broadMatch``), and they
after it. Read as a specialisation (every word of the value kept: ``specialised``),
never auto-accepted. :class:`ModifierKinds` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import CELL_ROOT, METHOD_BASE, Hit
from harmonize.match.values.index import KEY_STOP, STRONG_SCOPES, token_key
from harmonize.match.values.interpret import normal_form
from harmonize.match.values.qualifiers import is_qualifier, split_qualifiers
from harmonize.text.normalize import normalize_steps

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["ModifierKinds"]

#: the kind named ranks as a name the value says with a word read (below a name it says)
_WEIGHT = 0.95
#: several kinds as close: the broader term first (as words dropped), then each kind
_BROADER, _KINDS = 0.9, 0.85
#: a kind at most this many steps below the term found (the same depth markers' kinds keep)
_MAX_STEPS = 2
#: at most this many words before the name (more: a phrase, not a modifier)
_MAX_MODIFIERS = 2
#: readings of a hit that do not say the value's own words named its term
_GUESSES = frozenset({"dropped", "truncated", "initialism", "contradicted"})


class ModifierKinds:
    """Kinds of a term that the words before its name say (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _modifier_kinds(self, value: str, out: Lexical) -> None:
        """Offer the kind of a term named by the value's last words that its first words
        (at most :data:`_MAX_MODIFIERS`) say, when no name says the value itself."""
        if out.note is not None or self._named(out):
            return
        split = split_qualifiers(value)
        head = split.head if split is not None and split.head else value
        words = normal_form(head).split()
        for i in range(1, min(_MAX_MODIFIERS, len(words) - 1) + 1):
            modifiers, rest = words[:i], " ".join(words[i:])
            if not _modifying(modifiers):
                return
            base = self._strong_row(rest)
            if base is None or self._root(base):
                continue
            kinds = self._exact_kinds(base, modifiers)
            if kinds:
                self._offer(base, modifiers, kinds, out)
                return

    def _exact_kinds(self, base: int, modifiers: list[str]) -> dict[int, int]:
        """Rows of in-branch terms at most :data:`_MAX_STEPS` below the term of ``base``
        named by the modifiers and one of its names, in any order ("atrial" + "cardiac
        muscle cell": "atrial cardiac muscle cell"; found by token key, one look-up per
        name of the term, so no name list is scanned)."""
        table, allowed, index = self.table, self._allowed_row_list, self.index
        base_id = table.term_ids[table.term[base]]
        found = index.terms.get(base_id)
        names = (
            [text for text, scope, _ in found.names() if scope in STRONG_SCOPES] if found else []
        )
        said = " ".join(modifiers)
        kinds: dict[int, int] = {}
        seen: set[int] = set()
        for name in names:
            key = token_key(f"{said} {normalize_steps(name).text}")  # (not remembered)
            for row in table.tokkey.get(key, ()):
                term = table.term[row]
                if term in seen or not (allowed[row] and table.strong(row)):
                    continue
                seen.add(term)
                steps = index.steps_above(table.term_ids[term]).get(base_id, _MAX_STEPS + 1)
                if steps <= _MAX_STEPS:
                    kinds[row] = 0
        return kinds

    def _named(self, out: Lexical) -> bool:
        """Did the value's own words (or a reading keeping them) name an in-branch term?"""
        table, allowed = self.table, self._allowed_row_list
        return any(
            allowed[h.row] and not (h.reading and h.reading[0] in _GUESSES) and table.strong(h.row)
            for h in out.hits
            if h.method != "fuzzy"
        )

    def _root(self, row: int) -> bool:
        """Is the term of ``row`` a root ("cell": every cell is a kind of it)?"""
        term_id = self.table.term_ids[self.table.term[row]]
        return term_id == CELL_ROOT or not self.index.steps_above(term_id)

    def _strong_row(self, norm: str) -> int | None:
        """An in-branch label or exact synonym written ``norm`` (normalised)."""
        allowed = self._allowed_row_list
        for row in self.table.normal.get(norm, ()):
            if allowed[row] and self.table.strong(row):
                return row
        return None

    def _offer(self, base: int, modifiers: list[str], kinds: dict[int, int], out: Lexical) -> None:
        table = self.table
        closest = self._topmost(sorted(kinds), base)
        said = " ".join(modifiers)
        name = table.text[base]
        score = METHOD_BASE["normalized"]
        if len(closest) > 1:  # the modifier does not decide: the broader term first
            note = f"{said!r} before {name!r} names several of its kinds; words dropped"
            out.hits.append(
                Hit(base, "normalized", score * _BROADER, 1.0, 1.0, None, False, ("dropped", note))
            )
        factor = _WEIGHT if len(closest) == 1 else _KINDS
        for row in closest:
            note = f"{said!r} before {name!r} names its kind {table.text[row]!r}"
            out.hits.append(
                Hit(row, "normalized", score * factor, 1.0, 1.0, None, False, ("specialised", note))
            )
        # the similarity tier still runs: it fills the top k (the kind ranks above it)

    def _topmost(self, rows: list[int], base: int) -> list[int]:
        """The rows whose term is below no other row's term ("ventricular cardiac muscle
        cell", not also a kind of it), and of those the fewest steps below the term of
        ``base`` ("ventricular cardiac muscle cell", one step below "cardiac muscle cell",
        before "regular ventricular cardiac myocyte", two steps)."""
        table, index = self.table, self.index
        above = {r: index.steps_above(table.term_ids[table.term[r]]) for r in rows}
        terms = {table.term_ids[table.term[r]] for r in rows}
        top = [r for r in rows if not any(t in terms for t in above[r])]
        base_id = table.term_ids[table.term[base]]
        fewest = min((above[r].get(base_id, 99) for r in top), default=0)
        return [r for r in top if above[r].get(base_id, 99) == fewest]


def _modifying(words: list[str]) -> bool:
    """May ``words`` (normalised) modify a name (letters, not a stop word or a qualifier
    such as a state or a side)?"""
    return all(w.isalpha() and w not in KEY_STOP and not is_qualifier(w) for w in words)
