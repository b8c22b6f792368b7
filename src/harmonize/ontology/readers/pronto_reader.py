"""OBO and OBO Graphs JSON through pronto, repairing what pronto rejects.

The index is built from pronto's raw entity data (``TermData`` and the lineage
sets), never from its ``Term`` views: the views are slow and resolve every
referenced id, so one dangling ``consider:`` (PATO) or undeclared relation (UO)
would fail the whole ontology.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import OntologyLoadError, OntologyRepairWarning
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import (
    SCOPE_RANK,
    SCOPES,
    OntologyMeta,
    Scope,
    Synonym,
    Term,
    taxon_relation,
)
from harmonize.ontology.readers.obo_repair import (
    OboLines,
    Repair,
    add_stub,
    repair_line,
    static_repairs,
    stub_dangling,
)

if TYPE_CHECKING:
    from pronto import Ontology  # type: ignore[attr-defined]

__all__ = [
    "PART_OF",
    "index_from_pronto",
    "parse_with_pronto",
    "read_with_pronto",
    "repair_messages",
    "warn_repairs",
]

#: Relation ids (as pronto reports them) that make a ``part_of`` edge.
PART_OF = frozenset({"part_of", "BFO:0000050", "http://purl.obolibrary.org/obo/BFO_0000050"})
_MAX_LINE_REPAIRS = 200
_BAR_MIN_BYTES = 1 << 20  # a parse progress bar only for files this big
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _curie_of() -> Any:
    """A memoised ``id -> CURIE`` (pronto ids are CURIEs, or IRIs for unknown prefixes)."""
    from harmonize.curie import compress

    memo: dict[str, str] = {}

    def curie(term_id: str) -> str:
        if "://" not in term_id:
            return term_id
        found = memo.get(term_id)
        if found is None:
            found = memo[term_id] = compress(term_id, strict=False) or term_id
        return found

    return curie


class _ProgressReader(io.RawIOBase):
    """Bytes handed to pronto that advance a progress bar as fastobo reads them."""

    def __init__(self, data: bytes, update: Any) -> None:
        super().__init__()
        self._data = io.BytesIO(data)
        self._update = update

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._data.readinto(buffer)
        self._update(count)
        return count


def _pronto(content: bytes, name: str = "") -> Ontology:
    import pronto

    from harmonize.progress import byte_bar, progress_enabled

    with contextlib.ExitStack() as stack:
        handle: Any = io.BytesIO(content)
        if progress_enabled() and len(content) > _BAR_MIN_BYTES:
            bar = stack.enter_context(byte_bar(len(content), f"parsing {name}"))
            handle = _ProgressReader(content, bar.update)
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", pronto.warnings.ProntoWarning)
        warnings.simplefilter("ignore", UnicodeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        # import_depth=0: never fetch imports over the network
        return pronto.Ontology(handle, import_depth=0)  # type: ignore[attr-defined]
    raise AssertionError("unreachable")  # pragma: no cover


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc.args[0] if exc.args else exc).split())
    return re.sub(r"\s*\(line \d+\)$", "", text) or type(exc).__name__


def _as_utf8(content: bytes) -> tuple[bytes, Repair | None]:
    """OBO must be UTF-8; a Windows-1252/Latin-1 file is re-encoded (and reported)
    rather than read with replacement characters."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        try:
            text, encoding = content.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, encoding = content.decode("latin-1"), "Latin-1"
        return text.encode("utf-8"), Repair(
            line, "re-encoded", f"not UTF-8; read as {encoding}", ""
        )
    return content, None


def parse_with_pronto(path: Path, content: bytes, fmt: str) -> tuple[Ontology, list[Repair]]:
    """Parse ``content`` with pronto; for OBO, repair rejected lines and retry."""
    encoding: list[Repair] = []
    if fmt == "obo":
        content, note = _as_utf8(content)
        encoding = [note] if note is not None else []
    try:
        return _pronto(content, path.name), encoding
    except Exception as exc:
        first: Exception = exc
    if fmt != "obo":
        raise OntologyLoadError(f"cannot parse as {fmt.upper()}: {_reason(first)}", path=path)
    text = content.decode("utf-8", errors="replace")
    doc = OboLines.from_text(text)
    repairs = encoding + static_repairs(doc)
    stubbed = False
    # every retry re-parses the whole file: fewer retries for big files
    budget = max(10, min(_MAX_LINE_REPAIRS, (64 << 20) // max(len(content), 1)))
    for _ in range(budget):
        try:
            return _pronto(doc.text().encode("utf-8"), path.name), repairs
        except SyntaxError as exc:
            lineno = exc.lineno or 0
            where = doc.origin[lineno - 1] if 0 < lineno <= len(doc.origin) else None
            if where == text.count("\n") + 1 and not text.endswith("\n"):
                raise OntologyLoadError(
                    f"file looks truncated (last line incomplete: {_reason(exc)})",
                    path=path,
                    line=where,
                ) from None
            repair = repair_line(doc, lineno, _reason(exc))
            if repair is None:
                raise OntologyLoadError(
                    f"cannot parse as OBO: {_reason(exc)}", path=path, line=where
                ) from None
            repairs.append(repair)
        except KeyError as exc:  # a dangling is_a parent: declare stubs and retry
            if not stubbed:
                stubbed = True
                added = stub_dangling(doc)
                if added:
                    repairs.extend(added)
                    continue
            stub = add_stub(doc, str(exc.args[0])) if exc.args else None
            if stub is None:
                raise OntologyLoadError(
                    f"cannot parse as OBO: undeclared id {_reason(exc)}", path=path
                ) from None
            repairs.append(stub)
        except Exception as exc:
            raise OntologyLoadError(f"cannot parse as OBO: {_reason(exc)}", path=path) from None
    raise OntologyLoadError(
        f"more than {budget} malformed lines; not an OBO file pronto can read",
        path=path,
        line=repairs[0].line if repairs else None,
    )


def repair_messages(path: Path, repairs: Iterable[Repair]) -> list[str]:
    """One line per kind of repair, naming file and (first) line."""
    groups: dict[tuple[str, str], list[int]] = {}
    for repair in repairs:
        groups.setdefault((repair.action, repair.reason), []).append(repair.line)
    messages = []
    for (action, reason), lines in groups.items():
        if action == "re-encoded":
            messages.append(f"{path}:{lines[0]}: {reason}")
            continue
        shown = ", ".join(str(n) for n in lines[:8]) + (" ..." if len(lines) > 8 else "")
        verb, _, unit = action.partition(" ")
        plural = "s" if len(lines) > 1 else ""
        count = f"{len(lines)} {unit or 'line'}{plural}"
        messages.append(f"{path}:{lines[0]}: {reason}: {verb} {count} (line{plural} {shown})")
    return messages


def warn_repairs(path: Path, repairs: Iterable[Repair]) -> list[str]:
    """Warn (:class:`OntologyRepairWarning`) once per kind of repair; returns the lines."""
    messages = repair_messages(path, repairs)
    for message in messages:
        warnings.warn(OntologyRepairWarning(message), stacklevel=3)
    return messages


def _synonyms(data: Iterable[Any]) -> tuple[Synonym, ...]:
    out = []
    for syn in data:
        text = syn.description
        if not text:
            continue
        scope: Scope = syn.scope if syn.scope in SCOPES else "RELATED"
        out.append(Synonym(str(text), scope, syn.type or None))
    out.sort(key=lambda s: (SCOPE_RANK[s.scope], s.text, s.type or ""))
    return tuple(out)


def _version(onto: Ontology) -> str | None:
    for annotation in onto.metadata.annotations:
        if getattr(annotation, "property", "") in {"owl:versionInfo", "versionInfo"}:
            value = getattr(annotation, "literal", None) or getattr(annotation, "resource", None)
            if value:
                return str(value)
    data_version = onto.metadata.data_version
    if data_version:
        match = _DATE.search(data_version)
        return match.group(0) if match else str(data_version)
    for annotation in onto.metadata.annotations:
        if getattr(annotation, "property", "") in {"owl:versionIRI", "versionIRI"}:
            value = getattr(annotation, "resource", None) or getattr(annotation, "literal", None)
            match = _DATE.search(str(value or ""))
            return match.group(0) if match else (str(value) if value else None)
    return None


def index_from_pronto(
    onto: Ontology, path: Path, fmt: str, sha256: str | None = None
) -> OntologyIndex:
    """Convert pronto's raw term data into an index (no ``Term`` views, no resolving)."""
    from harmonize.progress import progress

    curie = _curie_of()
    part_of_ids = set(PART_OF)
    for rel_id, rel in onto._relationships.entities.items():
        if (rel.name or "").strip().lower() == "part of":
            part_of_ids.add(rel_id)
    lineage = onto._terms.lineage
    entities = onto._terms.entities
    terms: dict[str, Term] = {}
    prefixes: Counter[str] = Counter()
    # fastobo parses frames on several threads: its entity order varies from run to run,
    # and row order decides ties downstream (same file, same answers, whatever the cache)
    items = sorted(entities.items())
    for raw_id, data in progress(items, desc=f"indexing {path.name}", total=len(entities)):
        tid = curie(raw_id)
        part_of: list[str] = []
        taxa: dict[str, list[str]] = {"in": [], "never": []}
        for rel_id, targets in data.relationships.items():
            if rel_id in part_of_ids:
                part_of.extend(sorted(curie(t) for t in targets))
            elif (kind := taxon_relation(rel_id)) is not None:
                taxa[kind].extend(curie(t) for t in targets)
        for annotation in data.annotations:  # property_value: RO:0002161 NCBITaxon:7955
            kind = taxon_relation(getattr(annotation, "property", ""))
            resource = getattr(annotation, "resource", None)
            if kind is not None and resource:
                taxa[kind].append(curie(str(resource)))
        line = lineage.get(raw_id)
        terms[tid] = Term(
            id=tid,
            label=str(data.name) if data.name else None,
            synonyms=_synonyms(data.synonyms),
            definition=str(data.definition) if data.definition else None,
            xrefs=tuple(sorted(x.id for x in data.xrefs)),
            obsolete=bool(data.obsolete),
            replaced_by=tuple(sorted(curie(t) for t in data.replaced_by)),
            consider=tuple(sorted(curie(t) for t in data.consider)),
            parents=tuple(sorted(curie(t) for t in line.sup)) if line is not None else (),
            part_of=tuple(part_of),
            alt_ids=tuple(sorted(curie(t) for t in data.alternate_ids)),
            taxa=tuple(sorted(set(taxa["in"]))),
            never_taxa=tuple(sorted(set(taxa["never"]))),
        )
        if data.name:
            prefixes[tid.partition(":")[0]] += 1
    own = [prefix for prefix, _ in prefixes.most_common(1)]
    declared = (onto.metadata.ontology or "").strip()
    declared = declared.rsplit("/", 1)[-1].removesuffix(".obo").removesuffix(".owl")
    name = (declared or (own[0] if own else path.name.split(".")[0])).upper()
    meta = OntologyMeta(
        name=name,
        version=_version(onto),
        source=str(path),
        sha256=sha256,
        format=fmt,
        prefixes=tuple(own),
    )
    return OntologyIndex(meta=meta, terms=terms)


def read_with_pronto(
    path: Path, content: bytes, fmt: str, sha256: str | None = None
) -> OntologyIndex:
    """Parse ``content`` (already decompressed) with pronto; ``fmt`` is obo|obographs."""
    try:
        onto, repairs = parse_with_pronto(path, content, fmt)
    except OntologyLoadError as exc:
        if fmt != "obographs":
            raise
        from harmonize.ontology.readers.obographs import read_obographs

        index = read_obographs(path, content, sha256)  # raises its own error if unreadable
        message = (
            f"{path}: pronto rejected this OBO Graphs file ({exc.message}); "
            "read with harmonize's own OBO Graphs reader"
        )
        warnings.warn(OntologyRepairWarning(message), stacklevel=2)
        index.repairs = (message,)
        return index
    messages = warn_repairs(path, repairs)
    index = index_from_pronto(onto, path, fmt, sha256)
    for repair in repairs:
        if repair.action == "stubbed":
            index.terms.pop(repair.text, None)
    index.repairs = tuple(messages)
    if not index.terms:
        raise OntologyLoadError(
            f"no terms found in this {fmt.upper()} file (truncated, or only a header?)",
            path=path,
        )
    return index
