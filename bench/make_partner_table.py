"""Synthesize a messy partner sample table (the demo's, and the benchmark's at any size).

The values are the kinds real spreadsheets hold: abbreviations (HCC, T2D, PE, bx),
typos (Hepatocelular, livr), mixed case, ``N/A``, units inside cells ("6 months").
Identifiers are pseudonymous study codes only.

    python bench/make_partner_table.py ROWS OUT.csv [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

HEADER = [
    "Sample ID", "Donor", "organism", "Gender", "Age (yrs)", "Ethnicity", "Dx",
    "tissue_src", "Cell type", "Cell line", "Collection Date", "Assay", "Instrument",
    "Layout", "Read length", "Study", "Study title", "Access",
]  # fmt: skip

SPECIES = ["human"] * 6 + ["Homo sapiens", "H. sapiens", "Human", "hs"]
SEX = ["M", "F", "M", "F", "male", "Female", "f", "N/A", "unknown"]
ETHNICITY = ["European", "European", "African American", "East Asian", "South Asian",
             "Hispanic or Latin American", "N/A", "Europaean"]  # fmt: skip
DX = ["HCC", "HCC", "hepatocellular carcinoma", "healthy", "healthy", "NASH", "T2D",
      "type 2 diabetes", "cirrhosis", "Hepatocelular carcinoma", "N/A", "Cholangiocarcinoma"]  # fmt: skip
TISSUE = ["liver bx", "Liver", "liver", "liver biopsy", "LIVER", "blood", "Blood",
          "kidney", "lung", "livr", "adipose tissue", "bone marrow"]  # fmt: skip
CELL_TYPE = ["", "", "", "hepatocyte", "Hepatocytes", "T cell", "Kupffer cell",
             "induced pluripotent stem cell", "fibroblast", "monocyte"]  # fmt: skip
CELL_LINE = ["", "", "", "", "", "KOLF2.1J", "HepG2"]
ASSAY = ["RNA-seq", "RNA-Seq", "scRNA-seq", "single-cell RNA sequencing", "ATAC-seq",
         "ChIP-seq", "WGS", "whole genome sequencing"]  # fmt: skip
INSTRUMENT = ["Illumina NovaSeq 6000", "NovaSeq 6000", "Illumina HiSeq 2500",
              "HiSeq 4000", "Illumina NextSeq 500", "N/A"]  # fmt: skip
LAYOUT = ["paired", "PE", "PAIRED", "single", "SE", "paired-end"]
READ_LEN = ["150", "150", "100", "75", "2x150", "50"]
STUDIES = [
    ("DS-0001", "Human liver cell atlas, pilot", "open"),
    ("DS-0002", "Metabolic disease biopsies", "restricted"),
    ("DS-0003", "iPSC-derived hepatocyte screen", "Public"),
]


def _age(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.06:
        return "N/A"
    if roll < 0.10:
        return f"{rng.randint(2, 11)} months"
    if roll < 0.14:
        return f"{rng.randint(20, 80)} y"
    if roll < 0.15:
        return "2O"  # letter O typed for a zero
    return str(rng.randint(18, 85))


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(2018, 2024), rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.1:
        return f"{y}/{m:02d}/{d:02d}"
    if roll < 0.14:
        return f"{d:02d}/{m:02d}/{y}"  # day-first: not a date the model accepts
    return f"{y}-{m:02d}-{d:02d}"


def rows(n: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    out: list[list[str]] = []
    donors: dict[str, list[str]] = {}
    for i in range(1, n + 1):
        donor_no = rng.randint(1, max(1, n // 3))
        donor = f"D-{donor_no:04d}"
        if donor not in donors:
            donors[donor] = [rng.choice(SPECIES), rng.choice(SEX), _age(rng),
                             rng.choice(ETHNICITY), rng.choice(DX)]  # fmt: skip
        species, sex, age, eth, dx = donors[donor]
        study = STUDIES[donor_no % len(STUDIES)]
        out.append([
            f"S-{i:05d}", donor, species, sex, age, eth, dx,
            rng.choice(TISSUE), rng.choice(CELL_TYPE), rng.choice(CELL_LINE), _date(rng),
            rng.choice(ASSAY), rng.choice(INSTRUMENT), rng.choice(LAYOUT),
            rng.choice(READ_LEN), *study,
        ])  # fmt: skip
    return out


def write(n: int, path: Path, seed: int = 7) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(n, seed))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.rows, args.out, args.seed)


if __name__ == "__main__":
    main()
