"""The matcher's prebuilt arrays over an ontology index's names.

Every label, synonym, curated name and learned abbreviation becomes one *name row*
(text, normalised text, target term, field, scope). Obsolete terms lend their names to
their ``replaced_by`` successor (or, without one, to their first ``consider`` term,
flagged). Exact, normalised and token-set keys go into dictionaries; word tokens go
into numpy posting arrays weighted by IDF for fuzzy candidate generation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harmonize.match.values.abbreviations import initialism, is_abbreviation
from harmonize.ontology.model import SCOPE_RANK
from harmonize.text.normalize import normalize_steps

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.mappings.model import MappingSet
    from harmonize.match.values.candidate import Field
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import NameScope

#: synonym scopes that mean the same as the label (OBO EXACT): a name as good as the label
STRONG_SCOPES: frozenset[str] = frozenset({"LABEL", "EXACT"})

__all__ = [
    "COMMON_DF",
    "FEW_NAMES",
    "KEY_STOP",
    "STRONG_SCOPES",
    "CuratedName",
    "NameTable",
    "bracket_key",
    "build_name_table",
    "curated_names",
    "exact_key",
    "joined_key",
    "key_tokens",
    "token_key",
]

#: Words left out of token keys and IDF postings: they carry no meaning for matching.
#: ("not", "non", "without" are kept: they change the meaning; "other" is the ICD-style
#: residual qualifier, "Other anaemias" -> anaemia.)
KEY_STOP: frozenset[str] = frozenset(
    {"a", "an", "the", "of", "in", "on", "and", "or", "for", "with", "to", "by", "at",
     "s", "nos", "unspecified", "disease", "disorder", "type", "other"}
)  # fmt: skip

#: Words in more names than this do not generate fuzzy candidates (small-index path);
#: they only add weight, so "cell" or "abnormal" does not pull half the ontology.
COMMON_DF = 3000
#: A word in more names than this is a class noun ("cell", "tissue"), no word of one
#: name's own: readings that scan the names with a value's rarest word stop there.
FEW_NAMES = 2000


def exact_key(text: str) -> str:
    """Case-folded text with runs of white space collapsed: the ``exact`` tier key."""
    return " ".join(text.casefold().split())


def key_tokens(norm: str) -> list[str]:
    """Meaningful words of a normalised text (stop words out unless nothing is left). A
    letter after "type" names the kind ("type A synoviocyte", "type S ..."): it
    stays, though "a" and "s" are stop words elsewhere.

    >>> key_tokens("type a synoviocyte"), key_tokens("a cell of the type")
    (['a', 'synoviocyte'], ['cell'])
    """
    words = norm.split()
    kept = [w for w in words if w not in KEY_STOP]
    if "type" in norm and "type" in words and len(kept) < len(words):
        kept = [
            w
            for i, w in enumerate(words)
            if w not in KEY_STOP or (len(w) == 1 and i and words[i - 1] == "type")
        ]
    return kept or words


def joined_key(norm: str) -> str:
    """Normalised text with its spaces (and possessive ``s``) removed: compounds written
    apart meet ("pace maker"), as do "coalworker s" and "coal workers'"."""
    return "".join(w for w in norm.split(" ") if w != "s")


def token_key(norm: str) -> str:
    """Meaningful words, sorted: word order and stop words do not matter, a word written
    twice does ("type 1 diabetes mellitus 1" is not "diabetes mellitus type 1")."""
    return " ".join(sorted(key_tokens(norm)))


_HAS_BRACKET = re.compile(r"[\(\[\{]")


def bracket_key(text: str) -> str | None:
    """``text`` normalised with its bracketed qualifiers kept (None: no brackets).

    Normalisation drops a bracketed qualifier ("cM0 (i+)" -> "cm0"); a name or value whose
    normalised hit needed that is told apart by comparing these keys. Every word counts
    (no stop words left out: the sub-line "K562(S)" is not the line "K562").
    """
    if _HAS_BRACKET.search(text) is None:
        return None
    return normalize_steps(text, drop_brackets=False).text


@dataclass(frozen=True, slots=True)
class CuratedName:
    """A curated synonym: ``text`` names term ``term_id`` (from an SSSOM mapping set)."""

    text: str
    term_id: str
    scope: NameScope = "EXACT"
    source: str | None = None


_PREDICATE_SCOPE: dict[str, NameScope] = {
    "skos:exactMatch": "EXACT",
    "owl:equivalentClass": "EXACT",
    "skos:closeMatch": "RELATED",
    "skos:relatedMatch": "RELATED",
    # subject broadMatch object: the curated text is narrower than the term
    "skos:broadMatch": "NARROW",
    "skos:narrowMatch": "BROAD",
}


def curated_names(sets: Iterable[MappingSet]) -> list[CuratedName]:
    """Names from curated mapping sets: each row's ``subject_label`` names its object."""
    out: list[CuratedName] = []
    for mapping_set in sets:
        for m in mapping_set.mappings:
            scope = _PREDICATE_SCOPE.get(m.predicate_id)
            if m.negated or scope is None or not m.subject_label:
                continue
            out.append(CuratedName(m.subject_label, m.object_id, scope, mapping_set.mapping_set_id))
    return out


class NameTable:
    """Parallel arrays of name rows plus the lookup structures built from them."""

    def __init__(self) -> None:
        self.term_ids: list[str] = []
        self.term_labels: list[str | None] = []
        self._term_pos: dict[str, int] = {}
        self.text: list[str] = []
        self.norm: list[str] = []
        self.field: list[Field] = []
        self.scope: list[NameScope] = []
        self.note: list[str | None] = []
        self.term: list[int] = []
        #: per row, the token key of the name with its brackets kept (None: no brackets)
        self.bracket_key: list[str | None] = []
        self.exact: dict[str, list[int]] = {}
        self.normal: dict[str, list[int]] = {}
        self.tokkey: dict[str, list[int]] = {}
        #: normalised text without spaces: "gastro oesophageal" meets "gastroesophageal"
        self.joined: dict[str, list[int]] = {}
        self.postings: dict[str, npt.NDArray[np.int32]] = {}
        self.idf: dict[str, float] = {}
        self.vocab_by_first: dict[str, list[str]] = {}
        self.name_weight: npt.NDArray[np.float64] | None = None
        self.name_term: npt.NDArray[np.int32] | None = None
        self.weak: list[bool] = []  # initialisms: exact tiers only, no fuzzy postings
        self._seen: set[tuple[int, str]] = set()

    def __len__(self) -> int:
        return len(self.text)

    def token_rows(self, norm: str) -> list[int]:
        """Rows whose names have the words of ``norm`` (a value's normal form), in any
        order; when none has them as written, those whose names have its distinct words
        (``A carcinoma and B carcinoma`` says "A and B carcinoma"; a name that writes a
        word twice, "type 1 diabetes mellitus 1", is never met by one that says it once)."""
        rows = self.tokkey.get(token_key(norm), [])
        if rows or not norm:
            return rows
        words = key_tokens(norm)
        distinct = list(dict.fromkeys(words))
        return self.tokkey.get(" ".join(sorted(distinct)), []) if len(distinct) < len(words) else []

    def rarest_postings(self, words: Iterable[str]) -> npt.NDArray[np.int32] | None:
        """The rows (sorted) of the names with the rarest of ``words``; None when there
        are no words or one of them is in no name."""
        found = [self.postings.get(w) for w in words]
        if not found or any(p is None or not len(p) for p in found):
            return None
        return min((p for p in found if p is not None), key=len)

    def strong(self, row: int) -> bool:
        """Is ``row`` a label or an exact synonym (not an initialism the table learned)?"""
        return self.scope[row] in STRONG_SCOPES and not self.weak[row]

    def term_index(self, term_id: str, label: str | None) -> int:
        pos = self._term_pos.get(term_id)
        if pos is None:
            pos = len(self.term_ids)
            self._term_pos[term_id] = pos
            self.term_ids.append(term_id)
            self.term_labels.append(label)
        return pos

    def add(
        self,
        text: str,
        term: int,
        field: Field,
        scope: NameScope,
        note: str | None = None,
        *,
        weak: bool = False,
    ) -> None:
        """Add one name row; a text already naming ``term`` is skipped (strongest first)."""
        text = text.strip()
        if not text:
            return
        dedup = (term, exact_key(text))
        if dedup in self._seen:
            return
        norm = normalize_steps(text).text
        if not norm:
            return
        self._seen.add(dedup)
        self.weak.append(weak)
        row = len(self.text)
        self.text.append(text)
        self.norm.append(norm)
        self.field.append(field)
        self.scope.append(scope)
        self.note.append(note)
        self.term.append(term)
        self.bracket_key.append(bracket_key(text))
        self.index_row(row, text, norm)

    def index_row(self, row: int, text: str, norm: str) -> None:
        """Enter one name row into the exact, normalised, joined and token-key lookups."""
        self.exact.setdefault(exact_key(text), []).append(row)
        self.normal.setdefault(norm, []).append(row)
        self.joined.setdefault(joined_key(norm), []).append(row)
        self.tokkey.setdefault(token_key(norm), []).append(row)

    def finish(self) -> None:
        """Build the numpy arrays (postings, IDF, per-name weights)."""
        import numpy as np

        posting_lists: dict[str, list[int]] = {}
        for row, norm in enumerate(self.norm):
            if self.weak[row]:
                continue
            for tok in set(key_tokens(norm)):
                posting_lists.setdefault(tok, []).append(row)
        total = max(len(self.norm), 1)
        self.idf = {tok: math.log(1 + total / len(rows)) for tok, rows in posting_lists.items()}
        self.postings = {
            tok: np.asarray(rows, dtype=np.int32) for tok, rows in posting_lists.items()
        }
        weights = np.zeros(len(self.norm), dtype=np.float64)
        for row, norm in enumerate(self.norm):
            weights[row] = sum(self.idf.get(t, 0.0) for t in sorted(set(key_tokens(norm))))
        self.name_weight = weights
        self.name_term = np.asarray(self.term, dtype=np.int32)
        by_first: dict[str, list[str]] = {}
        for tok in self.postings:
            if len(tok) >= 4 and tok.isalpha():
                by_first.setdefault(tok[0], []).append(tok)
        self.vocab_by_first = {c: sorted(words) for c, words in by_first.items()}  # stable ties
        self._seen.clear()


def _obsolete_target(index: OntologyIndex, term_id: str) -> tuple[str | None, str | None]:
    """Where the names of an obsolete term go, and the note saying so.

    A ``replaced_by`` successor outside the loaded ontologies (EFO anatomy terms replaced
    by UBERON ones, say) is still the right answer: it is kept, without a label, and the
    note says it was not loaded (a branch restriction then always excludes it).
    """
    term = index.terms[term_id]
    target = index.resolve(term_id)
    if target is not None and target != term_id:
        if target in index.terms:
            return target, f"name of obsolete {term_id} (replaced_by {target})"
        return target, f"name of obsolete {term_id} (replaced_by {target}, not loaded)"
    live = [c for c in term.consider if c in index.terms and not index.terms[c].obsolete]
    if live:
        return live[0], f"name of obsolete {term_id}; consider {', '.join(live)}"
    return None, None


_OBSOLETE_PREFIX = re.compile(r"^obsolete[\s_:]+", re.IGNORECASE)


def _strip_obsolete(name: str) -> str:
    """``obsolete_stroke`` / ``OBSOLETE stroke`` -> ``stroke`` (a name moved to a successor)."""
    return _OBSOLETE_PREFIX.sub("", name, count=1)


def build_name_table(
    index: OntologyIndex, curated: Sequence[CuratedName] = (), *, initialisms: bool = True
) -> NameTable:
    """Name rows for every live term, obsolete names moved to their successors."""
    table = NameTable()
    live = [t for t in index.terms.values() if not t.obsolete and t.label]
    for term in live:
        table.term_index(term.id, term.label)
    for cur in curated:
        target = cur.term_id
        if target in index.terms and index.terms[target].obsolete:
            target = index.resolve(target) or ""
        if target in index.terms:
            pos = table.term_index(target, index.terms[target].label)
            table.add(
                cur.text,
                pos,
                "curated",
                cur.scope,
                f"curated in {cur.source}" if cur.source else None,
            )
    deferred: list[tuple[str, int, Field, NameScope, str | None]] = []
    for term in live:
        pos = table.term_index(term.id, term.label)
        for text, scope, typ in sorted(term.names(), key=lambda n: SCOPE_RANK.get(n[1], 9)):
            if scope == "LABEL":
                table.add(text, pos, "label", "LABEL")
            elif is_abbreviation(text, typ):
                table.add(text, pos, "abbreviation", scope)
            else:
                table.add(text, pos, "synonym", scope)
        if initialisms and term.label:
            short = initialism(term.label)
            if short is not None:
                deferred.append(
                    (short, pos, "abbreviation", "RELATED", f"initialism of {term.label!r}")
                )
    for term in index.terms.values():
        if not term.obsolete:
            continue
        successor, note = _obsolete_target(index, term.id)
        if successor is None or note is None:
            continue
        known = index.terms.get(successor)
        pos = table.term_index(successor, known.label if known is not None else None)
        for text, scope, typ in term.names():
            text = _strip_obsolete(text)
            field: Field = (
                "label"
                if scope == "LABEL"
                else ("abbreviation" if is_abbreviation(text, typ) else "synonym")
            )
            table.add(text, pos, field, "EXACT" if scope == "LABEL" else scope, note)
    for text, pos, field, scope, note in deferred:
        table.add(text, pos, field, scope, note, weak=True)
    table.finish()
    return table


def describe(table: NameTable) -> dict[str, Any]:
    """Counts for logs and benchmarks."""
    return {"terms": len(table.term_ids), "names": len(table), "tokens": len(table.postings)}
