"""Markers set aside that name a kind of the term found: ``naive CD4 T``, ``NK_CD56bright``.

A value's words often name a term only once its markers are set aside: ``naive CD4 T``
meets "naive T cell", ``NK_CD56bright`` meets "natural killer cell". The ontology may have
the kind of that term the markers name ("naive thymus-derived CD4-positive, alpha-beta T
cell", "CD16-negative, CD56-bright natural killer cell, human"): a steward expects it,
not the broader term with the markers lost. Among the in-branch terms below the term
found (is_a or part_of) with a label or exact synonym that says every word of the name
found and each marker as CL writes it (``CD4-positive``, ``CD56-bright``: the sign
counts), the one with the fewest other words is offered first. When several are as close
(``CD16 Mono``: "CD14-low, CD16-positive monocyte" and "CD14-positive, CD16-positive
monocyte"), the markers do not decide between them: they are offered after the term
found. Either way read as a qualifier used (``qualifier``: the kind's name may say more
than the value, "CD25-positive", so a close match), never auto-accepted.
:class:`MarkerKinds` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import Hit
from harmonize.match.values.interpret import normal_form, words_apart
from harmonize.match.values.markers import has_marker, signed_marker
from harmonize.match.values.qualifiers import split_qualifiers

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["MarkerKinds"]

#: the one kind the markers name ranks just above the term found; several, just below
_ABOVE, _BELOW = 1.005, 0.9
#: how a reading says it set a marker aside (``Qualifier.describe``)
_SET_ASIDE = "(marker)"
#: a kind at most this many steps below the term found: further down, the markers are a
#: small part of what its name says (for ``B_CD27pos``, the B cell kind three steps down
#: that says CD27-positive also says CD38-positive and CD20-negative: a plasmablast)
_MAX_STEPS = 2
#: qualifier kinds a kind's name may not add to the value's (species may: "..., human")
_STATES = frozenset({"state", "life stage"})


class MarkerKinds:
    """Kinds of a value's term that its set-aside markers name (a mixin)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _marker_kinds(self, value: str, out: Lexical) -> None:
        """Offer the kind of the best term found that the value's markers name."""
        if not any(h.reading and _SET_ASIDE in h.reading[1] for h in out.hits) and not has_marker(
            value
        ):
            return  # no marker set aside to meet a term, none written
        split = split_qualifiers(words_apart(value))  # "CD4Treg": the marker read apart
        markers = [q.text for q in split.qualifiers if q.kind == "marker"] if split else []
        if not markers:
            return
        table, allowed = self.table, self._allowed_row_list
        found = [h for h in out.hits if h.method != "fuzzy" and allowed[h.row]]
        if not found:
            return
        top = max(found, key=lambda h: h.score)
        signed = [signed_marker(m) for m in markers]
        phrases = [f" {normal_form(s)} " for s in signed]
        if all(p in f" {table.norm[top.row]} " for p in phrases):
            return  # the name found says the markers already
        kinds = self._kinds_saying(top.row, phrases)
        if not kinds:
            return
        fewest = min(kinds.values())
        closest = [row for row, extra in kinds.items() if extra == fewest]
        factor = _ABOVE if len(closest) == 1 else _BELOW
        said = ", ".join(signed)
        base = table.text[top.row]
        for row in closest:
            note = f"marker {said} set aside from {base!r} names its kind {table.text[row]!r}"
            if top.reading is not None:  # what else was read to meet the term found
                note = f"{top.reading[1]}; {note}"
            hit = Hit(
                row, "normalized", top.score * factor, 1.0, 1.0, None, False, ("qualifier", note)
            )
            out.hits.append(hit)

    def _kinds_saying(self, base_row: int, phrases: list[str]) -> dict[int, int]:
        """Name rows (one per term, the closest) of in-branch terms below ``base_row``'s
        term that say every marker phrase; each with the number of its words that are
        neither a marker's nor a word of a name of the term found."""
        from harmonize.match.values.index import STRONG_SCOPES

        table, allowed, index = self.table, self._allowed_row_list, self.index
        postings = [table.postings.get(p.split()[0]) for p in phrases]
        if any(p is None for p in postings):
            return {}
        rows = min(postings, key=len)  # type: ignore[arg-type]
        base_id = table.term_ids[table.term[base_row]]
        base = index.terms.get(base_id)
        base_words = {
            w
            for text, scope, _ in (base.names() if base is not None else ())
            if scope in STRONG_SCOPES
            for w in normal_form(text).split()
        }
        best: dict[int, tuple[int, int]] = {}  # term -> (other words, row)
        for row in rows.tolist():  # type: ignore[union-attr]
            padded = f" {table.norm[row]} "
            if not allowed[row] or not table.strong(row) or not all(p in padded for p in phrases):
                continue
            rest = padded
            for phrase in phrases:
                rest = rest.replace(phrase, " ")
            term = table.term[row]
            others = set(rest.split()) - base_words
            if any(_adds_state(w) for w in others):
                continue  # "cycling CD8-positive ... T cell": a state the value did not say
            extra = len(others)
            if term in best and best[term][0] <= extra:
                continue
            if index.steps_above(table.term_ids[term]).get(base_id, _MAX_STEPS + 1) > _MAX_STEPS:
                continue
            best[term] = (extra, row)
        return {row: extra for extra, row in best.values()}


def _adds_state(word: str) -> bool:
    """Is ``word`` a state or life stage ("cycling", "activated", "fetal")? A kind whose
    name adds one says more than the markers."""
    split = split_qualifiers(word)
    return split is not None and any(q.kind in _STATES for q in split.qualifiers)
