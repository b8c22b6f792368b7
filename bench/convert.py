"""Benchmark: convert rows/s and validate triples/s at 10k / 100k / 1M rows, peak memory.

    .venv/bin/python bench/convert.py [--sizes 10000 100000 1000000] [--validate-max 100000]

Tables are synthesized by bench/make_partner_table.py (the demo table's generator);
the mapping sets are the demo's (run once on the 300-row table). Each step runs in a
child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
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
if kind == "convert":
    from harmonize.convert.run import convert_table
    s = convert_table(table, schema, [(read_sssom(cols), Path(cols)), (read_sssom(vals), Path(vals))], out)
    n, triples = s.rows, s.triples
else:
    from harmonize.validate.run import validate_file
    r = validate_file(out, schema)
    n, triples = r.records, r.triples
dt = time.perf_counter() - t
print(json.dumps({"n": n, "triples": triples, "seconds": dt,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _step(kind: str, table: Path, out: Path, cols: Path, vals: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", STEP, kind, str(table), str(out), str(cols), str(vals)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    from make_partner_table import write

    from harmonize.demo.pipeline import run_demo

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--validate-max", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = run_demo(work / "demo", say=lambda _: None)
        print("| rows | convert s | rows/s | triples | convert peak MB | validate s | triples/s | validate peak MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in args.sizes:
            table = write(size, work / f"t{size}.csv")
            out = work / f"t{size}.nt"
            c = _step("convert", table, out, demo.columns_sssom, demo.values_sssom)
            if size <= args.validate_max:
                v = _step("validate", table, out, demo.columns_sssom, demo.values_sssom)
                vtext = f"{v['seconds']:.1f} | {v['triples'] / v['seconds']:,.0f} | {v['peak_mb']:.0f}"
            else:
                vtext = "- | - | -"
            print(
                f"| {size:,} | {c['seconds']:.1f} | {c['n'] / c['seconds']:,.0f} | {c['triples']:,.0f} "
                f"| {c['peak_mb']:.0f} | {vtext} |",
                flush=True,
            )
            out.unlink()
            table.unlink()


if __name__ == "__main__":
    _ = resource, time
    main()
