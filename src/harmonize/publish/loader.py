"""Read what is to be published: RDF files and SSSOM mapping sets.

:func:`read_input` turns one file into a :class:`PreparedGraph`: the named graph it goes
to, how to load it (an RDF file is bulk-loaded straight from disk; a mapping set is
converted to triples), and what the scan found: the literal values per predicate (for the
privacy guard), the ontology terms used (for labels and hierarchy) and whether the data
declares itself restricted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import InputFileError
from harmonize.publish.terms import obo_curie
from harmonize.publish.vocab import (
    ACCESS_PREDICATE_NAMES,
    GRAPH_BASE,
    KIND_DATASET,
    KIND_MAPPINGS,
    RESTRICTED_VALUES,
    default_graph_iri,
)

if TYPE_CHECKING:
    import pyoxigraph

    from harmonize.mappings.model import MappingSet

__all__ = ["RDF_SUFFIXES", "PreparedGraph", "read_input"]

#: File suffix -> pyoxigraph RDF format name.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".ntriples": "N_TRIPLES",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: Literal predicates (local names) read as a dataset's identifier, for its graph name.
ID_PREDICATE_NAMES = frozenset({"dataset_id", "identifier"})
#: At most this many literal values per predicate go to the privacy guard.
MAX_VALUES_PER_PREDICATE = 20_000


@dataclass(frozen=True)
class PreparedGraph:
    """One input file, scanned and ready to load into its named graph."""

    path: Path
    graph: str
    kind: str  # dataset | mappings
    rdf_format: str | None  # pyoxigraph RdfFormat name when loaded from the file
    triples: tuple[pyoxigraph.Triple, ...] | None  # when built in memory (mapping sets)
    restricted: bool
    columns: dict[str, list[str]] = field(repr=False)  # predicate IRI -> literal values
    terms: frozenset[str] = frozenset()  # ontology CURIEs used
    triple_count: int = 0
    checksum: str | None = None  # of the source file (and graph name): unchanged -> skipped


def _is_sssom(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".sssom.tsv", ".tsv"))


def read_input(
    path: str | Path, *, graph: str | None = None, restricted: bool = False
) -> list[PreparedGraph]:
    """Scan one file to publish (RDF or SSSOM/TSV) into its graphs; bad files raise a
    one-line error. An RDF file holding several datasets gives one graph per dataset."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError("file not found", path=path)
    if path.stat().st_size == 0:
        raise InputFileError("file is empty", path=path)
    if _is_sssom(path):
        return _with_checksums(path, [_read_sssom(path, graph, restricted)])
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputFileError(
            "cannot tell the format from the file name: publish takes RDF (.ttl, .nt, "
            ".jsonld, .rdf) and SSSOM mapping sets (.sssom.tsv)",
            path=path,
        )
    scan = _scan_rdf(path, fmt, full=False)  # light pass: most files hold one dataset
    datasets = sorted(scan.datasets)
    if len(datasets) <= 1:
        is_restricted = restricted or bool(scan.restricted)
        name = graph or (
            _dataset_graph(datasets[0], scan.ids)
            if datasets
            else default_graph_iri(path, KIND_DATASET)
        )
        prepared = [
            PreparedGraph(
                path=path,
                graph=name,
                kind=KIND_DATASET,
                rdf_format=fmt,
                triples=None,
                restricted=is_restricted,
                columns=scan.columns,
                terms=frozenset(scan.terms),
                triple_count=scan.count,
            )
        ]
        return _with_checksums(path, prepared)
    return _with_checksums(path, _split(path, _scan_rdf(path, fmt, full=True), graph, restricted))


def _with_checksums(path: Path, graphs: list[PreparedGraph]) -> list[PreparedGraph]:
    from dataclasses import replace

    from harmonize.ontology.cache import file_sha256

    digest = file_sha256(path)
    return [
        replace(g, checksum=hashlib.sha256(f"{digest}:{g.graph}".encode()).hexdigest())
        for g in graphs
    ]


@dataclass
class _Scan:
    triples: list[pyoxigraph.Triple]
    columns: dict[str, list[str]]
    terms: set[str]
    datasets: set[str]  # term strings of dataset nodes
    restricted: set[str]  # dataset nodes declared restricted
    ids: dict[str, str]  # dataset node -> its identifier literal
    edges: dict[str, set[str]]  # subject -> object nodes (term strings)
    count: int = 0


def _scan_rdf(path: Path, fmt: str, *, full: bool) -> _Scan:
    """One pass over the file; ``full`` also keeps the triples and the subject links."""
    import pyoxigraph as ox

    scan = _Scan([], {}, set(), set(), set(), {}, {})
    no_edges: set[str] = set()
    try:
        for triple in ox.parse(path=path, format=getattr(ox.RdfFormat, fmt)):
            scan.count += 1
            subject = str(triple.subject)
            if full:
                scan.triples.append(triple)
                objects = scan.edges.setdefault(subject, set())
            else:
                objects = no_edges
            predicate = triple.predicate.value
            obj = triple.object
            if isinstance(obj, ox.Literal):
                values = scan.columns.setdefault(predicate, [])
                if len(values) < MAX_VALUES_PER_PREDICATE:
                    values.append(obj.value)
                local = _local_name(predicate)
                if local in ID_PREDICATE_NAMES:
                    scan.ids[subject] = obj.value
            else:
                if full:
                    objects.add(str(obj))
                if isinstance(obj, ox.NamedNode):
                    curie = obo_curie(obj.value)
                    if curie is not None:
                        scan.terms.add(curie)
                    if predicate == _RDF_TYPE and _local_name(obj.value) == "Dataset":
                        scan.datasets.add(subject)
            if _is_access_predicate(predicate):
                scan.datasets.add(subject)
                if _is_restricted(obj.value if not isinstance(obj, ox.BlankNode) else ""):
                    scan.restricted.add(subject)
    except SyntaxError as exc:
        raise InputFileError(f"not valid RDF ({fmt.lower()}): {exc}", path=path) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(f"cannot read RDF: {exc}", path=path) from None
    if not scan.count:
        raise InputFileError("holds no triples", path=path)
    return scan


def _dataset_graph(node: str, ids: dict[str, str], base: str | None = None) -> str:
    name = ids.get(node) or node.strip("<>").rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    slug = _UNSAFE.sub("_", name).strip("_") or "dataset"
    return f"{base}/{slug}" if base else f"{GRAPH_BASE}{KIND_DATASET}/{slug}"


def _split(path: Path, scan: _Scan, graph: str | None, restricted: bool) -> list[PreparedGraph]:
    from harmonize.publish.split import assign_subjects

    owners = assign_subjects(sorted(scan.datasets), scan.edges)
    names: dict[str, str] = {}
    for node in sorted(scan.datasets):
        name = _dataset_graph(node, scan.ids, graph)
        if name in names.values():
            name = f"{name}_{hashlib.sha256(node.encode()).hexdigest()[:8]}"
        names[node] = name
    buckets: dict[str, list[pyoxigraph.Triple]] = {n: [] for n in names.values()}
    remainder: list[pyoxigraph.Triple] = []
    for triple in scan.triples:
        mine = owners.get(str(triple.subject))
        if not mine:
            remainder.append(triple)
            continue
        for node in mine:
            buckets[names[node]].append(triple)
    out: list[PreparedGraph] = []
    for node, name in names.items():
        triples = tuple(buckets[name])
        out.append(
            PreparedGraph(
                path=path,
                graph=name,
                kind=KIND_DATASET,
                rdf_format=None,
                triples=triples,
                restricted=restricted or node in scan.restricted,
                columns=_literal_columns(triples),
                terms=_terms_of(triples),  # its own: not its neighbours' (restricted) ones
                triple_count=len(triples),
            )
        )
    if remainder:
        out.append(
            PreparedGraph(
                path=path,
                graph=f"{graph}/rest" if graph else default_graph_iri(path, KIND_DATASET),
                kind=KIND_DATASET,
                rdf_format=None,
                triples=tuple(remainder),
                restricted=restricted or bool(scan.restricted),
                columns=_literal_columns(remainder),
                terms=_terms_of(remainder),
                triple_count=len(remainder),
            )
        )
    return out


def _read_sssom(path: Path, graph: str | None, restricted: bool) -> PreparedGraph:
    import pyoxigraph as ox

    from harmonize.mappings import read_sssom
    from harmonize.publish.sssom_rdf import mapping_set_triples

    mapping_set = read_sssom(path)
    if not mapping_set.mappings:
        raise InputFileError("mapping set holds no mappings", path=path)
    triples = tuple(mapping_set_triples(mapping_set, path=path))
    terms = {
        curie
        for t in triples
        if isinstance(t.object, ox.NamedNode) and (curie := obo_curie(t.object.value))
    }
    return PreparedGraph(
        path=path,
        graph=graph or default_graph_iri(path, KIND_MAPPINGS),
        kind=KIND_MAPPINGS,
        rdf_format=None,
        triples=triples,
        restricted=restricted,
        columns=_partner_values(mapping_set),
        terms=frozenset(terms),
        triple_count=len(triples),
    )


def _partner_values(mapping_set: MappingSet) -> dict[str, list[str]]:
    """What a mapping set carries from the partner's table: its values (the subjects)."""
    columns: dict[str, list[str]] = {}
    for mapping in mapping_set.mappings:
        if mapping.subject_label:
            columns.setdefault("https://w3id.org/sssom/subject_label", []).append(
                mapping.subject_label
            )
        for text in mapping.match_string:
            columns.setdefault("https://w3id.org/sssom/match_string", []).append(text)
    return columns


def _terms_of(triples: Iterable[pyoxigraph.Triple]) -> frozenset[str]:
    import pyoxigraph as ox

    return frozenset(
        curie
        for t in triples
        if isinstance(t.object, ox.NamedNode) and (curie := obo_curie(t.object.value))
    )


def _literal_columns(triples: Iterable[pyoxigraph.Triple]) -> dict[str, list[str]]:
    import pyoxigraph as ox

    columns: dict[str, list[str]] = {}
    for triple in triples:
        if isinstance(triple.object, ox.Literal):
            columns.setdefault(triple.predicate.value, []).append(triple.object.value)
    return columns


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _is_access_predicate(iri: str) -> bool:
    return _local_name(iri) in ACCESS_PREDICATE_NAMES


def _is_restricted(value: str) -> bool:
    return _local_name(value).strip().lower() in RESTRICTED_VALUES
