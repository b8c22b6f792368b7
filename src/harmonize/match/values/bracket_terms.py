"""A bracket that names the cell or tissue itself: ``Immune (T cell)``, ``B cell (Plasmocyte)``.

Partners write a broad class and then, in brackets, what the population is:
``Epithelial cell (club)``, ``Astrocyte(Bergmann glia)``, ``Immune (neutrophil)``. When
the head and the bracket together name no term (``sigmoid colon`` for ``colon
(sigmoid)`` is :mod:`~harmonize.match.values.specialise`'s job), the bracket alone may.
Its term is placed by how it stands to the head's term:

- the head names nothing (``Immune``): first, when the head is one word (a class word);
  after a close fuzzy name when the head is a name of its own (``... zone (brain)``);
- beside it (a parent of the head's term close above it: "plasma cell" beside "B
  cell", so the bracket corrects the head): first;
- a kind of it (``club cell`` under "epithelial cell") or a part of it (``limb muscle
  (tibialis anterior)``): next, after the head's term, which curators often keep;
- unrelated (``Kidney (cortex)`` does not mean every cortex): after, as a close match.

GTEx writes the organ, a spaced dash, then the site sampled (``Brain - Amygdala``,
``Cervix - Ectocervix``): when the words together name no term, the part after the dash
names the site, first when it is a part or kind of the organ's term, a sibling of it
(a parent in common one step up: ``Artery - Aorta``), or the organ names no term; a term
further beside the organ's or unrelated to it is not offered (``Brain - Cortex`` does
not mean every cortex). The site may keep a bracket of its own or leave out its class
noun (``Brain - Caudate (basal ganglia)``: :mod:`~harmonize.match.values.organ_sites`).

A bracket read as a cell word (``(club)`` -> "club cell") counts beside a head that
names a term, or after a one-word class (``Immune (Langerhans)`` -> "Langerhans cell"),
never when the bracket names a place outside the branch (``(Kidney)`` says where the
cells were sampled). A count or a marker level inside the bracket is set aside
(``(macrophage III)``, ``(smooth muscle TAGLN lo)``). Such a candidate came from a
reading (``specialised``): never auto-accepted. A hit on the head alone, when a term
names the bracket with its head (``colon (sigmoid)``, ``Macrophages (M2)``, ``T cells
(CD8)`` in CL's marker naming), is a broader term; a bracket that names none with its head
is set aside and said, unless it adds nothing (a code, ``NOS``, a side no name has).
:class:`BracketTerms` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from harmonize.match.values.hits import CELL_ROOT, Hit
from harmonize.match.values.interpret import (
    NOS_WORDS,
    benign_bracket,
    normal_form,
    rewrites,
)
from harmonize.match.values.markers import marker_readings
from harmonize.match.values.qualifiers import split_qualifiers
from harmonize.match.values.specialise import (
    NO_TERM,
    bracket_dropped,
    bracket_parts,
    dash_parts,
    has_dash_part,
    specialised_readings,
)

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["NEGATING", "BracketTerms", "Relation"]

#: how the bracket's term stands to the head's: a kind of it, beside it (a parent of the
#: head's term close above it), unrelated, or the head names no term
Relation = Literal["part", "kind", "beside", "unrelated", "no head"]
#: a head's hit that dropped a bracket a term names with the head: a broader term
DROPPED_WEIGHT = 0.8
#: the bracket's term ranks just above the head's term it specialises (or just below)
_ABOVE, _BELOW = 1.005, 0.9
_NO_HEAD = 0.97  # the bracket's term when the head names nothing (a normalised match)
_UNNAMED_HEAD = 0.5  # ... and is a name of several words: below a close fuzzy name
_BESIDE_WEIGHT = 0.9  # the head's term when the bracket's stands beside it
#: the bracket's term stands beside the head's when a parent of the head's term is at most
#: this many steps above it ("plasma cell" -> "antibody secreting cell" -> "lymphocyte of
#: B lineage", the parent of "B cell"); further up, the class in common says nothing
_BESIDE_STEPS = 2
#: ... and that parent is a class with at least this many terms above it, not one next to
#: the ontology's root ("eukaryotic cell" is above every kind of cell)
_CLASS_DEPTH = 3


class BracketTerms:
    """Terms a value's bracket names alone (a mixin of the value matcher)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _exact_only(
        self, text: str, weight: float, reading: tuple[str, str], *, normal: bool = False
    ) -> list[Hit]:
        raise NotImplementedError  # provided by ExactTiers

    def _in_branch(self, hits: list[Hit]) -> bool:
        raise NotImplementedError  # provided by ReadingTiers

    def _bracket_alone(self, value: str, out: Lexical) -> None:
        """``Immune (T cell)``, ``B cell (Plasmocyte)_IGHA high``, ``Brain - Amygdala``: the
        bracket (of the value or of its head), or the part after a spaced dash, names the
        population or the part itself, when head and bracket together named no term; the
        head's hits say how they stand to it."""
        if "(" not in value and "[" not in value and not has_dash_part(value):
            self._organ_then_site(value, out)  # "Brain_Amygdala": no dash between them
            return
        if any(h.reading is not None and h.reading[0] == "specialised" for h in out.hits):
            return  # "colon (sigmoid)": head and bracket together named a term
        # GTEx's organ, then the part sampled, maybe with its own bracket ("Brain -
        # Putamen (basal ganglia)"); else (or when that names nothing) a final bracket
        dash = dash_parts(value)
        if dash is not None and self._read_parts(dash, "part", out):
            return
        parts = bracket_parts(value)
        if parts is None:
            split = split_qualifiers(value)
            parts = bracket_parts(split.head) if split is not None and split.head else None
        if parts is not None:
            self._read_parts(parts, "bracket", out)

    def _read_parts(self, parts: tuple[str, str], what: str, out: Lexical) -> bool:
        """Offer what the bracket or dash part ``parts[1]`` names beside the head
        ``parts[0]``; whether it named a term standing to the head's."""
        own = bracket_parts(parts[1]) if what == "part" else None
        if _not_a_name(own[0] if own is not None else parts[1]):
            return False  # ("Brain - Frontal Cortex (BA9)": the part's own bracket is no name)
        head_hits = None
        if what == "part":
            if self._in_branch([h for h in out.hits if h.method != "fuzzy"]):
                # "Kidney - Cortex": the words together are a name ("kidney cortex"); with
                # the site's own bracket dropped, that bracket is read next
                return own is None
            head_hits = self._head_hits(parts[0])
            if own is not None and not head_hits:
                return False  # a site with its own bracket after an organ's name only
        relation = self._bracket_kind(parts[0], parts[1], out, head_hits, what)
        if relation is None or relation == "unrelated":
            return False
        named = f": it names a {relation} of this term" if relation in {"kind", "part"} else ""
        said = ("qualifier", f"{what} {parts[1]!r} set aside{named}")
        for hit in out.hits:
            if hit.method == "fuzzy" or (hit.reading and hit.reading[0] == "specialised"):
                continue
            if hit.reading is None or hit.reading[1].endswith(NO_TERM):
                hit.reading = said
                if relation not in {"kind", "part"}:  # beside the bracket's term: below it
                    hit.score *= _BESIDE_WEIGHT
        return True

    if TYPE_CHECKING:  # provided by OrganSites (which reads with this class's methods) ...

        def _site_unnamed(self, site: str, organs: set[str]) -> tuple[list[Hit], str]: ...
        def _site_bracket_aside(self, site: str, hit: Hit) -> str: ...
        def _organ_then_site(self, value: str, out: Lexical) -> None: ...
        def _bracket_structure(self, head: str, inner: str, hits: list[Hit]) -> list[Hit]: ...

    def _head_hits(self, head: str) -> list[Hit]:
        """In-branch hits of a name the ``head`` is (before a dash: ``Brain - Amygdala``)."""
        table, allowed = self.table, self._allowed_row_list
        tag = ("qualifier", "")
        return [
            h for h in self._exact_only(head, 1.0, tag) if allowed[h.row] and table.strong(h.row)
        ]

    def _specialising_bracket(self, value: str, hits: list[Hit], strong: bool) -> bool:
        """``colon (sigmoid)``, ``T cells (CD8)``, ``Macrophages (M2)``, ``lung (left)``: a hit
        on the head alone dropped a specialisation a term names: broader. A bracket that
        names none with its head (a code, ``(NOS)``, ``(80% tumour)``) loses nothing."""
        parts = bracket_parts(value)
        if parts is None:
            return strong
        tag = ("specialised", "")
        texts = specialised_readings(value)
        named = [h for t in texts for h in self._exact_only(t, 1.0, tag)]
        # "T cells (CD8)": the bracket with its head in CL's marker naming ("CD8-positive,
        # alpha-beta T cell"), which the reading levels do not try: offered here
        marked = [
            h
            for t in texts
            for m in marker_readings(t)
            for h in self._exact_only(m, 1.0, ("specialised", f"bracket read as {m!r}"))
            if self._allowed_row_list[h.row]
        ]
        hits.extend(marked)
        named += marked
        placed = [] if self._in_branch(named) else self._bracket_structure(*parts, hits)
        named += placed  # ("Fibroblast (dermal)": "fibroblast of dermis", no fuzzy guess)
        if benign_bracket(parts[1]) and not self._in_branch(named):
            return strong  # a code, an abbreviation, qualifiers no name has: nothing lost
        if not self._in_branch(named):
            # no term names the specialisation: the bracket may be a gloss ("oophorectomy
            # (both ovaries removed)"); the hit keeps its rank but is no exact match
            aside = bracket_dropped(parts[1], named=False)
            for hit in hits:
                if hit.method in {"normalized", "token"} and hit.reading is None:
                    hit.reading = aside
            return strong
        note = bracket_dropped(parts[1], named=True)
        for hit in hits:
            if hit.method in {"normalized", "token"} and hit.reading is None:
                hit.score *= DROPPED_WEIGHT
                hit.reading = note
        return bool(placed)

    def _bracket_names(self, inner: str, *, completed: bool) -> list[Hit]:
        """In-branch terms whose label or exact synonym the bracket is, as written or its
        shorthand read; ``completed``: also as the cell or tissue word it names (``club``
        -> "club cell")."""
        kinds = {"cell", "shorthand", "marker"} if completed else {"shorthand", "marker"}
        split = split_qualifiers(inner)
        if split is not None and split.head and all(q.kind in _SET_ASIDE for q in split.qualifiers):
            inner = split.head  # "(macrophage I)": a cluster's count; "(... TAGLN lo)": a marker
        texts = [(inner, False), *((r.text, r.normal) for r in rewrites(inner) if r.kind in kinds)]
        allowed, table = self._allowed_row_list, self.table
        found: dict[int, Hit] = {}
        for text, normal in texts:
            for hit in self._exact_only(text, 1.0, ("specialised", ""), normal=normal):
                row = hit.row
                if allowed[row] and table.strong(row):
                    found.setdefault(table.term[row], hit)
            if found:
                break  # the most literal reading that names a term
        return list(found.values())

    def _names_elsewhere(self, text: str) -> bool:
        """``text`` is a label or exact synonym of a loaded term outside the branch."""

        table, allowed = self.table, self._allowed_row_list
        return any(
            table.strong(row) and not allowed[row]
            for row in table.normal.get(normal_form(text), ())
        )

    def _relation(
        self,
        inner_term: str,
        head_terms: set[str],
        beside_steps: int = _BESIDE_STEPS,
        what: str = "part",
    ) -> Relation:
        """How the bracket's term stands to the head's. In a ``bracket`` (not after a
        dash), an anatomy term is never beside: it says where the sample was taken."""
        if not head_terms:
            return "no head"
        terms, above = self.index.terms, self.index.steps_above(inner_term)
        if not head_terms.isdisjoint(above):
            # a part of an organ or tissue is where the sample came from ("Brain
            # (amygdala)"); a kind of a cell may be a cluster's own naming (the head kept)
            return "kind" if CELL_ROOT in above else "part"
        if what == "bracket" and CELL_ROOT not in above and inner_term != CELL_ROOT:
            return "unrelated"
        for head in head_terms:
            term = terms.get(head)
            parents = (*term.parents, *term.part_of) if term is not None else ()
            if any(
                above.get(p, beside_steps + 1) <= beside_steps
                and len(self.index.steps_above(p)) >= _CLASS_DEPTH
                for p in parents
            ):
                return "beside"
        return "unrelated"

    def _bracket_kind(
        self,
        head: str,
        inner: str,
        out: Lexical,
        head_hits: list[Hit] | None = None,
        what: str = "bracket",
    ) -> Relation | None:
        """Offer the term the bracket ``inner`` names alone, placed by how it stands to the
        terms the ``head`` named (``head_hits``, or the value's hits in ``out``); the
        relation found, or None when the bracket names no term."""
        table, allowed = self.table, self._allowed_row_list
        if head_hits is None:
            head_hits = out.hits
        named = [h for h in head_hits if h.method != "fuzzy" and allowed[h.row]]
        # a bracket read as a cell word beside a head that names a term, or after a class
        # word ("Immune (Langerhans)"); never when the bracket names a place outside the
        # branch: "(Kidney)" says where the cells were sampled, not that they are "kidney cells"
        completed = bool(named) or (len(head.split()) == 1 and not self._names_elsewhere(inner))
        found = self._bracket_names(inner, completed=completed)
        term_ids = table.term_ids
        head_terms = {term_ids[table.term[h.row]] for h in named}
        how = ""  # "Brain - Caudate", "... - Terminal Ileum"
        if not found and what == "part" and head_terms:
            found, how = self._site_unnamed(inner, head_terms)
        if not found:
            return None
        top = max((h.score for h in named), default=0.0)
        # after a dash, a term beside the organ's shares a parent of its own with it
        # ("Artery - Aorta", "Brain - Spinal cord"): "Brain - Cortex" is not every cortex
        beside_steps = 1 if what == "part" else _BESIDE_STEPS
        relations = [
            (hit, self._relation(term_ids[table.term[hit.row]], head_terms, beside_steps, what))
            for hit in found
            if term_ids[table.term[hit.row]] not in head_terms
        ]
        if not relations:
            return None
        if what == "part":  # after a dash, a part, kind or sibling of the head's term
            relations = [(h, r) for h, r in relations if r != "unrelated"]
            if not relations:
                return None
        # the bracket has one meaning: the terms standing closest to the head's ("club"
        # -> club cell, a kind of epithelial cell; not zebrafish's "club cell" beside it)
        best = min((r for _, r in relations), key=_ORDER.index)
        for hit, relation in relations:
            if relation != best:
                continue
            name = table.text[hit.row]
            names = ("specialised", f"{what} {inner!r} names the {_SAID[relation]}")
            if how == "begun":  # "Caudate": its class noun ("nucleus") left out
                names = ("specialised", f"{what} {inner!r} read as {name!r}: its words begin it")
            aside = self._site_bracket_aside(inner, hit) if what == "part" else ""
            aside = "its first words dropped: a broader term" if how == "tail" else aside
            if aside:  # a broader term: the fuzzy tier may find a name of the whole value
                names = ("dropped", f"{what} {inner!r} names {name!r}; {aside}")
            if relation == "unrelated":
                note = f"{what} {inner!r} alone names {name!r} (not a kind of {head!r})"
                hit.reading = ("qualifier", note)  # a close match, after the head's term
                hit.score = top * _BELOW
            elif relation == "kind" or (relation == "part" and what == "bracket"):
                # the head's term, then the kind or part the bracket names (curators keep
                # the head of "B cell (Centrocyte)", "limb muscle (tibialis anterior)")
                hit.reading = names
                hit.score = top * _BELOW
            elif named:  # a part after a dash ("Brain - Amygdala": GTEx's organ, then the
                # site sampled), or a term beside the head's ("B cell (Plasmocyte)"): first
                hit.reading = names
                hit.score = top * _ABOVE
                if not aside:
                    out.query = ""
            else:  # the head names nothing: a class word ("Immune (T cell)") or a name of
                # its own that the fuzzy tier may find ("... zone (brain)": where it is)
                hit.reading = names
                one_word = len(head.split()) == 1
                hit.score *= _NO_HEAD if one_word else _UNNAMED_HEAD
            out.hits.append(hit)
        return best


def _not_a_name(inner: str) -> bool:
    """A bracket that cannot name a population: a code, a number, ``NOS``, qualifiers, a
    negation (``(non-nasal)``: where the cells are not from)."""
    text = inner.strip()
    if not text or any(c.isdigit() for c in text) or NOS_WORDS.match(text.casefold()):
        return True
    if NEGATING.match(text):
        return True
    split = split_qualifiers(text)
    return split is not None and not split.head


#: a bracket that negates ("(non-nasal)"): what the sample is not
NEGATING = re.compile(r"(?:non|not|no)\b[-\s]*|non-?(?=[a-z])", re.IGNORECASE)

#: qualifiers a bracket may carry beside the name it gives
_SET_ASIDE = frozenset({"count", "marker"})
_ORDER: tuple[Relation, ...] = ("part", "kind", "beside", "no head", "unrelated")
_SAID: dict[Relation, str] = {
    "part": "part of the head's term",
    "kind": "kind of the head's term",
    "beside": "population (a term beside the head's)",
    "no head": "population (the head names no term)",
    "unrelated": "",
}
