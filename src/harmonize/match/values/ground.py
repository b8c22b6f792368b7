"""One-call grounding: values + ontologies -> match results -> an SSSOM mapping set."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.confidence import AUTO_ACCEPT
from harmonize.mappings.model import JUSTIFICATION_LEXICAL, JUSTIFICATION_SIMILARITY

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.match.values.candidate import MatchResult
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "AUTO_ACCEPT",
    "CURATED_SYNONYMS",
    "NO_TERM_FOUND",
    "ground",
    "load_curated",
    "load_ontologies",
    "results_to_mapping_set",
]


#: values per progress-bar step of :func:`ground` (batches of 20k+ use both cores)
CHUNK = 50_000

#: SSSOM's object for "no appropriate term was found" (a value is never silently dropped).
NO_TERM_FOUND = "sssom:NoTermFound"

#: The curated synonym sets shipped in ``mappings/``.
CURATED_SYNONYMS = "curated-synonyms.sssom.tsv"


def load_ontologies(ontologies: Sequence[str | Path | OntologyIndex]) -> OntologyIndex:
    """One merged index from files (or manifest names) and/or ready indexes."""
    from harmonize.ontology.cache import load_index
    from harmonize.ontology.index import OntologyIndex, merge_indexes

    if not ontologies:
        from harmonize.errors import OntologyLoadError

        raise OntologyLoadError("no ontology given: pass at least one --ontology FILE")
    indexes = [o if isinstance(o, OntologyIndex) else load_index(o) for o in ontologies]
    return merge_indexes(indexes)


def load_curated() -> list[MappingSet]:
    """The curated synonym mapping sets bundled with harmonize (may be empty)."""
    from harmonize.mappings.sssom_io import read_sssom
    from harmonize.resources import bundled_dir

    folder = bundled_dir("mappings")
    path = folder / CURATED_SYNONYMS
    return [read_sssom(path)] if path.is_file() else []


def ground(
    values: Sequence[str],
    ontologies: Sequence[str | Path | OntologyIndex],
    *,
    roots: Sequence[str] = (),
    top_k: int = 5,
    taxon: str | None = None,
    context: Sequence[str] = (),
    show_progress: bool = False,
) -> list[MatchResult]:
    """Ground ``values`` against ``ontologies`` (merged), ``top_k`` candidates each, best first.

    Each distinct value is matched once; the result list follows ``values``. ``taxon``
    (an NCBITaxon CURIE, e.g. ``NCBITaxon:9606``) is the species of the data; ``context``
    the tissue the values were sampled from (names or CURIEs, ``["lung"]``).
    ``show_progress``: a progress bar on stderr, one step per :data:`CHUNK` values.
    """
    from harmonize.match.values.matcher import ValueMatcher
    from harmonize.progress import progress

    index = load_ontologies(ontologies)
    matcher = ValueMatcher(
        index, roots=roots, curated=load_curated(), taxon=taxon, fill=True, context=context
    )
    distinct = list(dict.fromkeys(values))
    chunks = [distinct[i : i + CHUNK] for i in range(0, len(distinct), CHUNK)]
    by_value: dict[str, MatchResult] = {}
    steps = progress(chunks, desc="grounding", total=len(chunks)) if show_progress else chunks
    for chunk in steps:
        by_value.update((r.query, r) for r in matcher.match_many(chunk, top_k=top_k))
    return [by_value[v] for v in values]


def results_to_mapping_set(
    results: Sequence[MatchResult],
    *,
    namespace: str,
    mapping_set_id: str,
    object_source_version: str | None = None,
    unmatched: bool = False,
) -> MappingSet:
    """SSSOM rows: top-k candidates per distinct value, best first.

    With ``unmatched=True`` (the CLI's choice) a value without any candidate gets one
    ``sssom:NoTermFound`` row whose comment names the best hit outside the branch, if any;
    by default such values have no row.
    """
    import datetime

    from harmonize import __version__
    from harmonize.curie import local_curie
    from harmonize.mappings.model import Mapping, MappingSet

    rows: list[Mapping] = []
    seen: set[str] = set()
    for result in results:
        if result.query in seen:
            continue
        seen.add(result.query)
        subject = local_curie(namespace, result.query)
        if not result.candidates and unmatched:  # "no match found", not a dropped value
            ob = result.outside_branch
            rows.append(
                Mapping(
                    subject_id=subject,
                    subject_label=result.query,
                    predicate_id="skos:closeMatch",
                    object_id=NO_TERM_FOUND,
                    mapping_justification=JUSTIFICATION_SIMILARITY,
                    object_source_version=object_source_version,
                    comment=result.note
                    or (
                        f"no candidate in the branch; best hit outside it: {ob.id} ({ob.label})"
                        if ob is not None
                        else "no candidate found"
                    ),
                )
            )
            continue
        for cand in result.candidates:
            lexical = cand.evidence.method != "fuzzy"
            comment = cand.explain()
            if result.outside_branch is not None and cand is result.candidates[0]:
                ob = result.outside_branch
                comment += f"; better hit outside the branch: {ob.id} ({ob.label})"
            rows.append(
                Mapping(
                    subject_id=subject,
                    subject_label=result.query,
                    predicate_id=cand.predicate,
                    object_id=cand.id,
                    object_label=cand.label,
                    mapping_justification=JUSTIFICATION_LEXICAL
                    if lexical
                    else JUSTIFICATION_SIMILARITY,
                    confidence=cand.confidence,
                    match_string=(cand.evidence.matched_text,),
                    object_source_version=object_source_version,
                    comment=comment,
                )
            )
    return MappingSet(
        mapping_set_id=mapping_set_id,
        mappings=tuple(rows),
        mapping_tool="harmonize ground",
        mapping_tool_version=__version__,
        mapping_date=datetime.date.today().isoformat(),
        object_source_version=object_source_version,
    )
