"""SSSOM/TSV reading and writing (the YAML metadata block as ``#`` lines, then a TSV).

Writing is atomic and emits a ``curie_map`` holding exactly the prefixes used, so the
file passes ``sssom validate``. Reading is forgiving by default (a bad row is reported
as a :class:`~harmonize.errors.HarmonizeWarning` naming file and line, then skipped)
and fails hard on the first problem with ``strict=True``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import warnings
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeWarning, MappingFileError
from harmonize.io.atomic import atomic_write_text
from harmonize.io.yaml_text import parse_yaml
from harmonize.mappings.model import (
    ENTITY_SLOTS,
    MAPPING_COLUMNS,
    REQUIRED_SLOTS,
    Mapping,
    MappingSet,
)

__all__ = ["BUILTIN_PREFIXES", "read_sssom", "sssom_text", "write_sssom"]

#: Prefixes every SSSOM reader knows; they are not repeated in ``curie_map``.
BUILTIN_PREFIXES: dict[str, str] = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "linkml": "https://w3id.org/linkml/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "dcterms": "http://purl.org/dc/terms/",
    "pav": "http://purl.org/pav/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
_SET_KEYS = tuple(
    f.name
    for f in dataclasses.fields(MappingSet)
    if f.name not in {"mappings", "curie_map", "extra"}
)


def _prefixes_used(mapping_set: MappingSet) -> set[str]:
    used: set[str] = set()
    for mapping in mapping_set.mappings:
        for column in ENTITY_SLOTS:
            value = getattr(mapping, column)
            if value and ":" in value and "://" not in value:
                used.add(value.partition(":")[0])
    return used


def _curie_map(mapping_set: MappingSet) -> dict[str, str]:
    from harmonize.curie import converter

    conv = converter()
    out: dict[str, str] = {}
    for prefix in sorted(_prefixes_used(mapping_set)):
        if prefix in BUILTIN_PREFIXES:
            continue
        if prefix in mapping_set.curie_map:
            out[prefix] = mapping_set.curie_map[prefix]
            continue
        uri = conv.expand(f"{prefix}:") or conv.bimap.get(prefix)
        if uri is None:
            raise MappingFileError(
                f"unknown CURIE prefix {prefix!r}: add it to the mapping set's curie_map",
                value=prefix,
            )
        out[prefix] = uri
    return out


def _format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return (
            f"{value:.4f}".rstrip("0").rstrip(".") if value not in (0.0, 1.0) else str(int(value))
        )
    return str(value).replace("\t", " ").replace("\n", " ")


def sssom_text(mapping_set: MappingSet) -> str:
    """The SSSOM/TSV text of ``mapping_set``."""
    import yaml

    meta: dict[str, Any] = {"curie_map": _curie_map(mapping_set)}
    for key in _SET_KEYS:
        value = getattr(mapping_set, key)
        if value is not None:
            meta[key] = value
    meta.update({k: v for k, v in mapping_set.extra.items() if k not in meta})
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    lines = [f"#{line}" if line else "#" for line in header.rstrip("\n").split("\n")]
    columns = [
        c
        for c in MAPPING_COLUMNS
        if c in REQUIRED_SLOTS or any(getattr(m, c) is not None for m in mapping_set)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for mapping in mapping_set:
        writer.writerow([_format(getattr(mapping, c)) for c in columns])
    return "\n".join(lines) + "\n" + buffer.getvalue()


def write_sssom(mapping_set: MappingSet, path: str | Path) -> Path:
    """Write ``mapping_set`` as SSSOM/TSV to ``path`` atomically."""
    return atomic_write_text(path, sssom_text(mapping_set))


def _problem(message: str, *, path: Path, line: int, strict: bool, value: object = None) -> None:
    if strict:
        raise MappingFileError(message, path=path, line=line, value=value)
    warnings.warn(f"{path}:{line}: {message}; row skipped", HarmonizeWarning, stacklevel=3)


def _parse_row(row: dict[str, str], *, path: Path, line: int, strict: bool) -> Mapping | None:
    missing = [c for c in REQUIRED_SLOTS if not (row.get(c) or "").strip()]
    if missing:
        _problem(f"missing {', '.join(missing)}", path=path, line=line, strict=strict)
        return None
    values: dict[str, Any] = {}
    for column in MAPPING_COLUMNS:
        raw = (row.get(column) or "").strip()
        values[column] = raw or None
    if values["confidence"] is not None:
        try:
            confidence = float(values["confidence"])
        except ValueError:
            _problem(
                "confidence is not a number",
                path=path,
                line=line,
                strict=strict,
                value=values["confidence"],
            )
            return None
        if not 0.0 <= confidence <= 1.0:
            _problem(
                "confidence outside [0, 1]", path=path, line=line, strict=strict, value=confidence
            )
            return None
        values["confidence"] = confidence
    return Mapping(**values)


def read_sssom(path: str | Path, *, strict: bool = False) -> MappingSet:
    """Read an SSSOM/TSV file (metadata block plus table)."""

    from harmonize.io.files import read_input_text
    from harmonize.io.limits import DEFAULT_LIMITS

    path = Path(path)
    limit = DEFAULT_LIMITS.max_text_bytes
    text = read_input_text(path, max_bytes=limit, error=MappingFileError)
    if not text.strip():
        raise MappingFileError("file is empty", path=path)
    lines = text.split("\n")
    meta_lines: list[str] = []
    start = 0
    for start, line in enumerate(lines):  # noqa: B007
        if not line.startswith("#"):
            break
        meta_lines.append(line[1:])
    meta = (
        parse_yaml(
            "\n".join(meta_lines),
            path=path,
            error=MappingFileError,
            message="metadata block is not valid YAML",
        )
        or {}
        if meta_lines
        else {}
    )
    if not isinstance(meta, dict):
        raise MappingFileError("metadata block is not a YAML mapping", path=path, line=1)
    body = "\n".join(lines[start:])
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_SLOTS if c not in header]
    if missing:
        raise MappingFileError(
            f"not an SSSOM table: missing column(s) {', '.join(missing)}", path=path, line=start + 1
        )
    unknown = [c for c in header if c not in MAPPING_COLUMNS]
    if unknown:
        _problem(
            f"unknown column(s) {', '.join(unknown)} ignored",
            path=path,
            line=start + 1,
            strict=strict,
        )
    mappings: list[Mapping] = []
    for offset, row in enumerate(reader, start=2):
        if None in row:
            _problem(
                "row has more cells than the header", path=path, line=start + offset, strict=strict
            )
            continue
        mapping = _parse_row(row, path=path, line=start + offset, strict=strict)
        if mapping is not None:
            mappings.append(mapping)
    set_id = meta.get("mapping_set_id") or path.resolve().as_uri()
    kwargs = {k: meta[k] for k in _SET_KEYS if k in meta and k != "mapping_set_id"}
    extra = {k: v for k, v in meta.items() if k not in _SET_KEYS and k != "curie_map"}
    for key in ("mapping_date", "mapping_set_version", "object_source_version"):
        if key in kwargs and kwargs[key] is not None:
            kwargs[key] = str(kwargs[key])
    return MappingSet(
        mapping_set_id=str(set_id),
        mappings=tuple(mappings),
        curie_map=dict(meta.get("curie_map") or {}),
        extra=extra,
        **kwargs,
    )
