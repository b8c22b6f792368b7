"""The species of the data's own terms, offered beside the plain term a value names.

``leg`` from a fly: ``insect leg``; ``kidney`` from a cat: ``adult mammalian kidney``
(:func:`~harmonize.match.values.taxon.taxon_free_names`). :class:`SpeciesTerms` is a mixin
of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import Hit, read_texts
from harmonize.match.values.interpret import READING_MAX_CONFIDENCE
from harmonize.match.values.taxon import (
    VERTEBRATA,
    Lineage,
    label_taxa,
    marked_rows,
    taxon_free_names,
)
from harmonize.match.values.usage import CURATED_SPECIES

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["SpeciesTerms"]


class SpeciesTerms:
    """The species' own terms for what a value names (a mixin of the value matcher)."""

    table: NameTable
    _allowed_row_list: list[bool]
    _used: list[bool]  # per term: in CELLxGENE's curated lists
    _taxon_free: dict[str, list[tuple[int, bool]]] | None  # taxon_free_names of the table

    def _taxon_specific(self, out: Lexical, norm: str) -> None:
        """``leg`` from a fly: ``insect leg``; ``kidney`` from a mouse: ``adult mammalian
        kidney`` (names that say the value's words plus a taxon group of the data's
        species, and maybe a life stage: :func:`~harmonize.match.values.taxon.taxon_free_names`).

        Outside vertebrates a term named by the value plus only the taxon word ranks first
        (UBERON's unqualified terms are vertebrate-centred); otherwise the taxon-specific
        term is offered after the plain one, and the plain term is not auto-accepted: a
        curator of this species' data may want the species' own term (``out.ceiling``).
        """
        lineage = out.lineage
        if lineage is None or not norm:
            return
        allowed = self._allowed_row_list
        term = self.table.term
        named = [h for h in out.hits if h.method != "fuzzy" and allowed[h.row]]
        plain = {term[h.row] for h in named}  # terms the value's words named
        # how the value named each plain term, when through a reading (words dropped)
        read_as = {term[h.row]: h for h in sorted(named, key=lambda h: h.score) if h.reading}
        rivals: list[int] = []
        vertebrate = lineage.within(VERTEBRATA)
        for text, base in read_texts(self.table.norm, norm, out.hits).items():
            for row, staged in self._taxon_names().get(text, ()):
                name = self.table.text[row]
                if not allowed[row] or label_taxa(name, lineage) <= 0:
                    continue
                # another term ranks as its plain name did (below it for vertebrates or a
                # life stage); a plain term's own taxon-named synonym ("vertebrate blood")
                # at the fixed score, as a term of the data's species
                factor = 0.9 if vertebrate or staged else 1.005
                score = factor if term[row] in plain else base * factor
                tag = ("taxon", f"species of the data ({lineage.names[0]}): {name!r}")
                first = read_as.get(term[row])
                if first is not None and first.reading is not None:
                    # "peripheral blood" -> blood by words dropped: still a broader term,
                    # said as such, however its taxon-named synonym reads
                    tag = (first.reading[0], f"{first.reading[1]}; {tag[1]}")
                # offered after a plain term, it does not make that term less sure (the
                # ceiling below says what it changes): like a filler, out of the margin
                offered = score < 1.0 and bool(plain)
                out.hits.append(Hit(row, "normalized", score, 1.0, 1.0, None, False, tag, offered))
                out.query = ""
                if term[row] not in plain:
                    rivals.append(row)
        if rivals and plain and not self._curated_practice(plain, rivals, lineage):
            said = ", ".join(sorted({repr(self.table.text[r]) for r in rivals}))
            cap = READING_MAX_CONFIDENCE["taxon"]
            out.ceiling = (cap, f"the data's species ({lineage.names[0]}) has its own term: {said}")

    def _curated_practice(self, plain: set[int], rivals: list[int], lineage: Lineage) -> bool:
        """Curated data of this species codes the name with the plain term: CELLxGENE's
        lists (:mod:`~harmonize.match.values.usage`, human and mouse data) hold a plain
        term and none of the species-specific ones (``kidney``, not ``adult mammalian
        kidney``)."""
        if lineage.taxon not in CURATED_SPECIES:
            return False
        used, term = self._used, self.table.term
        return any(used[t] for t in plain) and not any(used[term[r]] for r in rivals)

    def _taxon_names(self) -> dict[str, list[tuple[int, bool]]]:
        """Taxon-free forms of the table's taxon-marked names (built once, on first use)."""
        if self._taxon_free is None:
            table = self.table
            rows = marked_rows(table.text, table.postings)
            self._taxon_free = taxon_free_names(table.text, rows)
        return self._taxon_free
