"""The GDC dictionary -> LinkML converter and the shipped schemas/gdc.yaml."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from harmonize.errors import SchemaError
from harmonize.schema import load_schema
from harmonize.schema.gdc import convert_gdc, import_gdc, load_gdc_json

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schemas" / "gdc.yaml"
SMALL = Path(__file__).resolve().parents[1] / "data" / "columns" / "gdc_dictionary_small.json"


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("# generated:"))


def test_shipped_yaml_equals_a_fresh_conversion(bench_data: Path) -> None:
    source = bench_data / "gdc" / "gdc_schema.json"
    shipped = SHIPPED.read_text(encoding="utf-8")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    fresh = convert_gdc(load_gdc_json(source), source=source.name, sha256=digest, date="")
    assert _body(shipped) == _body(fresh)
    assert f"# source sha256: {digest}" in shipped
    assert "bdi-kit@9481724" in shipped.splitlines()[1]


def test_shipped_schema_loads_with_all_attributes_and_values() -> None:
    schema = load_schema(SHIPPED)
    cls = schema.cls()
    assert cls.name == "GDCRecord" and len(cls.slots) == 736
    assert sum(len(s.binding.permissible_values) for s in cls.slots) == 16659
    gender = cls.slot("gender")
    assert gender is not None and gender.uri == "gdc:gender"
    assert {pv.text for pv in gender.binding.permissible_values} >= {"female", "male"}
    assert gender.binding.permissible_values[0].description  # definitions kept
    age = cls.slot("age_at_diagnosis")
    assert age is not None and age.binding.kind == "literal" and age.description
    assert schema.default_prefix == "gdc"


def test_small_dictionary_conversion(tmp_path: Path) -> None:
    out = tmp_path / "g.yaml"
    assert import_gdc(SMALL, out) == (3, 4)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# GDC data dictionary as a LinkML schema")
    cls = load_schema(out).cls("GDCRecord")
    focality = cls.slot("tumor_focality")
    assert focality is not None and focality.range == "tumor_focality_enum"
    assert focality.binding.permissible_values[0].description == "Having a single focus."
    unknown = cls.slot("gender").binding.permissible_values[-1]  # type: ignore[union-attr]
    assert unknown.text == "unknown" and unknown.description is None
    # deterministic: same input, same YAML (apart from the date line)
    assert _body(convert_gdc(json.loads(SMALL.read_text()))) == _body(
        convert_gdc(json.loads(SMALL.read_text()))
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"a b": {"value_data": {}}}', "not a valid identifier"),
        ('{"x": {"value_data": []}}', "each attribute needs an object"),
    ],
)
def test_bad_dictionary_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "out.yaml"
    with pytest.raises(SchemaError, match=message) as info:
        import_gdc(bad, out)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)
    assert not out.exists()
