"""RDF data files in: guarded before pyoxigraph reads them, its errors in one line.

:func:`check_rdf_file` runs before any parse of a file: RDF/XML gets the entity guard of
:mod:`.xml_guard` (no "billion laughs"); :func:`rdf_error` turns what pyoxigraph raises
(``SyntaxError`` quoting a whole 10 MB token, ``MemoryError`` "Reached the buffer
maximal size", ``OSError``) into the caller's error with a readable excerpt;
:func:`iter_rdf` does both around ``pyoxigraph.parse``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeError, InputFileError, shorten
from harmonize.io.files import input_error
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits
from harmonize.io.xml_guard import check_xml_file

__all__ = ["check_rdf_file", "iter_rdf", "rdf_error"]

_KIND = {
    "TURTLE": "Turtle",
    "N_TRIPLES": "N-Triples",
    "JSON_LD": "JSON-LD",
    "RDF_XML": "RDF/XML",
    "N_QUADS": "N-Quads",
    "TRIG": "TriG",
}


def _name(fmt: Any) -> str:
    """``"RDF_XML"`` for ``RdfFormat.RDF_XML`` (named ``"RDF/XML"``) or ``"RDF_XML"``."""
    return re.sub(r"[^A-Z]+", "_", str(getattr(fmt, "name", fmt)).upper())


def check_rdf_file(
    path: str | Path,
    fmt: Any,
    *,
    error: type[HarmonizeError] = InputFileError,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> None:
    """Check ``path`` (in pyoxigraph format ``fmt``, e.g. ``RdfFormat.RDF_XML`` or
    ``"RDF_XML"``) before it is parsed; raises ``error`` naming the file."""
    path = Path(path)
    if path.is_dir():
        raise error("is a folder, expected a file", path=path)
    if not path.is_file():
        raise error("file not found", path=path)
    if _name(fmt) == "RDF_XML":
        check_xml_file(path, error=error, limits=limits)


def rdf_error(
    exc: BaseException, path: Path, fmt: Any, *, error: type[HarmonizeError] = InputFileError
) -> HarmonizeError:
    """The one-line error for an exception pyoxigraph raised while parsing ``path``."""
    kind = _KIND.get(_name(fmt), _name(fmt))
    if isinstance(exc, SyntaxError):
        text = re.sub(r"\s*\(line \d+\)$", "", shorten(str(exc.msg or exc)))
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        return error(f"not valid {kind}: {text}", path=path, line=line)
    if isinstance(exc, MemoryError):
        return error(
            f"not readable as {kind}: a single token is too large ({shorten(str(exc), 120)})",
            path=path,
        )
    if isinstance(exc, OSError) and not isinstance(exc, UnicodeError):
        return input_error(exc, path, error)
    return error(f"cannot read {kind}: {shorten(str(exc))}", path=path)


def iter_rdf(
    path: str | Path,
    fmt: Any,
    *,
    error: type[HarmonizeError] = InputFileError,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[Any]:
    """``pyoxigraph.parse(path=path, format=fmt)``, checked first, errors in one line."""
    import pyoxigraph as ox

    path = Path(path)
    rdf_format = getattr(ox.RdfFormat, _name(fmt)) if isinstance(fmt, str) else fmt
    check_rdf_file(path, rdf_format, error=error, limits=limits)
    try:
        yield from ox.parse(path=path, format=rdf_format)
    except (SyntaxError, MemoryError, OSError, ValueError) as exc:
        raise rdf_error(exc, path, rdf_format, error=error) from None
