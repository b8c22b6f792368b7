"""A reviewed export carries "defer" and "no suitable term": no reader may auto-accept them.

The steward's "not yet" and "no suitable term" must survive in ``NAME.reviewed.sssom.tsv``
so that a converter reading only that file (no ledger) leaves those values unmapped, even
when the matcher's best candidate is above the 0.95 auto-accept threshold.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import Namespace, URIRef
from tests.conftest import DATA, require

from harmonize.cli import main
from harmonize.convert.plan import accepted
from harmonize.curie import local_curie
from harmonize.mappings import MappingSet, read_sssom
from harmonize.mappings.decisions import NO_TERM, new_decision, reviewer
from harmonize.mappings.ledger import Ledger
from harmonize.mappings.model import JUSTIFICATION_MANUAL
from harmonize.mappings.replay import is_deferred, reviewed_or_auto
from harmonize.review.workspace import load_workspace

REVIEW = DATA / "review"
CONVERT = DATA / "convert"
ADA = reviewer("Ada Steward")
HMZ = Namespace("https://w3id.org/harmonize/model/")
OBO = Namespace("http://purl.obolibrary.org/obo/")


def _export(source: Path, folder: Path, decisions: list[tuple[str, str, str]]) -> Path:
    """Record ``(namespace, value, action)`` decisions and export through the workbench."""
    folder.mkdir(parents=True, exist_ok=True)
    ledger_path = folder / "decisions.sqlite"
    led = Ledger.open(ledger_path)
    for namespace, value, action in decisions:
        led.record(
            new_decision(local_curie(namespace, value), action, ADA,  # type: ignore[arg-type]
                         subject_label=value, comment=f"{action} {value}"),
            expected_version=0,
        )  # fmt: skip
    ws = load_workspace([source], ledger_path, export_dir=folder)
    written = ws.export()
    reviewed = folder / source.name.replace(".sssom.tsv", ".reviewed.sssom.tsv")
    assert reviewed in written and reviewed.is_file()
    return reviewed


def _labels(ms: MappingSet) -> dict[str, str]:
    return {m.subject_label or m.subject_id: m.object_id for m in ms}


def _sssom_validate(path: Path) -> None:
    exe = Path(sys.executable).parent / "sssom"
    tool = str(exe) if exe.exists() else shutil.which("sssom")
    require(tool is not None, "the sssom command (sssom-py, a test dependency) is not installed")
    done = subprocess.run([str(tool), "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]


def test_deferred_and_no_term_are_not_auto_accepted_from_the_export(tmp_path: Path) -> None:
    source = REVIEW / "partner1_tissue.sssom.tsv"
    before = _labels(reviewed_or_auto(read_sssom(source), None))
    # both have a 0.9999 candidate: auto-accepted when nobody decided
    assert before["Liver"] == "UBERON:0002107" and before["brain"] == "UBERON:0000955"
    path = _export(
        source, tmp_path / "out", [("tissue", "Liver", "defer"), ("tissue", "brain", "none")]
    )
    exported = read_sssom(path, strict=True)
    chosen = _labels(reviewed_or_auto(exported, None))
    assert "Liver" not in chosen  # deferred: "not yet"
    assert "brain" not in chosen  # no suitable term
    assert chosen["Lung"] == "UBERON:0002048"  # undecided, above the threshold: still auto
    assert _labels(accepted(exported)) == chosen  # the converter's picker agrees
    # even with a threshold of 0 nothing deferred or "none" is taken
    low = _labels(reviewed_or_auto(exported, None, threshold=0.0))
    assert "Liver" not in low and "brain" not in low

    # what the file says: the decision (who, what) and the deferred candidates, unscored
    liver = exported.by_subject()[local_curie("tissue", "Liver")]
    marker = liver[0]
    assert marker.object_id == NO_TERM and marker.mapping_justification == JUSTIFICATION_MANUAL
    assert marker.author_id == (ADA.id,) and "defer" in (marker.comment or "")
    assert is_deferred(marker)
    kept = [m for m in liver[1:] if m.object_id == "UBERON:0002107"]
    assert kept and kept[0].confidence is None and is_deferred(kept[0])
    assert '"confidence":0.9999' in (kept[0].other or "")  # the score is kept, not applied
    brain = exported.by_subject()[local_curie("tissue", "brain")]
    assert [m.object_id for m in brain] == [NO_TERM]
    assert brain[0].author_id == (ADA.id,)
    _sssom_validate(path)


def test_the_export_round_trips_defer_and_no_term_through_import(tmp_path: Path) -> None:
    source = REVIEW / "partner1_tissue.sssom.tsv"
    path = _export(
        source, tmp_path / "a", [("tissue", "Liver", "defer"), ("tissue", "brain", "none")]
    )
    fresh = Ledger.open(tmp_path / "b" / "decisions.sqlite")
    assert fresh.import_sssom(path) == 2  # the deferred candidates are not decisions
    assert fresh.import_sssom(path) == 0  # idempotent
    states = {s.subject_id: s for s in fresh.states().values()}
    liver = states[local_curie("tissue", "Liver")]
    assert liver.status == "deferred" and liver.chosen is None
    assert liver.decision is not None and liver.decision.reviewer_id == ADA.id
    assert states[local_curie("tissue", "brain")].status == "no_term"
    # the imported ledger applied to the original suggestions gives the same choice
    original = read_sssom(source)
    assert _labels(reviewed_or_auto(original, fresh)) == _labels(
        reviewed_or_auto(read_sssom(path), None)
    )
    # and re-exporting the exported file changes no decision
    again = _export(path, tmp_path / "c", [])
    assert _labels(reviewed_or_auto(read_sssom(again), None)) == _labels(
        reviewed_or_auto(read_sssom(path), None)
    )


def test_convert_with_only_the_export_keeps_deferred_and_no_term_values_unmapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = CONVERT / "values.sssom.tsv"
    # "liver bx" (0.97) and "HCC" (0.96) are auto-accepted without review
    path = _export(
        values, tmp_path / "m", [("tissue_src", "liver bx", "defer"), ("Dx", "HCC", "none")]
    )
    out = tmp_path / "out.ttl"
    table = CONVERT / "partner.csv"
    code = main(["convert", str(table), "--mappings", str(CONVERT / "columns.sssom.tsv"),
                 "--mappings", str(path), "-o", str(out)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    g = rdflib.Graph().parse(out, format="turtle")
    s1 = URIRef("https://w3id.org/harmonize/data/biosample/S-001")  # tissue "liver bx"
    s2 = URIRef("https://w3id.org/harmonize/data/biosample/S-002")  # tissue "Liver"
    d1 = URIRef("https://w3id.org/harmonize/data/donor/D-01")  # Dx "HCC"
    assert g.value(s1, HMZ.tissue) is None
    assert (s2, HMZ.tissue, OBO.UBERON_0002107) in g  # undecided values still converted
    assert g.value(d1, HMZ.disease) is None
    unmapped = {
        (str(g.value(n, HMZ.sourceValue)), str(g.value(n, HMZ.slot)))
        for subject in (s1, d1)
        for n in g.objects(subject, HMZ.unmappedValue)
    }
    assert ("liver bx", str(HMZ.tissue)) in unmapped
    assert ("HCC", str(HMZ.disease)) in unmapped
