"""SSSOM/TSV writing and reading."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from harmonize.curie import local_curie
from harmonize.errors import HarmonizeWarning, MappingFileError
from harmonize.mappings import (
    JUSTIFICATION_LEXICAL,
    JUSTIFICATION_SIMILARITY,
    Mapping,
    MappingSet,
    read_sssom,
    write_sssom,
)


def _set() -> MappingSet:
    subject = local_curie("tissue", "liver bx")
    return MappingSet(
        mapping_set_id="https://w3id.org/harmonize/test/tissue",
        mapping_tool="harmonize",
        mapping_date="2026-11-25",
        mappings=(
            Mapping(subject, "skos:exactMatch", "UBERON:0002107", JUSTIFICATION_LEXICAL,
                    subject_label="liver bx", object_label="liver", confidence=0.97,
                    match_string=("liver",), comment="label, after: case"),
            Mapping(subject, "skos:closeMatch", "UBERON:0001114", JUSTIFICATION_SIMILARITY,
                    subject_label="liver bx", object_label="right lobe of liver", confidence=0.31),
        ),
    )  # fmt: skip


def test_round_trip_and_sssom_py_reads_it(tmp_path: Path) -> None:
    path = write_sssom(_set(), tmp_path / "t.sssom.tsv")
    back = read_sssom(path, strict=True)
    assert back.mappings == _set().mappings
    assert back.mapping_set_id == _set().mapping_set_id
    assert back.mapping_date == "2026-11-25"
    text = path.read_text()
    assert "#curie_map:" in text and "UBERON: http://purl.obolibrary.org/obo/UBERON_" in text

    from sssom.parsers import parse_sssom_table

    msdf = parse_sssom_table(str(path))
    assert len(msdf.df) == 2
    assert set(msdf.df["object_id"]) == {"UBERON:0002107", "UBERON:0001114"}


def test_unknown_prefix_refused_on_write(tmp_path: Path) -> None:
    bad = MappingSet(
        "x:set", mappings=(Mapping("local:a", "skos:exactMatch", "NOPE:1", JUSTIFICATION_LEXICAL),)
    )
    with pytest.raises(MappingFileError, match="unknown CURIE prefix 'NOPE'"):
        write_sssom(bad, tmp_path / "bad.sssom.tsv")
    assert not (tmp_path / "bad.sssom.tsv").exists()


def test_forgiving_and_strict_reading(tmp_path: Path) -> None:
    path = tmp_path / "m.sssom.tsv"
    path.write_text(
        "#mapping_set_id: x:1\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
        "local:a\tskos:exactMatch\tUBERON:1\tsemapv:LexicalMatching\t0.9\n"
        "local:b\tskos:exactMatch\tUBERON:2\tsemapv:LexicalMatching\tabc\n"
        "local:c\t\tUBERON:3\tsemapv:LexicalMatching\t0.5\n"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forgiving = read_sssom(path)
    assert [m.subject_id for m in forgiving] == ["local:a"]
    messages = [str(w.message) for w in caught if issubclass(w.category, HarmonizeWarning)]
    assert any(f"{path}:4" in m and "not a number" in m for m in messages)
    assert any(f"{path}:5" in m and "missing predicate_id" in m for m in messages)
    with pytest.raises(MappingFileError) as info:
        read_sssom(path, strict=True)
    assert f"{path}:4" in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("#curie_map: [unclosed\nsubject_id\n", "not valid YAML"),
        ("a\tb\n1\t2\n", "missing column"),
    ],
)
def test_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(content)
    with pytest.raises(MappingFileError, match=message) as info:
        read_sssom(path)
    assert str(path) in str(info.value)


def test_columns_outside_the_standard_lists_and_other_survive_a_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.sssom.tsv"
    source.write_text(
        "#curie_map:\n"
        "#  UBERON: http://purl.obolibrary.org/obo/UBERON_\n"
        "#  local: https://w3id.org/harmonize/local/\n"
        "#  orcid: https://orcid.org/\n"
        "#mapping_set_id: https://example.org/set\n"
        "#license: https://creativecommons.org/publicdomain/zero/1.0/\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tmy_score\tauthor_id\tother\n"
        "local:tissue/liver\tskos:exactMatch\tUBERON:0002107\tsemapv:ManualMappingCuration"
        "\t0.5\torcid:0000-0001|orcid:0000-0002\tbatch=3|site=x\n",
        encoding="utf-8",
    )
    first = read_sssom(source)
    assert first.mappings[0].author_id == ("orcid:0000-0001", "orcid:0000-0002")
    out = write_sssom(first, tmp_path / "out.sssom.tsv")
    back = read_sssom(out)
    assert back.mappings == first.mappings and back.extra == first.extra
    rows = [line.split("\t") for line in out.read_text().splitlines() if not line.startswith("#")]
    assert dict(zip(rows[0], rows[1], strict=True)) == {
        "subject_id": "local:tissue/liver",
        "predicate_id": "skos:exactMatch",
        "object_id": "UBERON:0002107",
        "mapping_justification": "semapv:ManualMappingCuration",
        "author_id": "orcid:0000-0001|orcid:0000-0002",
        "other": "batch=3|site=x",
        "my_score": "0.5",
    }
