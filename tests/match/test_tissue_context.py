"""A cell-type column is read with the rows' tissue (``map_values``, ``match-columns``):
the curator's term for ``Fibroblast`` in lung samples is "fibroblast of lung"."""

from __future__ import annotations

from pathlib import Path

import harmonize
from harmonize.confidence import AUTO_ACCEPT

FIBROBLAST_OF_LUNG, MACROPHAGE = "CL:0002553", "CL:0000235"


def _table(tmp_path: Path) -> Path:
    rows = [
        ("S1", "lung", "Fibroblast"),
        ("S2", "Lung", "Fibroblast"),
        ("S3", "lung", "Macrophages"),
        ("S4", "liver", "Macrophages"),  # two tissues: read alone
        ("S5", "", "Fibroblast"),  # no tissue: says nothing against lung
        ("S6", "pancreas", "Endocrine cell"),
    ]
    path = tmp_path / "samples.csv"
    lines = ["sample_id,tissue,cell_type", *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _best(values: harmonize.MappingSet, label: str) -> harmonize.Mapping:
    return next(m for m in values if m.subject_label == label)


def test_a_cell_type_value_is_read_with_the_one_tissue_of_its_rows(tmp_path: Path) -> None:
    table = _table(tmp_path)
    columns = harmonize.match_columns(table)
    values = harmonize.map_values(table, columns)
    fibroblast = _best(values, "Fibroblast")
    assert fibroblast.object_id == FIBROBLAST_OF_LUNG
    assert "in the sample's tissue (lung)" in (fibroblast.comment or "")
    assert fibroblast.predicate_id == "skos:closeMatch"
    assert (fibroblast.confidence or 0) < AUTO_ACCEPT  # a steward confirms it
    # one subject per value, as without the tissue: a decision replays onto it
    from harmonize.match.columns.values import value_subject

    assert fibroblast.subject_id == value_subject("cell_type", "Fibroblast")


def test_the_tissue_is_named_as_its_own_ontology_names_it(tmp_path: Path) -> None:
    """The cell-type slot loads CL only; "pancreatic" comes from the tissue slot's
    ontology (UBERON + CL's names pair it with "pancreas")."""
    table = _table(tmp_path)
    endocrine = _best(harmonize.map_values(table, harmonize.match_columns(table)), "Endocrine cell")
    assert endocrine.object_id == "CL:0008024"  # pancreatic endocrine cell
    assert "in the sample's tissue (pancreatic)" in (endocrine.comment or "")


def test_a_value_met_in_several_tissues_is_read_alone(tmp_path: Path) -> None:
    values = harmonize.map_values(_table(tmp_path), harmonize.match_columns(_table(tmp_path)))
    macrophages = _best(values, "Macrophages")
    assert macrophages.object_id == MACROPHAGE
    assert "sample's tissue" not in (macrophages.comment or "")
