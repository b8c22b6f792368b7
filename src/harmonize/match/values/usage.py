"""Terms that real curated data uses: a prior between homonyms.

``cellxgene-ontology-guide`` ships the organ, system, tissue and cell-class lists that
CELLxGENE's curators use to annotate published single-cell data (``organ_list.json``,
``system_list.json``, ``tissue_general_list.json``, ``cell_class_list.json``,
``cell_subclass_list.json``) and the terms found under each (``tissue_descendants.json``,
``cell_type_descendants.json``). When two terms share a name, the matcher prefers the one
these lists hold (``bladder``: urinary bladder). Read once; empty when absent.
"""

from __future__ import annotations

import functools
import json

__all__ = ["CURATED_SPECIES", "HEADLINE_FILES", "USAGE_FILES", "curated_usage", "headline_terms"]

#: the species whose data those lists code with UBERON and CL terms (CELLxGENE's schema
#: codes other species' tissues in their own ontologies: FBbt, ZFA, WBbt)
CURATED_SPECIES: frozenset[str] = frozenset({"NCBITaxon:9606", "NCBITaxon:10090"})

#: the lists of broad classes (organs, systems, tissues, cell classes and subclasses) that
#: CELLxGENE groups curated data by: what a short label names ("Mono": monocyte)
HEADLINE_FILES: tuple[str, ...] = (
    "organ_list.json",
    "system_list.json",
    "tissue_general_list.json",
    "cell_class_list.json",
    "cell_subclass_list.json",
)
USAGE_FILES: tuple[str, ...] = (
    *HEADLINE_FILES,
    "tissue_descendants.json",
    "cell_type_descendants.json",
)


@functools.cache
def curated_usage() -> frozenset[str]:
    """Term ids in CELLxGENE's curated lists (``"UBERON:0000955 (organoid)"`` -> the id)."""
    return _listed(USAGE_FILES)


@functools.cache
def headline_terms() -> frozenset[str]:
    """Term ids of CELLxGENE's lists of broad classes (:data:`HEADLINE_FILES`)."""
    return _listed(HEADLINE_FILES)


def _listed(names: tuple[str, ...]) -> frozenset[str]:
    from harmonize.resources import cellxgene_data_dir

    ids: set[str] = set()
    try:
        folder = cellxgene_data_dir()
    except Exception:
        return frozenset()
    for name in names:
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        items = (
            [*data, *(v for vs in data.values() for v in vs)] if isinstance(data, dict) else data
        )
        ids.update(str(item).split(" ")[0] for item in items if isinstance(item, str))
    return frozenset(ids)
