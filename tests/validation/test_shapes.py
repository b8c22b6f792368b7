"""Generated artefacts (SHACL shapes, JSON-LD context, docs) match the schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyshacl
import rdflib
from rdflib import Namespace

from harmonize.resources import bundled_dir
from harmonize.schema import load_schema
from harmonize.schema.generate import check_generated, generated_files, main

SH = Namespace("http://www.w3.org/ns/shacl#")
HMZ = Namespace("https://w3id.org/harmonize/model/")
SCHEMAS = bundled_dir("schemas")


def test_generated_files_are_in_sync_with_the_yaml() -> None:
    drifted = check_generated(SCHEMAS / "harmonize.yaml", SCHEMAS / "generated")
    assert drifted == [], f"regenerate with: python -m harmonize.schema.generate ({drifted})"


def test_drift_is_detected(tmp_path: Path) -> None:
    schema = tmp_path / "harmonize.yaml"
    shutil.copy(SCHEMAS / "harmonize.yaml", schema)
    out = tmp_path / "generated"
    assert main(["--schema", str(schema), "--out", str(out)]) == 0
    assert check_generated(schema, out) == []
    text = schema.read_text().replace("maximum_value: 150", "maximum_value: 130")
    schema.write_text(text)
    assert "harmonize.shacl.ttl" in check_generated(schema, out)
    assert main(["--schema", str(schema), "--out", str(out), "--check"]) == 1


def test_shapes_cover_every_slot_and_are_valid_shacl() -> None:
    schema = load_schema(SCHEMAS / "harmonize.yaml")
    g = rdflib.Graph().parse(data=generated_files(schema)["harmonize.shacl.ttl"], format="turtle")
    paths = {str(p) for p in g.objects(None, SH.path)}
    for _, slot in schema.all_slots():
        assert any(p.endswith((slot.name, slot.uri.split(":")[1])) for p in paths), slot.name
    shape = rdflib.URIRef("https://w3id.org/harmonize/shapes/BiosampleShape")
    assert (shape, SH.targetClass, HMZ.Biosample) in g
    # the shapes graph is itself valid against the SHACL-for-SHACL shapes
    conforms, _, text = pyshacl.validate(g, meta_shacl=True, inference="none")
    assert conforms, text


def test_context_maps_slots_to_the_same_uris() -> None:
    schema = load_schema(SCHEMAS / "harmonize.yaml")
    ctx = json.loads(generated_files(schema)["harmonize.context.jsonld"])["@context"]
    assert ctx["tissue"] == {"@id": "hmz:tissue", "@type": "@id"}
    assert ctx["age"]["@type"] == "xsd:decimal"
    doc = {
        "@context": ctx,
        "@id": "https://x.org/s1",
        "@type": "Biosample",
        "tissue": "UBERON:0002107",
    }
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert (
        rdflib.URIRef("https://x.org/s1"),
        HMZ.tissue,
        rdflib.URIRef("http://purl.obolibrary.org/obo/UBERON_0002107"),
    ) in g


def test_model_documents_every_class_and_slot() -> None:
    schema = load_schema(SCHEMAS / "harmonize.yaml")
    for cls in schema.classes.values():
        assert cls.description, cls.name
        for slot in cls.slots:
            assert slot.description, f"{cls.name}.{slot.name}"
    docs = generated_files(schema)["harmonize.md"]
    assert "## Biosample" in docs and "tissue_src" in docs


def test_schema_prefixes_agree_with_the_shared_prefix_map() -> None:
    """CURIEs in mapping sets and data expand the same way the schema does."""
    from harmonize.curie import expand

    schema = load_schema(SCHEMAS / "harmonize.yaml")
    checked = 0
    for prefix, base in schema.prefixes.items():
        if prefix in {"linkml", "obo", "schema", "xsd"}:
            continue
        assert expand(f"{prefix}:0000001") == base + "0000001", prefix
        checked += 1
    assert checked >= 12
