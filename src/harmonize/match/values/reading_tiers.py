"""The value matcher reading a value as a curator does, when its words name no term.

Order (each step only when the ones before named no in-branch term): the value as written
(:class:`~harmonize.match.values.lexical.ExactTiers`); a bracket that specialises
(``colon (sigmoid)``) makes the bracket-dropped hit a broader one; negation and
uncertainty (``no HCC``: :mod:`~harmonize.match.values.negation`); the levels of
:func:`~harmonize.match.values.interpret.value_readings`; a Cellosaurus cell line; then
words dropped. Markers set aside may name a kind of the term found (``naive CD4 T``:
:mod:`~harmonize.match.values.marker_kinds`), and so may words before a name (``Atrial
cardiomyocyte``: :mod:`~harmonize.match.values.modifier_kinds`); an organ, the site after
it (``Brain_Amygdala``: :mod:`~harmonize.match.values.organ_sites`). The species of the
data adds the taxon-specific term (``insect leg``). A mixin of the value matcher."""

from __future__ import annotations

from dataclasses import dataclass, field

from harmonize.match.values.abbreviations_inside import AbbreviationsInside
from harmonize.match.values.bracket_terms import DROPPED_WEIGHT, BracketTerms
from harmonize.match.values.class_word_brackets import ClassWordBrackets
from harmonize.match.values.context_terms import ContextTerms
from harmonize.match.values.dropped_words import DroppedWords
from harmonize.match.values.hedged_readings import HedgedReadings
from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import STRONG_SCOPES, exact_key, key_tokens
from harmonize.match.values.interpret import (
    Reading,
    benign_bracket,
    fuzzy_text,
    iter_readings,
    normal_form,
    readable,
    reading_heads,
    source_of,
    words_apart,
)
from harmonize.match.values.lexical import ExactTiers
from harmonize.match.values.marker_kinds import MarkerKinds
from harmonize.match.values.markers import marker_readings, marker_symbol
from harmonize.match.values.modifier_kinds import ModifierKinds
from harmonize.match.values.negation import (
    Hedge,
    read_bare_negative,
    read_bare_positive,
    read_hedge,
)
from harmonize.match.values.organ_sites import OrganSites
from harmonize.match.values.organ_words import OrganWords
from harmonize.match.values.parent_names import ParentNames
from harmonize.match.values.qualifiers import is_qualifier, species_taxon, split_qualifiers
from harmonize.match.values.sample_source import SampleSource
from harmonize.match.values.shorthand import expand_shorthand, is_shorthand
from harmonize.match.values.specialise import bracket_dropped, bracket_parts
from harmonize.match.values.species_terms import SpeciesTerms
from harmonize.match.values.structure_cells import StructureCells
from harmonize.match.values.taxon import Lineage
from harmonize.match.values.truncated import TruncatedWords
from harmonize.match.values.value_ceilings import ValueCeilings
from harmonize.text.values import is_missing, missing_said

__all__ = ["Lexical", "ReadingTiers"]

#: qualifiers that are often words of a name ("bovine tuberculosis", "colorectal cancer",
#: "fetal weight", "type 42"): the fuzzy tier then also reads the whole value
_PART_OF_NAMES = frozenset({"species", "state", "life stage", "count"})


@dataclass(slots=True)
class Lexical:
    """The exact-tier reading of one value, and what the fuzzy tier should do with it."""

    hits: list[Hit]
    steps: tuple[str, ...]
    query: str  # normalised text for the fuzzy tier ("" = do not run it)
    norm: str = ""  # the value normalised
    lineage: Lineage | None = None
    note: str | None = None  # about the value as a whole (a cell line, a negation, ...)
    fuzzy_reading: tuple[str, str] | None = None  # tag for the fuzzy tier's hits
    extra: list[Hit] = field(default_factory=list)
    #: the whole value for a second fuzzy query when ``query`` is its head ("Hs 683 cell":
    #: a number or a species word set aside may be part of the name)
    whole: str = ""
    #: heads to drop words from once the fuzzy tier has run, with how each was read
    heads: list[tuple[str, str]] = field(default_factory=list)
    #: the highest confidence any candidate of the value may get, and why
    ceiling: tuple[float, str] | None = None


class ReadingTiers(
    ContextTerms,
    SpeciesTerms,
    ExactTiers,
    BracketTerms,
    ClassWordBrackets,
    AbbreviationsInside,
    TruncatedWords,
    SampleSource,
    OrganWords,
    OrganSites,
    StructureCells,
    MarkerKinds,
    ModifierKinds,
    ParentNames,
    ValueCeilings,
    DroppedWords,
    HedgedReadings,
):
    """Readings of a value through the exact tiers (a mixin)."""

    lineage: Lineage | None
    _lineages: dict[str, Lineage | None]

    def _in_branch(self, hits: list[Hit]) -> bool:
        allowed = self._allowed_row_list
        return any(allowed[h.row] for h in hits)

    def _value_lineage(self, value: str) -> Lineage | None:
        """The data's lineage, or the species the value names (``murine liver``)."""
        taxon = species_taxon(value)
        if taxon is None:
            return self.lineage
        if taxon not in self._lineages:
            from harmonize.errors import HarmonizeError
            from harmonize.match.values.taxon import lineage

            try:
                self._lineages[taxon] = lineage(taxon)
            except HarmonizeError:
                self._lineages[taxon] = None
        return self._lineages[taxon] or self.lineage

    def _lexical(self, value: str, *, hedged: bool = False) -> Lexical:
        if is_missing(value):  # "N/A" is no "nasal artery" (UBERON's "NA"): convert skips it
            return Lexical([], (), "", "", None, note=missing_said(value))
        hits, steps, norm, strong = self._plain(value)
        lineage = self._value_lineage(value)
        if "brackets" in steps:
            strong = self._specialising_bracket(value, hits, strong)
        if strong and lineage is not None:
            strong = any(
                self._allowed_row_list[h.row]
                and (
                    h.method in {"exact", "normalized"}
                    or (h.method == "token" and self.table.scope[h.row] in STRONG_SCOPES)
                )
                and self._taxon_verdict(self.table.term[h.row], lineage) >= 0
                for h in hits
            )
        out = Lexical(hits, steps, "" if strong else norm, norm, lineage)
        weak = self.table.weak
        if not readable(value):
            return out  # a sentence or a formula: matched as written
        hedge = None if hedged else read_hedge(value)
        if hedge is not None and not any(h.method == "exact" and not weak[h.row] for h in hits):
            return self._hedged(value, hedge)
        bare = None if strong or hedged else read_bare_negative(value)
        tested = self._tested_finding(bare.rest) if bare is not None else None
        if bare is not None and tested is not None:  # "HIV negative"; never "CD4 negative"
            return self._hedged(value, Hedge(bare.kind, bare.cue, tested))
        positive = None if strong or hedged else read_bare_positive(value)
        if positive is not None and (tested := self._tested_finding(positive[1])):
            return self._tested_positive(positive[0], tested)  # "HIV positive"
        if not strong:
            self._read(value, out)
        self._bracket_alone(value, out)
        self._marker_kinds(value, out)
        self._modifier_kinds(value, out)
        if lineage is not None:
            self._taxon_specific(out, norm)
        self._in_context(out, norm)
        self._parent_name(out, norm)
        self._value_ceiling(out, norm)
        return out

    def _read(self, value: str, out: Lexical) -> None:
        """Readings level by level; the first level naming an in-branch term wins."""
        weak = self.table.weak
        if is_shorthand(value.strip()):  # "CAF", "TRM": the list's expansion, never the
            out.hits = [h for h in out.hits if not weak[h.row]]  # initials of a label
        plain_inside = self._in_branch([h for h in out.hits if not weak[h.row]])
        split = split_qualifiers(value)  # a qualifier's words are set aside, not kept
        core = split.head if split is not None and split.head else value
        apart = words_apart(core)  # "VenousEndothelium": its words, read apart
        kept = out.norm if apart == value else normal_form(apart)
        self._read_apart(core, apart, out, named=plain_inside)  # "ChromaffinCell"
        source = source_of(core)  # ("hiPSC-derived cardiomyocytes": a reading drops "hiPSC")
        if source is not None:
            kept = normal_form(source[0])
        levels = () if self._kept_unknown(kept) else iter_readings(value, dropped=False)
        for level in levels:
            found = self._level_hits(level)
            if self._in_branch(found):
                if any(
                    h.method in {"exact", "normalized"} or self.table.scope[h.row] in STRONG_SCOPES
                    for h in found
                    if self._allowed_row_list[h.row]
                ):
                    out.query = ""  # a named term: the fuzzy tier cannot do better
                self._bracket_kept(value, found)
                out.hits.extend(found)
                return
        if not plain_inside and out.note is None:
            if self._abbreviation_inside(value, out):  # "DM type 2": the file's short form
                return
            self._cell_line(value, out)
            if out.note is None and self._from_source(value, out):
                return
            if out.note is None and self._organ_word(core, out):  # "duodenal bx"
                out.query = ""  # the ontology's own word for it: no spelling guess
                return
            if out.note is None and self._structure_cell(core, out.hits):  # "zona reticularis cell"
                return
            if out.note is None and self._organ_part(core, out):  # "gastric antrum"
                out.query = ""  # the ontology's own words for it: no spelling guess
                return
            if out.note is None:  # "Mono", "Macro 2": a word cut short
                head = split.head if split is not None else value
                parts = bracket_parts(head) if head else None
                named = parts[0] if parts is not None else head  # ("TEM (resting)")
                if head and not is_shorthand(named):  # ("TEM" is a short form, not cut)
                    markers = (
                        [q.text for q in split.qualifiers if q.kind == "marker"] if split else []
                    )
                    self._truncated(head, normal_form(head), out, markers)
            if out.note is None:  # words dropped, after the fuzzy tier
                out.heads = [h for h in reading_heads(value) if len(h[0].split()) >= 2]
            if out.note is None and self._class_word_bracket(core, out):
                return
        self._fuzzy_head(value, out)

    def _bracket_kept(self, value: str, found: list[Hit]) -> None:
        """``adipose (subcutaneous)``: when the bracket's words and the head's with its noun
        name a term ("subcutaneous adipose tissue"), the head's alone ("adipose tissue",
        the bracket dropped) is a broader one; when none does, the bracket was set aside
        (``adipose (omentum)``: a close match), unless it adds nothing (a code)."""
        parts = bracket_parts(value)
        if parts is None:
            return
        allowed = self._allowed_row_list
        named = any(
            allowed[h.row] and h.reading is not None and h.reading[0] == "specialised"
            for h in found
        )
        if not named and benign_bracket(parts[1]):
            return
        note = bracket_dropped(parts[1], named=named)
        for hit in found:
            if hit.reading is not None and hit.reading[0] == "cell":
                hit.score *= DROPPED_WEIGHT if named else 1.0
                hit.reading = note

    def _kept_unknown(self, norm: str) -> bool:
        """Does the value have a word no name has (a typo) that every reading keeping its
        words would keep too (no shorthand, no qualifier, no marker)? Then only readings
        that drop words can name a term (the others are not tried: they find nothing)."""
        postings = self.table.postings
        extra = self._initialism_words
        return any(
            w not in postings
            and w not in extra
            and w.isalpha()
            and len(w) >= 3
            and not is_shorthand(w)
            and not is_qualifier(w)
            for w in key_tokens(norm)
        )

    def _level_hits(self, level: list[Reading]) -> list[Hit]:
        """Exact-tier hits of a level's readings; a reading that is one short form of the
        shorthand list ("TCM" of "CD4 TCM_1") does not meet an ontology's initialism of
        it (thymic cortical macrophage): the list's expansion is read instead."""
        weak = self.table.weak
        return [
            h
            for r in level
            for h in self._exact_only(r.text, r.weight, _tag(r), normal=r.normal)
            if not (weak[h.row] and _short_form(r.text))
        ]

    def _fuzzy_head(self, value: str, out: Lexical) -> None:
        """The fuzzy tier reads the head when qualifiers were set aside (none: no head)."""
        if not out.query or out.note is not None:
            out.query = "" if out.note is not None else out.query
            return
        split = split_qualifiers(value)
        rewrite = fuzzy_text(value)
        if rewrite is not None:  # "skeletal m.": the fuzzy tier reads "skeletal muscle"
            out.query = normal_form(rewrite.text)
            out.fuzzy_reading = (rewrite.kind, rewrite.note)
        if split is None:
            return
        said = ", ".join(q.describe() for q in split.qualifiers)
        marked = marker_readings(value)
        if not split.head and marked:  # "CD45+": markers alone name a cell population
            out.query = normal_form(marked[-1])
            out.fuzzy_reading = ("marker", f"marker notation read as {marked[-1]!r}")
            return
        if not split.head and any(q.names_disease for q in split.qualifiers):
            return  # ("benign tumor": states that name a disease are searched as written)
        if not split.head:
            out.query = ""
            out.note = f"no term named: only qualifiers {said}"
            # "healthy control": the slot's "normal"; never for a stage, a severity or
            # how the sample was kept ("stage IV", "severe", "FFPE" say no normality)
            if any(q.says_normal for q in split.qualifiers):
                out.hits.extend(self._normal_terms(("qualifier", f"{said}: 'normal' offered")))
            return
        if any(q.kind in _PART_OF_NAMES for q in split.qualifiers):
            out.whole = out.query
        out.query = normal_form(split.head)
        out.fuzzy_reading = ("qualifier", f"set aside {said}")
        short = fuzzy_text(split.head)  # "TCM1": the list's expansion of "TCM" is read
        if short is not None and short.kind == "shorthand":
            out.query = normal_form(short.text)
            out.fuzzy_reading = ("qualifier", f"set aside {said}; {short.note}")
        kept = split.marked_text()
        markers = [q.text for q in split.qualifiers if q.kind == "marker"]
        marked = marker_readings(kept) if kept and self._names_markers(markers) else []
        if marked:  # "CD4 Naive": CL names the cell by its markers ("naive ... CD4-positive")
            aside = ", ".join(q.describe() for q in split.qualifiers if q.kind != "marker")
            text = next((t for t, _ in expand_shorthand(marked[-1])[:1]), marked[-1])
            out.query = normal_form(text)  # "CD4 TCM": "CD4-positive central memory T cell"
            how = f"marker notation read as {text!r}"
            out.fuzzy_reading = (
                ("qualifier", f"set aside {aside}; {how}") if aside else ("marker", how)
            )

    def _names_markers(self, markers: list[str]) -> bool:
        """Do names of the ontology say these markers (``CD14``, not ``CD83`` or ``HLA-DR``
        in CL)? Else the fuzzy tier reads the head: a marker no name has only pulls it to
        names of other markers."""
        postings = self.table.postings
        return all(
            all(w in postings for w in key_tokens(normal_form(marker_symbol(m)))) for m in markers
        )

    def _cell_line(self, value: str, out: Lexical) -> None:
        from harmonize.match.values.celllines import cell_line_key, find_cell_line, line_name

        found = find_cell_line(value)
        name = line_name(value)
        if found is None or is_shorthand(value.strip()) or is_shorthand(name):
            return  # ("TEM", "CAF" are cell lines too; the list's short forms say more)
        table = self.table
        named = table.exact.get(exact_key(found[1]), ())
        rows = [r for r in named if table.term_ids[table.term[r]] == found[0]]
        if rows:  # Cellosaurus is loaded: its own name row answers ("BeWo cells" too)
            said = f"{name!r} read as the cell line's name"
            tag = ("qualifier", said)
            base = METHOD_BASE["normalized"]
            out.hits.extend(Hit(r, "normalized", base, 1.0, 1.0, None, False, tag) for r in rows)
            out.query = ""
            return
        for text in (name, found[1]):  # the slot's ontology names the line (EFO)
            for said in (normal_form(text), cell_line_key(text)):
                if (words := set(key_tokens(said))) and self._saying_row(words, said) is not None:
                    return
        out.note = (
            f"{value!r} is the cell line {found[1]} ({found[0]}, Cellosaurus), not a term of"
            " this branch; the Cellosaurus file records no cell type or site for it"
        )
        out.query = ""

    def _taxon_verdict(self, term: int, lineage: Lineage) -> int:
        raise NotImplementedError  # provided by the ranking mixin

    def _saying_row(self, query: set[str], norm: str) -> int | None:
        raise NotImplementedError  # provided by the ranking mixin (SayingNames)


def _tag(reading: Reading) -> tuple[str, str]:
    return (reading.kind, reading.note)


def _short_form(text: str) -> bool:
    """Is ``text`` a short form of the shorthand list, a bracket after it set aside
    ("TCM (Th0)")?"""
    if is_shorthand(text):
        return True
    parts = bracket_parts(text) if "(" in text or "[" in text else None
    return parts is not None and is_shorthand(parts[0])
