"""OBO, OWL (RDF/XML) and OBO Graphs JSON through pronto."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import SCOPES, OntologyMeta, Scope, Synonym, Term

if TYPE_CHECKING:
    from pronto import Ontology  # type: ignore[attr-defined]

__all__ = ["index_from_pronto", "read_with_pronto"]


def _curie(term_id: str) -> str:
    """pronto ids are CURIEs for OBO files and may be IRIs for OWL; compress IRIs."""
    if "://" in term_id:
        from harmonize.curie import compress

        return compress(term_id, strict=False) or term_id
    return term_id


def index_from_pronto(
    onto: Ontology, path: Path, fmt: str, sha256: str | None = None
) -> OntologyIndex:
    """Convert a loaded pronto ontology into an index."""
    terms: dict[str, Term] = {}
    prefixes: dict[str, int] = {}
    for term in onto.terms():
        tid = _curie(term.id)
        synonyms = []
        for syn in term.synonyms:
            scope: Scope = syn.scope if syn.scope in SCOPES else "RELATED"  # type: ignore[assignment]
            syn_type = syn.type.id if syn.type is not None else None
            if syn.description:
                synonyms.append(Synonym(str(syn.description), scope, syn_type))
        try:
            parents = tuple(_curie(p.id) for p in term.superclasses(distance=1, with_self=False))
        except Exception:  # a dangling reference in a broken file
            parents = ()
        part_of: list[str] = []
        for rel, targets in term.relationships.items():
            if rel.id in {"part_of", "BFO:0000050"} or (rel.name or "") == "part of":
                part_of.extend(_curie(t.id) for t in targets)
        replaced_by = tuple(_curie(t.id) for t in term.replaced_by)
        consider = tuple(_curie(t.id) for t in term.consider)
        terms[tid] = Term(
            id=tid,
            label=str(term.name) if term.name else None,
            synonyms=tuple(synonyms),
            definition=str(term.definition) if term.definition else None,
            xrefs=tuple(x.id for x in term.xrefs),
            obsolete=bool(term.obsolete),
            replaced_by=replaced_by,
            consider=consider,
            parents=parents,
            part_of=tuple(part_of),
        )
        if term.name:
            prefix = tid.partition(":")[0]
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
    meta_version = onto.metadata.data_version or _version_from_iri(onto)
    own = [p for p, n in sorted(prefixes.items(), key=lambda kv: -kv[1])][:1]
    name = (onto.metadata.ontology or (own[0] if own else path.stem)).upper()
    meta = OntologyMeta(
        name=name,
        version=meta_version,
        source=str(path),
        sha256=sha256,
        format=fmt,
        prefixes=tuple(own),
    )
    return OntologyIndex(meta=meta, terms=terms)


def _version_from_iri(onto: Ontology) -> str | None:
    for key in ("owl:versionIRI", "versionIRI"):
        values = onto.metadata.annotations
        for annotation in values:
            if getattr(annotation, "property", "") == key:
                return str(
                    getattr(annotation, "resource", "") or getattr(annotation, "literal", "")
                )
    return None


def read_with_pronto(
    path: Path, content: bytes, fmt: str, sha256: str | None = None
) -> OntologyIndex:
    """Parse ``content`` (already decompressed) with pronto; ``fmt`` is obo|owl|json."""
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pronto.warnings.ProntoWarning)
        try:
            # import_depth=0: never fetch imports over the network
            onto = pronto.Ontology(  # type: ignore[attr-defined]
                io.BytesIO(content), import_depth=0
            )
        except Exception as exc:
            raise OntologyLoadError(f"cannot parse as {fmt.upper()}: {exc}", path=path) from exc
    return index_from_pronto(onto, path, fmt, sha256)
