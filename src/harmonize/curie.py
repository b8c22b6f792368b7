"""CURIE <-> IRI conversion, through :mod:`curies` with the prefix maps of prefixmaps.

One converter for the whole program, built on first use: project-specific prefixes
(harmonize's own namespaces, EFO's real IRI base) first, then the OBO map, then
bioregistry's map for prefixes OBO does not list. Every prefix or IRI operation of
harmonize goes through it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal, overload

from harmonize.errors import CurieError

if TYPE_CHECKING:
    import curies

__all__ = [
    "HARMONIZE_PREFIXES",
    "NON_ONTOLOGY_PREFIXES",
    "OBO_PURL",
    "compress",
    "converter",
    "expand",
    "is_curie",
    "local_curie",
    "ontology_curie",
]

#: Prefixes harmonize adds to (and that take precedence over) the OBO prefix map.
HARMONIZE_PREFIXES: dict[str, str] = {
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "harmonize": "https://w3id.org/harmonize/",
    "hmz": "https://w3id.org/harmonize/model/",
    "local": "https://w3id.org/harmonize/local/",
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "sssom": "https://w3id.org/sssom/",
    "orcid": "https://orcid.org/",
    "gdc": "https://w3id.org/harmonize/gdc/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "MA": "http://purl.obolibrary.org/obo/MA_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "Orphanet": "http://www.orpha.net/ORDO/Orphanet_",
    "CVCL": "https://www.cellosaurus.org/CVCL_",  # Cellosaurus cell lines (CVCL_0030 = HeLa)
}


@functools.cache
def converter() -> curies.Converter:
    """The shared converter (harmonize prefixes first, then prefixmaps' OBO context)."""
    import curies

    ours = curies.Converter.from_prefix_map(HARMONIZE_PREFIXES)
    # OBO PURLs first; bioregistry's map (shipped in prefixmaps) for prefixes OBO lacks
    return curies.chain([ours, *(_context_converter(name) for name in _CONTEXTS)])


_CONTEXTS = ("obo", "bioregistry.upper")  # prefixmaps contexts, in order of precedence


def _context_converter(name: str) -> curies.Converter:
    """prefixmaps' context ``name`` as a converter. prefixmaps' own ``load_converter``
    builds it in strict mode, whose duplicate check compares every pair of records
    (2.6 s per process for bioregistry's 1,300); the context's records are already
    unique (``tests/test_curie.py`` checks it against the strict build), so it is built
    without that check."""
    import curies
    from prefixmaps import load_context

    return curies.Converter(load_context(name).as_extended_prefix_map(), strict=False)


def is_curie(text: str) -> bool:
    """True when ``text`` has the shape ``PREFIX:local`` (not an IRI with a scheme).

    >>> is_curie("UBERON:0002107"), is_curie("http://x.org/a"), is_curie("liver")
    (True, False, False)
    """
    prefix, sep, local = text.partition(":")
    return bool(sep and prefix and local) and not local.startswith("//") and " " not in text


@overload
def expand(curie: str, *, strict: Literal[True] = True) -> str: ...
@overload
def expand(curie: str, *, strict: Literal[False]) -> str | None: ...
def expand(curie: str, *, strict: bool = True) -> str | None:
    """CURIE -> IRI. With ``strict`` (default) an unknown prefix raises :class:`CurieError`.

    >>> expand("UBERON:0002107")
    'http://purl.obolibrary.org/obo/UBERON_0002107'
    """
    if "://" in curie:
        return curie
    iri = converter().expand(curie)
    if iri is None and strict:
        prefix = curie.partition(":")[0]
        raise CurieError(f"unknown CURIE prefix {prefix!r}", value=curie)
    return iri


@overload
def compress(iri: str, *, strict: Literal[True] = True) -> str: ...
@overload
def compress(iri: str, *, strict: Literal[False]) -> str | None: ...
def compress(iri: str, *, strict: bool = True) -> str | None:
    """IRI -> CURIE. With ``strict`` an IRI outside every known namespace raises.

    >>> compress("http://purl.obolibrary.org/obo/MONDO_0004975")
    'MONDO:0004975'
    """
    if is_curie(iri) and "://" not in iri:
        return iri
    curie = converter().compress(iri)
    if curie is None and strict:
        raise CurieError("IRI is in no known namespace", value=iri)
    return curie


#: Where OBO term IRIs live: ``<OBO_PURL><PREFIX>_<local id>``.
OBO_PURL = "http://purl.obolibrary.org/obo/"
#: Prefixes of vocabularies that are not ontologies of terms (harmonize's own, W3C's, SSSOM).
NON_ONTOLOGY_PREFIXES = frozenset(
    {"harmonize", "hmz", "local", "semapv", "skos", "owl", "rdf", "rdfs", "prov", "dcterms",
     "sssom", "orcid", "gdc", "oboInOwl", "xsd", "obo"}
)  # fmt: skip


def ontology_curie(iri: str) -> str | None:
    """The CURIE of an ontology term's IRI, or ``None`` for any other IRI.

    >>> ontology_curie("http://purl.obolibrary.org/obo/MONDO_0004975")
    'MONDO:0004975'
    >>> ontology_curie("https://w3id.org/harmonize/model/tissue") is None
    True
    """
    curie = compress(iri, strict=False) if "://" in iri else None
    if curie is None and iri.startswith(OBO_PURL):  # an OBO PURL of a prefix no map lists yet
        prefix, sep, local = iri[len(OBO_PURL) :].partition("_")
        curie = f"{prefix}:{local}" if sep and prefix.isalnum() else None
    if curie is None:
        return None
    prefix, _, local = curie.partition(":")
    if prefix in NON_ONTOLOGY_PREFIXES or not local or not local.replace("_", "").isalnum():
        return None
    return curie


def local_curie(namespace: str, text: str) -> str:
    """A stable local CURIE for a partner value or column (``local:ns/slug``).

    The slug keeps letters and digits readable and is made unique by a short hash, so
    the same text always gets the same CURIE and different texts never collide.

    >>> local_curie("tissue", "liver bx")
    'local:tissue/liver_bx-e0d66b'
    """
    import hashlib
    import re

    slug = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_")[:40] or "empty"
    digest = hashlib.sha1(f"{namespace}\x00{text}".encode()).hexdigest()[:6]
    ns = re.sub(r"[^0-9A-Za-z_.-]+", "_", namespace).strip("_") or "value"
    return f"local:{ns}/{slug}-{digest}"
