"""Entity expansion off for RDF/XML, in the manner of defusedxml.

pyoxigraph's RDF/XML parser expands the entities of a document's internal DTD, so a
4 KB "billion laughs" file becomes gigabytes. OWL files often declare harmless
entities (``<!ENTITY obo "http://purl.obolibrary.org/obo/">``), so entities are not
refused outright; :func:`check_xml_entities` reads the DTD first and refuses:

- an external DTD, external (``SYSTEM``/``PUBLIC``) or parameter (``%``) entities;
- an entity whose value refers to another entity (the "laughs" nesting);
- references that would add more than ``ReadLimits.max_entity_bytes`` (or
  ``max_entity_ratio`` times the file size, whichever is larger): quadratic blow-up.
"""

from __future__ import annotations

import re
from pathlib import Path

from harmonize.errors import HarmonizeError, InputFileError, excerpt
from harmonize.io.files import open_input
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["check_xml_entities", "check_xml_file", "declared_entities"]

_PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE\s", re.DOTALL)
_DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+[^\s\[>]+\s*(?P<external>(?:SYSTEM|PUBLIC)\b[^\[>]*)?(?P<subset>\[)?"
)
_DECL = re.compile(
    rb"""\s+|<!--.*?-->|<\?.*?\?>
    |<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s%"'>]+)\s+
        (?:(?P<ext>SYSTEM|PUBLIC)\b[^>]*|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')\s*>
    |<!(?:ELEMENT|ATTLIST|NOTATION)\b(?:"[^"]*"|'[^']*'|[^>"'])*>
    |(?P<peref>%[^;\s]+;)
    |(?P<end>\]\s*>)""",
    re.DOTALL | re.VERBOSE,
)
_CHAR_REF = re.compile(rb"&#(?:[0-9]+|x[0-9a-fA-F]+);")


def _refuse(message: str, path: Path | None, error: type[HarmonizeError]) -> HarmonizeError:
    return error(f"XML DTD refused: {message} (entity expansion is off)", path=path)


def declared_entities(
    head: bytes, *, path: Path | None = None, error: type[HarmonizeError] = InputFileError
) -> dict[bytes, bytes]:
    """The general entities the internal DTD at the start of ``head`` declares
    (name -> value); raises ``error`` for anything that could expand without bound.

    >>> declared_entities(b'<!DOCTYPE r [<!ENTITY obo "http://x/">]><r/>')
    {b'obo': b'http://x/'}
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    if _PROLOG.match(head) is None:
        return {}
    doctype = _DOCTYPE.search(head)
    if doctype is None:
        raise _refuse("unreadable DOCTYPE", path, error)
    if doctype["external"]:
        raise _refuse("an external DTD", path, error)
    if not doctype["subset"]:
        return {}
    entities: dict[bytes, bytes] = {}
    pos = doctype.end()
    while True:
        match = _DECL.match(head, pos)
        if match is None:
            shown = excerpt(head[pos : pos + 60].decode("utf-8", "replace"))
            raise _refuse(f"unreadable DTD declaration {shown}", path, error)
        pos = match.end()
        if match["end"]:
            return entities
        if match["peref"] or match["pe"]:
            raise _refuse("a parameter entity", path, error)
        if match["ext"]:
            raise _refuse(
                f"external entity {match['name'].decode(errors='replace')!r}", path, error
            )
        if match["name"]:
            value = match["dq"] if match["dq"] is not None else match["sq"]
            if b"&" in _CHAR_REF.sub(b"", value) or b"%" in value:
                name = match["name"].decode(errors="replace")
                raise _refuse(f"entity {name!r} refers to other entities", path, error)
            entities.setdefault(match["name"], value)


def _budget(size: int, limits: ReadLimits) -> int:
    return max(limits.max_entity_bytes, limits.max_entity_ratio * size)


def _over(
    added: int, size: int, path: Path | None, error: type[HarmonizeError], limits: ReadLimits
) -> HarmonizeError:
    return error(
        f"XML entity references would add over {added:,} bytes to a file of {size:,} "
        f"(ReadLimits.max_entity_bytes / max_entity_ratio): refused as an entity bomb",
        path=path,
    )


def check_xml_entities(
    content: bytes,
    *,
    path: Path | None = None,
    error: type[HarmonizeError] = InputFileError,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> None:
    """Refuse ``content`` (an XML document in memory) when its entities could blow up."""
    entities = declared_entities(content[: limits.max_dtd_bytes], path=path, error=error)
    added = 0
    budget = _budget(len(content), limits)
    for name, value in entities.items():
        added += content.count(b"&" + name + b";") * len(value)
        if added > budget:
            raise _over(added, len(content), path, error, limits)


def check_xml_file(
    path: str | Path,
    *,
    error: type[HarmonizeError] = InputFileError,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> None:
    """:func:`check_xml_entities` for a file on disk, streamed in blocks."""
    path = Path(path)
    with open_input(path, error=error) as handle:
        head = handle.read(limits.max_dtd_bytes)
        entities = declared_entities(head, path=path, error=error)
        if not entities:
            return
        size = path.stat().st_size
        budget = _budget(size, limits)
        refs = {b"&" + name + b";": len(value) for name, value in entities.items()}
        overlap = max(len(r) for r in refs) - 1
        added = 0
        block, tail = head, b""
        while block:
            data = tail + block
            added += sum(data.count(ref) * n for ref, n in refs.items())
            if added > budget:
                raise _over(added, size, path, error, limits)
            tail = data[-overlap:] if overlap else b""
            added -= sum(tail.count(ref) * n for ref, n in refs.items())  # counted again next
            block = handle.read(limits.max_dtd_bytes)
