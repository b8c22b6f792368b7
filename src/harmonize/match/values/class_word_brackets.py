"""A one-word class that names no term, then in brackets what the population is:
``Immune (macrophage activated)``, ``Immune (T cell)``. The fuzzy tier reads the bracket,
not the class word. :class:`ClassWordBrackets` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.bracket_terms import NEGATING
from harmonize.match.values.interpret import normal_form, readable, rewrites
from harmonize.match.values.qualifiers import split_qualifiers
from harmonize.match.values.shorthand import is_shorthand
from harmonize.match.values.specialise import bracket_parts

if TYPE_CHECKING:
    from harmonize.match.values.hits import Hit
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["ClassWordBrackets"]


class ClassWordBrackets:
    """The bracket read for a class word that names nothing (a mixin)."""

    table: NameTable

    if TYPE_CHECKING:

        def _exact_only(
            self, text: str, weight: float, reading: tuple[str, str], *, normal: bool = False
        ) -> list[Hit]: ...
        def _in_branch(self, hits: list[Hit]) -> bool: ...
        def _names_elsewhere(self, text: str) -> bool: ...

    def _class_word_bracket(self, core: str, out: Lexical) -> bool:
        """``Immune (macrophage activated)``: a one-word class that names no term (also not
        read as a cell or shorthand), then in brackets what the population is: the fuzzy
        tier reads the bracket (the class word only pulls it to names of other things:
        "immune oligodendroglia"). Not when the bracket names a place outside the branch
        (``Microglia(Brain)``: where the cells were sampled)."""
        parts = bracket_parts(core)
        if parts is None or len(parts[0].split()) != 1 or not out.query:
            return False
        head, inner = parts
        if is_shorthand(head) or not readable(inner) or NEGATING.match(inner):
            return False  # ("TEM (resting)": TEM says it; "(non-nasal)": not what it is)
        if self._names_elsewhere(inner):
            return False  # "Microglia(Brain)": where the cells were sampled
        tag = ("dropped", "")
        if any(
            self._in_branch(self._exact_only(text, 1.0, tag, normal=normal))
            for text, normal in ((head, False), *((r.text, r.normal) for r in rewrites(head)))
        ):
            return False  # the head names the cell ("Microglia": microglial cell)
        split = split_qualifiers(inner)
        if split is not None and not split.head:
            return False  # "(left)", "(80% tumour)": qualifiers only
        out.query = normal_form(inner)
        out.fuzzy_reading = ("specialised", f"bracket {inner!r} read: {head!r} names no term")
        return True
