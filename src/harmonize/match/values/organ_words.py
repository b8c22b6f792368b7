"""A value that is an organ's adjective: ``duodenal bx`` -> duodenum, ``esophageal``.

Partners write the adjective a tissue goes by ("gastric", "renal", "duodenal bx"); the
ontology names the organ by its noun and writes the adjective in other names ("duodenal
epithelium" beside "duodenum epithelium"). When what is left of a value is one word that
names no term, the words the ontology writes in its place (names of one term that differ
only in that word, for at least :data:`~harmonize.match.values.context_terms.MIN_PAIRED`
terms: learned from the loaded file, no word list) are looked up, and an in-branch term
named by such a word is offered, read as the organ (reading ``cell``: a bare tissue word
read as the tissue; never auto-accepted). When the file pairs no word with it, the noun the
adjective is formed from by the Latin endings anatomy uses (:data:`FORMED_FROM`:
``pleural`` -> pleura, ``omental`` -> omentum, ``dermal`` -> dermis, ``nasopharyngeal`` ->
nasopharynx) is looked up, and offered when it is an in-branch term's name. :class:`OrganWords` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from harmonize.match.values.context_terms import MIN_PAIRED
from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import COMMON_DF, STRONG_SCOPES, key_tokens, token_key
from harmonize.match.values.interpret import benign_bracket, normal_form
from harmonize.match.values.qualifiers import is_qualifier
from harmonize.match.values.specialise import bracket_parts
from harmonize.match.values.word_contrasts import contrasted

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["FORMED_FROM", "OrganWords", "formed_nouns", "words_in_place"]

_WEIGHT = 0.9  # below a name the value says itself
_MIN_LETTERS = 5  # "oral", "anal" ... are names or qualifiers already; adjectives are longer
#: words after the adjective that may name the organ's part ("antrum"); more would send
#: every long value that names nothing through the adjective's names
_PART_WORDS = 1
#: an anatomical adjective's ending -> the endings of the noun it is formed from, most
#: usual first (Latin and Greek derivation as anatomical terms use it: pleura -> pleural,
#: omentum -> omental, dermis -> dermal, thymus -> thymic, mesentery -> mesenteric,
#: larynx -> laryngeal, vulva -> vulvar, tonsil -> tonsillar; a noun in -le or -ule takes
#: -ular: testicle -> testicular, lobule -> lobular)
FORMED_FROM: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ngeal", ("nx",)),
    ("ular", ("le", "ule")),
    ("ical", ("ix",)),
    ("eal", ("eum", "ea", "eus")),
    ("al", ("a", "um", "us", "is", "")),
    ("ar", ("a", "um", "us", "")),
    ("ic", ("us", "y", "a", "is", "")),
    ("ine", ("us", "a")),
)


_ADJECTIVE_ENDINGS = tuple(ending for ending, _ in FORMED_FROM)


def formed_nouns(word: str) -> list[str]:
    """Nouns ``word`` may be the adjective of (:data:`FORMED_FROM`), most usual first; a
    doubled letter before the ending is also read single (``tonsillar`` -> tonsil).

    >>> formed_nouns("pleural")[:3], "nasopharynx" in formed_nouns("nasopharyngeal")
    (['pleura', 'pleurum', 'pleurus'], True)
    """
    out: list[str] = []
    for ending, nouns in FORMED_FROM:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            stems = [stem, stem[:-1]] if stem[-1] == stem[-2] else [stem]
            out.extend(s + noun for noun in nouns for s in stems if s + noun != word)
    return list(dict.fromkeys(out))


def words_in_place(table: NameTable, index: OntologyIndex, word: str) -> list[str]:
    """Words the ontology writes in place of ``word`` (normalised) in names of the same
    terms, most terms first: ``duodenal`` -> ``["duodenum"]``. The relation of
    :func:`~harmonize.match.values.context_terms.word_pairs`, for one word, and also the
    adjective before what a name says and the noun after "of" in another name of the
    term (``nasal bone`` / ``bone of nose``: ``nasal`` -> ``nose``). Only the names with
    the word are read (its postings); the whole-table pass would cost every process
    ~0.8 s on the 100k scale run."""
    rows = table.postings.get(word)
    if rows is None or len(rows) > COMMON_DF:  # (a common word, no organ's adjective)
        return []
    terms_by_word: dict[str, set[int]] = {}
    for row in rows.tolist():
        words = table.norm[row].split()
        if word not in words or not table.strong(row):
            continue
        at = words.index(word)
        term = table.term[row]
        found = index.terms.get(table.term_ids[term])
        for text, scope, _ in found.names() if found is not None else ():
            other = normal_form(text).split() if scope in STRONG_SCOPES else []
            noun = _in_place(words, other, at)
            if noun is not None and noun != word:
                terms_by_word.setdefault(noun, set()).add(term)
    kept = [
        (len(t), w)
        for w, t in terms_by_word.items()
        if len(t) >= MIN_PAIRED and not contrasted(table, word, w)
    ]
    return [w for _, w in sorted(kept, key=lambda k: (-k[0], k[1]))]


def _in_place(words: list[str], other: list[str], at: int) -> str | None:
    """The word ``other`` (a name of the same term) writes in place of ``words[at]``:
    the same words but that one (``duodenal epithelium`` / ``duodenum epithelium``), or
    the words after it followed by "of" and one noun (``nasal bone`` / ``bone of nose``,
    ``bone of the nose``)."""
    if other[:at] != words[:at]:
        return None
    rest = words[at + 1 :]
    if len(other) == len(words):
        return other[at] if other[at + 1 :] == rest else None
    tail = other[at:]
    if rest and tail[: len(rest)] == rest:
        said = tail[len(rest) :]
        if len(said) == 2 and said[0] == "of":
            return said[1]
        if len(said) == 3 and said[:2] == ["of", "the"]:
            return said[2]
    return None


class OrganWords:
    """Organs named by their adjective (a mixin of the value matcher)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]
    _part_nouns: dict[str, list[tuple[str, str]]]  # adjective -> its organ nouns, with how

    def _organ_word(self, head: str, out: Lexical) -> bool:
        """``duodenal``: offer the in-branch terms named by the word the ontology writes
        in its place in most terms ("duodenum"; ``renal``: kidney, not the ureter of
        "renal pelvis" / "pelvis of ureter"); True when one was found."""
        word = normal_form(head)
        if " " in word or len(word) < _MIN_LETTERS or not word.isalpha():
            return False
        table = self.table
        parts = bracket_parts(head)  # "adipose (omentum)": the bracket said, not dropped
        aside = (
            f"; bracket {parts[1]!r} set aside" if parts and not benign_bracket(parts[1]) else ""
        )
        for noun, said in self._organ_nouns(word):
            rows = self._named_rows(noun)
            for row in rows:
                text = f"{head!r} read as the organ it names: {table.text[row]!r} ({said})"
                tag = ("qualifier" if aside else "cell", text + aside)
                score = METHOD_BASE["normalized"] * _WEIGHT
                out.hits.append(Hit(row, "normalized", score, 1.0, 1.0, None, False, tag))
            if rows:
                return True
        return False

    def _organ_part(self, head: str, out: Lexical) -> bool:
        """``gastric antrum``: an organ's adjective, then a part of the organ that the
        ontology names with the noun ("antrum of stomach", "stomach antrum"; the same
        words in any order), when the noun names a term itself (an organ: not "mature",
        written in place of "activated"); True when an in-branch term was found so."""
        first, *rest = normal_form(head).split() or [""]
        if not rest or len(rest) > _PART_WORDS or len(first) < _MIN_LETTERS:
            return False
        if not first.endswith(_ADJECTIVE_ENDINGS) or not first.isalpha():
            return False
        table, allowed = self.table, self._allowed_row_list
        if not all(w in table.postings for w in key_tokens(" ".join(rest))):
            return False  # a word no name has (a typo): no name says the part either
        if first not in self._part_nouns:  # (the pairs of a word are read once)
            self._part_nouns[first] = list(self._organ_nouns(first))
        for noun, said in self._part_nouns[first]:
            if not any(table.strong(r) for r in table.normal.get(noun, ())):
                continue  # no term is named so: no organ ("activated" / "mature")
            key = token_key(" ".join([noun, *rest]))
            rows = [r for r in table.tokkey.get(key, ()) if allowed[r] and table.strong(r)]
            for row in rows:
                text = (
                    f"{first!r} read as the organ it names, {noun!r} ({said}): {table.text[row]!r}"
                )
                score = METHOD_BASE["normalized"] * _WEIGHT
                out.hits.append(
                    Hit(row, "normalized", score, 1.0, 1.0, None, False, ("cell", text))
                )
            if rows:
                return True
        return False

    def _organ_nouns(self, word: str) -> Iterator[tuple[str, str]]:
        """Nouns that may name the organ ``word`` is the adjective of, with how: those the
        ontology writes in its place, else the one it is formed from (a label before a
        synonym: "tonsil", not "tonsilla", the paraflocculus). A qualifier is none
        ("dorsal": not "adult", a life stage written in its place)."""
        paired = [n for n in words_in_place(self.table, self.index, word) if not is_qualifier(n)]
        for noun in paired:
            yield noun, f"the ontology writes {word!r} in place of {noun!r}"
        if any(self._named_rows(n) for n in paired):
            return
        named = [n for n in formed_nouns(word) if not is_qualifier(n) and self._named_rows(n)]
        scope = self.table.scope
        labelled = [n for n in named if any(scope[r] == "LABEL" for r in self._named_rows(n))]
        for noun in (labelled or named)[:1]:
            yield noun, f"{word!r} is formed from {noun!r}"

    def _named_rows(self, noun: str) -> list[int]:
        """In-branch rows of labels and exact synonyms whose normal form is ``noun``."""
        table, allowed = self.table, self._allowed_row_list
        return [r for r in table.normal.get(noun, ()) if allowed[r] and table.strong(r)]
