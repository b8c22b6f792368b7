"""Benchmark: convert and validate on one process vs on Dask (local and separate processes).

    .venv/bin/python bench/scale_out.py [--sizes 100000 1000000] [--modes serial local:1 local:2 processes]

For each size a table is synthesized (bench/make_partner_table.py) and converted with the
demo's mapping sets, then validated: ``serial`` = convert_table + validate_file in one
child process; ``local:N`` = a LocalCluster of N worker processes; ``processes`` = a
``dask scheduler`` and two ``dask worker`` processes on loopback (a real deployment on one
host). CPU is the sum over every process (client, and each worker's own rusage), wall is
the step's elapsed time; peak MB is each worker's peak RSS. ``--check`` also compares the
outputs as sorted canonical N-Triples (activity IRI and times made fixed) with sort(1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).parent

STEP = r"""
import json, resource, sys, time
from pathlib import Path
from harmonize.mappings import read_sssom
from harmonize.resources import bundled_dir
from harmonize.schema import load_schema
mode, table, out, cols, vals, rows = sys.argv[1:7]
schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
sets = [(read_sssom(cols), Path(cols)), (read_sssom(vals), Path(vals))]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def peak_mb():  # VmHWM: this process's own peak (ru_maxrss keeps a forking parent's across exec)
    with open("/proc/self/status") as status:
        return int(next(ln for ln in status if ln.startswith("VmHWM:")).split()[1]) / 1024
def worker_usage():
    import resource
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, peak_mb()
result = {}
if mode == "serial":
    from harmonize.conversion.run import convert_table
    from harmonize.validation.run import validate_file
    from harmonize.validation.ontologies import load_for_schema
    load_for_schema(schema)
    t, c = time.perf_counter(), cpu()
    s = convert_table(table, schema, sets, out)
    result["convert"] = {"wall": time.perf_counter() - t, "cpu": cpu() - c, "rows": s.rows, "triples": s.triples}
    t, c = time.perf_counter(), cpu()
    r = validate_file(out, schema)
    result["validate"] = {"wall": time.perf_counter() - t, "cpu": cpu() - c, "triples": r.triples, "issues": r.issue_count}
    result["peak_mb"] = [peak_mb()]
else:
    from harmonize.scale.cluster import cluster
    from harmonize.scale.convert import convert_distributed
    from harmonize.scale.validate import validate_distributed
    with cluster(mode) as client:
        client.wait_for_workers(1)
        def warm():
            from harmonize.validation.ontologies import load_for_schema
            load_for_schema(schema)
        t = time.perf_counter()
        client.run(warm)  # each worker loads the ontologies once (timed apart)
        result["load"] = time.perf_counter() - t
        before = client.run(worker_usage)
        t, c = time.perf_counter(), cpu()
        s = convert_distributed(client, [table], schema, sets, out, rows_per_part=int(rows))
        mid = client.run(worker_usage)
        result["convert"] = {"wall": time.perf_counter() - t, "cpu": cpu() - c + sum(mid[w][0] - before[w][0] for w in mid), "rows": s.rows, "triples": s.triples}
        t, c = time.perf_counter(), cpu()
        r = validate_distributed(client, out, schema)
        after = client.run(worker_usage)
        result["validate"] = {"wall": time.perf_counter() - t, "cpu": cpu() - c + sum(after[w][0] - mid[w][0] for w in after), "triples": r.triples, "issues": r.issue_count}
        result["peak_mb"] = [after[w][1] for w in sorted(after)]
        result["workers"] = len(after)
import dataclasses, hashlib
issues = sorted(repr(dataclasses.astuple(i)) for i in r.issues)
result["report"] = hashlib.sha256("\\n".join(issues).encode()).hexdigest()[:16]
print(json.dumps(result))
"""

SORTED = r"""cat "$@" | sed -E 's/<urn:uuid:[0-9a-f-]{36}>/<urn:uuid:activity>/g; s/(AtTime> )"[^"]*"/\1"T"/' | LC_ALL=C sort -u -S 400M | sha256sum"""


def _canonical_sha(files: list[Path]) -> str:
    out = subprocess.run(["bash", "-c", SORTED, "-", *map(str, files)], capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.split()[0]


def _processes(folder: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    info = folder / "scheduler.json"
    dask = str(BIN / "dask")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", ":0", "--scheduler-file", str(info)], **quiet)]  # type: ignore[call-overload]  # fmt: skip
    while not info.is_file():
        time.sleep(0.2)
    address = json.loads(info.read_text())["address"]
    for _ in range(2):
        procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"], **quiet))  # type: ignore[call-overload]  # fmt: skip
    return address, procs


def _run(mode: str, table: Path, out: Path, cols: Path, vals: Path, rows: int, work: Path) -> dict:  # type: ignore[type-arg]
    procs: list[subprocess.Popen[bytes]] = []
    target = mode
    if mode == "processes":
        target, procs = _processes(work)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", STEP, target, str(table), str(out), str(cols), str(vals), str(rows)],
            capture_output=True, text=True,
        )  # fmt: skip
    finally:
        for p in procs:
            p.terminate()
            p.wait()
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    from make_partner_table import write

    from harmonize.conversion.manifest import part_files
    from harmonize.demo.pipeline import run_demo

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="+", default=["serial", "local:1", "local:2", "processes"])
    parser.add_argument("--partition-rows", type=int, default=50_000)
    parser.add_argument("--check", action="store_true", help="compare outputs with sort(1)")
    args = parser.parse_args()
    print("| rows | mode | workers | step | wall s | CPU s (all processes) | rows/s (wall) | speedup (wall) | peak MB per worker |")  # fmt: skip
    print("|---:|---|---:|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = run_demo(work / "demo", say=lambda _: None)
        for size in args.sizes:
            table = write(size, work / f"t{size}.csv")
            base: dict[str, float] = {}
            shas: dict[str, str] = {}
            reports: dict[str, str] = {}
            for mode in args.modes:
                out = work / (
                    f"{mode.replace(':', '')}-{size}" + (".nt" if mode == "serial" else "")
                )
                r = _run(mode, table, out, demo.columns_sssom, demo.values_sssom, args.partition_rows, work)  # fmt: skip
                for step in ("convert", "validate"):
                    s = r[step]
                    base.setdefault(step, s["wall"])
                    peak = ", ".join(f"{m:.0f}" for m in r["peak_mb"])
                    print(
                        f"| {size:,} | {mode} | {r.get('workers', 1)} | {step} | {s['wall']:.1f} | {s['cpu']:.1f} "
                        f"| {size / s['wall']:,.0f} | {base[step] / s['wall']:.2f}x | {peak} |",
                        flush=True,
                    )  # fmt: skip
                if "load" in r:
                    print(f"| {size:,} | {mode} | {r['workers']} | load ontologies on the workers (once) | {r['load']:.1f} | - | - | - | - |")  # fmt: skip
                reports[mode] = f"{r['validate']['issues']} issues, {r['report']}"
                if args.check:
                    shas[mode] = _canonical_sha([out] if mode == "serial" else part_files(out))
            same_report = len(set(reports.values())) == 1
            print(f"\n{size:,} rows: validation reports (issue count, hash of the sorted issues) identical: {same_report} ({reports})")  # fmt: skip
            if args.check:
                same = len(set(shas.values())) == 1
                print(f"\n{size:,} rows: outputs as sorted canonical N-Triples identical: {same} ({shas})\n")  # fmt: skip
            table.unlink()


if __name__ == "__main__":
    main()
