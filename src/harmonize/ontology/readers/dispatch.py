"""Pick the right reader for an ontology file by looking at its content."""

from __future__ import annotations

import re
from pathlib import Path

from harmonize.errors import OntologyLoadError
from harmonize.io.checksum import file_sha256
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.readers.compression import read_bytes

__all__ = ["read_ontology", "sniff_ontology_format"]

# the first triple of an N-Triples file: an IRI or blank-node subject, then an IRI predicate
_NTRIPLES_SUBJECT = re.compile(r"(<[^<>\s]+>|_:[^\s]+)\s+<[^<>\s]+>")


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
    if text.startswith("<"):
        if re.search(r"<(owl:)?Ontology\b[^>]*xmlns=\"http://www\.w3\.org/2002/07/owl#\"", text):
            raise OntologyLoadError(
                "OWL/XML syntax is not supported: convert it to RDF/XML, Turtle or OBO "
                "(e.g. robot convert)",
                path=path,
            )
        if text.startswith(("<?xml", "<rdf:RDF", "<!DOCTYPE")):
            return "owl"
        if _NTRIPLES_SUBJECT.match(text):
            return "ttl"  # N-Triples / Turtle without prefixes
    if text.startswith("_:") and _NTRIPLES_SUBJECT.match(text):
        return "ttl"  # N-Triples whose first subject is a blank node
    if text.startswith(("{", "[")):
        # peek only: the reader parses the JSON once (MONDO's is ~100 MB decompressed)
        return "obographs" if re.search(r'"graphs"\s*:', text) else "cellxgene"
    lowered = text.lower()
    if lowered.startswith(("@prefix", "@base", "prefix ", "base ")) or re.search(
        r"^\s*(@prefix|@base|prefix\s)", lowered, re.MULTILINE
    ):
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
    # of the bytes as stored: what `sha256sum` and the manifest say
    sha256 = file_sha256(path, error=OntologyLoadError)
    fmt = sniff_ontology_format(path, content)
    if fmt == "cellxgene":
        from harmonize.ontology.readers.cellxgene import read_cellxgene

        return read_cellxgene(path, content, sha256)
    if fmt in {"owl", "ttl"}:
        from harmonize.ontology.readers.rdf_reader import read_rdf

        return read_rdf(path, content, fmt, sha256)
    from harmonize.ontology.readers.pronto_reader import read_with_pronto

    return read_with_pronto(path, content, fmt, sha256)
