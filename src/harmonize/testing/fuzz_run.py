"""Run every file-reading command on hostile inputs, each in a capped subprocess.

Each case runs ``harmonize ...`` in a child process under an address-space limit
(``RLIMIT_AS``, default 3 GiB) and a timeout, with its outputs pre-filled with a sentinel.
The outcome is classified: a traceback (or crash), a memory-limit hit, a timeout, an
output changed or a temporary file left by a FAILED run, a message over 2,000 bytes.
:func:`fuzz_cases` builds the cases deterministically from a seed.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.testing.fuzz_inputs import HOSTILE, Kind, mutate

__all__ = [
    "MEMORY_LIMIT",
    "MESSAGE_LIMIT",
    "SEEDS",
    "TARGETS",
    "Case",
    "Outcome",
    "Target",
    "by_target",
    "fuzz_cases",
    "run_case",
    "summarize",
]

MEMORY_LIMIT = 3 << 30  # address space of each command (the 3 GB)
MESSAGE_LIMIT = 2000  # bytes of one stderr line
SENTINEL = b"sentinel: a failed run must not change this file\n"
_PROBLEMS = ("traceback", "memory", "timeout", "clobbered", "long_message")


@dataclass(frozen=True, slots=True)
class Target:
    """A command that reads a file of ``kind``: argv built from the input and a workdir."""

    name: str
    kind: Kind
    argv: Callable[[Path, Path, Path], list[str]]  # (input, workdir, data dir) -> args
    outputs: tuple[str, ...] = ()  # files in workdir/out the command writes
    completed: tuple[int, ...] = (0,)  # exit codes of a run that did its work


def _t(
    name: str,
    kind: Kind,
    outputs: tuple[str, ...],
    argv: Callable[..., list[str]],
    completed: tuple[int, ...] = (0,),
) -> Target:
    return Target(name, kind, argv, outputs, completed)


_CONVERT = "convert"
TARGETS: tuple[Target, ...] = (
    _t("privacy scan", "table", ("report.json",), lambda i, w, d: [
        "privacy", "scan", str(i), "-o", str(w / "out/report.json"),
        "--write-policy", str(w / "out/new-policy.yaml")]),
    _t("privacy apply", "table", ("safe.csv", "safe.csv.provenance.json"), lambda i, w, d: [
        "privacy", "apply", str(i), "--policy", str(d / "privacy/privacy-policy.yaml"),
        "-o", str(w / "out/safe.csv")]),
    _t("privacy apply --policy", "yaml", ("safe.csv", "safe.csv.provenance.json"),
       lambda i, w, d: ["privacy", "apply", str(d / "privacy/partner.csv"), "--policy", str(i),
                        "-o", str(w / "out/safe.csv")]),
    _t("match-columns", "table", ("c.sssom.tsv", "v.sssom.tsv"), lambda i, w, d: [
        "match-columns", str(i), "--schema", str(d / "schema/tiny.yaml"), "--quiet",
        "-o", str(w / "out/c.sssom.tsv"), "--values-out", str(w / "out/v.sssom.tsv")]),
    _t("match-columns --schema", "yaml", ("c.sssom.tsv", "v.sssom.tsv"), lambda i, w, d: [
        "match-columns", str(d / "columns/partner.csv"), "--schema", str(i), "--quiet",
        "-o", str(w / "out/c.sssom.tsv"), "--values-out", str(w / "out/v.sssom.tsv")]),
    _t("ground", "table", ("g.sssom.tsv",), lambda i, w, d: [
        "ground", str(i), "--ontology", str(d / "grounding/hp-mini.obo"),
        "-o", str(w / "out/g.sssom.tsv")]),
    _t("ground --ontology", "ontology", ("g.sssom.tsv",), lambda i, w, d: [
        "ground", str(d / "convert/partner.csv"), "--column", "Dx", "--ontology", str(i),
        "-o", str(w / "out/g.sssom.tsv")]),
    _t("ontology info", "ontology", (), lambda i, w, d: ["ontology", "info", str(i), "--no-cache"]),
    _t("ontology list --manifest", "yaml", (), lambda i, w, d: [
        "ontology", "list", "--manifest", str(i)]),
    _t("schema import-gdc", "json", ("gdc.yaml",), lambda i, w, d: [
        "schema", "import-gdc", str(i), "-o", str(w / "out/gdc.yaml")]),
    _t("review --import", "sssom", (), lambda i, w, d: [
        "review", "--import", str(i), "--ledger", str(w / "ledger.sqlite")]),
    _t(_CONVERT, "table", ("x.ttl",), lambda i, w, d: [
        "convert", str(i), "--mappings", str(d / "convert/columns.sssom.tsv"),
        "--mappings", str(d / "convert/values.sssom.tsv"), "-o", str(w / "out/x.ttl")]),
    _t("convert --mappings", "sssom", ("x.ttl",), lambda i, w, d: [
        "convert", str(d / "convert/partner.csv"), "--mappings", str(i),
        "--mappings", str(d / "convert/values.sssom.tsv"), "-o", str(w / "out/x.ttl")]),
    _t("validate", "rdf", ("report.ttl",), lambda i, w, d: [
        "validate", str(i), "--no-ontology-checks", "--report", str(w / "out/report.ttl")],
       completed=(0, 1)),  # 1: the data has violations, the report is written
    _t("publish", "rdf", (), lambda i, w, d: ["publish", str(i), "--store", str(w / "store")]),
)  # fmt: skip

#: Valid files each kind's mutations start from (relative to tests/data).
SEEDS: dict[Kind, tuple[str, ...]] = {
    "table": ("columns/partner.csv", "convert/partner.csv", "columns/gdc_partner.tsv"),
    "yaml": ("schema/tiny.yaml", "privacy/privacy-policy.yaml", "columns/biobank.yaml"),
    "sssom": ("convert/columns.sssom.tsv", "convert/values.sssom.tsv"),
    "json": ("columns/gdc_dictionary_small.json",),
    "ontology": (
        "ontology/pato_mini.obo", "ontology/pato_mini.json", "ontology/human_mini.owl",
        "ontology/human_mini.ttl", "ontology/pato_mini.obo.gz",
    ),
    "rdf": ("convert/conforming.ttl", "convert/violations.ttl"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Case:
    """One command on one input (written to ``name`` in the case's workdir)."""

    target: Target
    name: str
    content: bytes
    origin: str  # "mutation of X (seed N)" or "hostile: name"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one run did; ``problems`` lists the failures of the issue's criteria."""

    case: Case
    returncode: int | None
    stderr_tail: str
    problems: tuple[str, ...] = field(default=())


def fuzz_cases(
    data_dir: Path, *, seed: int, mutations: int, targets: Sequence[Target] = TARGETS
) -> list[Case]:
    """Every hostile case of each target's kind, plus ``mutations`` seeded mutations."""
    rng = random.Random(seed)
    cases: list[Case] = []
    built: dict[str, tuple[str, bytes]] = {}
    for target in targets:
        for make in HOSTILE[target.kind]:
            if make.__name__ not in built:
                built[make.__name__] = make(data_dir)
            name, content = built[make.__name__]
            cases.append(Case(target, name, content, f"hostile: {make.__name__.strip('_')}"))
        for _ in range(mutations):
            source = rng.choice(SEEDS[target.kind])
            content = mutate((data_dir / source).read_bytes(), rng)
            cases.append(Case(target, Path(source).name, content, f"mutation of {source}"))
    return cases


def _limit(memory: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def _prepare(case: Case, workdir: Path) -> tuple[Path, dict[Path, bytes]]:
    (workdir / "out").mkdir(parents=True)
    if case.name.endswith("/"):
        path = workdir / case.name.rstrip("/")
        path.mkdir()
    else:
        path = workdir / case.name
        path.write_bytes(case.content)
    before = {}
    for name in case.target.outputs:
        target = workdir / "out" / name
        target.write_bytes(SENTINEL)
        before[target] = SENTINEL
    return path, before


def _classify(
    case: Case, code: int | None, err: str, workdir: Path, before: dict[Path, bytes]
) -> list[str]:
    problems = []
    if code is None:
        problems.append("timeout")
    elif "MemoryError" in err or "memory allocation of" in err or "Cannot allocate memory" in err:
        problems.append("memory")
    elif "Traceback (most recent call last)" in err or "panicked at" in err or code < 0:
        problems.append("traceback")
    if code not in case.target.completed:
        changed = [p for p, data in before.items() if not p.is_file() or p.read_bytes() != data]
        left = [p for p in (workdir / "out").iterdir() if p not in before]
        if changed or left:
            problems.append("clobbered")
    if any(len(line.encode()) > MESSAGE_LIMIT for line in err.splitlines()):
        problems.append("long_message")
    return problems


def run_case(
    case: Case, workdir: Path, data_dir: Path, *, timeout: float = 60, memory: int = MEMORY_LIMIT
) -> Outcome:
    """Run ``case`` in ``workdir`` (made fresh) and classify what happened."""
    path, before = _prepare(case, workdir)
    argv = [sys.executable, "-m", "harmonize", *case.target.argv(path, workdir, data_dir)]
    env = {**os.environ, "HARMONIZE_PSEUDONYM_KEY": "k" * 32, "PYTHONFAULTHANDLER": ""}
    env["HARMONIZE_CACHE_DIR"] = str(workdir / "cache")
    try:
        done = subprocess.run(
            argv, cwd=workdir, env=env, capture_output=True, timeout=timeout,
            preexec_fn=_limit(memory), stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        code: int | None = done.returncode
        err = done.stderr.decode("utf-8", errors="replace")
    except subprocess.TimeoutExpired as exc:
        code = None
        err = (exc.stderr or b"").decode("utf-8", errors="replace")
    problems = _classify(case, code, err, workdir, before)
    return Outcome(case, code, err[-2400:], tuple(problems))


def summarize(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Counts: runs, failed runs (one-line errors), and each kind of problem."""
    counts: Counter[str] = Counter()
    for outcome in outcomes:
        counts["runs"] += 1
        if not outcome.problems:  # completed its work, or failed in one clean line
            done = outcome.returncode in outcome.case.target.completed
            counts["completed" if done else "clean errors"] += 1
        counts.update(outcome.problems)
    return {key: counts[key] for key in ("runs", "completed", "clean errors", *_PROBLEMS)}


def by_target(outcomes: Sequence[Outcome]) -> Iterator[tuple[str, dict[str, int]]]:
    """:func:`summarize` per command, in :data:`TARGETS` order."""
    for target in dict.fromkeys(o.case.target.name for o in outcomes):
        yield target, summarize([o for o in outcomes if o.case.target.name == target])
