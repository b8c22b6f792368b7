"""Repair the stanzas of a messy OBO file that pronto (fastobo) rejects.

Pure text work, no pronto: the reader calls :func:`static_repairs` once pronto has
refused a file, then :func:`repair_line` for each line pronto's parser still points
at. Every repair is recorded with the line number of the ORIGINAL file, so the
warning a steward sees names the place to fix upstream.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from harmonize.ontology.model import SCOPES

__all__ = [
    "BUILTIN_RELATIONS",
    "OboLines",
    "Repair",
    "add_stub",
    "repair_line",
    "static_repairs",
    "stub_dangling",
]

#: Relations every OBO document may use without declaring a ``[Typedef]``.
BUILTIN_RELATIONS = frozenset({"is_a", "disjoint_from", "instance_of", "inverse_of", "union_of"})


@dataclass(frozen=True, slots=True)
class Repair:
    """One repaired or dropped line (``line`` counts from 1 in the original file)."""

    line: int
    action: str  # "dropped" | "dropped stanza" | "unescaped" | "fixed" | "stubbed"
    reason: str
    text: str


@dataclass(slots=True)
class OboLines:
    """The file as lines, each remembering its line number in the original file."""

    lines: list[str]
    origin: list[int]

    @classmethod
    def from_text(cls, text: str) -> OboLines:
        lines = text.split("\n")
        return cls(lines, list(range(1, len(lines) + 1)))

    def text(self) -> str:
        return "\n".join(self.lines)

    def drop(self, index: int) -> None:
        del self.lines[index]
        del self.origin[index]


def _tag_value(line: str) -> tuple[str, str]:
    tag, _, value = line.partition(":")
    return tag.strip(), value.split("!", 1)[0].strip()


_OLD_SYNONYM_TAGS = ("exact_synonym:", "narrow_synonym:", "broad_synonym:", "related_synonym:")


def _closing_quote(text: str, start: int) -> int:
    """Index of the ``"`` closing the quoted string opened at ``start`` (-1 if none)."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    return -1


def _modern_synonym(line: str) -> tuple[str, str] | None:
    """OBO 1.0 ``exact_synonym: "x" []`` and scope-less ``synonym: "x" []`` (OBO 1.2
    default RELATED) as OBO 1.4 ``synonym: "x" SCOPE []``; None when already fine."""
    tag, _, rest = line.partition(":")
    rest = rest.strip()
    if not rest.startswith('"'):
        return None
    end = _closing_quote(rest, 0)
    if end < 0:
        return None
    quoted, after = rest[: end + 1], rest[end + 1 :].strip()
    if tag != "synonym":
        scope = tag.removesuffix("_synonym").upper()
        return f"synonym: {quoted} {scope} {after or '[]'}", f"OBO 1.0 {tag} tag"
    if after.split(" ", 1)[0] in SCOPES:
        return None
    return f"synonym: {quoted} RELATED {after or '[]'}", "synonym without scope read as RELATED"


def static_repairs(doc: OboLines) -> list[Repair]:
    """Fix what fastobo rejects without a line number; edits ``doc`` in place.

    - ``is_a`` of a ``[Typedef]`` naming a relation the file never declares (pronto
      fails with a bare ``KeyError``, e.g. OBI's ``is_a: ObsoleteProperty``): dropped.
    - ``\\:`` escapes inside ``xref:`` values (fastobo rejects the backslash in an
      IRI): unescaped to ``:``.
    - OBO 1.0 ``exact_synonym:``-style tags and ``synonym:`` without a scope: rewritten
      as OBO 1.4 ``synonym: "..." SCOPE [...]``.
    """
    declared: set[str] = set(BUILTIN_RELATIONS)
    stanza = ""
    for line in doc.lines:
        stripped = line.strip()
        if stripped.startswith("["):
            stanza = stripped
        elif stanza == "[Typedef]" and stripped.startswith("id:"):
            declared.add(_tag_value(stripped)[1])
    repairs: list[Repair] = []
    stanza = ""
    keep_lines: list[str] = []
    keep_origin: list[int] = []
    for line, origin in zip(doc.lines, doc.origin, strict=True):
        stripped = line.strip()
        if stripped.startswith("["):
            stanza = stripped
        elif stanza == "[Typedef]" and stripped.startswith("is_a:"):
            target = _tag_value(stripped)[1]
            if target not in declared:
                reason = f"Typedef is_a names undeclared relation {target!r}"
                repairs.append(Repair(origin, "dropped", reason, stripped))
                continue
        elif stripped.startswith(_OLD_SYNONYM_TAGS) or stripped.startswith("synonym:"):
            fixed_syn = _modern_synonym(stripped)
            if fixed_syn is not None:
                repairs.append(Repair(origin, "fixed", fixed_syn[1], stripped))
                line = fixed_syn[0]
        elif stripped.startswith("xref:") and "\\:" in stripped:
            fixed = line.replace("\\:", ":")
            repairs.append(Repair(origin, "unescaped", "escaped '\\:' in xref", stripped))
            line = fixed
        keep_lines.append(line)
        keep_origin.append(origin)
    doc.lines, doc.origin = keep_lines, keep_origin
    return repairs


def _stanza_bounds(doc: OboLines, index: int) -> tuple[int, int] | None:
    """``(header, end)`` line indexes of the stanza holding line ``index`` (None in the
    header frame); ``end`` is the next stanza's header or the end of the file."""
    start = next((i for i in range(index, -1, -1) if doc.lines[i].lstrip().startswith("[")), None)
    if start is None:
        return None
    end = next(
        (i for i in range(start + 1, len(doc.lines)) if doc.lines[i].lstrip().startswith("[")),
        len(doc.lines),
    )
    return start, end


def _drop_stanza(doc: OboLines, bounds: tuple[int, int], reason: str) -> Repair:
    start, end = bounds
    header = doc.lines[start].strip()
    ident = next(
        (ln.strip() for ln in doc.lines[start:end] if ln.strip().startswith("id:")), header
    )
    repair = Repair(doc.origin[start], "dropped stanza", reason, ident)
    del doc.lines[start:end]
    del doc.origin[start:end]
    return repair


def repair_line(doc: OboLines, lineno: int, reason: str) -> Repair | None:
    """Repair or drop the (current, 1-based) line ``lineno`` the parser rejected.

    A clause is fixed (``\\:`` escapes, ``is_obsolete: yes``) or dropped; a stanza
    whose header or ``id:`` is broken, or that has no ``id:``, is dropped whole.
    Returns ``None`` when nothing can be repaired (a line outside the file).
    """
    index = lineno - 1
    if not 0 <= index < len(doc.lines):
        return None
    line = doc.lines[index]
    stripped = line.strip()
    origin = doc.origin[index]
    bounds = _stanza_bounds(doc, index)
    if bounds is not None:
        start, end = bounds
        has_id = any(ln.strip().startswith("id:") for ln in doc.lines[start:end])
        if index == start:
            return _drop_stanza(doc, bounds, f"unreadable stanza ({reason})")
        if stripped.startswith("id:"):
            return _drop_stanza(doc, bounds, f"unreadable id ({reason})")
        if not has_id:
            return _drop_stanza(doc, bounds, "stanza without id")
    if "\\:" in line:
        doc.lines[index] = line.replace("\\:", ":")
        return Repair(origin, "unescaped", "escaped '\\:'", stripped)
    tag, value = _tag_value(stripped)
    if tag == "is_obsolete" and value.lower() in {"yes", "1", "y", "t"}:
        doc.lines[index] = "is_obsolete: true"
        return Repair(origin, "fixed", f"is_obsolete: {value} read as true", stripped)
    culprit = _unclosed_quote_before(doc, index)
    if culprit is not None:  # the parser failed later than the real fault
        index = culprit
        stripped, origin = doc.lines[index].strip(), doc.origin[index]
        reason = "unterminated quoted string"
    doc.drop(index)
    return Repair(origin, "dropped", reason, stripped)


def _quotes(line: str) -> int:
    return line.count('"') - line.count('\\"')


def _unclosed_quote_before(doc: OboLines, index: int) -> int | None:
    """The line (same stanza, at or before ``index``) whose quoted string never closes.

    An unterminated quote swallows the following lines, so fastobo reports the error
    where the swallowed text stops parsing, not where the quote opened.
    """
    for back in range(index, max(index - 200, -1), -1):
        line = doc.lines[back].strip()
        if line.startswith("[") and back != index:
            return None
        if _quotes(line) % 2 == 1:
            return back if back != index or _quotes(line) == 1 else None
    return None


def _tagged(doc: OboLines) -> Iterator[tuple[str, str, str, int]]:
    """``(stanza header, tag, value, original line)`` of every tag line of ``doc``."""
    stanza = ""
    for line, origin in zip(doc.lines, doc.origin, strict=True):
        stripped = line.strip()
        if stripped.startswith("["):
            stanza = stripped
            continue
        tag, value = _tag_value(stripped)
        yield stanza, tag, value, origin


def add_stub(doc: OboLines, missing: str) -> Repair | None:
    """Declare ``missing`` (an id some ``is_a`` names but no stanza defines) as a stub.

    pronto fails with a bare ``KeyError`` on such a dangling parent. The stub is a
    ``[Term]`` (or ``[Typedef]`` when only Typedefs point at it) with just an id;
    the reader drops stubs from the index again, keeping the edge. Returns None when
    no line names ``missing`` (nothing to repair).
    """
    first: int | None = None
    kind = "[Typedef]"
    for stanza, tag, value, origin in _tagged(doc):
        if value.split(" ")[-1] == missing and tag in {"is_a", "relationship", "intersection_of"}:
            first = origin if first is None else first
            if stanza != "[Typedef]":
                kind = "[Term]"
    if first is None:
        return None
    doc.lines.extend(["", kind, f"id: {missing}", ""])
    doc.origin.extend([0, 0, 0, 0])
    return Repair(first, "stubbed", f"is_a names undeclared {missing!r}", missing)


def stub_dangling(doc: OboLines) -> list[Repair]:
    """Stub every ``is_a`` parent of a ``[Term]`` that no stanza declares, in one pass."""
    declared: set[str] = set()
    wanted: dict[str, int] = {}
    for stanza, tag, value, origin in _tagged(doc):
        if tag == "id":
            declared.add(value)
        elif tag == "is_a" and stanza == "[Term]" and value:
            wanted.setdefault(value.split(" ")[0], origin)
    repairs = []
    for missing, first in wanted.items():
        if missing in declared:
            continue
        doc.lines.extend(["", "[Term]", f"id: {missing}", ""])
        doc.origin.extend([0, 0, 0, 0])
        repairs.append(Repair(first, "stubbed", "is_a names an undeclared term", missing))
    return repairs
