"""The schema / slot-index disk cache: JSON + npz round trips, no pickle anywhere."""

from __future__ import annotations

import io
import json
import pathlib
import re
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest

import harmonize.match.columns.index as column_index
import harmonize.schema as schema_pkg
from harmonize.errors import SchemaError
from harmonize.io import read_table
from harmonize.match.columns.cache import load_schema_cached, slot_index_cached
from harmonize.match.columns.index import SlotIndex, build_slot_index
from harmonize.match.columns.index_store import (
    IndexStoreError,
    index_from_arrays,
    index_to_arrays,
    read_index,
    write_index,
)
from harmonize.match.columns.matcher import match_columns
from harmonize.schema import (
    ClassInfo,
    PermissibleValue,
    SchemaInfo,
    SlotBinding,
    SlotInfo,
    load_schema,
)
from harmonize.schema.serialize import FORMAT_VERSION, schema_from_dict, schema_to_dict

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data" / "columns"
GDC = ROOT / "schemas" / "gdc.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder for one test (entries of harmonize.cache)."""
    monkeypatch.setenv("HARMONIZE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def gdc() -> SchemaInfo:
    return load_schema(GDC)


def _rich_schema(path: Path) -> SchemaInfo:
    """Every field of every record set to something other than its default."""
    pvs = (
        PermissibleValue("male", "PATO:0000384", "a male", ("M", "man"), "Male"),
        PermissibleValue("female"),
    )
    sex = SlotBinding(kind="enum", enum_name="sex_enum", permissible_values=pvs)
    site = SlotBinding(
        kind="ontology",
        enum_name="site_enum",
        sources=("obo:uberon",),
        roots=("UBERON:0000062",),
        include_self=False,
    )
    slots = (
        SlotInfo("sex", "ex:sex", "sex_enum", sex, "Sex", "the sex", ("gender",), required=True),
        SlotInfo("site", "ex:site", "site_enum", site, multivalued=True),
        # same enum name but a narrower binding than the schema's enum: stored in full
        SlotInfo("sex2", "ex:sex2", "sex_enum", replace(sex, permissible_values=pvs[:1])),
        SlotInfo(
            "size",
            "ex:size",
            "float",
            SlotBinding(kind="literal", datatype="xsd:float"),
            pattern=r"^\d+(\.\d+)?$",
            minimum=0.0,
            maximum=12.5,
            unit="cm",
        ),
        SlotInfo("id", "ex:id", "string", SlotBinding(kind="literal"), identifier=True),
        SlotInfo("donor", "ex:donor", "Donor", SlotBinding(kind="class")),
    )
    return SchemaInfo(
        path=path,
        id="https://example.org/rich",
        name="rich",
        version="2.1",
        default_prefix="ex",
        prefixes={"ex": "https://example.org/", "PATO": "http://purl.obolibrary.org/obo/PATO_"},
        classes={
            "Thing": ClassInfo("Thing", "ex:Thing", None, (), abstract=True),
            "Sample": ClassInfo(
                "Sample", "ex:Sample", "a sample", slots, is_a="Thing", tree_root=True
            ),
        },
        description="every field",
        enums={"sex_enum": sex, "site_enum": site},
    )


def _slot(cls: ClassInfo, name: str) -> SlotInfo:
    slot = cls.slot(name)
    assert slot is not None
    return slot


def _json_round_trip(schema: SchemaInfo) -> SchemaInfo:
    return schema_from_dict(json.loads(json.dumps(schema_to_dict(schema))))


# -- SchemaInfo <-> JSON -------------------------------------------------------------


def test_schema_json_round_trip_keeps_every_field(tmp_path: Path) -> None:
    schema = _rich_schema(tmp_path / "rich.yaml")
    back = _json_round_trip(schema)
    assert back == schema
    assert isinstance(back.path, Path)
    sample = back.cls("Sample")
    assert _slot(sample, "size").minimum == 0.0 and _slot(sample, "size").unit == "cm"
    narrow = _slot(sample, "sex2").binding.permissible_values
    assert narrow == schema.enums["sex_enum"].permissible_values[:1]
    # a slot bound to exactly one of the schema's enums shares it instead of copying it
    assert _slot(sample, "sex").binding is back.enums["sex_enum"]
    data = schema_to_dict(schema)
    assert data["version"] == FORMAT_VERSION and data["path"] == str(schema.path)


@pytest.mark.parametrize("name", ["biobank.yaml"])
def test_loaded_schema_json_round_trip(name: str) -> None:
    schema = load_schema(DATA / name)
    assert _json_round_trip(schema) == schema


def test_gdc_schema_json_round_trip(gdc: SchemaInfo) -> None:
    back = _json_round_trip(gdc)
    assert back == gdc
    assert sum(len(b.permissible_values) for b in back.enums.values()) > 10_000


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(version=FORMAT_VERSION + 1),
        lambda d: d.update(format="something-else"),
        lambda d: d.pop("classes"),
        lambda d: d.update(name=7),
        lambda d: d["classes"][1]["slots"][0].update(required="yes"),
        lambda d: d["classes"][1]["slots"][3].update(minimum="0"),
        lambda d: d["enums"]["sex_enum"].update(kind="python-object"),
        lambda d: d["classes"][1]["slots"][0].update(binding={"enum_ref": "nope"}),
        lambda d: d["enums"]["sex_enum"]["permissible_values"][0].update(aliases=[1]),
    ],
)
def test_schema_from_dict_rejects_damaged_documents(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(schema_to_dict(_rich_schema(tmp_path / "x.yaml"))))
    damage(data)
    with pytest.raises(SchemaError, match="not a valid cached schema"):
        schema_from_dict(data, source=tmp_path / "cache.json")


# -- SlotIndex <-> npz ---------------------------------------------------------------


def _assert_same_index(a: SlotIndex, b: SlotIndex) -> None:
    for f in fields(SlotIndex):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, f.name
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), f.name
        elif isinstance(x, column_index.Vectorizer):
            assert x.vocab == y.vocab, f.name
            for part in ("idf", "matrix", "binary", "mass"):
                xa, ya = getattr(x, part), getattr(y, part)
                assert xa.dtype == ya.dtype and np.array_equal(xa, ya), (f.name, part)
        elif f.name == "pv_postings":
            assert x.keys() == y.keys()
            assert all(np.array_equal(x[w], y[w]) and y[w].dtype == np.int32 for w in x)
        elif f.name == "patterns":
            assert [(i, p.pattern, p.flags) for i, p in x] == [
                (i, p.pattern, p.flags) for i, p in y
            ]
        else:
            assert x == y, f.name


def test_slot_index_npz_round_trip(tmp_path: Path) -> None:
    biobank = load_schema(DATA / "biobank.yaml")
    rich = _rich_schema(tmp_path / "rich.yaml")  # has a pattern, bounds, an ontology enum
    for k, cls in enumerate((biobank.cls("Sample"), biobank.cls("Donor"), rich.cls("Sample"))):
        index = build_slot_index(cls)
        arrays = index_to_arrays(index)
        assert all(a.dtype != object for a in arrays.values())
        path = write_index(tmp_path / f"{k}.npz", index)
        _assert_same_index(index, read_index(path, cls.slots))
        _assert_same_index(index, index_from_arrays(arrays, cls.slots))
    assert index.patterns and not np.isnan(index.maximum).all()


def test_stored_index_is_refused_for_other_slots(tmp_path: Path) -> None:
    schema = load_schema(DATA / "biobank.yaml")
    path = write_index(tmp_path / "i.npz", build_slot_index(schema.cls("Sample")))
    with pytest.raises(IndexStoreError, match="other slots"):
        read_index(path, schema.cls("Donor").slots)


def _tamper(index: SlotIndex, **changes: np.ndarray) -> dict[str, np.ndarray]:
    arrays = index_to_arrays(index)
    arrays.update(changes)
    return arrays


def test_damaged_index_arrays_are_refused() -> None:
    schema = load_schema(DATA / "biobank.yaml")
    slots = schema.cls("Sample").slots
    index = build_slot_index(schema.cls("Sample"))
    n_pv = len(index.pv_text)
    bad: list[dict[str, np.ndarray]] = [  # type: ignore[type-arg]
        {"pv_slot": np.full(n_pv, 999, dtype=np.int32)},  # slot number out of range
        {"pv_slot": index.pv_slot.astype(np.int64)},  # wrong dtype
        {"numeric": index.numeric[:-1]},  # wrong length
        {"name_vec.matrix": index.name_vec.matrix[:, :-1]},  # wrong shape
        {"pv_postings.rows": np.full(3, n_pv + 5, dtype=np.int32)},
        {"meta": np.frombuffer(b"{not json", dtype=np.uint8)},
    ]
    for changes in bad:
        with pytest.raises(IndexStoreError):
            index_from_arrays(_tamper(index, **changes), slots)
    arrays = index_to_arrays(index)
    meta = json.loads(bytes(arrays["meta"]))
    meta["exact_names"] = {"x": [len(slots)]}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with pytest.raises(IndexStoreError, match="exact_names"):
        index_from_arrays(arrays, slots)


class _Payload:
    """Unpickling this creates a marker file (stands for arbitrary code execution)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (pathlib.Path.touch, (self.marker,))


# -- the disk cache ------------------------------------------------------------------


def test_schema_cache_is_json_and_reused(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_schema_cached(DATA / "biobank.yaml")
    files = list(cache.glob("*.schema.json"))
    assert [f.suffix for f in files] == [".json"]
    assert json.loads(files[0].read_text())["format"] == "harmonize.schema-info"

    def boom(path: object) -> SchemaInfo:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(schema_pkg, "load_schema", boom)
    second = load_schema_cached(DATA / "biobank.yaml")
    assert second == first and second is not first


@pytest.mark.parametrize("garbage", [b"", b'{"format": 1', b"\x80\x04\x95 not json", b"[]"])
def test_damaged_schema_cache_is_rebuilt(cache: Path, garbage: bytes) -> None:
    expected = load_schema_cached(DATA / "biobank.yaml")
    (path,) = cache.glob("*.schema.json")
    path.write_bytes(garbage)
    assert load_schema_cached(DATA / "biobank.yaml") == expected
    assert schema_from_dict(json.loads(path.read_bytes())) == expected  # rewritten


def test_pickle_in_schema_cache_is_not_executed(cache: Path, tmp_path: Path) -> None:
    import pickle

    expected = load_schema_cached(DATA / "biobank.yaml")
    (path,) = cache.glob("*.schema.json")
    marker = tmp_path / "executed"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    assert load_schema_cached(DATA / "biobank.yaml") == expected
    assert not marker.exists()


def _fresh_biobank() -> SchemaInfo:
    """A new SchemaInfo object (so no in-memory index cache applies)."""
    return _json_round_trip(load_schema(DATA / "biobank.yaml"))


def test_slot_index_cache_is_npz_and_reused(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = load_schema_cached(DATA / "biobank.yaml")
    table = read_table(DATA / "partner.csv")
    direct = match_columns(table, _fresh_biobank(), top_k=4)  # builds and stores the index
    index_files = sorted(cache.glob("*.slot-index.*"))
    assert [f.suffix for f in index_files] == [".npz"]
    with np.load(index_files[0], allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)

    def boom(cls: ClassInfo) -> SlotIndex:
        raise AssertionError("the stored index should have been used")

    monkeypatch.setattr(column_index, "build_slot_index", boom)
    fresh = _fresh_biobank()
    stored = slot_index_cached(fresh)
    assert stored.slots is fresh.cls().slots
    assert slot_index_cached(fresh) is stored  # read once per schema object
    assert match_columns(table, fresh, top_k=4) == direct
    assert match_columns(table, schema, top_k=4) == direct
    assert not list(cache.rglob("*.pickle")) and not list(cache.rglob("*.pkl"))


def test_gdc_matching_identical_from_cache(cache: Path, gdc: SchemaInfo) -> None:
    table = read_table(DATA / "gdc_partner.tsv")
    built = build_slot_index(gdc.cls())
    first = match_columns(table, _json_round_trip(gdc))  # builds and stores
    (stored_file,) = cache.glob("*.slot-index.npz")
    stored = read_index(stored_file, gdc.cls().slots)
    _assert_same_index(built, stored)
    again = match_columns(table, _json_round_trip(gdc))  # reads the stored index
    assert again == first
    assert [c.assigned for c in again.columns].count(None) < len(again.columns)


@pytest.mark.parametrize("how", ["garbage", "truncated", "pickled-object-array"])
def test_damaged_slot_index_cache_is_rebuilt(cache: Path, tmp_path: Path, how: str) -> None:
    table = read_table(DATA / "partner.csv")
    expected = match_columns(table, _fresh_biobank(), top_k=4)
    (path,) = cache.glob("*.slot-index.npz")
    marker = tmp_path / "executed"
    if how == "garbage":
        path.write_bytes(b"PK\x03\x04 this is not a zip file")
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        arrays = index_to_arrays(build_slot_index(_fresh_biobank().cls()))
        arrays["meta"] = np.array([_Payload(marker)], dtype=object)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)  # type: ignore[arg-type]
        path.write_bytes(buffer.getvalue())
    assert match_columns(table, _fresh_biobank(), top_k=4) == expected
    assert not marker.exists()
    read_index(path, _fresh_biobank().cls().slots)  # rewritten: valid again


def test_no_pickle_in_the_source_tree() -> None:
    src = ROOT / "src" / "harmonize"
    pattern = re.compile(
        r"^\s*(import\s+(c?pickle|dill|shelve|joblib)\b|from\s+(c?pickle|dill|shelve|joblib)\s+import)"
        r"|allow_pickle\s*=\s*True|pickle\.loads?\(",
        re.M,
    )
    offenders = [
        str(p.relative_to(ROOT)) for p in sorted(src.rglob("*.py")) if pattern.search(p.read_text())
    ]
    assert offenders == []
    assert pattern.search("import pickle\n") and pattern.search("x = pickle.loads(data)")
