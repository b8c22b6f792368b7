"""The value matcher's exact tiers: exact, normalised, token key, alternatives.

``exact`` (case and spacing only), ``normalized`` (see :mod:`harmonize.text.normalize`),
``token`` (same set of meaningful words), and the alternatives of ``"a/b"``. A value with
an exact or normalised hit, or a token hit on a label or exact synonym, is not sent to the
fuzzy tier (no fuzzy score can outrank it). :class:`ExactTiers` is a mixin of
:class:`~harmonize.match.values.matcher.ValueMatcher`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import (
    STRONG_SCOPES,
    exact_key,
    joined_key,
    key_tokens,
)
from harmonize.match.values.interpret import normal_form, remember_normal
from harmonize.match.values.qualifiers import ends_in_cluster_count
from harmonize.match.values.readings import ALTERNATIVES, alternative_readings, says_disease
from harmonize.text.normalize import american_spelling, normalize_steps

if TYPE_CHECKING:
    from harmonize.match.values.candidate import Method
    from harmonize.match.values.index import NameTable

__all__ = ["INITIALISM_READING", "ExactTiers"]

_HAS_BRACKET = re.compile(r"[\(\[\{]")
#: a token hit where only one side names a disease ("disorders of cartilage" / "cartilage")
_DISEASE_WORD_WEIGHT = 0.85
#: a name whose normal form dropped its "NOS" ("AML, NOS": the residual class, not otherwise
#: specified) met by a value that says no such thing: weaker than a name said as written
#: ("AML", the abbreviation of acute myeloid leukemia); so is a plural name of another term
#: than the one the value names as written ("lungs", the pair, for the one organ)
_RIVAL_WEIGHT = 0.9
_NOS_SAID = re.compile(r"\b(?:nos|not otherwise|unspecified|nec)\b", re.IGNORECASE)  # (first)
#: how a hit met only through an initialism the table made of a label is read: a guess
#: (a calibration column of its own, capped; the ontology's own abbreviations are not)
INITIALISM_READING = ("initialism", "the value read as the initials of the term's label (a guess)")


@functools.lru_cache(maxsize=65536)
def _name_says_nos(text: str) -> bool:
    """Did ``text``'s normal form drop "NOS" / "not otherwise specified" ("AML, NOS")?"""
    return _NOS_SAID.search(text) is not None and "nos" in normalize_steps(text).steps


@functools.lru_cache(maxsize=4096)
def _plural(text: str) -> bool:
    """Was ``text`` (a name) made singular by its normal form ("lungs")?"""
    return "plural" in normalize_steps(text).steps


def _read_initialisms(hits: list[Hit], weak: list[bool]) -> None:
    """Hits met only through an initialism the table made ("SM": the initials of
    "suppressor macrophage") are read as :data:`INITIALISM_READING`, a guess."""
    for hit in hits:
        if weak[hit.row] and hit.reading is None:
            hit.reading = INITIALISM_READING


def _full_key(text: str) -> str:
    """``text`` normalised with its bracketed qualifiers kept (as the name table's
    :func:`~harmonize.match.values.index.bracket_key`)."""
    return normalize_steps(text, drop_brackets=False).text


class ExactTiers:
    """Exact, normalised, token-key and alternative hits of one value (a mixin)."""

    table: NameTable
    _allowed_row_list: list[bool]
    _all_allowed: bool
    _disease_rows: list[int]
    _initialism_words: frozenset[str]

    def _plain(self, value: str) -> tuple[list[Hit], tuple[str, ...], str, bool]:
        """Exact/normalised/token hits; also whether one is strong (no fuzzy needed).

        A normalised/token hit on a name with brackets is demoted to ``bracketed`` when it
        needed the name's bracketed qualifier dropped: ``cM0`` meets ``cM0 (i+)`` (isolated
        tumour cells, another value) only that way, and must not rank or score as an equal
        name. The name's bracket-kept key is stored in the table (computed once, at build).
        """
        table = self.table
        allowed_row = self._allowed_row_list
        hits = [Hit(r, "exact", METHOD_BASE["exact"], 1.0, 1.0) for r in table.exact.get(
            exact_key(value), ()
        )]  # fmt: skip
        norm = normalize_steps(value)
        remember_normal(value, norm.text)
        value_key: str | None = None if _HAS_BRACKET.search(value) else norm.text
        # an exact hit is strong unless it only met a learned initialism (a guess)
        weak = table.weak
        strong = any(allowed_row[h.row] and not weak[h.row] for h in hits)
        bracket_key = table.bracket_key
        bracketed_base = METHOD_BASE["bracketed"]
        row_disease = self._row_disease
        value_disease = says_disease(norm.text)
        normal_rows = table.normal.get(norm.text, ())
        # the value with only its case and spelling changed (when it has an exact hit)
        spelled_as = american_spelling(exact_key(value)) if hits and normal_rows else None
        tiers = self._later_tiers(value, norm.text, normal_rows, value_key)
        nos_free = "nos" not in norm.steps
        # the terms the value names as written: a plural name of another (the pair's
        # "lungs", for the one organ) met only once made singular is no equal rival of them
        said = [] if "plural" in norm.steps else [h for h in hits if not weak[h.row]]
        said_terms = {table.term[h.row] for h in said}
        # a row met again by a later tier is met no better (its base is lower, its checks
        # the same): it is left out, as ranking keeps each term's best hit only
        met = {h.row for h in hits}
        for method, rows, joined in tiers:
            base = METHOD_BASE[method]
            for row in rows:
                if row in met:
                    continue
                met.add(row)
                name_key = bracket_key[row]
                if name_key is not None:
                    if value_key is None:
                        value_key = _full_key(value)
                    if name_key != value_key:
                        hits.append(Hit(row, "bracketed", bracketed_base, 1.0, 1.0))
                        continue
                if (nos_free and _name_says_nos(table.text[row])) or (  # "AML" is not "AML, NOS"
                    said_terms and table.term[row] not in said_terms and _plural(table.text[row])
                ):
                    hits.append(Hit(row, method, base * _RIVAL_WEIGHT, 1.0, 1.0, joined=joined))
                    continue
                if method == "token" and value_disease != row_disease(row):
                    # "disorders of cartilage" is not "cartilage": only one side names a
                    # disease, so this is weaker than a same-words hit and the fuzzy tier runs
                    hits.append(Hit(row, method, base * _DISEASE_WORD_WEIGHT, 1.0, 1.0))
                    continue
                # "Leukaemia" is the same name as "leukemia": as strong as an exact hit
                if (
                    method == "normalized"
                    and not joined
                    and spelled_as is not None  # (rows with an exact hit were met: skipped)
                    and american_spelling(exact_key(table.text[row])) == spelled_as
                ):
                    hits.append(Hit(row, method, METHOD_BASE["exact"], 1.0, 1.0))
                    continue
                hits.append(Hit(row, method, base, 1.0, 1.0, joined=joined))
                # a normalised hit, or the same meaningful words as a label or exact
                # synonym: no fuzzy score can outrank it
                if not strong and allowed_row[row] and not weak[row]:
                    strong = method == "normalized" or table.scope[row] in STRONG_SCOPES
        if not strong and ALTERNATIVES.search(value):
            hits.extend(self._alternatives(value, value_disease))
        _read_initialisms(hits, weak)
        return hits, norm.steps, norm.text, strong

    def _later_tiers(
        self, value: str, norm: str, normal_rows: Sequence[int], value_key: str | None
    ) -> tuple[tuple[Method, Iterable[int], bool], ...]:
        """The tiers after the exact one: (method, rows, met with spaces changed)."""
        # a cluster's count ("DC_1") is read as a count (qualifiers), never as a word of the name
        counted = ends_in_cluster_count(value)
        return (
            ("normalized", normal_rows, False),
            ("normalized", self._joined_rows(norm, normal_rows, value_key, counted), True),
            ("token", self.table.token_rows(norm) if norm and not counted else (), False),
        )

    def _joined_rows(
        self, norm: str, normal_rows: Sequence[int], value_key: str | None, counted: bool
    ) -> Sequence[int]:
        """Names the value meets with spaces taken out or put in ("K-562", "pacemaker" /
        "pace maker"), when no name says its words as normalised: a name met only by
        dropping its own bracket ("K562(S)" for "K562") or a learned initialism is no hit of
        the value's words. None for a value ending in a cluster's count."""
        table = self.table
        weak, bracket_key = table.weak, table.bracket_key
        named = any(
            not weak[r] and (value_key is None or bracket_key[r] in (None, value_key))
            for r in normal_rows
        )
        if named or counted:
            return ()
        if " " in norm:
            return table.joined.get(joined_key(norm), ())
        return [r for r in table.joined.get(norm, ()) if " " in table.norm[r]]

    def _exact_only(
        self, text: str, weight: float, reading: tuple[str, str], *, normal: bool = False
    ) -> list[Hit]:
        """Exact, normalised and token hits of a reading's ``text`` (no alternatives);
        ``normal``: ``text`` is already normalised (only the last two tiers)."""
        table = self.table
        norm = text if normal else normal_form(text)
        if not norm or not self._known(norm):
            return []  # a word no name has: no name has these words (nor this text)
        out: list[Hit] = []
        seen: set[int] = set()
        tiers: tuple[tuple[Method, Iterable[int]], ...] = (
            ("exact", () if normal else table.exact.get(exact_key(text), ())),
            ("normalized", table.normal.get(norm, ())),
            ("token", table.token_rows(norm) if norm else ()),
        )
        bracket_key = table.bracket_key
        nos_free = normal or not _name_says_nos(text)
        for method, rows in tiers:
            for row in rows:
                if row not in seen:
                    seen.add(row)
                    if method != "exact" and bracket_key[row] not in (None, norm):
                        # "macrophage (sensu Diptera)" met by dropping its own bracket: as
                        # in the plain tiers, no name equal to the reading
                        method_here: Method = "bracketed"
                    else:
                        method_here = method
                    base = METHOD_BASE[method_here] * weight
                    if method != "exact" and nos_free and _name_says_nos(table.text[row]):
                        base *= _RIVAL_WEIGHT  # ("AML, NOS" for a reading "AML")
                    out.append(Hit(row, method_here, base, 1, 1, None, False, reading))
        return out

    def _known(self, norm: str) -> bool:
        """Is every meaningful word of ``norm`` a word of some name (a word of the
        postings, or of a learned initialism, which the postings leave out)?"""
        postings = self.table.postings
        extra = self._initialism_words
        return all(w in postings or w in extra for w in key_tokens(norm))

    def _row_disease(self, row: int) -> bool:
        """Does the name of ``row`` name a disease? (computed once per row, on demand)"""
        flag = self._disease_rows[row]
        if flag < 0:
            flag = self._disease_rows[row] = int(says_disease(self.table.norm[row]))
        return bool(flag)

    def _alternatives(self, value: str, disease: bool) -> list[Hit]:
        """``"emphysema/chronic bronchitis"``: each alternative through the exact tiers.

        A one-word alternative beside a longer one may swap one of its words
        (``"fracture patella / knee"``, ``"infective/viral hepatitis"``): when the swapped
        reading (``"fracture knee"``) names a term, it is tried at full part weight and
        the bare word only at a lower one, so "knee" alone does not win; otherwise every
        alternative counts the same, the first winning ties.
        """
        readings = alternative_readings(value)
        norms: dict[str, str] = {}  # each part is normalised once across readings
        for i, reading in enumerate(readings):
            hits = self._reading_hits(reading, disease, norms)
            swapped_hit = any(h.part == reading[1][0] for h in hits)
            if swapped_hit or i == len(readings) - 1:
                return hits
        return []

    def _reading_hits(
        self, reading: list[tuple[str, float]], disease: bool, norms: dict[str, str]
    ) -> list[Hit]:
        """Exact-tier hits of each alternative; ``disease``: the whole value names one
        ("Diseases of vocal cords and larynx": the alternative "larynx" is no organ)."""
        table = self.table
        row_disease = self._row_disease
        hits: list[Hit] = []
        for i, (part, weight) in enumerate(reading):
            weight *= 1.0 - 0.001 * i  # the first alternative wins ties
            norm = norms.get(part)
            if norm is None:
                norm = norms[part] = normalize_steps(part).text
            tiers: tuple[tuple[Method, Iterable[int]], ...] = (
                ("exact", table.exact.get(exact_key(part), ())),
                ("normalized", table.normal.get(norm, ())),
                ("token", table.token_rows(norm) if norm else ()),
            )
            for method, rows in tiers:
                score = METHOD_BASE[method] * weight
                for r in rows:
                    if row_disease(r) != disease:
                        hits.append(Hit(r, method, score * _DISEASE_WORD_WEIGHT, 1, 1, part))
                    else:
                        hits.append(Hit(r, method, score, 1.0, 1.0, part))
        return hits
