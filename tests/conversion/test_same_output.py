"""The fast converter writes the graph earlier releases wrote (pinned as canonical lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonize.conversion.compare import canonical_lines
from harmonize.conversion.run import convert_table
from harmonize.mappings import read_sssom
from harmonize.resources import bundled_dir
from harmonize.schema import load_schema

DATA = Path(__file__).resolve().parents[1] / "data" / "convert"
#: Written by the converter before it moved to pyoxigraph (hand-written serialisers),
#: from partner.csv with the two mapping sets beside it, as canonical N-Triples.
EXPECTED = DATA / "partner.expected.nt"


@pytest.mark.parametrize("suffix", [".nt", ".ttl", ".jsonld"])
def test_every_format_holds_the_pinned_graph(tmp_path: Path, suffix: str) -> None:
    schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
    sets = [(read_sssom(DATA / n), DATA / n) for n in ("columns.sssom.tsv", "values.sssom.tsv")]
    out = tmp_path / f"out{suffix}"
    summary = convert_table(DATA / "partner.csv", schema, sets, out)
    assert canonical_lines([out]) == EXPECTED.read_text().splitlines()
    assert summary.records == {"Biosample": 6, "Dataset": 1, "Donor": 5, "SequencingRun": 6}
