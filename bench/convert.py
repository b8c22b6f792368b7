"""Benchmark: convert rows/s and validate triples/s at 10k / 100k / 1M rows, peak memory.

    .venv/bin/python bench/convert.py [--sizes 10000 100000 1000000] [--validate-max 100000]

Tables are synthesized by bench/make_partner_table.py (the demo table's generator);
the mapping sets are the demo's (run once on the 300-row table). Each step runs in a
child process so its peak RSS is its own. CPU seconds (user + system) are reported
next to wall time because the benchmark machine is shared: rates use CPU time.
Convert time includes the privacy guard (name lists load once, ~5 s CPU).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

STEP = r"""
import json, resource, sys, time
from pathlib import Path
from harmonize.schema import load_schema
from harmonize.resources import bundled_dir
from harmonize.mappings import read_sssom
kind, table, out, cols, vals = sys.argv[1:6]
schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
t = time.perf_counter()
ru0 = resource.getrusage(resource.RUSAGE_SELF)
if kind == "convert":
    from harmonize.conversion.run import convert_table
    s = convert_table(table, schema, [(read_sssom(cols), Path(cols)), (read_sssom(vals), Path(vals))], out)
    n, triples = s.rows, s.triples
elif kind == "whole":
    import pyshacl, rdflib
    from harmonize.schema.shapes import shapes_turtle
    g = rdflib.Graph().parse(out, format="nt")
    shapes = rdflib.Graph().parse(data=shapes_turtle(schema), format="turtle")
    conforms, _, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", allow_warnings=True)
    n, triples = 0, len(g)
else:
    from harmonize.validation.run import validate_file
    r = validate_file(out, schema)
    n, triples = r.records, r.triples
dt = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_SELF)
cpu = ru.ru_utime - ru0.ru_utime + ru.ru_stime - ru0.ru_stime
# VmHWM: this process's own peak (ru_maxrss keeps the forking parent's peak across exec)
with open("/proc/self/status") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
print(json.dumps({"n": n, "triples": triples, "seconds": dt, "cpu": cpu,
                  "peak_mb": int(hwm.split()[1]) / 1024}))
"""


def _step(kind: str, table: Path, out: Path, cols: Path, vals: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", STEP, kind, str(table), str(out), str(cols), str(vals)],
        capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    from make_partner_table import write

    from harmonize.demo.pipeline import run_demo

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--validate-max", type=int, default=1_000_000)
    parser.add_argument(
        "--whole-max", type=int, default=10_000,
        help="also run plain pyshacl on the whole graph (no batches, no ontology checks) up to this size",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = run_demo(work / "demo", say=lambda _: None)
        print(
            "| rows | triples | convert wall s | convert CPU s | rows/s (CPU) | convert peak MB "
            "| validate wall s | validate CPU s | triples/s (CPU) | validate peak MB |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        whole: list[str] = []
        for size in args.sizes:
            table = write(size, work / f"t{size}.csv")
            out = work / f"t{size}.nt"
            c = _step("convert", table, out, demo.columns_sssom, demo.values_sssom)
            if size <= args.validate_max:
                v = _step("validate", table, out, demo.columns_sssom, demo.values_sssom)
                vtext = (
                    f"{v['seconds']:.1f} | {v['cpu']:.1f} | {v['triples'] / v['cpu']:,.0f} "
                    f"| {v['peak_mb']:.0f}"
                )
            else:
                vtext = "- | - | - | -"
            print(
                f"| {size:,} | {c['triples']:,.0f} | {c['seconds']:.1f} | {c['cpu']:.1f} "
                f"| {c['n'] / c['cpu']:,.0f} | {c['peak_mb']:.0f} | {vtext} |",
                flush=True,
            )
            if size <= args.whole_max:
                w = _step("whole", table, out, demo.columns_sssom, demo.values_sssom)
                whole.append(
                    f"| {size:,} | {w['triples']:,.0f} | {w['seconds']:.1f} | {w['cpu']:.1f} "
                    f"| {w['triples'] / w['cpu']:,.0f} | {w['peak_mb']:.0f} |"
                )
            out.unlink()
            table.unlink()
        if whole:
            print(
                "\nplain pyshacl, whole graph in one rdflib Graph (shapes only, no ontology checks):"
            )
            print("| rows | triples | wall s | CPU s | triples/s (CPU) | peak MB |")
            print("|---:|---:|---:|---:|---:|---:|")
            print("\n".join(whole))


if __name__ == "__main__":
    main()
