"""The manifest of a conversion folder: which parts make the output, and their checksums.

A distributed conversion writes ``OUT/part-00000.nt``... and ``OUT/activity.nt`` (the
provenance of the run) plus ``OUT/manifest.json``: per part its rows, triples, size and
sha256. The manifest is rewritten (atomically) as parts finish, so an interrupted run
resumes where it stopped; ``complete`` is set only once every part is there and checked.
``publish`` and ``validate`` take the folder: :func:`part_files` lists its parts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harmonize.errors import ConversionError, InputFileError

__all__ = [
    "MANIFEST",
    "Manifest",
    "PartEntry",
    "is_conversion_folder",
    "joined_parts",
    "part_files",
]

MANIFEST = "manifest.json"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class PartEntry:
    """One part file of a conversion."""

    name: str
    table: int  # index into Manifest.tables; -1 for the activity part
    rows: tuple[int, int]  # first and last row number (0, 0: no rows)
    triples: int
    size: int
    sha256: str
    tally: dict[str, Any] = field(default_factory=dict)  # counts for the summary


@dataclass(slots=True)
class Manifest:
    fingerprint: str  # of the inputs and options: a resumed run must match it
    format: str
    activity: str
    started: str
    tables: list[dict[str, str]]  # path, name, sha256
    parts: dict[str, PartEntry] = field(default_factory=dict)  # by name
    complete: bool = False

    def to_json(self) -> str:
        data = asdict(self)
        data["version"] = _VERSION
        parts = [asdict(p) for p in sorted(self.parts.values(), key=lambda p: p.name)]
        data["parts"] = []
        head = json.dumps(data, indent=1, ensure_ascii=False)
        lines = ",\n  ".join(json.dumps(p, ensure_ascii=False) for p in parts)  # a part a line
        return head.replace('"parts": []', f'"parts": [\n  {lines}\n ]') + "\n"

    def write(self, folder: Path) -> None:
        from harmonize.io.atomic import atomic_write_text

        atomic_write_text(folder / MANIFEST, self.to_json())

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            parts = {p["name"]: PartEntry(**{**p, "rows": tuple(p["rows"])}) for p in data["parts"]}
            return cls(
                fingerprint=data["fingerprint"],
                format=data["format"],
                activity=data["activity"],
                started=data["started"],
                tables=data["tables"],
                parts=parts,
                complete=bool(data["complete"]),
            )
        except FileNotFoundError:
            raise InputFileError("no manifest.json in this folder", path=folder) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise InputFileError(f"manifest.json is not a harmonize manifest ({exc})", path=path) from None  # fmt: skip


def is_conversion_folder(path: Path) -> bool:
    return path.is_dir() and (path / MANIFEST).is_file()


def part_files(folder: str | Path, *, verify: bool = False) -> list[Path]:
    """The RDF files of a complete conversion folder, in order (activity last).

    Every part must exist with the size the manifest records (``verify``: and its
    sha256); a folder whose conversion did not finish is refused.
    """
    from harmonize.io.checksum import file_sha256

    folder = Path(folder)
    manifest = Manifest.read(folder)
    if not manifest.complete:
        raise ConversionError(
            "this conversion did not finish (run the same convert command again to resume)",
            path=folder,
        )
    out = []
    for entry in sorted(manifest.parts.values(), key=lambda p: (p.table < 0, p.name)):
        path = folder / entry.name
        if not path.is_file() or path.stat().st_size != entry.size:
            raise ConversionError(f"part {entry.name} is missing or changed", path=folder)
        if verify and file_sha256(path) != entry.sha256:
            raise ConversionError(f"part {entry.name} does not match its sha256", path=folder)
        out.append(path)
    return out


def joined_parts(folder: str | Path) -> Path:
    """One file holding every part of a conversion folder (``FOLDER/.joined.nt|ttl``), for
    tools that take a single RDF file: N-Triples and Turtle parts concatenate as they are.
    Rebuilt only when the manifest is newer."""
    from harmonize.io.atomic import atomic_write

    folder = Path(folder)
    manifest = Manifest.read(folder)
    if manifest.format not in ("nt", "ttl"):
        raise ConversionError(
            f"parts in {manifest.format} cannot be joined into one file: convert to nt or ttl",
            path=folder,
        )
    target = folder / f".joined.{manifest.format}"
    if target.is_file() and target.stat().st_mtime >= (folder / MANIFEST).stat().st_mtime:
        return target
    with atomic_write(target, "wb", encoding=None) as out:
        for part in part_files(folder):
            with part.open("rb") as handle:
                while block := handle.read(1 << 20):
                    out.write(block)
            out.write(b"\n")
    return target
