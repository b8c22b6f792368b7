"""A word cut short, as cluster labels write cell types: ``Mono``, ``Macro``, ``Eryth``.

A cluster's count glued to it (``Epi1``, ``Mono2``) is set aside, as when written apart.

When a one-word value names nothing and no reading of it does, a curator reads it as the
start of a word: the one-word names (or ``<word> cell`` / ``<word> tissue``) of the
branch whose word begins with it (``Mono`` -> monocyte, ``Fibs`` -> fibroblast). Terms
CELLxGENE groups curated data by come first (its lists of organs, tissues, cell classes
and subclasses: :func:`~harmonize.match.values.usage.headline_terms`), then terms its
curators use, then shorter words. Such candidates come from a reading of their own
(``truncated``): close matches, at most 0.5 sure (a guess among the words the value
begins).

Among other words (``Prolif macrophage``), a word no name has is read as the word it
begins in most of the branch's names, when the text so read names a term as written
(never a similarity guess on guessed words). Labels in code style (``ChromaffinCell``,
``GranulosaPC``) are searched by their words read apart
(:func:`~harmonize.match.values.glued_words.words_apart`); once their shortened words
are read whole, such a label is read as a value of its own. :class:`TruncatedWords` is a
mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from harmonize.match.values.glued_words import APART_STEP
from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import key_tokens
from harmonize.match.values.interpret import normal_form
from harmonize.match.values.markers import marker_readings
from harmonize.match.values.usage import headline_terms

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["GUESSED_WORDS", "MAX_OFFERED", "TruncatedWords", "counted_stem", "stem_of"]

#: how many terms a shortened word offers (the steward picks among them)
MAX_OFFERED = 3
_MIN, _MAX = 3, 6  # letters of a shortened word ("Neu" .. "Eryth", "Macro")
#: ... among other words ("Prolif macrophage", "Microgl cell"); and how many words that a
#: shortened word begins are weighed (the vocabulary is sorted: no list is scanned)
_MAX_CUT, _MAX_WORDS = 8, 200
#: a name met only once the value's shortened words were read ranks below the same match
#: on the value's own words
GUESSED_WORDS = 0.9
_WEIGHT = 0.9
_HEAD_NOUNS = ("cell", "tissue")
#: a cluster's count glued to a word cut short ("Epi1", "Mono2"); "CD4" is a marker, not one
_GLUED_COUNT = re.compile(r"(?!cd\d)([a-z]+)(\d{1,2})")
#: the term the markers and the shortened word name together ranks just above the word's
_WITH_MARKERS = 1.005


def stem_of(norm: str) -> str:
    """The shortened word ``norm`` (a normalised value) may be, or ""."""
    return norm if _MIN <= len(norm) <= _MAX and norm.isalpha() else ""


def counted_stem(norm: str) -> tuple[str, str]:
    """The shortened word and the cluster count glued to it (``epi1`` -> ``("epi", "1")``,
    as ``Epi_1`` is written apart), or the shortened word alone, or ``("", "")``.

    >>> counted_stem("epi1"), counted_stem("mono"), counted_stem("sox10x"), counted_stem("cd4")
    (('epi', '1'), ('mono', ''), ('', ''), ('', ''))
    """
    if stem := stem_of(norm):
        return stem, ""
    found = _GLUED_COUNT.fullmatch(norm)
    if found is None or not (stem := stem_of(found.group(1))):
        return "", ""
    return stem, found.group(2)


class TruncatedWords:
    """Names whose word a shortened value begins (a mixin of the value matcher)."""

    table: NameTable
    allowed_row: Any  # numpy bool array, per row of the table: in the slot's branch
    _allowed_row_list: list[bool]
    _used: list[bool]
    _completions: dict[str, list[str]]  # a shortened word -> the words it may be read as

    def _in_branch(self, hits: list[Hit]) -> bool:
        raise NotImplementedError  # provided by ReadingTiers

    def _lexical(self, value: str, *, hedged: bool = False) -> Lexical:
        raise NotImplementedError  # provided by ReadingTiers

    def _read_apart(self, core: str, apart: str, out: Lexical, *, named: bool) -> None:
        """A label in code style: words written together (``core`` read ``apart``:
        "ChromaffinCell") are the fuzzy tier's query, the value as written a second one
        (an identifier such as "ZDB_Fish42" has words no name has: left as written).
        Unless the value's words ``named`` an in-branch term, shortened words ("Prolif
        macrophage", "Microgl cell") are read as the words they begin: the first reading that
        names an in-branch term as written gives its hits (``truncated``: a guess, below a
        name of the value's own words; never a similarity guess on guessed words); a label
        in code style whose words so read name nothing as written is read as a value of its
        own ("RegulCD4Tcells": "regulatory CD4 T cells", its marker read)."""
        if apart != core and out.query == out.norm and self._words_known(normal_form(apart)):
            out.query, out.whole = normal_form(apart), out.whole or out.norm
            out.steps = (*out.steps, APART_STEP)
        completed = self._completed_words(out.query, core) if out.query and not named else None
        if completed is None:
            return
        for text, said in completed:  # the words in most names first
            guessed = self._exact_only(text, GUESSED_WORDS, ("truncated", said))
            if self._in_branch(guessed):
                out.hits.extend(guessed)
                return
        if apart != core or "_" in core:  # a label in code style: the words it begins read
            text, said = completed[0]  # as a value of their own (its markers, its cell word)
            inner = self._lexical(text)
            allowed = self._allowed_row_list
            for hit in inner.hits if inner.note is None else ():
                if allowed[hit.row] and hit.method != "fuzzy":
                    read = f"{said}; {hit.reading[1]}" if hit.reading else said
                    hit.score *= GUESSED_WORDS
                    hit.reading = ("truncated", read)
                    out.hits.append(hit)

    def _words_known(self, norm: str) -> bool:
        """Are at least half of the words of ``norm`` words of the names, one of them of
        three letters or more?"""
        postings = self.table.postings
        words = key_tokens(norm)
        known = [w for w in words if w in postings]
        return 2 * len(known) >= len(words) and any(len(w) >= 3 for w in known)

    def _completed_words(self, query: str, written: str = "") -> list[tuple[str, str]] | None:
        """``prolif macrophage``, ``microgl cell``: in a query of several words, each word
        no name has that begins words of the branch's names (:data:`_MIN` to
        :data:`_MAX_CUT` letters) read as a word it begins ("proliferating", "microglial"):
        the completed queries, with what was read, the words in most in-branch names
        first (at most :data:`MAX_OFFERED`); None when no word is so read. A word the names
        have only as an abbreviation in capitals is no word of theirs when the value
        (``written``) writes it otherwise (``Hep B``: MONDO's "HEP" is a porphyria)."""
        words = query.split()
        if len(words) < 2:
            return None
        postings = self.table.postings
        capitals = set(written.split())
        readings: list[tuple[list[str], list[str]]] = [([], [])]
        for word in words:
            named = word in postings and not self._capitals_only(word, capitals)
            if named or not _MIN <= len(word) <= _MAX_CUT or not word.isalpha():
                fulls: list[str] = []
            else:
                if word not in self._completions:
                    self._completions[word] = self._completion(word)
                fulls = self._completions[word]
            readings = [
                ([*kept, full or word], [*said, f"{word!r} as {full!r}"] if full else said)
                for kept, said in readings
                for full in fulls or [""]
            ][:MAX_OFFERED]
        if not readings[0][1]:
            return None
        return [
            (" ".join(kept), f"shortened words read: {', '.join(said)}") for kept, said in readings
        ]

    def _capitals_only(self, word: str, written: set[str]) -> bool:
        """Do the names have ``word`` only as a short form in capitals (one or two names,
        "HEP") that the value does not write so (it writes "Hep")?"""
        table = self.table
        rows = table.postings[word]
        if len(rows) > 2 or word.upper() in written:
            return False
        return all(table.text[r].isupper() and table.field[r] == "abbreviation" for r in rows)

    def _completion(self, stem: str) -> list[str]:
        """The words beginning with ``stem`` (two letters longer at least), in most
        in-branch names first (at most :data:`MAX_OFFERED`, of the first
        :data:`_MAX_WORDS` such words; none in no in-branch name)."""
        table, allowed = self.table, self.allowed_row
        vocab = table.vocab_by_first.get(stem[0], [])
        counted: list[tuple[int, int, str]] = []
        start = bisect.bisect_left(vocab, stem)
        for word in vocab[start : start + _MAX_WORDS]:
            if not word.startswith(stem):
                break
            if len(word) < len(stem) + 2 or not word.isalpha():
                continue
            named = int(allowed[table.postings[word]].sum())
            if named:
                counted.append((-named, len(word), word))
        return [word for *_, word in sorted(counted)[:MAX_OFFERED]]

    def _exact_only(
        self, text: str, weight: float, reading: tuple[str, str], *, normal: bool = False
    ) -> list[Hit]:
        raise NotImplementedError  # provided by ExactTiers

    def _truncated(self, value: str, norm: str, out: Lexical, markers: Sequence[str] = ()) -> None:
        """``Mono``: monocyte (the value's one word begins a one-word name). Looks the
        words up in the table's vocabulary (sorted by first letter): nothing is built.
        ``markers`` set aside from the value (``CD14 Mono``) are read with the word: the
        term named by both ("CD14-positive monocyte") comes first."""
        stem, count = counted_stem(norm)
        if not stem:
            return
        table, allowed, used = self.table, self._allowed_row_list, self._used
        vocab = table.vocab_by_first.get(stem[0], [])
        headline = headline_terms()
        found: dict[int, tuple[tuple[bool, bool, int, bool], int]] = {}
        for i in range(bisect.bisect_left(vocab, stem), len(vocab)):
            word = vocab[i]
            if not word.startswith(stem):
                break
            if len(word) < len(stem) + 2 or not word.isalpha():
                continue
            for name in (word, *(f"{word} {noun}" for noun in _HEAD_NOUNS)):
                for row in table.normal.get(name, ()):
                    if not (allowed[row] and table.strong(row)):
                        continue
                    term = table.term[row]
                    broad = table.term_ids[term] in headline
                    key = (not broad, not used[term], len(word), table.scope[row] != "LABEL")
                    if term not in found or key < found[term][0]:
                        found[term] = (key, row)
        chosen = sorted(found.values())[:MAX_OFFERED]
        base = METHOD_BASE["normalized"] * _WEIGHT
        for rank, (_key, row) in enumerate(chosen):
            said = f"{value!r} read as a shortened word: {table.text[row]!r}"
            if count:
                said += f" (set aside {count!r}: a count)"
            tag = ("truncated", said)
            hit = Hit(row, "normalized", base * (1 - 0.01 * rank), 1.0, 1.0, None, False, tag)
            out.hits.append(hit)
            if markers:
                self._with_markers(table.text[row], markers, said, base * (1 - 0.01 * rank), out)

    def _with_markers(
        self, word: str, markers: Sequence[str], said: str, score: float, out: Lexical
    ) -> None:
        """The term the markers and the word name together (``CD14 Mono`` -> "CD14 monocyte"
        -> "CD14-positive monocyte"), just above the word's own term."""
        allowed = self._allowed_row_list
        for text in marker_readings(f"{' '.join(markers)} {word}")[:1]:
            note = f"{said}; marker notation read as {text!r}"
            for hit in self._exact_only(text, 1.0, ("truncated", note)):
                if allowed[hit.row] and self.table.strong(hit.row):
                    hit.score = score * _WITH_MARKERS
                    out.hits.append(hit)
