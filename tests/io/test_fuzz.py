"""Seeded fuzz of every reader and every file-reading command (issue 15).

In-process: a few hundred seeded mutations per reader may only raise our own errors.
Commands: each runs in a subprocess capped at 3 GiB of address space with a timeout, on the
hand-made hostile inputs of its input kind and on seeded mutations: no traceback, no
memory-limit hit, no timeout, no output changed by a failed run, no message over 2,000
bytes. ``publish`` included: it reads RDF through :func:`harmonize.io.rdf.iter_rdf`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from tests.io.conftest import DATA

from harmonize.errors import HarmonizeError
from harmonize.io import read_table
from harmonize.io.json_text import parse_json
from harmonize.io.xml_guard import check_xml_entities
from harmonize.io.yaml_text import parse_yaml
from harmonize.mappings.sssom_io import read_sssom
from harmonize.ontology.readers import read_ontology
from harmonize.testing.fuzz_inputs import mutate
from harmonize.testing.fuzz_run import SEEDS, TARGETS, fuzz_cases, run_case, summarize

SEED = 15


def _text(path: Path) -> None:
    parse_yaml(path.read_text(errors="replace"), path=path, error=HarmonizeError, message="bad")


READERS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    "table": ("t.csv", read_table),
    "xlsx": ("t.xlsx", read_table),
    "yaml": ("x.yaml", _text),
    "json": ("x.json", lambda p: parse_json(p.read_bytes(), path=p)),
    "sssom": ("m.sssom.tsv", lambda p: read_sssom(p, strict=True)),
    "obo": ("o.obo", read_ontology),
    "owl": ("o.owl", lambda p: (check_xml_entities(p.read_bytes()), read_ontology(p))),
    "obographs": ("o.json", read_ontology),
    "ttl": ("o.ttl", read_ontology),
}
_SOURCES = {
    "table": "columns/partner.csv", "xlsx": "io/partner.xlsx", "yaml": "schema/tiny.yaml",
    "json": "columns/gdc_dictionary_small.json", "sssom": "convert/columns.sssom.tsv",
    "obo": "ontology/pato_mini.obo", "owl": "ontology/human_mini.owl",
    "obographs": "ontology/pato_mini.json", "ttl": "ontology/human_mini.ttl",
}  # fmt: skip


@pytest.mark.parametrize("reader", sorted(READERS))
def test_readers_raise_only_our_errors(tmp_path: Path, reader: str) -> None:
    name, read = READERS[reader]
    seed = (DATA / _SOURCES[reader]).read_bytes()
    rng = random.Random(f"{SEED}-{reader}")
    outcomes = {"ok": 0, "error": 0}
    for n in range(120):
        path = tmp_path / f"{n}-{name}"
        path.write_bytes(mutate(seed, rng))
        try:
            read(path)
        except HarmonizeError as exc:
            assert len(str(exc).encode()) <= 2000
            outcomes["error"] += 1
        else:
            outcomes["ok"] += 1
    assert outcomes["error"] > 0  # the mutations do break files


@pytest.mark.slow
def test_commands_on_hostile_and_mutated_inputs(tmp_path: Path) -> None:
    targets = list(TARGETS)
    assert "publish" in {t.name for t in targets}
    cases = fuzz_cases(DATA, seed=SEED, mutations=2, targets=targets)
    assert {t.kind for t in targets} == set(SEEDS)

    def one(numbered: tuple[int, Any]) -> Any:
        n, case = numbered
        return run_case(case, tmp_path / f"case{n}", DATA, timeout=60)

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(one, enumerate(cases)))
    counts = summarize(outcomes)
    bad = [(o.case.target.name, o.case.origin, o.problems, o.stderr_tail[-300:])
           for o in outcomes if o.problems]  # fmt: skip
    assert not bad, bad
    assert counts["runs"] == len(cases) > 60
    assert counts["clean errors"] > counts["runs"] // 2  # most inputs are broken
