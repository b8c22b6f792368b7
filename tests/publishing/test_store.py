"""The embedded store: atomic replacement, access bookkeeping, bad input, privacy guard."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tests.publishing.conftest import PUBLISH_DATA, harmonize

from harmonize.errors import HarmonizeError, InputFileError, PrivacyError, PublishError
from harmonize.publishing.api import publish_files
from harmonize.publishing.loader import read_input
from harmonize.publishing.query import Limits, run_query
from harmonize.publishing.store import PublishedStore

GRAPH = "https://w3id.org/harmonize/graph/dataset/big"


def _write_version(path: Path, n: int, tag: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(
                f"<https://ex.org/{tag}/s{i}> <https://w3id.org/harmonize/model/biosample_id> "
                f'"{tag}-{i}" .\n'
            )


def _count(store: PublishedStore, *, authorized: bool = True) -> int:
    outcome = run_query(
        store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}",
        authorized=authorized,
        select_format="csv",
        limits=Limits(timeout_s=120),
    )
    return int(outcome.body.decode().split()[1])


def test_republish_is_never_seen_half_loaded(tmp_path: Path) -> None:
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    _write_version(old, 3_000, "old")
    _write_version(new, 4_500, "new")
    store = PublishedStore.open(tmp_path / "store")
    store.publish(read_input(old, graph=GRAPH)[0])
    seen: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.append(_count(store))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for path in (new, old, new, old, new):
            store.publish(read_input(path, graph=GRAPH)[0])
    finally:
        stop.set()
        thread.join()
    assert len(seen) > 3, "the reader must have overlapped the republishing"
    assert set(seen) <= {3_000, 4_500}, sorted(set(seen))
    assert _count(store) == 4_500
    assert [g.iri for g in store.graphs()] == [GRAPH]
    # no staging graph is left behind
    leftovers = [g.value for g in store.store.named_graphs() if "staging" in g.value]
    assert leftovers == []


def test_republish_as_restricted_hides_and_back(tmp_path: Path) -> None:
    data = tmp_path / "d.nt"
    _write_version(data, 10, "x")
    store = PublishedStore.open(tmp_path / "store")
    store.publish(read_input(data, graph=GRAPH)[0])
    assert _count(store, authorized=False) == 10
    store.publish(read_input(data, graph=GRAPH, restricted=True)[0])
    assert _count(store, authorized=False) == 0
    assert _count(store, authorized=True) == 10
    store.publish(read_input(data, graph=GRAPH)[0])
    assert _count(store, authorized=False) == 10


def test_multi_dataset_file_splits_by_access_level(tmp_path: Path) -> None:
    graphs = read_input(PUBLISH_DATA / "liver_study.ttl")
    assert [(g.graph.rsplit("/", 1)[1], g.restricted) for g in graphs] == [("LIVER-2024", False)]
    combined = tmp_path / "combined.ttl"
    combined.write_text(
        (PUBLISH_DATA / "liver_study.ttl").read_text()
        + "\n".join(
            line.replace("ex:", "clinic:")
            for line in (PUBLISH_DATA / "clinic_restricted.ttl").read_text().splitlines()
            if not line.startswith("@prefix ex:")
        ).replace(
            "@prefix hmz:", "@prefix clinic: <https://data.example.org/clinic/> .\n@prefix hmz:"
        ),
        encoding="utf-8",
    )
    split = {g.graph.rsplit("/", 1)[1]: g for g in read_input(combined)}
    assert set(split) == {"LIVER-2024", "CLINIC-7"}
    assert split["CLINIC-7"].restricted and not split["LIVER-2024"].restricted
    clinic_subjects = {str(t.subject) for t in split["CLINIC-7"].triples or ()}
    assert "<https://data.example.org/clinic/sample-B1>" in clinic_subjects
    assert "<https://data.example.org/clinic/donor-P1>" in clinic_subjects  # via hmz:donor
    liver_subjects = {str(t.subject) for t in split["LIVER-2024"].triples or ()}
    assert not any("clinic" in s for s in liver_subjects)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.ttl", "<a> <b> .\n", "not valid Turtle"),
        ("empty.ttl", "", "empty"),
        ("table.csv", "a,b\n1,2\n", "cannot tell the format"),
        ("comments.ttl", "# nothing here\n", "no triples"),
    ],
)
def test_bad_input_is_one_line_error_naming_the_file(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_input(path)
    text = str(info.value)
    assert message in text and name in text and "\n" not in text
    result = harmonize("publish", str(path), "--store", str(tmp_path / "s"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").iterdir())


def test_sssom_with_unknown_prefix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(
        "#mapping_set_id: https://ex.org/set\n#curie_map: {}\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
        "nope:x\tskos:exactMatch\tUBERON:0002107\tsemapv:LexicalMatching\n",
        encoding="utf-8",
    )
    with pytest.raises(HarmonizeError) as info:
        read_input(path)
    assert "nope" in str(info.value) and "bad.sssom.tsv" in str(info.value)


def test_privacy_guard_refuses_identifying_literals(tmp_path: Path) -> None:
    lines = [
        f'<https://ex.org/d{i}> <https://ex.org/contact_email> "{name}.{i}@example.com" .'
        for i, name in enumerate(["anna", "bo", "carl", "dina", "erik", "frida", "gus", "hel"] * 3)
    ]
    path = tmp_path / "people.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PrivacyError) as info:
        publish_files([path], tmp_path / "store")
    assert "contact_email" in str(info.value)
    assert not (tmp_path / "store").exists()  # refused before anything is written
    result = harmonize("publish", str(path), "--store", str(tmp_path / "store"))
    assert result.returncode == 2 and "direct identifiers" in result.stderr


def test_store_in_use_is_a_clear_error(tmp_path: Path) -> None:
    held = PublishedStore.open(tmp_path / "store")
    result = harmonize(
        "publish", str(PUBLISH_DATA / "liver_study.ttl"), "--store", str(tmp_path / "store")
    )
    assert result.returncode == 2
    assert "in use by another process" in result.stderr
    del held
    with pytest.raises(PublishError):
        PublishedStore.open(tmp_path / "missing", create=False)


def test_publish_cli_reports_graphs_and_ontology_terms(tmp_path: Path) -> None:
    result = harmonize(
        "publish",
        str(PUBLISH_DATA / "liver_study.ttl"),
        str(PUBLISH_DATA / "clinic_restricted.ttl"),
        str(PUBLISH_DATA / "tissue.sssom.tsv"),
        "--store",
        str(tmp_path / "store"),
    )
    assert result.returncode == 0, result.stderr
    assert "CLINIC-7: 18 triples (restricted)" in result.stderr
    store = PublishedStore.open(tmp_path / "store")
    kinds = {g.iri.rsplit("/", 1)[1]: (g.kind, g.restricted) for g in store.graphs()}
    assert kinds == {
        "LIVER-2024": ("dataset", False),
        "CLINIC-7": ("dataset", True),
        "tissue": ("mappings", False),
        "ontology-terms": ("ontology", False),
        "ontology-terms-restricted": ("ontology", True),  # the clinic's own diagnosis
    }
    labels = run_query(
        store,
        "SELECT ?l WHERE { <http://purl.obolibrary.org/obo/CL_0000182> <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
        authorized=False,
        select_format="csv",
    )
    assert labels.body.decode().split()[1] == "hepatocyte"


def test_republishing_the_same_file_is_skipped_and_a_change_is_applied(tmp_path: Path) -> None:
    data = tmp_path / "d.nt"
    _write_version(data, 100, "x")
    store = PublishedStore.open(tmp_path / "store")
    first = store.publish(read_input(data, graph=GRAPH)[0])
    again = store.publish(read_input(data, graph=GRAPH)[0])
    assert not first.unchanged and again.unchanged
    assert again.modified == first.modified
    # same bytes but now restricted: not skipped
    hidden = store.publish(read_input(data, graph=GRAPH, restricted=True)[0])
    assert not hidden.unchanged and hidden.restricted
    _write_version(data, 120, "x")
    changed = store.publish(read_input(data, graph=GRAPH, restricted=True)[0])
    assert not changed.unchanged and changed.triples == 120
    assert _count(store) == 120


def test_close_releases_the_store_while_references_remain(tmp_path: Path) -> None:
    store = PublishedStore.open(tmp_path / "store")
    lingering = [store]  # as a reference cycle or a traceback would hold it
    store.close()
    report = publish_files([PUBLISH_DATA / "liver_study.ttl"], tmp_path / "store")
    assert report.graphs and lingering[0] is store
