"""A value read as negated, uncertain or past (``no HCC``, ``HIV negative``, ``h/o MI``):
the finding is read within it, each hit said to be hedged, and where the slot has a term for
"nothing found" (PATO normal, MONDO "no disease"), a negated value is offered it.
:class:`HedgedReadings` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import STRONG_SCOPES, exact_key
from harmonize.match.values.negation import NORMAL_NAMES, Hedge

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["HedgedReadings"]


class HedgedReadings:
    """Negated, uncertain and past values (a mixin of the value matcher)."""

    table: NameTable
    _allowed_row_list: list[bool]

    if TYPE_CHECKING:

        def _lexical(self, value: str, *, hedged: bool = False) -> Lexical: ...

    def _hedged(self, value: str, hedge: Hedge) -> Lexical:
        """``value`` read as ``hedge`` says: its finding's hits, each said hedged."""
        inner = self._lexical(hedge.rest, hedged=True)
        said = hedge.describe()
        tag = ("hedge", said)
        for hit in inner.hits:
            hit.reading = ("hedge", f"{said}; {hit.reading[1]}" if hit.reading else said)
        if hedge.kind == "negated":
            inner.hits.extend(self._normal_terms(("hedge", f"{said}: 'normal' offered")))
        inner.note = said
        inner.fuzzy_reading = tag
        return inner

    def _tested_finding(self, rest: str) -> str | None:
        """What a test result after ``rest`` is about, when the slot names it: the
        finding itself (``HIV negative``) or the infection by the agent tested for (``CMV
        negative``: "CMV infection"); None when neither names an in-branch term (``CD4
        negative``, ``HER2 neg``: a marker's sign)."""
        for finding in (rest, f"{rest} infection"):
            if self._names_term(finding):
                return finding
        return None

    def _tested_positive(self, result: str, finding: str) -> Lexical:
        """``HIV positive``: the finding's hits, the positive result set aside and said."""
        inner = self._lexical(finding, hedged=True)
        said = f"{result!r} (a positive test) set aside"
        if finding.endswith(" infection"):
            said += f": read as {finding!r}"
        for hit in inner.hits:
            hit.reading = ("qualifier", f"{said}; {hit.reading[1]}" if hit.reading else said)
        inner.fuzzy_reading = ("qualifier", said)
        return inner

    def _names_term(self, text: str) -> bool:
        """Does ``text`` name an in-branch term as written or by the shorthand list (not
        by initials, a marker's naming or words dropped)?"""
        weak, allowed = self.table.weak, self._allowed_row_list
        return any(
            allowed[h.row]
            and not weak[h.row]
            and h.method in {"exact", "normalized"}
            and (h.reading is None or h.reading[0] == "shorthand")
            for h in self._lexical(text, hedged=True).hits
        )

    def _normal_terms(self, tag: tuple[str, str]) -> list[Hit]:
        """In-branch terms named "normal" / "no disease" (the slot's "nothing found")."""
        table = self.table
        allowed = self._allowed_row_list
        return [
            Hit(row, "exact", METHOD_BASE["exact"] * 1.001, 1.0, 1.0, None, False, tag)
            for name in sorted(NORMAL_NAMES)
            for row in table.exact.get(exact_key(name), ())
            if allowed[row] and table.scope[row] in STRONG_SCOPES
        ]
