"""Hostile and malformed inputs for the fuzz run: seeded mutations and hand-made bombs.

:func:`mutate` derives a broken file from a valid one (bytes flipped, cut, repeated,
hostile tokens spliced in), deterministically from a seed; :data:`HOSTILE` makes, per
input kind, the files that broke the readers before: nesting a thousand levels deep,
"billion laughs", decompression bombs, a workbook claiming a million rows, a CSV that is
only a byte-order mark...
"""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["HOSTILE", "KINDS", "Kind", "mutate"]

Kind = str  # "table" | "yaml" | "sssom" | "json" | "ontology" | "rdf"
KINDS: tuple[Kind, ...] = ("table", "yaml", "sssom", "json", "ontology", "rdf")

_TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r",
    b'"',
    b"\t\t\t",
    b"[" * 2000,
    b"{" * 2000,
    b"- " * 1500,
    b"&lol;",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"9" * 5000,
    b"x" * 300_000,
    b"\xc3\x28",
    b"*a",
    b"!!python/object/apply:os.system ['true']",
    b"@prefix : <",
    b"<<<>>>",
    b'"@id": null',
    b"ZZZ:1",
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three seeded mutations of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(6)
        pos = rng.randrange(len(out) + 1)
        if op == 0 and out:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif op == 1:  # cut
            del out[pos:]
        elif op == 2:  # splice a hostile token
            out[pos:pos] = rng.choice(_TOKENS)
        elif op == 3 and out:  # repeat a chunk
            end = min(len(out), pos + rng.randint(1, 200))
            out[pos:pos] = bytes(out[pos:end]) * rng.randint(2, 50)
        elif op == 4 and out:  # drop a chunk
            del out[pos : pos + rng.randint(1, 100)]
        else:  # random bytes
            out[pos:pos] = rng.randbytes(rng.randint(1, 64))
    return bytes(out)


def _deep_yaml(_: Path) -> tuple[str, bytes]:
    return "deep.yaml", b"id: x\nname: " + b"[" * 1000 + b"]" * 1000 + b"\n"


def _alias_yaml(_: Path) -> tuple[str, bytes]:
    lines = [b"a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        name = chr(97 + i).encode()
        refs = b", ".join([b"*" + chr(96 + i).encode()] * 10)
        lines.append(name + b": &" + name + b" [" + refs + b"]")
    return "aliases.yaml", b"\n".join(lines) + b"\n"


def _deep_sssom(_: Path) -> tuple[str, bytes]:
    header = b"#x: " + b"[" * 1000 + b"]" * 1000 + b"\n"
    return (
        "deep.sssom.tsv",
        header + b"subject_id\tpredicate_id\tobject_id\tmapping_justification\n",
    )


def _bom_csv(_: Path) -> tuple[str, bytes]:
    return "bom.csv", b"\xef\xbb\xbf"


def _xlsx(cells: dict[str, str]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _empty_xlsx(_: Path) -> tuple[str, bytes]:
    return "empty.xlsx", _xlsx({})


def _dimension_xlsx(_: Path) -> tuple[str, bytes]:
    return "dimension.xlsx", _xlsx({"A1": "id", "B1": "sex", "XFD1048576": "x"})


def _zip_bomb_xlsx(_: Path) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w") as member:
            block = b" " * (1 << 20)
            for _block in range(300):  # 300 MiB of spaces in ~300 KB
                member.write(block)
    return "bomb.xlsx", buffer.getvalue()


def _gzip_bomb(_: Path) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        out.write(b"format-version: 1.2\n\n[Term]\nid: X:1\nname: ")
        block = b"a" * (1 << 20)
        for _block in range(300):
            out.write(block)
    return "bomb.obo.gz", buffer.getvalue()


def _zstd_bomb(_: Path) -> tuple[str, bytes]:
    import zstandard

    compressor = zstandard.ZstdCompressor(level=3)
    buffer = io.BytesIO()
    with compressor.stream_writer(buffer, closefd=False) as out:
        out.write(b'{"graphs": [{"nodes": [{"id": "X:1", "lbl": "')
        block = b"a" * (1 << 20)
        for _block in range(300):
            out.write(block)
    return "bomb.json.zst", buffer.getvalue()


_RDF_HEAD = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" '
    b'xmlns:owl="http://www.w3.org/2002/07/owl#">'
    b'<owl:Class rdf:about="http://x.org/A"><rdfs:label>'
)
_RDF_TAIL = b"</rdfs:label></owl:Class></rdf:RDF>\n"


def _laughs(_: Path) -> tuple[str, bytes]:
    ents = [b'<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        ents.append(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10))
    doctype = b"<!DOCTYPE rdf:RDF [" + b"\n".join(ents) + b"]>\n"
    return "laughs.owl", b'<?xml version="1.0"?>\n' + doctype + _RDF_HEAD + b"&lol9;" + _RDF_TAIL


def _quadratic(_: Path) -> tuple[str, bytes]:
    doctype = b'<!DOCTYPE rdf:RDF [<!ENTITY a "' + b"x" * 50_000 + b'">]>\n'
    body = b"&a;" * 20_000
    return "quadratic.rdf", b'<?xml version="1.0"?>\n' + doctype + _RDF_HEAD + body + _RDF_TAIL


def _deep_json(_: Path) -> tuple[str, bytes]:
    return "deep.json", b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}"


def _big_int_json(_: Path) -> tuple[str, bytes]:
    return "bigint.json", b'{"a": {"value_data": {}, "n": ' + b"9" * 5000 + b"}}"


def _meta_list(_: Path) -> tuple[str, bytes]:
    node = b'{"id": "http://purl.obolibrary.org/obo/X_1", "lbl": "x", "type": "CLASS", "meta": [1]}'
    return "meta.json", b'{"graphs": [{"id": "x.owl", "nodes": [' + node + b'], "edges": []}]}'


def _jsonld_big_string(_: Path) -> tuple[str, bytes]:
    return "big.jsonld", (
        b'{"@context": {"ex": "http://ex.org/"}, "@id": "ex:a", "ex:p": "'
        + b"x" * 10_000_000
        + b'"}'
    )


def _jsonld_null(_: Path) -> tuple[str, bytes]:
    return "null.jsonld", b"null"


def _long_turtle_token(_: Path) -> tuple[str, bytes]:
    return "token.ttl", b"@prefix ex: <http://ex.org/> .\nex:a ex:b " + b"y" * 10_000_000 + b" .\n"


def _folder(_: Path) -> tuple[str, bytes]:
    return "folder/", b""


HOSTILE: dict[Kind, tuple[Callable[[Path], tuple[str, bytes]], ...]] = {
    "table": (_bom_csv, _empty_xlsx, _dimension_xlsx, _zip_bomb_xlsx, _folder),
    "yaml": (_deep_yaml, _alias_yaml, _folder),
    "sssom": (_deep_sssom, _folder),
    "json": (_deep_json, _big_int_json, _folder),
    "ontology": (_laughs, _quadratic, _gzip_bomb, _zstd_bomb, _meta_list, _deep_json),
    "rdf": (_laughs, _quadratic, _jsonld_big_string, _jsonld_null, _long_turtle_token),
}
