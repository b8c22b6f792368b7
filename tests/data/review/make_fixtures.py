"""Regenerate the review fixtures (run from the repository root; outputs are committed).

The value mapping sets are real ``harmonize ground`` output for the partner tables against
``anatomy.obo`` (a small excerpt of UBERON); the column set is written by hand.
"""

from __future__ import annotations

from pathlib import Path

from harmonize.curie import local_curie
from harmonize.io import read_table
from harmonize.mappings import JUSTIFICATION_SIMILARITY, Mapping, MappingSet, write_sssom
from harmonize.match.values.ground import ground, results_to_mapping_set

HERE = Path(__file__).resolve().parent


def values(table: str, column: str, out: str, set_id: str) -> None:
    t = read_table(HERE / table)
    vals = sorted(set(t.column(column)))
    res = ground(vals, [HERE / "anatomy.obo"], roots=["UBERON:0001062"], top_k=3)
    ms = results_to_mapping_set(res, namespace=column, mapping_set_id=set_id)
    write_sssom(ms, HERE / out)


def columns() -> None:
    rows = []
    for column, cands in {
        "sample_id": [("hmz:sample_id", 0.99)],
        "tissue": [("hmz:tissue", 0.97), ("hmz:cell_type", 0.21)],
        "sex": [("hmz:sex", 0.93)],
        "age_yrs": [("hmz:age", 0.81), ("hmz:age_unit", 0.33)],
    }.items():
        for slot, conf in cands:
            rows.append(
                Mapping(
                    local_curie("partner1", column), "skos:exactMatch", slot,
                    JUSTIFICATION_SIMILARITY, subject_label=column,
                    object_label=slot.partition(":")[2], confidence=conf,
                    match_string=column, comment="column name and values",
                )
            )  # fmt: skip
    write_sssom(
        MappingSet("https://w3id.org/harmonize/test/partner1-columns", tuple(rows),
                   mapping_set_title="partner1 columns", mapping_date="2026-11-25"),
        HERE / "partner1_columns.sssom.tsv",
    )  # fmt: skip


if __name__ == "__main__":
    values("partner1.csv", "tissue", "partner1_tissue.sssom.tsv",
           "https://w3id.org/harmonize/test/partner1-tissue")  # fmt: skip
    values("partner2.csv", "Tissue type", "partner2_tissue.sssom.tsv",
           "https://w3id.org/harmonize/test/partner2-tissue")  # fmt: skip
    columns()
