"""Held-out short cell-type names: besca's nomenclature (plotting names -> CL ids).

besca (Roche, GPL-3.0; the single-cell analysis toolkit of Mädler et al. 2021, NAR
Genomics and Bioinformatics 3:lqab102) ships the cell-type nomenclature its curators
annotate with (``besca/datasets/nomenclature/CellTypes_v1.tsv``): per cell type the Cell
Ontology term (``EFO``, ``dblabel``) and the short name written on plots and in cluster
labels (``short_dblabel``: "MegakaryoErythroidPC", "ExhCD8Tcell", "GallbladderEpithelial",
"TipEndothelial"). The short names are real labels as a curation team writes them, mapped
to CL by that team; they are not in ``../shared`` and no rule of harmonize was written
while looking at them (they are only scored). This script turns the wheel's table into the
table ``bench/messy.py --data`` reads; it needs the wheel only (fetch it once from PyPI)::

    .venv/bin/pip download besca==2.5.5 --no-deps -d /tmp/besca
    .venv/bin/python bench/besca_set.py /tmp/besca/besca-2.5.5-py3-none-any.whl \\
        -o /tmp/besca.tsv
    .venv/bin/python bench/messy.py --data /tmp/besca.tsv

Rows: one per short name whose term is a CL id (besca's own ``DB:`` ids for types CL
lacks are dropped), species human (besca's nomenclature is written for human data), no
tissue context. ``--differs`` keeps only short names that are not the label with its case
and spaces changed ("Macrophage" for "macrophage" is no test of reading). ``--half dev`` /
``--half test`` split the rows in two by a checksum of the CL id (a term's short names on
one side): a developer reads the dev half's misses and only scores the test half.
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

TABLE = "besca/datasets/nomenclature/CellTypes_v1.tsv"


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def read_table(wheel: Path, *, differs: bool = False) -> list[dict[str, str]]:
    """The nomenclature's short names with their CL terms, as rows of ``bench/messy.py``'s
    table (the second line of the file describes the columns: skipped)."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(TABLE).decode("utf-8")
    version = re.search(r"besca-([\d.]+)-", wheel.name)
    tag = f"besca=={version.group(1)}" if version else wheel.name
    lines = text.splitlines()
    reader = csv.DictReader(io.StringIO("\n".join([lines[0], *lines[2:]])), delimiter="\t")
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for row in reader:
        short = (row.get("short_dblabel") or "").strip()
        term = (row.get("EFO") or "").strip()
        label = (row.get("dblabel") or "").strip()
        if not term.startswith("CL:") or not re.search(r"[^\W\d_]", short):
            continue
        if differs and _squashed(short) == _squashed(label):
            continue
        rows.setdefault(
            (short, term),
            {
                "kind": "cell type",
                "submitted_text": short,
                "curated_id": term,
                "curated_label": label,
                "ncbi_taxon": "9606",
                "context": "",
                "source": f"{tag}:{TABLE}",
            },
        )
    return list(rows.values())


def half(row: dict[str, str]) -> str:
    """``dev`` or ``test``, fixed by the row's CL id."""
    return "dev" if zlib.crc32(row["curated_id"].encode()) % 2 == 0 else "test"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", type=Path, help="besca wheel (pip download besca==2.5.5)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--differs",
        action="store_true",
        help="only short names that are not the label with its case and spaces changed",
    )
    add_half(parser, "rows")
    args = parser.parse_args()
    rows = [
        r for r in read_table(args.wheel, differs=args.differs) if args.half in ("all", half(r))
    ]
    write_table(args.output, rows)
    print(f"{args.output}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
