"""Issue 15, classes 7-9: entity expansion, decompression and sheet bombs, huge tokens.

Each hostile file runs through the real command in a subprocess capped at 3 GiB of
address space with a timeout (:func:`harmonize.testing.fuzz_run.run_case`): it must end
in one clear line, in time, within memory, without touching the outputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.io.conftest import assert_clean_failure, capped

from harmonize.errors import InputFileError
from harmonize.io import ReadLimits
from harmonize.io.archives import unpack
from harmonize.io.xml_guard import check_xml_entities, check_xml_file

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("command", "bomb", "needle"),
    [
        ("ontology info", "laughs", "refers to other entities"),
        ("ground --ontology", "laughs", "refers to other entities"),
        ("validate", "laughs", "refers to other entities"),
        ("ontology info", "quadratic", "entity bomb"),
        ("validate", "quadratic", "entity bomb"),
        ("ontology info", "gzip_bomb", "decompression bomb"),
        ("ontology info", "zstd_bomb", "decompression bomb"),
        ("privacy scan", "zip_bomb_xlsx", "decompression bomb"),
        ("privacy scan", "dimension_xlsx", "ragged row"),
        ("match-columns", "dimension_xlsx", "ragged row"),
        ("validate", "jsonld_big_string", "too large"),
        ("validate", "long_turtle_token", "not valid Turtle"),
    ],
)
def test_bomb_fails_in_one_line(tmp_path: Path, command: str, bomb: str, needle: str) -> None:
    outcome = capped(command, bomb, tmp_path)
    assert_clean_failure(outcome, outcome.case.name, needle)


def test_protege_style_entities_still_load(tmp_path: Path) -> None:
    owl = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        b'    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
        b'    <!ENTITY obo "http://purl.obolibrary.org/obo/" >\n'
        b"    <!-- a comment -->\n]>\n"
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:owl="&owl;">'
        b'<owl:Class rdf:about="&obo;X_1">'
        b"<rdfs:label>one</rdfs:label></owl:Class></rdf:RDF>\n"
    )
    check_xml_entities(owl)
    path = tmp_path / "x.owl"
    path.write_bytes(owl)
    check_xml_file(path)
    from harmonize.ontology.readers import read_ontology

    assert [t.label for t in read_ontology(path).terms.values()] == ["one"]


@pytest.mark.parametrize(
    ("doctype", "needle"),
    [
        (b'<!DOCTYPE r SYSTEM "http://x/r.dtd">', "external DTD"),
        (b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "external entity"),
        (b'<!DOCTYPE r [<!ENTITY % p "x">]>', "parameter entity"),
        (b'<!DOCTYPE r [<!ENTITY a "&b;">]>', "refers to other entities"),
    ],
)
def test_xml_guard_refuses(doctype: bytes, needle: str) -> None:
    with pytest.raises(InputFileError, match=needle):
        check_xml_entities(b'<?xml version="1.0"?>\n' + doctype + b"<r/>")


def test_streamed_count_matches_in_memory(tmp_path: Path) -> None:
    body = b"&e;" * 300_000  # 900 KB of references across several read blocks
    content = b'<!DOCTYPE r [<!ENTITY e "0123456789">]><r>' + body + b"</r>"
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    tight = ReadLimits(max_entity_bytes=2_999_999, max_entity_ratio=1)
    with pytest.raises(InputFileError, match="entity bomb"):
        check_xml_entities(content, limits=tight)
    with pytest.raises(InputFileError, match="entity bomb"):
        check_xml_file(path, limits=tight)
    loose = ReadLimits(max_entity_bytes=3_000_000, max_entity_ratio=1)
    check_xml_entities(content, limits=loose)
    check_xml_file(path, limits=loose)


def test_unpack_limits() -> None:
    import gzip

    data = gzip.compress(b"a" * 5000)
    assert unpack(data) == b"a" * 5000
    with pytest.raises(InputFileError, match="max_unpacked_bytes"):
        unpack(data, limits=ReadLimits(max_unpacked_bytes=4000))
    with pytest.raises(InputFileError, match="max_ratio"):
        unpack(data, limits=ReadLimits(max_ratio=10, ratio_floor=1000))
    with pytest.raises(InputFileError, match="corrupt compressed file"):
        unpack(data[:20])
