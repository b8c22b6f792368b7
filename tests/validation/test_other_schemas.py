"""Shapes, context and docs come from any LinkML schema, not only the common model."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib

from harmonize.resources import bundled_dir
from harmonize.schema import load_schema
from harmonize.schema.generate import generated_files
from harmonize.validation.run import validate_file

TINY = Path(__file__).resolve().parents[1] / "data" / "schema" / "tiny.yaml"


def test_generators_handle_the_gdc_and_a_tiny_schema() -> None:
    for path in (TINY, bundled_dir("schemas") / "gdc.yaml"):
        schema = load_schema(path)
        files = generated_files(schema)
        shapes = rdflib.Graph().parse(data=files[f"{schema.name}.shacl.ttl"], format="turtle")
        assert len(shapes) > 10
        assert "@context" in json.loads(files[f"{schema.name}.context.jsonld"])


def test_validate_with_another_schema(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(
        "@prefix ex: <https://w3id.org/test/s/> .\n"
        "@prefix obo: <http://purl.obolibrary.org/obo/> .\n"
        'ex:a a ex:Sample ; ex:id "a" ; ex:tissue obo:UBERON_0002107 ; ex:age 40 .\n'
        'ex:b a ex:Sample ; ex:id "b" ; ex:tissue obo:UBERON_0001062 ; ex:age 200 .\n',
        encoding="utf-8",
    )
    report = validate_file(data, load_schema(TINY))
    found = sorted(
        (i.record.rsplit("/", 1)[-1], i.slot, i.message.split(":")[0]) for i in report.issues
    )
    # the root itself is excluded (include_self: false) and 200 is above the maximum
    assert found == [("b", "age", "above the maximum"), ("b", "tissue", "too general")], found
