"""How a sample was kept or caught is its state or sampling, not its tissue: the
anticoagulant or tube of blood (``plasma (EDTA)``, ``whole blood, PAXgene``), a
preservative, how urine was caught (``urine, midstream``)."""

from __future__ import annotations

from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.qualifiers import split_qualifiers

BLOOD_PLASMA = "UBERON:0001969"


def kinds(value: str) -> list[tuple[str, str]]:
    split = split_qualifiers(value)
    return [] if split is None else [(q.text, q.kind) for q in split.qualifiers]


def test_anticoagulants_tubes_and_preservatives_are_states() -> None:
    assert kinds("plasma (EDTA)") == [("EDTA", "state")]
    assert kinds("K2-EDTA plasma") == [("K2-EDTA", "state")]
    assert kinds("whole blood, PAXgene") == [("whole", "state"), ("PAXgene", "state")]
    assert kinds("heparinized blood") == [("heparinized", "state")]
    assert kinds("cryopreserved PBMC") == [("cryopreserved", "state")]
    assert kinds("urine, midstream") == [("midstream", "sampling")]


def test_the_tissue_of_a_kept_sample_is_found(uberon: ValueMatcher) -> None:
    """``plasma (EDTA)`` had no candidate at all (the fuzzy tier read only "EDTA": the
    bracket taken for what the population is); ``whole blood, PAXgene`` and ``urine,
    midstream`` had blood and urine as broader matches (0.60, 0.65)."""
    for value, expected, aside in (
        ("plasma (EDTA)", BLOOD_PLASMA, "'EDTA' (state)"),
        ("whole blood, PAXgene", "UBERON:0000178", "'PAXgene' (state)"),  # blood
        ("urine, midstream", "UBERON:0001088", "'midstream' (sampling)"),  # urine
    ):
        best = uberon.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert aside in best.explain() and best.predicate == "skos:closeMatch", value
