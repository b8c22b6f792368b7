"""Benchmark: the reconciliation service beside ``ground`` on the same 1,000 values.

    .venv/bin/python bench/reconcile.py [--values 1000] [--repeats 3]

Values are real: the first N source terms of the OLS-EFO gold set
(``../shared/bench-data/ols_efo/gold.tsv``), grounded against the bundled EFO (no type:
every term). Each path is timed on the same values, after one warm-up batch of other
values, and the median of ``--repeats`` runs is printed:

* ``ground``: ``ValueMatcher.match_many`` (what ``harmonize ground`` runs), top 5, in one
  batch of N and in batches of 10;
* ``service in process``: ``ReconcileService.reconcile`` (grounding, ledger replay,
  ``reviewed_or_auto``, candidate features) plus the JSON documents, no HTTP;
* ``HTTP``: a ``harmonize reconcile`` server, ``queries=`` form POSTs of all N at once (what
  OpenRefine >= 3.7 sends: the manifest's ``batchSize`` is 1,000) and in batches of 10
  (older OpenRefine).

No peer reconciliation service runs offline on these ontologies (OLS-based services and
Wikidata's are remote), so ``ground`` is the reference.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench-data"
GOLD = BENCH / "ols_efo" / "gold.tsv"


def _values(n: int) -> list[str]:
    if not GOLD.is_file():
        sys.exit(f"bench/reconcile.py needs {GOLD}")
    with GOLD.open(newline="", encoding="utf-8") as fh:
        terms = [row["Source Term"] for row in csv.DictReader(fh, delimiter="\t")]
    distinct = list(dict.fromkeys(t for t in terms if t.strip()))
    if len(distinct) < n + 200:
        sys.exit(f"the gold set has only {len(distinct)} distinct terms")
    return distinct[: n + 200]


def _post(url: str, values: list[str]) -> int:
    batch = {f"q{i}": {"query": v} for i, v in enumerate(values)}
    body = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()
    with urllib.request.urlopen(url, data=body, timeout=600) as resp:
        answer = json.load(resp)
    return sum(len(answer[f"q{i}"]["result"]) for i in range(len(values)))


@contextlib.contextmanager
def _server(ledger: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [sys.executable, "-m", "harmonize", "reconcile", "--ontology", "EFO",
           "--port", str(port), "--ledger", str(ledger)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            with contextlib.suppress(OSError), urllib.request.urlopen(url + "health", timeout=2):
                break
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _median(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from harmonize.ontology.cache import load_index
    from harmonize.reconcile.query import Query
    from harmonize.reconcile.service import ReconcileService

    values = _values(args.values)
    batch, warmup = values[: args.values], values[args.values :]
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "decisions.sqlite"
        service = ReconcileService([load_index("EFO")], ledger=ledger)
        matcher = service.matcher(None)
        matcher.match_many(warmup, top_k=5)
        queries = [Query(key=f"q{i}", text=v) for i, v in enumerate(batch)]

        def in_process() -> None:
            for found in service.reconcile(queries):
                [service.describe(s) for s in found]

        tens = [batch[i : i + 10] for i in range(0, len(batch), 10)]
        rows = [
            ("ground, 1 batch of N", _median(lambda: matcher.match_many(batch, top_k=5), args.repeats)),
            ("service in process, 1 batch of N", _median(in_process, args.repeats)),
            ("HTTP, 1 batch of N", 0.0),
            ("ground, batches of 10", _median(lambda: [matcher.match_many(t, top_k=5) for t in tens], args.repeats)),
            ("HTTP, batches of 10 (OpenRefine's default)", 0.0),
        ]  # fmt: skip
        with _server(ledger) as url:
            _post(url, warmup)
            rows[2] = (rows[2][0], _median(lambda: _post(url, batch), args.repeats))
            rows[4] = (rows[4][0], _median(lambda: [_post(url, t) for t in tens], args.repeats))
    print(
        f"{args.values} distinct OLS-EFO source terms against EFO, top 5, median of {args.repeats}"
    )
    print("| path | seconds | values/s | vs ground |")
    print("|---|---:|---:|---:|")
    base = rows[0][1]
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} | {args.values / seconds:,.0f} | {seconds / base:.2f}x |")


if __name__ == "__main__":
    main()
