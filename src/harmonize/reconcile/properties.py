"""The properties the service knows: query properties and data-extension properties.

Query properties refine a reconciliation query (OpenRefine's "also use relevant details
from other columns"); extension properties are the term fields a steward can pull into
new columns. One catalogue feeds property suggest, property proposals, query parsing and
data extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "COLUMN",
    "EXTEND_PROPERTIES",
    "PROPERTIES",
    "QUERY_PROPERTIES",
    "UNDER",
    "Property",
    "find_properties",
]

Use = Literal["query", "extend"]

#: query property: the partner column the value comes from (the ledger's namespace)
COLUMN = "column"
#: query property: keep only candidates under this term (is_a / part_of), e.g. the
#: reconciled value of an ``organ`` column as context for a ``tissue`` column
UNDER = "under"


@dataclass(frozen=True, slots=True)
class Property:
    """A property: its id, a name a steward reads, what it is for, and whether its values
    are entities (terms) or strings."""

    id: str
    name: str
    description: str
    use: Use
    entity: bool = False


PROPERTIES: tuple[Property, ...] = (
    Property(
        COLUMN,
        "partner column",
        "the column the value comes from: earlier decisions on the same column are replayed, "
        "and decisions written back are recorded under it",
        "query",
    ),
    Property(
        UNDER,
        "under term",
        "keep only candidates that are this term or lie below it (is_a, part_of)",
        "query",
        entity=True,
    ),
    Property("label", "label", "the term's label", "extend"),
    Property("definition", "definition", "the term's textual definition", "extend"),
    Property("synonyms", "synonyms", "every synonym of the term (any scope)", "extend"),
    Property("parents", "parents", "direct parents of the term (is_a and part_of)", "extend", True),
    Property("xrefs", "cross-references", "database cross-references of the term", "extend"),
    Property(
        "replaced_by",
        "replaced by",
        "for an obsolete term: the term that replaces it",
        "extend",
        entity=True,
    ),
)
QUERY_PROPERTIES: dict[str, Property] = {p.id: p for p in PROPERTIES if p.use == "query"}
EXTEND_PROPERTIES: dict[str, Property] = {p.id: p for p in PROPERTIES if p.use == "extend"}


def find_properties(prefix: str, use: Use | None = None) -> list[Property]:
    """Properties whose id or a word of whose name starts with ``prefix`` (any case).

    >>> [p.id for p in find_properties("par")]
    ['column', 'parents']
    """
    wanted = prefix.strip().casefold()
    out = []
    for prop in PROPERTIES:
        if use is not None and prop.use != use:
            continue
        words = [prop.id.casefold(), *prop.name.casefold().split()]
        if not wanted or any(w.startswith(wanted) for w in words):
            out.append(prop)
    return out
