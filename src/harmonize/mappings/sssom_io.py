"""SSSOM/TSV reading and writing (the YAML metadata block as ``#`` lines, then a TSV).

Writing is atomic and emits a ``curie_map`` holding every prefix used except SSSOM's
built-in ones, so the file passes ``sssom validate``. Multivalued slots are written
``|``-separated; columns outside the standard (``Mapping.extensions``) after the standard
ones. Reading is forgiving by default (a bad row is reported as a
:class:`~harmonize.errors.HarmonizeWarning` naming file and line, then skipped) and fails
hard on the first problem with ``strict=True``. Read, then written, a file keeps every
cell and metadata key.
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
    MULTIVALUED_SLOTS,
    NUMBER_SLOTS,
    Mapping,
    MappingSet,
)

__all__ = ["BUILTIN_PREFIXES", "read_sssom", "sssom_text", "write_sssom"]

#: SSSOM's built-in prefixes (readers know them; they are not repeated in ``curie_map``).
BUILTIN_PREFIXES: dict[str, str] = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
}
_SET_KEYS = tuple(
    f.name
    for f in dataclasses.fields(MappingSet)
    if f.name not in {"mappings", "curie_map", "extra"}
)
_LITERAL = "rdfs literal"
_RANGES = {"confidence": (0.0, 1.0), "similarity_score": (0.0, 1.0),
           "reviewer_agreement": (-1.0, 1.0)}  # fmt: skip


def _references(mapping: Mapping) -> list[str]:
    out: list[str] = []
    for column in ENTITY_SLOTS:
        value = getattr(mapping, column)
        out.extend(value if isinstance(value, tuple) else (value,) if value else ())
    return out


def _curie_map(mapping_set: MappingSet) -> dict[str, str]:
    from harmonize.curie import converter

    used = {
        ref.partition(":")[0]
        for m in mapping_set.mappings
        for ref in _references(m)
        if ":" in ref and "://" not in ref
    }
    out: dict[str, str] = {}
    for prefix in sorted(used - BUILTIN_PREFIXES.keys()):
        uri = mapping_set.curie_map.get(prefix) or converter().expand(f"{prefix}:")
        if uri is None:
            raise MappingFileError(
                f"unknown CURIE prefix {prefix!r}: add it to the mapping set's curie_map",
                value=prefix,
            )
        out[prefix] = uri
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "|".join(_cell(v) for v in value)
    if isinstance(value, float):
        return str(int(value)) if value in (0.0, 1.0) else repr(value)
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _extension_columns(mapping_set: MappingSet) -> list[str]:
    seen: dict[str, None] = {}
    for mapping in mapping_set:
        for name, _ in mapping.extensions:
            seen.setdefault(name, None)
    return list(seen)


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
    required = ("subject_id", "predicate_id", "object_id", "mapping_justification")
    columns = [
        c
        for c in MAPPING_COLUMNS
        if c in required or any(getattr(m, c) not in (None, ()) for m in mapping_set)
    ]
    extensions = _extension_columns(mapping_set)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns + extensions)
    for mapping in mapping_set:
        extra = dict(mapping.extensions)
        writer.writerow(
            [_cell(getattr(mapping, c)) for c in columns]
            + [_cell(extra.get(c)) for c in extensions]
        )
    return "\n".join(lines) + "\n" + buffer.getvalue()


def write_sssom(mapping_set: MappingSet, path: str | Path) -> Path:
    """Write ``mapping_set`` as SSSOM/TSV to ``path`` atomically."""
    return atomic_write_text(path, sssom_text(mapping_set))


class _RowError(Exception):
    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.value = value


def _problem(message: str, *, path: Path, line: int, strict: bool, value: object = None) -> None:
    if strict:
        raise MappingFileError(message, path=path, line=line, value=value)
    warnings.warn(f"{path}:{line}: {message}; row skipped", HarmonizeWarning, stacklevel=3)


def _number(column: str, raw: str) -> float:
    try:
        number = float(raw)
    except ValueError:
        raise _RowError(f"{column} is not a number", raw) from None
    low, high = _RANGES[column]
    if not low <= number <= high:
        raise _RowError(f"{column} outside [{low:g}, {high:g}]", number)
    return number


def _parse_row(row: dict[str, str], extensions: list[str]) -> Mapping:
    values: dict[str, Any] = {}
    for column in MAPPING_COLUMNS:
        raw = (row.get(column) or "").strip()
        if column in MULTIVALUED_SLOTS:
            values[column] = tuple(v.strip() for v in raw.split("|") if v.strip())
        elif column in NUMBER_SLOTS:
            values[column] = _number(column, raw) if raw else None
        else:
            values[column] = raw or None
    for side in ("subject", "object"):
        if values[f"{side}_id"] is None:
            if values[f"{side}_type"] != _LITERAL:
                raise _RowError(f"missing {side}_id")
            values[f"{side}_id"] = ""
    for column in ("predicate_id", "mapping_justification"):
        if values[column] is None:
            raise _RowError(f"missing {column}")
    modifier = values["predicate_modifier"]
    if modifier is not None and modifier != "Not":
        raise _RowError("predicate_modifier must be 'Not'", modifier)
    values["extensions"] = tuple((c, row.get(c) or "") for c in extensions if row.get(c))
    return Mapping(**values)


def _read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingFileError("file not found", path=path) from None
    except IsADirectoryError:
        raise MappingFileError("is a folder, not an SSSOM file", path=path) from None
    except PermissionError:
        raise MappingFileError("cannot be read (permission denied)", path=path) from None
    except UnicodeDecodeError as exc:
        raise MappingFileError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    if not text.strip():
        raise MappingFileError("file is empty", path=path)
    return text


def _metadata(lines: list[str], path: Path) -> tuple[dict[str, Any], int]:
    """The ``#`` block as a dict, and the index of the table's header line."""
    meta_lines: list[str] = []
    start = 0
    for start, line in enumerate(lines):  # noqa: B007
        if not line.startswith("#"):
            break
        meta_lines.append(line[1:])
    if not meta_lines:
        return {}, start
    meta = parse_yaml(
        "\n".join(meta_lines),
        path=path,
        error=MappingFileError,
        message="metadata block is not valid YAML",
    )
    if meta is None:
        return {}, start
    if not isinstance(meta, dict):
        raise MappingFileError("metadata block is not a YAML mapping", path=path, line=1)
    return meta, start


def _mapping_set(meta: dict[str, Any], mappings: list[Mapping], path: Path) -> MappingSet:
    set_id = meta.get("mapping_set_id") or path.resolve().as_uri()
    kwargs = {k: meta[k] for k in _SET_KEYS if k in meta and k != "mapping_set_id"}
    for key, value in kwargs.items():
        if value is not None and not isinstance(value, str):
            kwargs[key] = str(value)  # a YAML date or number, kept as its text
    extra = {k: v for k, v in meta.items() if k not in _SET_KEYS and k != "curie_map"}
    curie_map = meta.get("curie_map") or {}
    if not isinstance(curie_map, dict):
        raise MappingFileError("curie_map is not a YAML mapping", path=path, line=1)
    return MappingSet(
        mapping_set_id=str(set_id),
        mappings=tuple(mappings),
        curie_map={str(k): str(v) for k, v in curie_map.items()},
        extra=extra,
        **kwargs,
    )


def read_sssom(path: str | Path, *, strict: bool = False) -> MappingSet:
    """Read an SSSOM/TSV file (metadata block plus table)."""
    path = Path(path)
    lines = _read_text(path).split("\n")
    meta, start = _metadata(lines, path)
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])), delimiter="\t")
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("predicate_id", "mapping_justification") if c not in header]
    if missing or not {"subject_id", "subject_label"} & set(header):
        missing = missing or ["subject_id"]
        raise MappingFileError(
            f"not an SSSOM table: missing column(s) {', '.join(missing)}", path=path, line=start + 1
        )
    extensions = [c for c in header if c and c not in MAPPING_COLUMNS]
    mappings: list[Mapping] = []
    for offset, row in enumerate(reader, start=2):
        line = start + offset
        surplus = row.pop(None, None)  # type: ignore[call-overload]
        if surplus and any(cell.strip() for cell in surplus):
            _problem("row has more cells than the header", path=path, line=line, strict=strict)
            continue
        try:
            mappings.append(_parse_row(row, extensions))
        except _RowError as exc:
            _problem(str(exc), path=path, line=line, strict=strict, value=exc.value)
    return _mapping_set(meta, mappings, path)
