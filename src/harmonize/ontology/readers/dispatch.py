"""Pick the right reader for an ontology file by looking at its content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.readers.compression import read_bytes

__all__ = ["read_ontology", "sniff_ontology_format"]


def sniff_ontology_format(path: Path, content: bytes) -> str:
    """``obo`` | ``owl`` (RDF/XML) | ``ttl`` | ``obographs`` | ``cellxgene``.

    Raises :class:`OntologyLoadError` for empty, binary or unrecognised content.
    """
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise OntologyLoadError("file is empty", path=path)
    if b"\x00" in content[:4096]:
        raise OntologyLoadError(
            "binary data, not an ontology (OBO, OWL, Turtle or JSON)", path=path
        )
    text = head.decode("utf-8", errors="replace")
    if text.startswith(("<?xml", "<rdf:RDF", "<Ontology", "<!DOCTYPE")):
        return "owl"
    if text.startswith(("{", "[")):
        try:
            data = json.loads(content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OntologyLoadError(f"invalid JSON: {exc}", path=path) from exc
        if isinstance(data, dict) and "graphs" in data:
            return "obographs"
        return "cellxgene"
    if text.startswith(("@prefix", "@base", "PREFIX", "BASE")) or "\n@prefix" in text:
        return "ttl"
    first = text.splitlines()[0] if text else ""
    if first.startswith(
        ("format-version:", "[Term]", "[Typedef]", "data-version:", "ontology:")
    ) or (":" in first and "\n[Term]" in content[:200_000].decode("utf-8", "replace")):
        return "obo"
    raise OntologyLoadError(
        "not a recognised ontology format (expected OBO, OWL RDF/XML, Turtle, OBO Graphs "
        "JSON or cellxgene JSON)",
        path=path,
        line=1,
    )


def read_ontology(path: str | Path) -> OntologyIndex:
    """Load any supported ontology file (plain, gzip or zstd) into an index."""
    path = Path(path)
    content = read_bytes(path)
    sha256 = hashlib.sha256(content).hexdigest()
    fmt = sniff_ontology_format(path, content)
    if fmt == "cellxgene":
        from harmonize.ontology.readers.cellxgene import read_cellxgene

        return read_cellxgene(path, content, sha256)
    if fmt in {"owl", "ttl"}:
        from harmonize.ontology.readers.rdf_reader import read_rdf

        return read_rdf(path, content, fmt, sha256)
    from harmonize.ontology.readers.pronto_reader import read_with_pronto

    return read_with_pronto(path, content, fmt, sha256)
