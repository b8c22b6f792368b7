"""RDF in for validation: files parsed by pyoxigraph, terms handed to rdflib/pyshacl."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import ValidationError

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["TermConverter", "load_store", "rdf_format"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdf_format(path: Path) -> Any:
    """The pyoxigraph format of ``path`` by its extension (default Turtle)."""
    import pyoxigraph as ox

    name = path.name.lower()
    for suffix, fmt in (
        (".ttl", ox.RdfFormat.TURTLE),
        (".turtle", ox.RdfFormat.TURTLE),
        (".nt", ox.RdfFormat.N_TRIPLES),
        (".jsonld", ox.RdfFormat.JSON_LD),
        (".json", ox.RdfFormat.JSON_LD),
        (".rdf", ox.RdfFormat.RDF_XML),
        (".owl", ox.RdfFormat.RDF_XML),
        (".xml", ox.RdfFormat.RDF_XML),
    ):
        if name.endswith(suffix):
            return fmt
    return ox.RdfFormat.TURTLE


def load_store(paths: Path | Sequence[Path]) -> ox.Store:
    """Parse one file or several (the parts of a conversion) into one in-memory
    pyoxigraph store. One-line error on broken RDF."""
    import pyoxigraph as ox

    from harmonize.io.rdf import check_rdf_file, rdf_error

    files = [paths] if isinstance(paths, Path) else list(paths)
    for path in files:  # no entity bombs, no folders, no oversized files
        check_rdf_file(path, rdf_format(path), error=ValidationError)
        if path.stat().st_size == 0:
            raise ValidationError("the data file is empty", path=path)
    store = ox.Store()
    for path in files:
        fmt = rdf_format(path)
        try:
            store.load(path=str(path), format=fmt)
        except (SyntaxError, OSError, ValueError, MemoryError) as exc:
            raise rdf_error(exc, path, fmt, error=ValidationError) from None
    if not len(store):  # JSON-LD ``null`` is not "0 records, conforms"
        raise ValidationError("holds no RDF triples: nothing to validate", path=files[0])
    return store


class TermConverter:
    """pyoxigraph term -> rdflib term, each distinct IRI and literal converted once."""

    def __init__(self, limit: int = 200_000) -> None:
        self._cache: dict[Any, Any] = {}
        self._limit = limit

    def __call__(self, term: Any) -> Any:
        found = self._cache.get(term)
        if found is None:
            found = _convert(term)
            if len(self._cache) < self._limit:
                self._cache[term] = found
        return found


def _convert(term: Any) -> Any:
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))
