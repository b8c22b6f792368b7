"""Reading LinkML schemas into SchemaInfo."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonize.errors import SchemaError
from harmonize.schema import load_schema

TINY = Path(__file__).resolve().parents[1] / "data" / "schema" / "tiny.yaml"


def test_slots_with_bindings() -> None:
    schema = load_schema(TINY)
    sample = schema.cls()
    assert sample.name == "Sample"
    tissue = sample.slot("tissue")
    assert tissue is not None
    assert tissue.binding.kind == "ontology"
    assert tissue.binding.roots == ("UBERON:0001062",)
    assert tissue.aliases == ("organ",)
    sex = sample.slot("sex")
    assert sex is not None and sex.binding.kind == "enum"
    assert {pv.meaning for pv in sex.binding.permissible_values} == {"PATO:0000384", "PATO:0000383"}
    age = sample.slot("age")
    assert age is not None and age.datatype == "xsd:integer"
    assert (age.minimum, age.maximum) == (0.0, 150.0)
    assert sample.identifier_slot is not None and sample.identifier_slot.name == "id"


def test_unknown_class_is_one_line_error() -> None:
    with pytest.raises(SchemaError, match="no class 'Nope'") as info:
        load_schema(TINY).cls("Nope")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("just: text\n", "not a LinkML schema"),
        ("", "not a LinkML"),
    ],
)
def test_broken_schema_files(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(SchemaError, match=message) as info:
        load_schema(bad)
    assert str(bad) in str(info.value)
