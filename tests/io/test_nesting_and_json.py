"""Issue 15, classes 1 and 5: deep YAML/JSON, huge integers, odd OBO Graphs -> one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.io.conftest import DATA, CliResult, hostile, one_line_error

from harmonize.errors import HarmonizeError, SchemaError
from harmonize.io import ReadLimits
from harmonize.io.json_text import parse_json
from harmonize.io.yaml_text import parse_yaml

DEEP_YAML = "id: x\nname: " + "[" * 1000 + "]" * 1000 + "\n"


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_deep_yaml_policy(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    policy = _write(tmp_path, "deep.yaml", DEEP_YAML)
    code, _, err = cli(
        "privacy", "apply", DATA / "privacy/partner.csv", "--policy", policy,
        "-o", tmp_path / "safe.csv",
    )  # fmt: skip
    assert code == 2
    one_line_error(err, "deep.yaml:2", "nested deeper than 100 levels")


def test_deep_yaml_schema(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    schema = _write(tmp_path, "deep.yaml", DEEP_YAML)
    code, _, err = cli(
        "match-columns", DATA / "columns/partner.csv", "--schema", schema, "-o", tmp_path / "o.tsv"
    )
    assert code == 2
    one_line_error(err, "deep.yaml:2", "nested deeper")


def test_deep_yaml_manifest(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    manifest = _write(tmp_path, "deep.yaml", "ontologies: " + "[" * 1000 + "]" * 1000)
    code, _, err = cli("ontology", "list", "--manifest", manifest)
    assert code == 2
    one_line_error(err, "deep.yaml:1", "nested deeper")


def test_deep_sssom_header(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    name, content = hostile("deep_sssom")
    sssom = _write(tmp_path, name, content)
    code, _, err = cli("review", "--import", sssom, "--ledger", tmp_path / "l.sqlite")
    assert code == 2
    one_line_error(err, "deep.sssom.tsv:1", "nested deeper")


def test_yaml_alias_expansion_is_capped() -> None:
    _, content = hostile("alias_yaml")
    with pytest.raises(HarmonizeError, match="YAML nodes once aliases are expanded"):
        parse_yaml(content.decode(), path=None, error=HarmonizeError, message="bad")
    small = "a: &a [1, 2]\nb: *a\n"
    assert parse_yaml(small, path=None, error=HarmonizeError, message="bad") == {
        "a": [1, 2],
        "b": [1, 2],
    }


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"a": ' + "[" * 5000 + "]" * 5000 + "}", "nested deeper than 100 levels"),
        ('{"a": {"value_data": {}, "n": ' + "9" * 5000 + "}}", "more than 4,300 digits"),
    ],
)
def test_gdc_json_deep_or_huge_number(
    tmp_path: Path, cli: Callable[..., CliResult], content: str, needle: str
) -> None:
    source = _write(tmp_path, "gdc.json", content)
    code, _, err = cli("schema", "import-gdc", source, "-o", tmp_path / "gdc.yaml")
    assert code == 2
    one_line_error(err, "gdc.json", needle)
    assert not (tmp_path / "gdc.yaml").exists()


def test_cellxgene_reader_huge_number(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    entry = '{"label": "x", "ancestors": {}, "n": ' + "9" * 5000 + "}"
    source = _write(tmp_path, "CL-ontology-v1.json", '{"CL:0000001": ' + entry + "}")
    code, _, err = cli("ontology", "info", source, "--no-cache")
    assert code == 2
    one_line_error(err, "CL-ontology-v1.json", "digits")


def test_obographs_meta_of_the_wrong_type(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    nodes = [
        {"id": "http://purl.obolibrary.org/obo/X_1", "lbl": "one", "type": "CLASS", "meta": [1]},
        {"id": "http://purl.obolibrary.org/obo/X_2", "lbl": "two", "meta": {"synonyms": [3]}},
        {"id": "http://purl.obolibrary.org/obo/X_3", "lbl": ["x"], "meta": {"xrefs": "a"}},
    ]
    doc = {"graphs": [{"id": "x.owl", "nodes": nodes, "edges": [{"sub": 1}, 5]}]}
    source = _write(tmp_path, "x.json", json.dumps(doc))
    code, out, err = cli("ontology", "info", source, "--no-cache")
    assert code == 0, err
    assert "terms: 3" in out


def test_json_limits_name_the_place() -> None:
    with pytest.raises(SchemaError) as info:
        parse_json('{"a": [1, {"b": "xxxxxxxx"}]}', path=Path("f.json"), error=SchemaError,
                   limits=ReadLimits(max_cell_chars=5))  # fmt: skip
    assert "f.json, at $.a[1].b: a string of 8 characters" in str(info.value)
    with pytest.raises(SchemaError, match=r"at \$\.a\[0\]\[0\]: nested deeper than 3"):
        parse_json('{"a": [[[[]]]]}', path=None, error=SchemaError, limits=ReadLimits(max_depth=3))
    assert parse_json("null", path=None) is None
