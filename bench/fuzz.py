"""Fuzz every file-reading command: tracebacks, memory-limit hits, timeouts, clobbered
outputs and over-long messages, counted.

One command (from the repository root)::

    .venv/bin/python bench/fuzz.py                       # seed 15, 12 mutations per command
    .venv/bin/python bench/fuzz.py --seed 7 --mutations 30 --only validate publish

Each case is ``harmonize COMMAND INPUT`` in its own process under a 3 GiB address-space
limit (``RLIMIT_AS``) and a timeout, with the command's outputs pre-filled with a sentinel:
the hand-made hostile inputs of the input's kind (``harmonize.testing.fuzz_inputs.HOSTILE``:
deep YAML/JSON, YAML aliases, "billion laughs" and quadratic entity blow-up, gzip/zstd and
xlsx bombs, a one-cell-at-XFD1048576 workbook, a BOM-only CSV, a folder...) and seeded
mutations of the valid fixtures in tests/data. Every count is measured by classifying each
run (see ``harmonize.testing.fuzz_run``); the problem cases are listed below the table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harmonize.testing.fuzz_run import TARGETS, by_target, fuzz_cases, run_case, summarize

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
COLUMNS = ("runs", "completed", "clean errors", "traceback", "memory", "timeout", "clobbered",
           "long_message")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--mutations", type=int, default=12, help="per command (12)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run (60)")
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (2)")
    parser.add_argument("--only", nargs="*", help="commands whose name starts with these")
    args = parser.parse_args()
    targets = [t for t in TARGETS if not args.only or t.name.startswith(tuple(args.only))]
    cases = fuzz_cases(DATA, seed=args.seed, mutations=args.mutations, targets=targets)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="harmonize-fuzz-") as tmp:

        def one(numbered: tuple[int, object]) -> object:
            n, case = numbered
            return run_case(case, Path(tmp) / f"case{n}", DATA, timeout=args.timeout)  # type: ignore[arg-type]

        with ThreadPoolExecutor(args.jobs) as pool:
            outcomes = list(pool.map(one, enumerate(cases)))
    elapsed = time.perf_counter() - started
    print(
        f"harmonize fuzz: seed {args.seed}, {args.mutations} mutations per command, "
        f"{len(cases)} runs in {elapsed:.0f} s, address space <= 3 GiB, timeout {args.timeout:g} s"
    )
    width = max(len(t.name) for t in targets) + 2
    print("command".ljust(width) + "".join(c.rjust(14) for c in COLUMNS))
    for name, counts in [*by_target(outcomes), ("TOTAL", summarize(outcomes))]:  # type: ignore[arg-type]
        print(name.ljust(width) + "".join(str(counts[c]).rjust(14) for c in COLUMNS))
    bad = [o for o in outcomes if o.problems]  # type: ignore[attr-defined]
    for outcome in bad:
        tail = " | ".join(outcome.stderr_tail.strip().splitlines()[-2:])[:300]
        print(
            f"  {outcome.case.target.name} <- {outcome.case.origin} ({outcome.case.name}): "
            f"{', '.join(outcome.problems)} rc={outcome.returncode}: {tail}"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
