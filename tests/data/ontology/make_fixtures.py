"""Regenerate the tiny ontology fixtures from the real files in ../shared/bench-data.

Run from the repository root: ``.venv/bin/python tests/data/ontology/make_fixtures.py``.
Every stanza is cut verbatim from a real ontology; the other formats are derived from
those cuts with rdflib / pronto, so the fixtures stay small and real.
"""

from __future__ import annotations

import gzip
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parents[2].parent / "shared" / "bench-data"


def stanzas(path: Path) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    head, *rest = text.split("\n\n[")
    return head, ["[" + s.strip("\n") for s in rest]


def stanza_id(stanza: str) -> str:
    return next((ln[4:].strip() for ln in stanza.splitlines() if ln.startswith("id: ")), "")


def cut(path: Path, ids: set[str]) -> str:
    head, parts = stanzas(path)
    chosen = [s for s in parts if stanza_id(s) in ids]
    return head.strip("\n") + "\n\n" + "\n\n".join(chosen) + "\n"


def main() -> None:
    import zstandard

    pato_ids = {
        "PATO:0000001",
        "PATO:0000051",
        "PATO:0000052",
        "PATO:0000070",
        "PATO:0000141",
        "PATO:0000586",
        "PATO:0000587",
        "PATO:0001241",
        "PATO:0001291",
        "PATO:0001745",
        "PATO:0002124",
        "PATO:0070060",
        "part_of",
    }
    pato = cut(BENCH / "ontologies" / "pato.obo", pato_ids)
    (HERE / "pato_mini.obo").write_text(pato, encoding="utf-8")
    (HERE / "pato_mini.obo.gz").write_bytes(gzip.compress(pato.encode(), mtime=0))
    (HERE / "pato_mini.obo.zst").write_bytes(zstandard.ZstdCompressor().compress(pato.encode()))

    # The two kinds of stanza pronto 2.7.4 rejects, cut from the real files.
    life = BENCH / "ontologies" / "life-stages.obo"
    life_head, life_parts = stanzas(life)
    escaped = next(s for s in life_parts if "Category\\:Infant_organism" in s)
    _, obi_parts = stanzas(BENCH / "ontologies" / "obi.obo")
    typedefs = [s for s in obi_parts if stanza_id(s) in {"OBI:0000294", "OBI:0000295"}]
    rel_ids = {"RO:0000056"}
    typedefs += [s for s in obi_parts if stanza_id(s) in rel_ids]
    part_of = next(s for s in life_parts if stanza_id(s) == "part_of")
    messy = life_head.strip("\n") + "\n\n" + "\n\n".join([escaped, part_of, *typedefs]) + "\n"
    (HERE / "messy_mini.obo").write_text(messy, encoding="utf-8")

    # OBO Graphs JSON of the same PATO cut (the layout ROBOT writes; pronto's own
    # JSON writer leaves synonyms and deprecation out, so it is written here).
    import json

    from harmonize.ontology.readers.pronto_reader import index_from_pronto, parse_with_pronto

    onto, _ = parse_with_pronto(HERE / "pato_mini.obo", pato.encode(), "obo")
    index = index_from_pronto(onto, HERE / "pato_mini.obo", "obo")
    obo = "http://purl.obolibrary.org/obo/"

    from harmonize.curie import expand

    def iri(curie: str) -> str:
        return expand(curie)

    preds = {
        "EXACT": "hasExactSynonym",
        "NARROW": "hasNarrowSynonym",
        "BROAD": "hasBroadSynonym",
        "RELATED": "hasRelatedSynonym",
    }
    nodes, edges = [], []
    for term in index.terms.values():
        if term.label is None:
            continue
        meta: dict[str, object] = {
            "synonyms": [
                {"pred": preds[s.scope], "val": s.text, "xrefs": []} for s in term.synonyms
            ],
        }
        if term.definition:
            meta["definition"] = {"val": term.definition, "xrefs": []}
        if term.obsolete:
            meta["deprecated"] = True
        values = [{"pred": obo + "IAO_0100001", "val": iri(r)} for r in term.replaced_by]
        values += [
            {"pred": "http://www.geneontology.org/formats/oboInOwl#consider", "val": c}
            for c in term.consider
        ]
        if values:
            meta["basicPropertyValues"] = values
        nodes.append({"id": iri(term.id), "lbl": term.label, "type": "CLASS", "meta": meta})
        edges += [{"sub": iri(term.id), "pred": "is_a", "obj": iri(p)} for p in term.parents]
    graph_doc = {
        "graphs": [
            {
                "id": obo + "pato.owl",
                "nodes": nodes,
                "edges": edges,
                "meta": {"version": obo + "pato/releases/2025-05-14/pato.owl"},
            }
        ]
    }
    (HERE / "pato_mini.json").write_text(json.dumps(graph_doc, indent=1) + "\n", encoding="utf-8")

    # Turtle and RDF/XML with reified synonyms, cut from the OAEI human.owl.
    from rdflib import Graph, URIRef

    graph = Graph()
    graph.parse(BENCH / "oaei_anatomy" / "human.owl", format="xml")
    keep = [URIRef("http://human.owl#NCI_C12220"), URIRef("http://human.owl#NCI_C12219")]
    small = Graph()
    for prefix, ns in graph.namespaces():
        small.bind(prefix, ns)

    def copy(node: object, depth: int = 0) -> None:
        for p, o in graph.predicate_objects(node):  # type: ignore[arg-type]
            small.add((node, p, o))  # type: ignore[arg-type]
            if (depth < 2 and not isinstance(o, URIRef)) or (
                isinstance(o, URIRef) and str(o).startswith("http://human.owl#genid")
            ):
                copy(o, depth + 1)

    for cls in keep:
        copy(cls)
    owl_prop = URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")
    for prop in graph.subjects(None, owl_prop):
        copy(prop)
    for onto_node in graph.subjects(None, URIRef("http://www.w3.org/2002/07/owl#Ontology")):
        copy(onto_node)
    small.serialize(HERE / "human_mini.ttl", format="turtle")
    small.serialize(HERE / "human_mini.owl", format="xml")

    truncated = pato[: pato.index('synonym: "relational shape quality"') + 20]
    (HERE / "truncated.obo").write_text(truncated, encoding="utf-8")
    (HERE / "empty.obo").write_bytes(b"")
    (HERE / "garbage.obo").write_bytes(bytes(range(256)) * 4)
    (HERE / "table.owl").write_text("sample,tissue\nS1,liver\nS2,lung\n", encoding="utf-8")


if __name__ == "__main__":
    main()
