"""Publishing benchmark: load rate for ~1M triples and query latency under concurrent load.

For the embedded store (``harmonize publish`` + ``harmonize serve``) and, when their URLs
are set (``source .ci/services.sh``), the Oxigraph server and Virtuoso (pushed with
``harmonize publish --to``):

* load: first publish (scan + privacy guard + bulk load), re-publish (staging graph +
  atomic swap), push over the Graph Store protocol — triples per second;
* queries: a second process runs a bounded closed-loop load (``--clients`` concurrent
  clients, ``--seconds`` each store) with a mix of a selective lookup, an ontology-hierarchy
  query (property path) and an aggregate; latency median and p99 per query.

Data: synthetic records in the common model (donors, biosamples with UBERON tissues from
the liver branch and elsewhere), ``--samples`` biosamples, about 10 triples each.

    .venv/bin/python bench/publish.py --samples 100000 --clients 4 --seconds 20
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HMZ = "https://w3id.org/harmonize/model/"
OBO = "http://purl.obolibrary.org/obo/"
TISSUES = [
    "UBERON_0002107", "UBERON_0001114", "UBERON_0001115", "UBERON_0001280",  # liver + parts
    "UBERON_0002048", "UBERON_0002113", "UBERON_0000955", "UBERON_0000178",
    "UBERON_0002371", "UBERON_0001013", "UBERON_0000945", "UBERON_0002097",
]  # fmt: skip
QUERIES = {
    "lookup": f'SELECT ?s ?t WHERE {{ ?s <{HMZ}biosample_id> "S{{n}}" ; <{HMZ}tissue> ?t }}',
    "hierarchy": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{HMZ}donor> <https://ex.org/donor/D{{d}}> ; "
        f"<{HMZ}tissue> ?t . ?t (rdfs:subClassOf|<{OBO}BFO_0000050>)* <{OBO}UBERON_0002107> }}"
    ),
    "aggregate": (
        f'SELECT ?t (COUNT(?s) AS ?n) WHERE {{ ?s <{HMZ}tissue> ?t ; <{HMZ}age_band> "{{b}}" }}'
        " GROUP BY ?t"
    ),
}


def make_data(path: Path, samples: int) -> int:
    rng = random.Random(7)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        dataset = "<https://ex.org/dataset/bench>"
        out.write(f"{dataset} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HMZ}Dataset> .\n")
        out.write(f'{dataset} <{HMZ}dataset_id> "BENCH" .\n')
        out.write(f'{dataset} <{HMZ}access_level> "open" .\n')
        count += 3
        donors = max(1, samples // 10)
        for d in range(donors):
            donor = f"<https://ex.org/donor/D{d}>"
            out.write(f"{donor} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HMZ}Donor> .\n")
            out.write(f'{donor} <{HMZ}donor_id> "D{d}" .\n')
            out.write(f"{donor} <{HMZ}sex> <{OBO}PATO_000038{3 + d % 2}> .\n")
            count += 3
        for n in range(samples):
            s = f"<https://ex.org/sample/S{n}>"
            out.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HMZ}Biosample> .\n")
            out.write(f'{s} <{HMZ}biosample_id> "S{n}" .\n')
            out.write(f"{s} <{HMZ}donor> <https://ex.org/donor/D{rng.randrange(donors)}> .\n")
            out.write(f"{s} <{HMZ}tissue> <{OBO}{rng.choice(TISSUES)}> .\n")
            out.write(f"{s} <{HMZ}part_of_dataset> <https://ex.org/dataset/bench> .\n")
            out.write(f'{s} <{HMZ}age_band> "{rng.randrange(0, 90, 5)}" .\n')
            out.write(f'{s} <{HMZ}collection_date> "2023-{1 + n % 12:02d}-{1 + n % 28:02d}"'
                      '^^<http://www.w3.org/2001/XMLSchema#date> .\n')  # fmt: skip
            out.write(
                f"{s} <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:sha256:bench#row={n}> .\n"
            )
            out.write(f'{s} <{HMZ}sourceValue> "liver bx {n % 97}" .\n')
            count += 9
    return count


def harmonize(*args: str, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "harmonize", *args], check=False, text=True,
                          env={**os.environ, **(env or {})}, capture_output=True)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"harmonize {args[0]} failed: {done.stderr.strip()[-500:]}")
    return time.perf_counter() - start


# --------------------------------------------------------------------------- load client
def client_main(url: str, clients: int, seconds: float, samples: int, auth: str | None) -> None:
    """Runs in the second process: closed-loop load, prints latencies as JSON."""
    deadline = time.monotonic() + seconds
    latencies: dict[str, list[float]] = {k: [] for k in QUERIES}
    errors: list[str] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        names = list(QUERIES)
        while time.monotonic() < deadline:
            name = names[rng.randrange(len(names))]
            query = (
                QUERIES[name]
                .replace("{n}", str(rng.randrange(samples)))
                .replace("{d}", str(rng.randrange(max(1, samples // 10))))
                .replace("{b}", str(rng.randrange(0, 90, 5)))
            )
            data = urllib.parse.urlencode({"query": query}).encode()
            request = urllib.request.Request(url, data=data, method="POST")
            request.add_header("Accept", "application/sparql-results+json")
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            if auth:
                request.add_header("Authorization", auth)
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    body = response.read()
                json.loads(body)
            except Exception as exc:
                with lock:
                    errors.append(f"{name}: {exc}")
                continue
            with lock:
                latencies[name].append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"latencies": latencies, "errors": errors[:5], "n_errors": len(errors)}))


def run_load(url: str, args: argparse.Namespace, auth: str | None = None) -> dict[str, object]:
    command = [sys.executable, __file__, "--client", url, "--clients", str(args.clients),
               "--seconds", str(args.seconds), "--samples", str(args.samples)]  # fmt: skip
    if auth:
        command += ["--auth", auth]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_http(url: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--auth", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.client:
        client_main(args.client, args.clients, args.seconds, args.samples, args.auth)
        return 0

    work = Path(tempfile.mkdtemp(prefix="harmonize-bench-publish-"))
    rows: list[tuple[str, ...]] = []
    load_rows: list[tuple[str, ...]] = []
    try:
        data = work / "bench.nt"
        triples = make_data(data, args.samples)
        print(
            f"data: {triples:,} triples ({data.stat().st_size >> 20} MB N-Triples)", file=sys.stderr
        )
        store = work / "store"
        first = harmonize("publish", str(data), "--store", str(store))
        again = harmonize("publish", str(data), "--store", str(store))
        changed = work / "changed" / "bench.nt"
        changed.parent.mkdir()
        with data.open(encoding="utf-8") as src, changed.open("w", encoding="utf-8") as out:
            for number, line in enumerate(src):
                if number % 100 == 7 and "sourceValue" in line:  # about 1% of the records
                    line = line.replace('" .', ' (revised)" .')
                out.write(line)
        edit = harmonize("publish", str(changed), "--store", str(store))
        for step, seconds in (
            ("first publish", first),
            ("re-publish, unchanged (checksum: skipped)", again),
            ("re-publish, ~1% of records changed (atomic swap)", edit),
        ):
            load_rows.append(
                ("embedded (pyoxigraph)", step, f"{seconds:.1f}", f"{triples / seconds:,.0f}")
            )

        targets: list[tuple[str, str, str | None]] = []
        port = 18000 + random.randrange(1000)
        server = subprocess.Popen([sys.executable, "-m", "harmonize", "serve", "--store", str(store),
                                   "--port", str(port), "--timeout", "120"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            wait_http(f"http://127.0.0.1:{port}/graphs")
            targets.append(("embedded (harmonize serve)", f"http://127.0.0.1:{port}/sparql", None))
            results = {name: run_load(url, args, auth) for name, url, auth in targets}
        finally:
            server.terminate()
            server.wait()

        oxigraph = os.environ.get("HARMONIZE_TEST_OXIGRAPH_URL")
        if oxigraph:
            took = harmonize("publish", str(data), "--to", f"{oxigraph}/store")
            load_rows.append(
                (
                    "Oxigraph server",
                    "push (Graph Store PUT/POST)",
                    f"{took:.1f}",
                    f"{triples / took:,.0f}",
                )
            )
            results["Oxigraph server"] = run_load(f"{oxigraph}/query?union-default-graph", args)
        virtuoso = os.environ.get("HARMONIZE_TEST_VIRTUOSO_URL")
        if virtuoso:
            took = harmonize("publish", str(data), "--to", f"{virtuoso}/sparql-graph-crud-auth",
                             "--user", os.environ.get("HARMONIZE_TEST_VIRTUOSO_USER", ""),
                             "--password", os.environ.get("HARMONIZE_TEST_VIRTUOSO_PASSWORD", ""))  # fmt: skip
            load_rows.append(
                (
                    "Virtuoso 7.2",
                    "push (Graph Store PUT/POST, digest)",
                    f"{took:.1f}",
                    f"{triples / took:,.0f}",
                )
            )
            results["Virtuoso 7.2"] = run_load(f"{virtuoso}/sparql", args)

        for store_name, result in results.items():
            latencies = result["latencies"]
            assert isinstance(latencies, dict)
            for query_name, values in latencies.items():
                rows.append((store_name, query_name, str(len(values)),
                             f"{1000 * statistics.median(values):.1f}" if values else "-",
                             f"{1000 * pct(values, 0.99):.1f}" if values else "-",
                             str(result["n_errors"])))  # fmt: skip
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {triples:,} triples, "
          f"{args.clients} concurrent clients x {args.seconds:g} s per store (second process)\n")  # fmt: skip
    print("| store | step | seconds | triples/s |\n|---|---|---|---|")
    for row in load_rows:
        print("| " + " | ".join(row) + " |")
    print("\n| store | query | n | median ms | p99 ms | errors |\n|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
