"""Replaying decisions onto the next partner's suggestions, and the convert-side picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import DATA

from harmonize.curie import local_curie
from harmonize.mappings import Mapping, MappingSet, read_sssom, write_sssom
from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger
from harmonize.mappings.model import JUSTIFICATION_LEXICAL, JUSTIFICATION_MANUAL
from harmonize.mappings.replay import (
    JUSTIFICATION_CHAINING,
    ReplaySummary,
    apply_decisions,
    replay,
    replay_states,
    reviewed_or_auto,
)
from harmonize.ontology.cache import load_index

REVIEW = DATA / "review"
ADA = reviewer("Ada Steward")


def _p1(label: str) -> str:
    return local_curie("tissue", label)


def _p2(label: str) -> str:
    return local_curie("Tissue type", label)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    """Decisions a steward took on partner 1's tissue values."""
    led = Ledger.open(tmp_path / "mappings" / "decisions.sqlite")
    for label, action, term in [
        ("Liver", "accept", "UBERON:0002107"),
        ("Lung", "accept", "UBERON:0002048"),
        ("skin", "accept", "UBERON:0002097"),
        ("kidney", "reject", "UBERON:0002113"),
    ]:
        led.record(
            new_decision(_p1(label), action, ADA, subject_label=label, object_id=term,  # type: ignore[arg-type]
                         comment=f"checked {label}"),
            expected_version=0,
        )  # fmt: skip
    return led


def _rows(ms: MappingSet, label: str) -> list[Mapping]:
    return ms.by_subject().get(_p2(label), [])


def test_decisions_replay_onto_a_second_partner(ledger: Ledger) -> None:
    p2 = read_sssom(REVIEW / "partner2_tissue.sssom.tsv")
    assert _p2("Liver") in p2.by_subject()  # a different column name: different subject ids
    out = apply_decisions(p2, ledger)
    liver = _rows(out, "Liver")
    assert liver[0].mapping_justification == JUSTIFICATION_MANUAL
    assert liver[0].object_id == "UBERON:0002107" and liver[0].author_id == (ADA.id,)
    assert "decision replayed" in (liver[0].comment or "") and "checked Liver" in (
        liver[0].comment or ""
    )
    lung = _rows(out, "lung")  # "Lung" decided, "lung" arrives: same after normalisation
    assert (
        lung[0].mapping_justification == JUSTIFICATION_MANUAL
        and lung[0].object_id == "UBERON:0002048"
    )
    # the rejected candidate is never offered again
    assert all(m.object_id != "UBERON:0002113" for m in _rows(out, "kidney"))
    assert _rows(p2, "kidney")[0].object_id == "UBERON:0002113"
    # values nobody decided are untouched
    assert _rows(out, "liver biopsy") == _rows(p2, "liver biopsy")
    summary = replay(p2, ledger)[1]
    assert summary == ReplaySummary(decided=3, replayed=3, rejected_removed=1, requeued_obsolete=0)
    assert "rejected candidates removed: 1" in (out.mapping_set_description or "")
    # and the result is a valid SSSOM file
    back = read_sssom(
        write_sssom(out, Path(ledger.path.parent) / "p2.reviewed.sssom.tsv"), strict=True
    )
    assert back.mappings == out.mappings


def test_reviewed_or_auto_picks_one_row_per_subject(ledger: Ledger) -> None:
    p2 = read_sssom(REVIEW / "partner2_tissue.sssom.tsv")
    chosen = {m.subject_label: m for m in reviewed_or_auto(p2, ledger, threshold=0.95)}
    assert chosen["Liver"].mapping_justification == JUSTIFICATION_MANUAL
    assert chosen["serum"].mapping_justification == JUSTIFICATION_LEXICAL  # auto-accepted
    assert chosen["serum"].confidence is not None and chosen["serum"].confidence >= 0.95
    assert "liver biopsy" not in chosen  # 0.76: below the threshold, left for review
    assert "kidney" not in chosen  # its only candidate was rejected
    assert len({m.subject_id for m in chosen.values()}) == len(chosen)
    auto_only = {m.subject_label for m in reviewed_or_auto(p2, None)}
    assert "kidney" in auto_only and "liver biopsy" not in auto_only
    assert "kidney" not in {m.subject_label for m in reviewed_or_auto(p2, ledger, threshold=0.0)}
    assert "liver biopsy" in {m.subject_label for m in reviewed_or_auto(p2, ledger, threshold=0.5)}


def test_no_suitable_term_and_defer_block_auto_accept(ledger: Ledger) -> None:
    p2 = read_sssom(REVIEW / "partner2_tissue.sssom.tsv")
    ledger.record(new_decision(_p2("serum"), "none", ADA, subject_label="serum"))
    ledger.record(new_decision(_p2("stomach"), "defer", ADA, subject_label="stomach"))
    chosen = {m.subject_label for m in reviewed_or_auto(p2, ledger)}
    assert "serum" not in chosen and "stomach" not in chosen
    out = apply_decisions(p2, ledger)
    serum = _rows(out, "serum")
    assert [m.object_id for m in serum] == ["sssom:NoTermFound"]


def test_obsolete_accepted_term_returns_to_the_queue(ledger: Ledger) -> None:
    p2 = read_sssom(REVIEW / "partner2_tissue.sssom.tsv")
    old = load_index(REVIEW / "anatomy.obo")
    new = load_index(REVIEW / "anatomy_v2.obo")
    assert (
        _rows(apply_decisions(p2, ledger, index=old), "skin")[0].mapping_justification
        == JUSTIFICATION_MANUAL
    )
    out = apply_decisions(p2, ledger, index=new)
    skin = _rows(out, "skin")
    assert skin[0].object_id == "UBERON:8000001" and skin[0].object_label == "skin of organism"
    assert skin[0].mapping_justification == JUSTIFICATION_CHAINING and skin[0].confidence is None
    assert "obsolete" in (skin[0].comment or "")
    assert all(m.object_id != "UBERON:0002097" for m in skin)
    assert replay(p2, ledger, index=new)[1].requeued_obsolete == 1
    reps = replay_states(p2, ledger, index=new)
    assert reps[_p2("skin")].obsolete == "UBERON:0002097"
    assert reps[_p2("skin")].replacement == "UBERON:8000001"
    # convert does not take it until a steward confirms the replacement
    assert "skin" not in {m.subject_label for m in reviewed_or_auto(p2, ledger, index=new)}
    # confirming it (a decision on the new subject) settles it
    ledger.record(
        new_decision(_p2("skin"), "replace", ADA, subject_label="skin", object_id="UBERON:8000001")
    )
    chosen = {m.subject_label: m.object_id for m in reviewed_or_auto(p2, ledger, index=new)}
    assert chosen["skin"] == "UBERON:8000001"


def test_a_value_decided_in_one_column_does_not_leak_into_an_unrelated_one(tmp_path: Path) -> None:
    led = Ledger.open(tmp_path / "d.sqlite")
    led.record(
        new_decision(
            local_curie("sex", "M"), "accept", ADA, subject_label="M", object_id="PATO:0000384"
        )
    )
    other = MappingSet(
        "x",
        (
            Mapping(local_curie("marital status", "M"), "skos:exactMatch", "NCIT:C51773",
                    JUSTIFICATION_LEXICAL, subject_label="M", confidence=0.6),
        ),
    )  # fmt: skip
    assert replay_states(other, led) == {}
    assert apply_decisions(other, led).mappings == other.mappings
    same_column = MappingSet(
        "y",
        (
            Mapping(local_curie("sex", "M"), "skos:exactMatch", "PATO:0000384",
                    JUSTIFICATION_LEXICAL, subject_label="M", confidence=0.6),
        ),
    )  # fmt: skip
    assert (
        reviewed_or_auto(same_column, led).mappings[0].mapping_justification == JUSTIFICATION_MANUAL
    )


def test_a_reviewed_export_carries_the_decisions_without_the_ledger(
    ledger: Ledger, tmp_path: Path
) -> None:
    """review -> NAME.reviewed.sssom.tsv -> convert (reviewed_or_auto with no ledger)."""
    p1 = read_sssom(REVIEW / "partner1_tissue.sssom.tsv")
    ledger.record(new_decision(_p1("liver bx"), "replace", ADA, subject_label="liver bx",
                               object_id="UBERON:0001114", object_label="right lobe of liver"))  # fmt: skip
    ledger.record(new_decision(_p1("brain"), "none", ADA, subject_label="brain"))
    path = write_sssom(apply_decisions(p1, ledger), tmp_path / "p1.reviewed.sssom.tsv")
    chosen = {m.subject_label: m for m in reviewed_or_auto(read_sssom(path), None)}
    assert chosen["liver bx"].object_id == "UBERON:0001114"  # below 0.95, but reviewed
    assert chosen["liver bx"].mapping_justification == JUSTIFICATION_MANUAL
    assert "brain" not in chosen  # no suitable term: left unmapped, not auto-accepted
    assert "kidney" not in chosen  # its only candidate was rejected
    assert chosen["Liver"].author_id == (ADA.id,)
    assert "lung tissue" not in chosen  # undecided and below the threshold


# -- the same value only -----------------------------------------------------------------


def _dx(led: Ledger) -> MappingSet:
    """Accept HCC on the first partner's file; return the second partner's set."""
    first = read_sssom(REVIEW / "dx_first.sssom.tsv")
    hcc = next(m for m in first if m.subject_label == "HCC")
    led.record(new_decision(hcc.subject_id, "accept", ADA, subject_label="HCC",
                            object_id="MONDO:0007256", object_label="hepatocellular carcinoma"))  # fmt: skip
    return read_sssom(REVIEW / "dx_second.sssom.tsv")


def test_replay_reuses_a_decision_only_for_the_same_value(tmp_path: Path) -> None:
    led = Ledger.open(tmp_path / "d.sqlite")
    second = _dx(led)
    labels = {m.subject_id: m.subject_label for m in second}
    applied = {labels[s]: r.via for s, r in replay_states(second, led).items()}
    assert applied == {"HCC": "subject", "hcc": "label+namespace"}  # case folded, nothing else
    out = apply_decisions(second, led)
    manual = {m.subject_label for m in out if m.mapping_justification == JUSTIFICATION_MANUAL}
    assert manual == {"HCC", "hcc"}
    chosen = {m.subject_label for m in reviewed_or_auto(second, led)}
    assert "HCC (suspected)" not in chosen and "HCC?" not in chosen and "no HCC" not in chosen


def test_a_similar_value_gets_the_decision_as_evidence_never_applied(tmp_path: Path) -> None:
    from harmonize.mappings.replay_match import similar_decisions, subjects_of

    led = Ledger.open(tmp_path / "d.sqlite")
    second = _dx(led)
    applied = replay_states(second, led)
    similar = similar_decisions(subjects_of(second), led, skip=applied)
    found = {s.subject_id: s for s in similar.values()}
    labels = {m.subject_id: m.subject_label for m in second}
    assert {labels[s] for s in found} == {"HCC (suspected)", "HCC?", "no HCC"}
    text = next(iter(found.values())).describe()
    assert text.startswith("a decision on 'HCC' exists: accept hepatocellular carcinoma by Ada")
    assert not set(found) & set(applied)


def test_a_hedged_value_is_never_accepted_on_its_score(tmp_path: Path) -> None:
    second = read_sssom(REVIEW / "dx_second.sssom.tsv")
    hedged = next(m for m in second if m.subject_label == "hepatocellular carcinoma?")
    assert hedged.confidence is not None and hedged.confidence >= 0.95
    chosen = {m.subject_label for m in reviewed_or_auto(second, None)}
    assert "hepatocellular carcinoma?" not in chosen
    assert "liver" in chosen  # 0.99, nothing hedged: accepted as before
    led = Ledger.open(tmp_path / "d.sqlite")  # a steward who decides it settles it
    led.record(new_decision(hedged.subject_id, "accept", ADA, subject_label=hedged.subject_label,
                            object_id="MONDO:0007256"))  # fmt: skip
    assert "hepatocellular carcinoma?" in {m.subject_label for m in reviewed_or_auto(second, led)}


def test_a_confirmed_variant_is_the_same_value_next_time(tmp_path: Path) -> None:
    led = Ledger.open(tmp_path / "d.sqlite")
    second = _dx(led)
    variant = next(m for m in second if m.subject_label == "HCC?")
    led.record(new_decision(variant.subject_id, "accept", ADA, subject_label="HCC?",
                            object_id="MONDO:0007256", comment="same as 'HCC'"))  # fmt: skip
    third = MappingSet("third", (
        Mapping(local_curie("diagnosis", "hcc?"), "skos:exactMatch", "MONDO:0007256",
                JUSTIFICATION_LEXICAL, subject_label="hcc?", confidence=0.82),
    ))  # fmt: skip
    reps = replay_states(third, led)
    assert [r.via for r in reps.values()] == ["label+candidate"]
    assert reps[local_curie("diagnosis", "hcc?")].state.subject_id == variant.subject_id


def test_the_kept_decision_index_agrees_with_a_fresh_one(ledger: Ledger) -> None:
    """The workbench keeps one index and feeds it what changed; it must replay exactly as
    an index built from scratch, decision after decision (and after an undo)."""
    from harmonize.mappings.replay_match import DecisionIndex

    p2 = read_sssom(REVIEW / "partner2_tissue.sssom.tsv")
    kept = DecisionIndex(ledger.states())
    seen = ledger.stamp()[0]
    steps = [
        new_decision(_p1("liver biopsy"), "accept", ADA, subject_label="liver biopsy",
                     object_id="UBERON:0002107"),
        new_decision(_p1("Liver"), "reject", ADA, subject_label="Liver", object_id="UBERON:0002107"),
        new_decision(_p1("serum"), "none", ADA, subject_label="Serum"),
    ]  # fmt: skip
    for decision in steps:
        ledger.record(decision)
        changed, seen = ledger.changes_since(seen)
        kept.update(changed)
        assert replay_states(p2, kept) == replay_states(p2, ledger.states())
    ledger.undo_last(ADA)
    changed, seen = ledger.changes_since(seen)
    kept.update(changed)
    assert replay_states(p2, kept) == replay_states(p2, ledger.states())


def _cell_rows(comment: str) -> MappingSet:
    subject = local_curie("cell_type", "Fibroblast")
    return MappingSet(
        mapping_set_id="https://example.org/cells",
        mappings=(
            Mapping(subject, "skos:closeMatch", "CL:0002553", JUSTIFICATION_LEXICAL,
                    subject_label="Fibroblast", object_label="fibroblast of lung",
                    confidence=0.65, comment=comment),
            Mapping(subject, "skos:exactMatch", "CL:0000057", JUSTIFICATION_LEXICAL,
                    subject_label="Fibroblast", object_label="fibroblast", confidence=0.06,
                    comment="exact match on label 'fibroblast'"),
        ),
    )  # fmt: skip


def test_a_decision_read_with_the_samples_tissue_replays_only_onto_that_tissue(
    tmp_path: Path,
) -> None:
    """``Fibroblast`` accepted as "fibroblast of lung" (read with the rows' tissue) is
    not the decision for ``Fibroblast`` from skin rows, nor from rows of no tissue."""
    led = Ledger.open(tmp_path / "decisions.sqlite")
    in_lung = "normalized match on label 'fibroblast of lung' after case, in the sample's tissue (lung): 'fibroblast of lung'"
    led.record(
        new_decision(local_curie("cell_type", "Fibroblast"), "accept", ADA,
                     subject_label="Fibroblast", object_id="CL:0002553", evidence=in_lung),
        expected_version=0,
    )  # fmt: skip
    subject = local_curie("cell_type", "Fibroblast")
    assert subject in replay_states(_cell_rows(in_lung), led)  # lung again: replayed
    in_skin = in_lung.replace("(lung)", "(skin)")
    assert subject not in replay_states(_cell_rows(in_skin), led)
    plain = "normalized match on label 'fibroblast of lung' after case"
    assert subject not in replay_states(_cell_rows(plain), led)
    out = apply_decisions(_cell_rows(in_skin), led)
    assert all(m.mapping_justification != JUSTIFICATION_MANUAL for m in out)
