"""Reader for the ontology JSON files that ``cellxgene-ontology-guide`` ships.

Layout: ``{"CL:0000000": {"label", "description", "synonyms": [...], "deprecated",
"replaced_by", "consider", "ancestors": {"CL:...": distance}}}``. Synonyms there are
exact synonyms; ancestors mix is_a and part_of, so direct parents (distance 1) become
``parents`` and the relation kind is not told apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import OntologyMeta, Synonym, Term

__all__ = ["looks_like_cellxgene", "read_cellxgene"]

_NAME = re.compile(r"^(?P<name>[A-Za-z]+)-ontology-(?P<version>.+?)\.json(\.zst)?$")
#: ids written ``PREFIX_local`` (Cellosaurus: ``CVCL_0030``) become CURIEs ``CVCL:0030``
_UNDERSCORE_ID = re.compile(r"^(?P<prefix>[A-Za-z]+)_(?P<local>[A-Za-z0-9]+)$")


def _curie(term_id: str) -> str:
    if ":" in term_id:
        return term_id
    match = _UNDERSCORE_ID.match(term_id)
    return f"{match['prefix']}:{match['local']}" if match else term_id


def looks_like_cellxgene(data: Any) -> bool:
    if not isinstance(data, dict) or not data:
        return False
    first = next(iter(data.values()))
    return isinstance(first, dict) and "label" in first and "ancestors" in first


def _as_bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _as_tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def read_cellxgene(path: Path, content: bytes, sha256: str | None = None) -> OntologyIndex:
    """Build an index from the cellxgene JSON ``content`` read from ``path``."""
    from harmonize.io.json_text import parse_json

    data = parse_json(content, path=path, error=OntologyLoadError)
    if isinstance(data, dict) and "graphs" in data:  # OBO Graphs with a long preamble
        from harmonize.ontology.readers.pronto_reader import read_with_pronto

        return read_with_pronto(path, content, "obographs", sha256)
    if not looks_like_cellxgene(data):
        raise OntologyLoadError(
            "JSON is neither OBO Graphs nor a cellxgene ontology file", path=path
        )
    from harmonize.progress import progress

    terms: dict[str, Term] = {}
    items = data.items()
    for raw_id, entry in progress(items, desc=f"indexing {path.name}", total=len(data)):
        term_id = _curie(raw_id)
        if not isinstance(entry, dict):
            continue
        ancestors = entry.get("ancestors") or {}
        if not isinstance(ancestors, dict):  # some releases store a repr of the dict
            ancestors = {}
        parents = tuple(a for a, distance in ancestors.items() if distance == 1)
        synonyms = tuple(
            Synonym(text, "EXACT") for text in _as_tuple(entry.get("synonyms")) if text
        )
        terms[term_id] = Term(
            id=term_id,
            label=str(entry["label"]) if entry.get("label") else None,
            synonyms=synonyms,
            definition=str(entry["description"]) if entry.get("description") else None,
            obsolete=_as_bool(entry.get("deprecated")),
            replaced_by=tuple(_curie(t) for t in _as_tuple(entry.get("replaced_by"))),
            consider=tuple(_curie(t) for t in _as_tuple(entry.get("consider"))),
            parents=tuple(_curie(t) for t in parents),
        )
    match = _NAME.match(path.name)
    name = match["name"] if match else path.name.split(".")[0]
    version = match["version"] if match else None
    prefixes = tuple(sorted({t.partition(":")[0] for t in list(terms)[:1000]}))
    meta = OntologyMeta(
        name=name,
        version=version,
        source=str(path),
        sha256=sha256,
        format="cellxgene",
        prefixes=prefixes,
    )
    return OntologyIndex(meta=meta, terms=terms)
