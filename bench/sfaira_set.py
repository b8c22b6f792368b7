"""Held-out messy values: sfaira's curated label maps (authors' words -> CL / UBERON ids).

sfaira (Theis lab, BSD-3-Clause) ships, beside each dataset loader, a TSV that maps the
labels the dataset's authors wrote (``source``: "Dendritic cells", "Cycling TA", "γδT",
"fresh BALF") to the Cell Ontology or UBERON term its curators chose (``target``,
``target_id``). Those maps are real sample metadata as people write it, curated by people
who are not us, and they are not in ``../shared``: harmonize's rules were never written
while looking at them. This script turns the wheel's maps into the table
``bench/messy.py --data`` reads. It needs the wheel only (no install, no network at run
time; fetch it once from PyPI)::

    .venv/bin/pip download sfaira==0.3.12 --no-deps -d /tmp/sfaira
    .venv/bin/python bench/sfaira_set.py /tmp/sfaira/sfaira-0.3.12-py2.py3-none-any.whl \\
        -o /tmp/sfaira.tsv
    .venv/bin/python bench/messy.py --data /tmp/sfaira.tsv

``--half dev`` / ``--half test`` split the studies in two (by a checksum of the study's
folder name): a developer reads the dev half's misses and only scores the test half.

Rows: one per distinct (kind, text, species, id), the species read from the loader's file
name (``human_...`` / ``mouse_...``); ``context``: the organ the study's loader declares
(cell types only; empty for multi-organ studies), what a steward knows of the samples. Dropped: texts without a letter (cluster numbers),
targets that are neither CL nor UBERON (disease, sex, assay, ...), and rows without an id.
The same text may map to different ids in different datasets ("NK"): each pair is a row.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
import zlib
from pathlib import Path

from table_files import add_half, write_table

LOADERS = "sfaira/data/dataloaders/loaders/"
KINDS = {"CL": "cell type", "UBERON": "organ"}
TAXA = {"human": "9606", "homosapiens": "9606", "mouse": "10090", "musmusculus": "10090"}


_ORGAN = re.compile(r'^\s*organ:\s*"?([^"\n#]*)"?\s*$|self\.organ\s*=\s*"([^"]+)"', re.M)


def study_organs(archive: zipfile.ZipFile) -> dict[str, str]:
    """The organ each loader declares (``organ:`` in its YAML, ``self.organ = ...`` in its
    Python), by the loader's path without extension: the tissue the labels come from."""
    organs: dict[str, str] = {}
    for name in archive.namelist():
        if name.startswith(LOADERS) and name.endswith((".yaml", ".py")):
            found = _ORGAN.search(archive.read(name).decode("utf-8", "replace"))
            organ = (found.group(1) or found.group(2) or "").strip() if found else ""
            if organ:
                organs[name.rsplit(".", 1)[0]] = organ
    return organs


def _organ_of(name: str, organs: dict[str, str]) -> str:
    stem = re.sub(r"(_cell_type|_organ)?\.tsv$", "", name)
    return organs.get(stem, "")


def read_maps(wheel: Path) -> list[dict[str, str]]:
    """The wheel's label maps as rows of ``bench/messy.py``'s table."""
    rows: dict[tuple[str, str, str, str], dict[str, str]] = {}
    with zipfile.ZipFile(wheel) as archive:
        organs = study_organs(archive)
        version = re.search(r"sfaira-([\d.]+)-", wheel.name)
        tag = f"sfaira=={version.group(1)}" if version else wheel.name
        for name in sorted(archive.namelist()):
            if not (name.startswith(LOADERS) and name.endswith(".tsv")):
                continue
            stem = name.rsplit("/", 1)[1].lower()
            taxon = next((t for p, t in TAXA.items() if stem.startswith(p)), None)
            if taxon is None:
                continue
            text = archive.read(name).decode("utf-8")
            reader = csv.DictReader(io.StringIO(text), delimiter="\t")
            if reader.fieldnames is None or "target_id" not in reader.fieldnames:
                continue
            for row in reader:
                source = (row.get("source") or "").strip()
                target = (row.get("target_id") or "").strip()
                kind = KINDS.get(target.partition(":")[0])
                if kind is None or not re.search(r"[^\W\d_]", source):
                    continue
                key = (kind, source, taxon, target)
                found = rows.get(key)
                if found is not None:
                    found["source"] += f" | {tag}:{name}"
                    continue
                rows[key] = {
                    "kind": kind,
                    "submitted_text": source,
                    "curated_id": target,
                    "curated_label": (row.get("target") or "").strip(),
                    "ncbi_taxon": taxon,
                    "context": _organ_of(name, organs) if kind == "cell type" else "",
                    "source": f"{tag}:{name}",
                }
    return list(rows.values())


def half(row: dict[str, str]) -> str:
    """``dev`` or ``test``, fixed by the study (the loader's DOI folder) of the row's first
    source: a study's rows are all on one side, whatever its labels are."""
    study = row["source"].split(" | ")[0].split(":", 1)[1][len(LOADERS) :].split("/")[0]
    return "dev" if zlib.crc32(study.encode()) % 2 == 0 else "test"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", type=Path, help="sfaira wheel (pip download sfaira==0.3.12)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    add_half(parser, "studies")
    args = parser.parse_args()
    rows = [r for r in read_maps(args.wheel) if args.half in ("all", half(r))]
    write_table(args.output, rows)
    kinds = {k: sum(r["kind"] == k for r in rows) for k in KINDS.values()}
    print(f"{args.output}: {len(rows)} rows ({kinds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
