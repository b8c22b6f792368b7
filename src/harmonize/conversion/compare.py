"""Compare conversions as graphs: sorted canonical N-Triples.

Two runs of the same conversion differ only in the activity that made them (a fresh
``urn:uuid:`` and its start and end times); :func:`canonical_lines` maps those to fixed
values, so a serial run and a distributed run of one table compare equal line for line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["canonical_lines"]

_ACTIVITY = re.compile(r"<urn:uuid:[0-9a-f-]{36}>")
_TIMES = re.compile(
    r'(<http://www\.w3\.org/ns/prov#(?:started|ended)AtTime>) "[^"]*"'
    r"(\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>)"
)


def canonical_lines(paths: Iterable[str | Path]) -> list[str]:
    """The distinct triples of all ``paths`` as sorted N-Triples lines, the activity's
    IRI and times made fixed."""
    import pyoxigraph as ox

    from harmonize.validation.store import rdf_format

    lines: set[str] = set()
    for path in paths:
        for triple in ox.parse(path=str(path), format=rdf_format(Path(path))):
            text = _ACTIVITY.sub("<urn:uuid:activity>", f"{triple} .")
            lines.add(_TIMES.sub(r'\1 "T"\2', text))
    return sorted(lines)
