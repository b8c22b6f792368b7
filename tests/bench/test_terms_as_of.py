"""The messy-values bench can score against the terms an older release had
(``bench/terms_as_of.py``): terms added since are made obsolete, nothing else moves."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType

from harmonize.match.values.matcher import ValueMatcher
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import OntologyMeta, Term

BENCH = Path(__file__).resolve().parents[2] / "bench" / "terms_as_of.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("terms_as_of", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _index() -> OntologyIndex:
    terms = [
        Term("CL:0000000", "cell"),
        Term("CL:0000236", "B cell", parents=("CL:0000000",)),
        # a newer term between two older ones, and a newer leaf saying the value exactly
        Term("CL:9000001", "lymphocyte of a new kind", parents=("CL:0000000",)),
        Term("CL:9000002", "cycling B cell", parents=("CL:0000236",)),
        Term("CL:0000555", "older leaf", parents=("CL:9000001",)),  # under a newer term
        Term("CL:0000999", "deprecated then", parents=("CL:0000000",)),
        Term("UBERON:0002107", "liver"),  # a prefix the older list does not cover
    ]
    meta = OntologyMeta(name="cl", version="v2026", sha256="abc")
    return OntologyIndex(meta=meta, terms={t.id: t for t in terms}, sources=(meta,))


def _older_list(tmp_path: Path) -> Path:
    path = tmp_path / "all_ontology.json.gz"
    data = {
        "CL": {
            "CL:0000000": {"label": "cell", "deprecated": False},
            "CL:0000236": {"label": "B cell", "deprecated": False},
            "CL:0000999": {"label": "deprecated then", "deprecated": True},
            "CL:0000555": {"label": "older leaf", "deprecated": False},
        }
    }
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(data, handle)
    return path


def test_terms_added_since_are_obsolete_and_the_rest_untouched(tmp_path: Path) -> None:
    restricted, made = _module().restrict(_index(), _older_list(tmp_path))
    obsolete = {tid for tid, t in restricted.terms.items() if t.obsolete}
    assert obsolete == {"CL:9000001", "CL:9000002", "CL:0000999"} and made == 3
    assert not restricted.terms["UBERON:0002107"].obsolete  # a prefix the list lacks
    assert restricted.terms["CL:9000002"].parents == ("CL:0000236",)  # hierarchy kept
    # an older term under a newer one hangs from the nearest older term above
    assert restricted.terms["CL:0000555"].parents == ("CL:0000000",)
    assert "CL:0000555" in restricted.branch(["CL:0000000"])
    # its checksum differs, so no cache built from it stands in for the full index
    assert restricted.sources[0].sha256 != "abc"


def test_a_newer_term_is_never_answered(tmp_path: Path) -> None:
    full = ValueMatcher(_index(), roots=["CL:0000000"]).match("cycling B cell").best
    assert full is not None and full.id == "CL:9000002"
    restricted, _ = _module().restrict(_index(), _older_list(tmp_path))
    found = ValueMatcher(restricted, roots=["CL:0000000"]).match("cycling B cell").candidates
    assert all(c.id in {"CL:0000236", "CL:0000000"} for c in found)
