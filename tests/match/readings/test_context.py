"""The sample's tissue as context (``ground --context``): a cell-type label of a lung
study reaches the lung's own term, as its curator codes it, and says so."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.taxon import HUMAN
from harmonize.ontology.index import OntologyIndex

CELL = "CL:0000000"
LUNG = "UBERON:0002048"


@pytest.fixture(scope="module")
def in_lung(anatomy_index: OntologyIndex) -> ValueMatcher:
    return ValueMatcher(anatomy_index, roots=[CELL], taxon=HUMAN, fill=True, context=["lung"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fibroblast", "CL:0002553"),  # fibroblast of lung
        ("Goblet", "CL:1000143"),  # lung goblet cell (read as the cell first)
        ("Macrophages", "CL:1001603"),  # lung macrophage
    ],
)
def test_the_tissue_names_the_specific_term(
    in_lung: ValueMatcher, value: str, expected: str
) -> None:
    best = in_lung.match(value).best
    assert best is not None and best.id == expected
    assert best.predicate == "skos:closeMatch" and best.confidence < AUTO_ACCEPT
    assert "in the sample's tissue (lung)" in best.explain()


def test_without_context_the_plain_term_stays(cl: ValueMatcher, in_lung: ValueMatcher) -> None:
    plain = cl.match("Fibroblast").best
    assert plain is not None and plain.id == "CL:0000057" and plain.confidence >= AUTO_ACCEPT
    ids = [c.id for c in in_lung.match("Fibroblast").candidates]
    assert ids[:2] == ["CL:0002553", "CL:0000057"]  # the plain term is still offered
    said = in_lung.match("lung macrophage").best  # the value says the tissue itself
    assert said is not None and said.id == "CL:1001603" and said.confidence >= AUTO_ACCEPT


def test_a_curie_gives_the_tissue_and_its_synonyms(anatomy_index: OntologyIndex) -> None:
    matcher = ValueMatcher(anatomy_index, roots=[CELL], fill=True, context=[LUNG])
    assert "lung" in matcher.context and "pulmo" in matcher.context
    best = matcher.match("Fibroblast").best
    assert best is not None and best.id == "CL:0002553"
    # a text that is a term's exact synonym gives that term's names too
    by_synonym = ValueMatcher(anatomy_index, roots=[CELL], context=["Pulmo"])
    assert "lung" in by_synonym.context
    unknown = ValueMatcher(anatomy_index, roots=[CELL], context=["no such tissue"])
    assert unknown.context == ("no such tissue",)


def test_ground_cli_takes_the_context(tmp_path: Path) -> None:
    values = tmp_path / "cells.txt"
    values.write_text("Fibroblast\n", encoding="utf-8")
    out = tmp_path / "cells.sssom.tsv"
    args = ["ground", str(values), "--ontology", "UBERON", "--ontology", "CL", "--root", CELL]
    assert main([*args, "--context", "lung", "-o", str(out), "--top-k", "2"]) == 0
    rows = list(csv.DictReader((r for r in out.open() if not r.startswith("#")), delimiter="\t"))
    assert [r["object_id"] for r in rows] == ["CL:0002553", "CL:0000057"]
    assert "sample's tissue" in rows[0]["comment"]


def test_the_tissue_is_also_named_by_the_ontologys_own_adjective(
    anatomy_index: OntologyIndex,
) -> None:
    """CL writes "pancreatic endocrine cell", "renal ... cell": the adjective the
    ontology's labels and exact synonyms put in the tissue's place names it too."""
    from harmonize.match.values.context_terms import word_pairs

    in_pancreas = ValueMatcher(
        anatomy_index, roots=[CELL], taxon=HUMAN, fill=True, context=["UBERON:0001264"]
    )
    assert "pancreatic" in in_pancreas.context
    assert "renal" in word_pairs(in_pancreas.table).get("kidney", ())
    best = in_pancreas.match("Endocrine cell").best
    assert best is not None and best.id == "CL:0008024"  # pancreatic endocrine cell
    assert best.confidence < AUTO_ACCEPT
    assert "in the sample's tissue (pancreatic)" in best.explain()


@pytest.mark.parametrize(
    ("value", "expected", "instead"),
    [
        ("Type 1", "CL:0002062", "CL:0000990"),  # pulmonary alveolar type 1 cell, not cDC1
        ("Type 2", "CL:0002063", "CL:0000784"),  # ... type 2 cell, not plasmacytoid DC
    ],
)
def test_a_fuzzy_name_saying_the_value_in_the_tissue_comes_first(
    cl: ValueMatcher, in_lung: ValueMatcher, value: str, expected: str, instead: str
) -> None:
    """A value the fuzzy tier answers with a name of another tissue's or lineage's term
    ("type 1 DC"): from lung, the name that says every word of the value and the tissue
    ("lung type 1 cells") comes first, read with the tissue, never auto-accepted; without
    the tissue, the fuzzy tier's order stands."""
    plain = cl.match(value).best
    assert plain is not None and plain.id == instead
    best = in_lung.match(value).best
    assert best is not None and best.id == expected
    assert best.evidence.method == "fuzzy" and best.confidence < AUTO_ACCEPT
    assert best.predicate != "skos:exactMatch"
    assert "read in the sample's tissue (lung)" in best.explain()
    assert instead in [c.id for c in in_lung.match(value).candidates]  # still offered


def test_a_fuzzy_name_already_in_the_tissue_stays(anatomy_index: OntologyIndex) -> None:
    """The best fuzzy name says the tissue already ("kidney loop of Henle epithelial cell"
    for ``Loop of Henle`` from kidney): nothing is reordered."""
    in_kidney = ValueMatcher(
        anatomy_index, roots=[CELL], taxon=HUMAN, fill=True, context=["kidney"]
    )
    without = ValueMatcher(anatomy_index, roots=[CELL], taxon=HUMAN, fill=True)
    for value in ("Loop of Henle", "Connecting tubule"):
        there = in_kidney.match(value).candidates
        assert [c.id for c in there] == [c.id for c in without.match(value).candidates]
        assert "sample's tissue" not in there[0].explain()
