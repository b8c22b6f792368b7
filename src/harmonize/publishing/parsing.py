"""What a SPARQL request asks, read by a real parser (rdflib's), never by patterns.

:func:`parse_query` gives the query form, its dataset clauses (``FROM`` / ``FROM NAMED``,
prefixed names and relative IRIs resolved against the prologue; comments are not
clauses) and every ``SERVICE`` it would call. The endpoint decides from this what the
query may see and whether it may run at all, before the store evaluates anything.

rdflib's parser recurses in Python: a query nested deeper than the interpreter's
recursion budget fails with a clean error here (the worker process that serves queries
raises the budget to :data:`RECURSION_LIMIT`, enough for :attr:`Limits.max_depth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from harmonize.publishing.limits import QueryRefusedError, QueryRejectedError, service_allowed

__all__ = [
    "RECURSION_LIMIT",
    "ParsedQuery",
    "QueryForm",
    "check_services",
    "is_update",
    "parse_query",
]

#: Python recursion budget of a query worker (rdflib parses ~300 nested groups with it;
#: deeper ones fail cleanly, far below the depth that crashes the store's own parser).
RECURSION_LIMIT = 20_000

QueryForm = Literal["select", "ask", "construct", "describe"]
_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}
_READ_ONLY = (
    "this endpoint is read-only: SPARQL Update (INSERT/DELETE/LOAD/CLEAR/DROP...) is "
    "not accepted; republish with 'harmonize publish' instead"
)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The parts of a query the endpoint acts on."""

    form: QueryForm
    default_graphs: tuple[str, ...]  # FROM
    named_graphs: tuple[str, ...]  # FROM NAMED
    services: tuple[str | None, ...]  # SERVICE IRIs; None for SERVICE ?variable

    @property
    def is_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF; SELECT and ASK with results."""
        return self.form in ("construct", "describe")


def _one_line(message: str) -> str:
    return " ".join(str(message).split())[:300]


def is_update(text: str) -> bool:
    """True when ``text`` parses as SPARQL Update (and so is never run here).

    >>> is_update("PREFIX insert: <http://ex.org/> ASK { ?s insert:p ?o }")
    False
    >>> is_update("# a comment\\nDROP ALL")
    True
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except RecursionError:
        return False
    except Exception:  # pyparsing's ParseException and rdflib's own checks
        return False
    return True


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; raise :class:`QueryRefusedError` for an update and
    :class:`QueryRejectedError` for anything that is not a valid SPARQL 1.1 query.

    >>> q = parse_query('''PREFIX g: <https://ex.org/g/>
    ... # FROM <https://ex.org/g/commented-out>
    ... SELECT * FROM g:SEC-1 WHERE { ?s ?p ?o }''')
    >>> q.form, q.default_graphs, q.named_graphs, q.services
    ('select', ('https://ex.org/g/SEC-1',), (), ())
    """
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except RecursionError:
        raise QueryRejectedError(
            "the query is nested too deeply for the SPARQL parser; flatten it"
        ) from None
    except Exception as exc:
        if is_update(text):
            raise QueryRefusedError(_READ_ONLY) from None
        raise QueryRejectedError(f"SPARQL syntax error: {_one_line(str(exc))}") from None
    prologue_node, query = parsed[0], parsed[1]
    try:
        prologue = translatePrologue(prologue_node, None)
        default: list[str] = []
        named: list[str] = []
        for clause in dict.get(query, "datasetClause") or ():  # CompValue.get differs
            if "default" in clause:
                default.append(str(prologue.absolutize(clause["default"])))
            if "named" in clause:
                named.append(str(prologue.absolutize(clause["named"])))
        services = tuple(_services(query, prologue))
    except QueryRejectedError:
        raise
    except Exception as exc:  # an undeclared prefix, a bad IRI
        raise QueryRejectedError(f"SPARQL error: {_one_line(str(exc))}") from None
    form = _FORMS.get(query.name)
    if form is None:
        raise QueryRejectedError(f"not a SPARQL query form: {query.name}")
    return ParsedQuery(form, tuple(default), tuple(named), services)


def _services(query: Any, prologue: Any) -> list[str | None]:
    """Every ``SERVICE`` of the parse tree, in order (walked without recursion)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    found: list[str | None] = []
    todo: list[Any] = [query]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node["term"]
                found.append(None if isinstance(term, Variable) else str(prologue.absolutize(term)))
            todo.extend(dict.values(node))
        elif isinstance(node, list | tuple | ParseResults):
            todo.extend(node)
    found.reverse()
    return found


def check_services(parsed: ParsedQuery, allow: tuple[str, ...]) -> None:
    """Refuse (400) any SERVICE not under one of the ``allow`` URL prefixes."""
    for iri in parsed.services:
        if iri is None:
            raise QueryRejectedError(
                "SERVICE with a variable is not allowed: this endpoint calls no other "
                "service unless its operator allows that service by URL"
            )
        if not service_allowed(iri, allow):
            allowed = ", ".join(allow) if allow else "none"
            raise QueryRejectedError(
                f"SERVICE <{iri}> is not allowed: this endpoint calls no other service "
                f"unless its operator allows it (allowed: {allowed})"
            )
