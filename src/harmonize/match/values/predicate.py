"""The SKOS predicate of a candidate: how the term it names relates to the value.

Exact only for a label or exact synonym met as the value is written (or through a reading
that keeps its meaning); a reading that set words aside, a term of another taxon, or a
name narrower or broader than the term says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.index import key_tokens

if TYPE_CHECKING:
    from harmonize.match.values.hits import Hit
    from harmonize.match.values.index import NameTable

__all__ = ["predicate_of"]

#: readings that are never an exact match of the value
_NEVER_EXACT = frozenset(
    {"qualifier", "taxon", "context", "truncated", "other_taxon", "initialism"}
)


def predicate_of(table: NameTable, hit: Hit, norm: str) -> str:
    """The predicate of ``hit`` (a row of ``table``) for a value normalised to ``norm``."""
    scope = table.scope[hit.row]
    kind = hit.reading[0] if hit.reading else None
    if kind in {"hedge", "contradicted"}:
        return "skos:relatedMatch"  # "no HCC" / "HCC?" is not HCC; CD8+ is not CD8-
    if kind == "dropped":
        return "skos:broadMatch"  # words of the value were dropped: a broader term
    if scope == "NARROW":
        return "skos:broadMatch"  # the name is narrower than the term: term is broader
    if scope == "BROAD":
        return "skos:narrowMatch"
    if hit.method == "bracketed" or kind in _NEVER_EXACT:
        return "skos:closeMatch"  # a qualifier was dropped or read: never exact
    if hit.method != "fuzzy":
        if scope in {"LABEL", "EXACT"} and not table.weak[hit.row]:
            return "skos:exactMatch"
        return "skos:closeMatch"
    query = set(key_tokens(norm))
    name = set(key_tokens(table.norm[hit.row]))
    if name < query:
        return "skos:broadMatch"  # the value says more than the term
    if query < name:
        return "skos:narrowMatch"
    return "skos:closeMatch"
