"""harmonize convert: mappings applied, RDF written in three formats, provenance, errors."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from harmonize.cli import main
from harmonize.conversion.run import convert_table
from harmonize.errors import ConversionError, MappingFileError, PrivacyError
from harmonize.mappings import Mapping, MappingSet, read_sssom, write_sssom
from harmonize.resources import bundled_dir
from harmonize.schema import load_schema

HMZ = Namespace("https://w3id.org/harmonize/model/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
DATA = Path(__file__).resolve().parents[1] / "data" / "convert"
TABLE = DATA / "partner.csv"
COLUMNS = DATA / "columns.sssom.tsv"
VALUES = DATA / "values.sssom.tsv"


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return load_schema(bundled_dir("schemas") / "harmonize.yaml")


def _sets() -> list[tuple[MappingSet, Path]]:
    return [(read_sssom(COLUMNS), COLUMNS), (read_sssom(VALUES), VALUES)]


def _convert(schema, out: Path, table: Path = TABLE, **kw):  # type: ignore[no-untyped-def]
    return convert_table(table, schema, _sets(), out, **kw)


def _graph(path: Path, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format=fmt)


def test_values_are_coded_with_schema_uris(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = _convert(schema, tmp_path / "out.ttl")
    g = _graph(tmp_path / "out.ttl", "turtle")
    s1 = URIRef("https://w3id.org/harmonize/data/biosample/S-001")
    d1 = URIRef("https://w3id.org/harmonize/data/donor/D-01")
    assert (s1, RDF.type, HMZ.Biosample) in g
    assert (s1, HMZ.tissue, OBO.UBERON_0002107) in g  # "liver bx" via the value set
    assert (s1, HMZ.donor, d1) in g  # records of one row are linked
    assert (d1, HMZ.sex, OBO.PATO_0000384) in g  # "M" via the enum's aliases
    assert (d1, HMZ.species, OBO.NCBITaxon_9606) in g
    assert (d1, HMZ.disease, OBO.MONDO_0007256) in g  # "HCC"
    assert (d1, HMZ.age, Literal("54", datatype=rdflib.XSD.decimal)) in g
    assert (d1, HMZ.age_unit, OBO.UO_0000036) in g  # the slot's unit (years)
    # "6 months" keeps its own unit
    d4 = URIRef("https://w3id.org/harmonize/data/donor/D-04")
    assert (d4, HMZ.age, Literal("6", datatype=rdflib.XSD.decimal)) in g
    assert (d4, HMZ.age_unit, OBO.UO_0000035) in g
    # 2021/03/05 is normalised to an xsd:date
    s2 = URIRef("https://w3id.org/harmonize/data/biosample/S-002")
    assert (s2, HMZ.collection_date, Literal("2021-03-05", datatype=rdflib.XSD.date)) in g
    assert summary.rows == 6 and summary.rows_written == 6
    assert summary.triples == len(g)


def test_low_confidence_value_is_not_applied_but_kept_as_unmapped(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = _convert(schema, tmp_path / "out.ttl")
    g = _graph(tmp_path / "out.ttl", "turtle")
    d5 = URIRef("https://w3id.org/harmonize/data/donor/D-05")
    # "Dx pending" -> MONDO:0000001 has confidence 0.40: below the threshold
    assert g.value(d5, HMZ.disease) is None
    kept = {
        (str(g.value(n, HMZ.sourceValue)), str(g.value(n, HMZ.slot)))
        for n in g.objects(d5, HMZ.unmappedValue)
    }
    assert ("Dx pending", str(HMZ.disease)) in kept
    assert ("X", str(HMZ.sex)) in kept
    assert summary.problem_counts["unmapped"] == 2
    assert ("Gender", "X", 1) in summary.top_unmapped


def test_unmapped_reject_and_fail(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = _convert(schema, tmp_path / "r.ttl", on_unmapped="reject")
    assert summary.rows_rejected == 1 and summary.rows_written == 5
    g = _graph(tmp_path / "r.ttl", "turtle")
    assert (URIRef("https://w3id.org/harmonize/data/donor/D-05"), RDF.type, HMZ.Donor) not in g
    with pytest.raises(ConversionError) as info:
        _convert(schema, tmp_path / "f.ttl", on_unmapped="fail")
    text = str(info.value)
    assert "\n" not in text and "row 6" in text and "Gender" in text
    assert not (tmp_path / "f.ttl").exists()  # no half-written output


def test_three_formats_give_the_same_graph(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graphs = []
    for fmt, parse_as in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        out = tmp_path / f"out.{fmt}"
        _convert(schema, out, fmt=fmt)
        graphs.append(_normalised(_graph(out, parse_as)))
    assert len(graphs[0]) > 300
    assert isomorphic(graphs[0], graphs[1])
    assert isomorphic(graphs[0], graphs[2])
    # and a Turtle -> N-Triples -> parse round trip through rdflib
    again = rdflib.Graph().parse(data=graphs[0].serialize(format="nt"), format="nt")
    assert isomorphic(graphs[0], again)


def _normalised(g: rdflib.Graph) -> rdflib.Graph:
    """Each run has its own activity id and times: pin them for comparison."""
    out = rdflib.Graph()
    fixed = URIRef("urn:uuid:activity")
    for s, p, o in g:
        if p in (PROV.startedAtTime, PROV.endedAtTime):
            continue
        s = fixed if str(s).startswith("urn:uuid:") else s
        o = fixed if str(o).startswith("urn:uuid:") else o
        out.add((s, p, o))
    return out


def test_provenance_on_every_record(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _convert(schema, tmp_path / "out.ttl")
    g = _graph(tmp_path / "out.ttl", "turtle")
    sha = hashlib.sha256(TABLE.read_bytes()).hexdigest()
    source = URIRef(f"urn:sha256:{sha}")
    assert (source, HMZ.sha256, Literal(sha)) in g
    assert (source, DCT.title, Literal("partner.csv")) in g
    records = [
        s
        for cls in (HMZ.Donor, HMZ.Biosample, HMZ.SequencingRun, HMZ.Dataset)
        for s in g.subjects(RDF.type, cls)
    ]
    assert len(records) >= 6 + 5 + 6 + 1
    activities = set()
    for record in records:
        rows = list(g.objects(record, PROV.wasDerivedFrom))
        assert rows, record
        for row in rows:
            assert (row, DCT.isPartOf, source) in g
            assert isinstance(g.value(row, HMZ.rowNumber).toPython(), int)
        activities.update(g.objects(record, PROV.wasGeneratedBy))
    assert len(activities) == 1
    activity = activities.pop()
    assert g.value(activity, PROV.startedAtTime) is not None
    agent = g.value(activity, PROV.wasAssociatedWith)
    assert g.value(agent, URIRef("http://www.w3.org/2002/07/owl#versionInfo")) is not None
    # each coded value names the mapping set and its version
    s1 = URIRef("https://w3id.org/harmonize/data/biosample/S-001")
    codings = [n for n in g.objects(s1, HMZ.valueCoding) if g.value(n, HMZ.slot) == HMZ.tissue]
    assert len(codings) == 1
    coding = codings[0]
    assert g.value(coding, HMZ.sourceValue) == Literal("liver bx")
    mapping_set = g.value(coding, PROV.wasDerivedFrom)
    assert mapping_set == URIRef("https://w3id.org/harmonize/test/values")
    assert (activity, PROV.used, mapping_set) in g
    assert (
        str(g.value(mapping_set, URIRef("http://www.w3.org/2002/07/owl#versionInfo"))) == "2026-01"
    )


def test_donor_on_many_rows_is_written_once_with_every_row(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _convert(schema, tmp_path / "out.nt", fmt="nt")
    lines = (tmp_path / "out.nt").read_text().splitlines()
    d1 = "<https://w3id.org/harmonize/data/donor/D-01>"
    assert sum(1 for ln in lines if ln.startswith(f"{d1} <{RDF.type}>")) == 1
    assert sum(1 for ln in lines if ln.startswith(f"{d1} <{PROV.wasDerivedFrom}>")) == 2


def _table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_wrong_datatype_kept_for_shacl_or_one_line_error(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _table(
        tmp_path, "Sample ID,Donor,Age (yrs),tissue_src\nS-1,D-1,abc,liver\nS-2,D-2,200,liver\n"
    )
    summary = _convert(schema, tmp_path / "k.ttl", table=table)
    assert summary.problem_counts["invalid"] == 2
    g = _graph(tmp_path / "k.ttl", "turtle")
    assert (URIRef("https://w3id.org/harmonize/data/donor/D-1"), HMZ.age, Literal("abc")) in g
    with pytest.raises(ConversionError) as info:
        _convert(schema, tmp_path / "f.ttl", table=table, on_invalid="fail")
    text = str(info.value)
    assert "\n" not in text
    assert "row 1" in text and "'Age (yrs)'" in text and "'abc'" in text and "xsd:decimal" in text
    summary = _convert(schema, tmp_path / "r.ttl", table=table, on_invalid="reject")
    assert summary.rows_rejected == 2


def test_mapping_set_naming_an_unknown_slot(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.sssom.tsv"
    write_sssom(
        MappingSet(
            mapping_set_id="https://example.org/bad",
            mappings=(
                Mapping("local:column/x", "skos:exactMatch", "hmz:tissue_source_site",
                        "semapv:LexicalMatching", subject_label="tissue_src", confidence=1.0),
            ),
        ),
        bad,
    )  # fmt: skip
    with pytest.raises(MappingFileError, match="not a slot of schema"):
        convert_table(TABLE, schema, [(read_sssom(bad), bad)], tmp_path / "o.ttl")
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", "convert", str(TABLE), "--mappings", str(bad), "-o", str(tmp_path / "o.ttl")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "hmz:tissue_source_site" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o.ttl").exists()


def test_privacy_guard_refuses_direct_identifiers(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = _table(
        tmp_path,
        "Sample ID,Donor,tissue_src\n"
        + "".join(f"S-{i},anna.svensson{i}@example.org,liver\n" for i in range(30)),
    )
    with pytest.raises(PrivacyError, match="Donor"):
        _convert(schema, tmp_path / "o.ttl", table=table)
    assert not (tmp_path / "o.ttl").exists()


def test_cli_convert_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.ttl"
    code = main(
        [
            "convert",
            str(TABLE),
            "--mappings",
            str(COLUMNS),
            "--mappings",
            str(VALUES),
            "-o",
            str(out),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "converted 6 rows" in text and "unmapped values: 2" in text
    assert len(_graph(out, "turtle")) > 300


def test_output_that_is_a_folder_is_a_one_line_error(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConversionError, match="folder"):
        _convert(schema, tmp_path)
    missing = tmp_path / "none.csv"
    code = main(
        ["convert", str(missing), "--mappings", str(COLUMNS), "-o", str(tmp_path / "o.ttl")]
    )
    assert code == 2 and not (tmp_path / "o.ttl").exists()


def test_review_ledger_decisions_win_over_the_threshold(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from harmonize.curie import local_curie
    from harmonize.mappings.decisions import new_decision, reviewer
    from harmonize.mappings.ledger import Ledger

    ledger_path = tmp_path / "decisions.sqlite"
    ledger = Ledger.open(ledger_path)
    ada = reviewer("Ada Steward")
    # accept the low-confidence "Dx pending" -> MONDO:0000001, reject "liver bx" -> liver
    ledger.record(
        new_decision(
            local_curie("Dx", "Dx pending"),
            "accept",
            ada,
            subject_label="Dx pending",
            object_id="MONDO:0000001",
        )
    )
    ledger.record(
        new_decision(
            local_curie("tissue_src", "liver bx"),
            "reject",
            ada,
            subject_label="liver bx",
            object_id="UBERON:0002107",
        )
    )
    ledger.close()
    out = tmp_path / "o.ttl"
    summary = _convert(schema, out, ledger=ledger_path)
    g = _graph(out, "turtle")
    assert (
        URIRef("https://w3id.org/harmonize/data/donor/D-05"),
        HMZ.disease,
        OBO.MONDO_0000001,
    ) in g
    assert g.value(URIRef("https://w3id.org/harmonize/data/biosample/S-001"), HMZ.tissue) is None
    assert ("tissue_src", "liver bx", 2) in summary.top_unmapped
    with pytest.raises(ConversionError, match="ledger not found"):
        _convert(schema, tmp_path / "x.ttl", ledger=tmp_path / "missing.sqlite")


def test_a_value_mapped_for_one_vocabulary_does_not_leak_into_another(
    schema, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # "RNA-seq" is mapped (EFO:0008896) for the Assay column (AssayTypeEnum); an Instrument
    # column (InstrumentEnum, also EFO) holding "RNA-seq" must not borrow that decision
    cols = tmp_path / "cols.sssom.tsv"
    extra = Mapping(
        "local:column/Instrument", "skos:exactMatch", "hmz:instrument", "semapv:LexicalMatching",
        subject_label="Instrument", confidence=0.99,
    )  # fmt: skip
    rows = (*read_sssom(COLUMNS).mappings, extra)
    write_sssom(MappingSet(mapping_set_id="https://example.org/c", mappings=rows), cols)
    table = _table(tmp_path, "Sample ID,tissue_src,Assay,Instrument\nS-1,liver,RNA-seq,RNA-seq\n")
    summary = convert_table(
        table, schema, [(read_sssom(cols), cols), (read_sssom(VALUES), VALUES)], tmp_path / "o.ttl"
    )
    g = _graph(tmp_path / "o.ttl", "turtle")
    run = next(g.subjects(RDF.type, HMZ.SequencingRun))
    assert g.value(run, HMZ.assay_type) == URIRef("http://www.ebi.ac.uk/efo/EFO_0008896")
    assert g.value(run, HMZ.instrument) is None
    assert ("Instrument", "RNA-seq", 1) in summary.top_unmapped
