"""Broader terms, words of the value dropped, once the fuzzy tier has run.

A value none of whose readings named a term may still say one in fewer words
(``Transitional urothelium`` -> urothelium): the first level of
:func:`~harmonize.match.values.interpret.dropped_readings` that names an in-branch term
gives broader terms (``skos:broadMatch``, never auto-accepted), scored as the fuzzy tier
would score their names against the value, and only when no name the fuzzy tier found can
be as close as a name of so few of the value's words (:class:`_Bound`).

A clause after the value's head (``Bronchus with surrounding parenchyma``, ``... without
...``, ``... including ...``) says what else the sample holds: the head names what was
sampled, a clause of where (``macrophages in lung``) where it was. The head's words are
then always tried, and its term goes above every name the fuzzy tier found that does not
say both a word of the clause and one of the head ("space surrounding organism" says only
the clause's; "lung macrophage" says both and stands), and above every name saying what a
``without`` clause excludes ("stomach mucosa" for ``stomach without mucosa``). Not in a
branch whose own names are written with such clauses (diseases, phenotypes): there the
clause is part of the name.
:class:`DroppedWords` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from harmonize.match.values.fuzzy import DICE_WEIGHT, pair_similarity
from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import FEW_NAMES, key_tokens
from harmonize.match.values.interpret import dropped_readings, normal_form
from harmonize.match.values.specialise import CLAUSE, clause_head

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.interpret import Reading
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["DroppedWords"]

#: a name met only through a clause's words ranks just below the head's term
_BELOW = 0.99
#: a branch with at least this share of names written with a clause names such clauses
_CLAUSE_SHARE = 0.01
_STRIDE = 7  # (a sample of the branch's names is enough for a share)
#: a clause saying what the sample does not hold: a name saying its words says the opposite
_WITHOUT = re.compile(r"\s+(?:without|w/o|excluding)\s", re.IGNORECASE)


class DroppedWords:
    """Broader terms, words of the value dropped (a mixin of the value matcher)."""

    table: NameTable
    _allowed_row_list: list[bool]
    _max_idf: float  # the IDF of a word no name has (-1: not computed yet)
    _clauses_named: bool | None  # are the branch's names written with clauses? (None: not read)

    if TYPE_CHECKING:

        def _in_branch(self, hits: list[Hit]) -> bool: ...
        def _level_hits(self, level: list[Reading]) -> list[Hit]: ...
        def _taxon_specific(self, out: Lexical, norm: str) -> None: ...

    def words_dropped(self, value: str, out: Lexical, best: float) -> None:
        """Broader terms, words of the value dropped (``skos:broadMatch``), when the fuzzy
        tier found no in-branch name as close to the value (``best``) as a name reached
        by dropping a word can be: the first level naming an in-branch term."""
        heads = out.heads  # (one word: none to drop)
        if not heads or out.note is not None:
            return
        aside = self._clause_aside(heads, out.hits)
        # (a clause after the head: the head's words are tried whatever the bound)
        bounds = {} if aside is not None else {h: _Bound(self, normal_form(h)) for h, _ in heads}
        if bounds and best >= max(b.at_most(b.words - 1) for b in bounds.values()):
            return
        for head, level in dropped_readings(heads):
            bound = bounds.get(head)
            kept = max(len(normal_form(r.text).split()) if not r.normal else len(r.text.split())
                       for r in level)  # fmt: skip
            if bound is not None and best >= bound.at_most(kept):
                continue  # no name of so few of the value's words can come closer
            found = self._level_hits(level)
            if self._in_branch(found):
                self._as_partial(found, normal_form(head))
                top = max(h.score for h in found)
                for hit in aside or ():  # ("space surrounding organism": the clause's)
                    hit.score = min(hit.score, top * _BELOW)
                out.hits.extend(found)
                if out.lineage is not None:  # "PB" -> blood -> "vertebrate blood"
                    self._taxon_specific(out, out.norm)
                return

    def _fuzzy(self, hits: list[Hit]) -> list[Hit]:
        allowed = self._allowed_row_list
        return [h for h in hits if h.method == "fuzzy" and allowed[h.row]]

    def _clause_aside(self, heads: list[tuple[str, str]], hits: list[Hit]) -> list[Hit] | None:
        """None when no head has a clause; else the fuzzy tier's in-branch hits whose names
        do not say both a word of the clause and one of the words before it ("space
        surrounding organism", "intraepithelial T cell" for ``T cells with high
        mitochondrial content``; "lung macrophage" for ``macrophages in lung`` stands), or
        say a word of a clause of what the sample does not hold (``without``)."""
        clauses = [(cut, head) for head, _ in heads if (cut := clause_head(head))]
        if not clauses or self._clauses_in_names():
            return None
        aside: dict[int, Hit] = {}
        for cut, head in clauses:
            said = set(key_tokens(normal_form(cut)))
            clause = set(key_tokens(normal_form(head))) - said
            postings = self.table.postings  # (a class noun, "cell", is no word of its own)
            kept = {w for w in said if len(postings.get(w, ())) <= FEW_NAMES}
            without = _WITHOUT.match(head[len(cut) :]) is not None
            for hit in self._fuzzy(hits):
                words = set(key_tokens(self.table.norm[hit.row]))
                says = bool(words & clause)  # ("stomach mucosa" for "stomach without mucosa")
                if not (says and words & kept) or (says and without):
                    aside[id(hit)] = hit
        return list(aside.values())

    def _clauses_in_names(self) -> bool:
        """Are the branch's names written with such clauses ("... with ...", "... in ...":
        MONDO 6.9 %, HP 4.9 %, EFO 2.1 % of names; UBERON 0.25 %, CL 0.03 %)? Then a
        clause is part of what a value names ("Immunodeficiency with predominantly antibody
        defects"), not an aside. Read once, on every :data:`_STRIDE`-th name."""
        if self._clauses_named is None:
            allowed, norms = self._allowed_row_list, self.table.norm
            rows = [r for r in range(0, len(norms), _STRIDE) if allowed[r]]
            named = sum(1 for r in rows if CLAUSE.search(norms[r]))
            self._clauses_named = bool(rows) and named >= _CLAUSE_SHARE * len(rows)
        return self._clauses_named

    def _unknown_idf(self) -> float:
        if self._max_idf < 0:
            self._max_idf = max(self.table.idf.values(), default=1.0)
        return self._max_idf

    def _as_partial(self, hits: list[Hit], query: str) -> None:
        """A name reached by dropping words scores as the fuzzy tier would score it against
        the value's head (IDF overlap + characters): "obsolete rat-bite fever" -> "fever"
        keeps few of the value's informative words, so it loses against a near-whole name."""
        unknown = self._unknown_idf()
        base = METHOD_BASE["fuzzy"]
        for hit in hits:
            found = pair_similarity(self.table, query, hit.row, unknown)
            hit.score = base * found.similarity
            hit.sim, hit.dice = found.sim, found.dice


class _Bound:
    """The best fuzzy similarity a name made of ``k`` of the query's words can have: IDF
    overlap with its ``k`` heaviest words; characters: at most its ``k`` longest words,
    stop words and spaces in common (indel similarity <= 2 common / (|query| + common))."""

    def __init__(self, tiers: DroppedWords, query: str) -> None:
        idf = tiers.table.idf
        unknown = tiers._unknown_idf()
        words = query.split()
        tokens = set(key_tokens(query))
        self.query_len = len(query)
        self.weights = sorted((idf.get(w, unknown) for w in tokens), reverse=True)
        self.lengths = sorted((len(w) for w in tokens), reverse=True)
        # characters a name can share beyond its words: the query's stop words and spaces
        self.shared = sum(len(w) for w in words if w not in tokens) + len(words) - 1
        self.words = len(words)

    def at_most(self, k: int) -> float:
        if k >= self.words or not self.weights:
            return 2.0  # nothing dropped (a "with" clause, a bracket): always try
        total = sum(self.weights)
        kept = sum(self.weights[:k])
        dice = 2.0 * kept / (total + kept) if total > 0 else 0.0
        common = sum(self.lengths[:k]) + self.shared
        chars = 2.0 * common / (self.query_len + common) if common > 0 else 0.0
        return DICE_WEIGHT * min(dice, 1.0) + (1.0 - DICE_WEIGHT) * min(chars, 1.0)
