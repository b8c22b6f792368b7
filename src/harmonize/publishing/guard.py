"""Checks on a query's text that run before any parser sees it: size and nesting depth.

Parsers of SPARQL recurse once per nesting level, and a query nested a few thousand groups
deep overflows the store library's stack (a crash of the whole process, not an error).
So the nesting depth is counted here by a small tokenizer that never recurses: brackets
``{ ( [`` count, except inside strings and comments; ``\\uXXXX`` escapes are expanded
first, as SPARQL does before parsing. Inside an IRI a ``#`` is not a comment, but brackets
still count there: a ``<`` the real parser reads as "less than" must not hide any.
This is a cheap first filter in the server process; the real parser then runs in a worker
process with a bounded recursion budget, where a query crafted around the remaining
ambiguities of a tokenizer can at worst stop that worker, never the server.
"""

from __future__ import annotations

import re

from harmonize.publishing.limits import Limits, QueryRejectedError

__all__ = ["check_query_text", "expand_unicode_escapes", "nesting_depth"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SPECIAL = re.compile(r"""[{}()\[\]"'<#\\]""")
_NOT_IN_IRI = frozenset('<>"{}|^`\\')
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")


def expand_unicode_escapes(text: str) -> str:
    """``\\u0041`` and ``\\U00000041`` replaced by the character, as SPARQL specifies.

    >>> expand_unicode_escapes(r"SELECT * WHERE \\u007B ?s ?p ?o }")
    'SELECT * WHERE { ?s ?p ?o }'
    """

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(char, text)


def _string_end(text: str, start: int) -> int:
    """Index after the string literal opening at ``start`` (its end if unterminated)."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    delimiter = quote * 3 if long else quote
    i = start + len(delimiter)
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if text.startswith(delimiter, i):
            return i + len(delimiter)
        if not long and c in "\r\n":
            return i  # a short string cannot span lines
        i += 1
    return len(text)


def _iri_end(text: str, start: int) -> int | None:
    """Index after the IRI ``<...>`` opening at ``start``, or None when it is not one."""
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == ">":
            return i + 1
        if c in _NOT_IN_IRI or ord(c) <= 0x20:
            return None
        i += 1
    return None


def _bracket_run(segment: str) -> tuple[int, int]:
    """Highest bracket level reached in ``segment`` read as code, and its net change."""
    level = peak = 0
    for ch in segment:
        if ch in _OPEN:
            level += 1
            peak = max(peak, level)
        elif ch in _CLOSE:
            level -= 1
    return peak, level


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of ``text`` (strings and comments skipped).

    >>> nesting_depth("SELECT * WHERE { ?s ?p ?o FILTER(?o = '{{{') }  # ((((")
    2
    >>> nesting_depth("SELECT * WHERE { <http://ex.org/a#b> ?p ?o }")
    1
    """
    text = expand_unicode_escapes(text)
    depth = deepest = 0
    i = 0
    while True:
        match = _SPECIAL.search(text, i)
        if match is None:
            return deepest
        i = match.start()
        c = text[i]
        if c in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
            i += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
            i += 1
        elif c in "\"'":
            i = _string_end(text, i)
        elif c == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline + 1
        elif c == "\\":
            i += 2  # an escaped character of a prefixed name (ex:a\(b)
        else:  # "<": an IRI, or "less than"
            end = _iri_end(text, i)
            if end is None:
                i += 1
                continue
            peak, net = _bracket_run(text[i + 1 : end - 1])
            deepest = max(deepest, depth + peak)
            depth += max(0, net)  # read as code it may open brackets; as an IRI, none
            i = end


def check_query_text(text: str, limits: Limits) -> None:
    """Raise :class:`QueryRejectedError` when ``text`` is too large or nested too deep."""
    size = len(text.encode("utf-8"))
    if size > limits.max_query_bytes:
        raise QueryRejectedError(
            f"the query is {size:,} bytes, over this endpoint's limit of "
            f"{limits.max_query_bytes:,} bytes"
        )
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise QueryRejectedError(
            f"the query nests {{ ( [ {depth} levels deep, over this endpoint's limit of "
            f"{limits.max_depth}"
        )
