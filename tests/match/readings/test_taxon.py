"""Part 6: the species of the data (``ground --taxon``, a schema's ``taxon``)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from harmonize.cli import main
from harmonize.errors import CurieError
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.taxon import HUMAN, Lineage, label_taxa, lineage, term_taxa
from harmonize.ontology.cache import load_index

FLY = "NCBITaxon:7227"


@pytest.fixture(scope="module")
def mini(data_dir: Path) -> Path:
    """``leg`` (never in insects) and ``insect leg`` (only in insects), as UBERON's OBO
    file gives them (``never_in_taxon`` / ``only_in_taxon``)."""
    return data_dir / "grounding" / "taxon-mini.obo"


def test_lineages_of_common_species_ship_with_harmonize() -> None:
    fly = lineage(FLY)
    assert fly.taxon == FLY and fly.within("NCBITaxon:50557")  # Insecta
    assert lineage("9606").within("NCBITaxon:7742")  # a bare number is read as NCBITaxon
    assert not lineage(HUMAN).within("NCBITaxon:50557")


def test_the_file_taxon_constraints_are_read(mini: Path) -> None:
    index = load_index(mini)
    fly, human = lineage(FLY), lineage(HUMAN)
    leg, insect_leg = index.terms["UBERON:0000978"], index.terms["UBERON:0005895"]
    assert term_taxa(leg, fly) == -1 and term_taxa(leg, human) == 0
    assert term_taxa(insect_leg, fly) == 1 and term_taxa(insect_leg, human) == -1


def test_labels_naming_a_taxon_group() -> None:
    fly = Lineage((FLY, "NCBITaxon:50557"), ("Drosophila melanogaster", "Insecta"))
    assert label_taxa("insect leg", fly) == 1
    assert label_taxa("adult mammalian kidney", fly) == -1
    assert label_taxa("heart", fly) == 0


def test_terms_of_the_data_species_win(mini: Path) -> None:
    index = load_index(mini)
    fly_best = ValueMatcher(index, taxon=FLY).match("leg").best
    human_best = ValueMatcher(index, taxon=HUMAN).match("leg").best
    plain_best = ValueMatcher(index).match("leg").best
    assert fly_best is not None and fly_best.id == "UBERON:0005895"  # insect leg
    assert human_best is not None and human_best.id == "UBERON:0000978"
    assert plain_best is not None and plain_best.id == "UBERON:0000978"


def test_a_term_of_another_taxon_is_no_exact_match_and_says_so(mini: Path) -> None:
    from harmonize.match.values.ground import AUTO_ACCEPT

    index = load_index(mini)
    # "leg" is never in insects: for fly data it is offered after "insect leg", not exact
    fly = {c.id: c for c in ValueMatcher(index, taxon=FLY).match("leg", top_k=2).candidates}
    leg = fly["UBERON:0000978"]
    assert leg.predicate == "skos:closeMatch" and leg.confidence < AUTO_ACCEPT
    assert "another taxon than the data's (Drosophila melanogaster)" in leg.explain()
    # for human data (which the file does not exclude) the same name is exact, said plainly
    human = ValueMatcher(index, taxon=HUMAN).match("leg").candidates[0]
    assert human.id == "UBERON:0000978" and human.predicate == "skos:exactMatch"
    assert "taxon" not in human.explain()


def test_a_species_tag_of_the_label_is_another_taxon() -> None:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Synonym, Term

    mouse_only = Term(
        "CL:1", "lambda ganglion cell (Mmus)", synonyms=(Synonym("lambda cell", "EXACT"),)
    )
    index = OntologyIndex(meta=OntologyMeta(name="CL"), terms={mouse_only.id: mouse_only})
    for_human = ValueMatcher(index, taxon=HUMAN).match("lambda cell").candidates[0]
    for_mouse = ValueMatcher(index, taxon="NCBITaxon:10090").match("lambda cell").candidates[0]
    assert for_human.predicate == "skos:closeMatch" and "Homo sapiens" in for_human.explain()
    assert for_mouse.predicate == "skos:exactMatch" and "taxon" not in for_mouse.explain()


def test_a_species_word_in_the_value_is_the_data_species(mini: Path) -> None:
    best = ValueMatcher(load_index(mini)).match("drosophila leg").best
    assert best is not None and best.id == "UBERON:0005895"


def test_ground_cli_takes_the_taxon(mini: Path, tmp_path: Path) -> None:
    values = tmp_path / "parts.txt"
    values.write_text("leg\n", encoding="utf-8")
    out = tmp_path / "parts.sssom.tsv"
    args = ["ground", str(values), "--ontology", str(mini), "-o", str(out), "--top-k", "2"]
    assert main([*args, "--taxon", FLY]) == 0
    rows = list(csv.DictReader((r for r in out.open() if not r.startswith("#")), delimiter="\t"))
    assert [r["object_id"] for r in rows] == ["UBERON:0005895", "UBERON:0000978"]


def test_an_unknown_taxon_is_an_error_of_our_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import harmonize.ontology.cache as cache

    def no_ncbitaxon(*_: object, **__: object) -> object:
        raise CurieError("NCBITaxon is not available offline")

    monkeypatch.setattr(cache, "load_index", no_ncbitaxon)
    with pytest.raises(CurieError):
        lineage("NCBITaxon:999999999")


def test_the_common_model_says_human() -> None:
    from harmonize.resources import bundled_dir
    from harmonize.schema.view import load_schema

    assert load_schema(bundled_dir("schemas") / "harmonize.yaml").taxon == HUMAN


def test_value_mapping_uses_the_schema_taxon() -> None:
    """``match-columns`` / ``map_values``: an ontology slot's matcher knows the species
    the schema declares (the common model: human)."""
    from harmonize.match.columns.values import slot_matchers
    from harmonize.resources import bundled_dir
    from harmonize.schema.view import load_schema

    schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
    slots = [s for c in schema.classes.values() for s in c.slots]
    slot = next(s for s in slots if s.binding.kind == "ontology" and "UBERON" in str(s.binding))
    matchers = slot_matchers(schema, slot)
    assert matchers and all(m.lineage is not None for m in matchers if m.roots)
    assert matchers[-1].lineage is not None and matchers[-1].lineage.taxon == HUMAN


def test_taxon_free_names_read_words_tags_and_sensu() -> None:
    from harmonize.match.values.taxon import taxon_free_names

    names = ["alpha retinal ganglion cell (Mmus)", "heart (sensu Vertebrata)", "liver"]
    names += ["insect embryonic/larval brain", "mammalian cervical vertebra 3"]
    found = taxon_free_names(names)
    assert found["alpha retinal ganglion cell"] == [(0, False)]
    assert found["heart"] == [(1, False)]
    assert found["cervical vertebra 3"] == [(4, False)]
    assert [row for row, staged in found["brain"] if staged] == [3]  # a life stage went too
    assert all(row != 2 for rows in found.values() for row, _ in rows)  # no mark: not a key


@pytest.fixture(scope="module")
def anatomy_for(anatomy_index: object) -> object:
    from harmonize.match.values.ground import load_curated

    made: dict[str | None, ValueMatcher] = {}

    def build(taxon: str | None) -> ValueMatcher:
        if taxon not in made:
            made[taxon] = ValueMatcher(
                anatomy_index,  # type: ignore[arg-type]
                roots=["UBERON:0001062"],
                curated=load_curated(),
                taxon=taxon,
                fill=True,
            )
        return made[taxon]

    return build


def test_a_species_own_term_keeps_the_plain_name_from_auto_accept(anatomy_for: Any) -> None:
    """``kidney`` from a cat: UBERON has ``adult mammalian kidney``; the plain term stays
    first (the value says no more) but a steward sees the species' term and decides."""
    from harmonize.confidence import AUTO_ACCEPT

    cat = anatomy_for("NCBITaxon:9685").match("kidney")
    ids = [c.id for c in cat.candidates]
    assert ids[0] == "UBERON:0002113" and "UBERON:0000082" in ids[:3]
    assert cat.candidates[0].confidence < AUTO_ACCEPT
    assert "has its own term: 'adult mammalian kidney'" in cat.candidates[0].explain()
    plain = anatomy_for(None).match("kidney").candidates[0]
    assert plain.id == "UBERON:0002113" and plain.confidence >= AUTO_ACCEPT


def test_curated_practice_of_the_species_keeps_the_plain_term_sure(anatomy_for: Any) -> None:
    """Human and mouse data: CELLxGENE's curators code ``kidney`` with UBERON:0002113 and
    never with ``adult mammalian kidney``: the plain term stays auto-accepted, the
    species' term is still offered; a synonym naming the taxon changes nothing."""
    from harmonize.confidence import AUTO_ACCEPT

    for taxon in (HUMAN, "NCBITaxon:10090"):
        found = anatomy_for(taxon).match("kidney").candidates
        assert found[0].id == "UBERON:0002113" and found[0].confidence >= AUTO_ACCEPT
        assert "UBERON:0000082" in [c.id for c in found]
    heart = anatomy_for("NCBITaxon:9685").match("heart").candidates[0]  # "vertebrate heart"
    assert heart.id == "UBERON:0000948" and heart.confidence >= AUTO_ACCEPT


def test_a_fly_brain_offers_the_insect_brains(anatomy_for: Any) -> None:
    found = [c.id for c in anatomy_for(FLY).match("brain").candidates]
    assert {"UBERON:6001920", "UBERON:6003624"} <= set(found)  # embryonic/larval, adult
