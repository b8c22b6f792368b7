"""A worker killed mid-convert; a scheduler and workers started as separate processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harmonize.cli import main
from harmonize.conversion.compare import canonical_lines
from harmonize.conversion.manifest import Manifest, part_files
from harmonize.scale.convert import convert_distributed

CONVERT = Path(__file__).resolve().parents[1] / "data" / "convert"
BIN = Path(sys.executable).parent


def _busy_worker(client: Any) -> str | None:
    for worker, tasks in client.processing().items():
        if any(str(t).startswith("convert_task") for t in tasks):
            return str(worker)
    return None


def test_a_worker_killed_mid_convert_is_retried(client: Any, table: Path, schema: Any, sets: Any, tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "out"
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["summary"] = convert_distributed(client, [table], schema, sets, folder, rows_per_part=150)  # fmt: skip
        except BaseException as exc:  # the test reports it below
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    pids = client.run(os.getpid)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and thread.is_alive() and time.monotonic() < deadline:
        busy = _busy_worker(client)
        if busy is not None and (folder / "manifest.json").is_file():
            os.kill(pids[busy], signal.SIGKILL)  # mid-task: it holds a convert task now
            killed = busy
        time.sleep(0.05)
    thread.join(timeout=300)
    assert killed is not None, "no worker was caught running a convert task"
    assert "error" not in outcome, outcome.get("error")
    manifest = Manifest.read(folder)
    assert manifest.complete
    files = part_files(folder, verify=True)  # each part once, none half-written
    assert len({f.name for f in files}) == len(files) == outcome["summary"].rows // 150 + 2
    assert not list(folder.glob(".*.tmp"))
    assert outcome["summary"].rows == 3001


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes on loopback."""
    import json

    folder = tmp_path_factory.mktemp("cluster")
    info = folder / "scheduler.json"
    dask = str(BIN / "dask")
    procs = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--dashboard-address",
                ":0",
                "--scheduler-file",
                str(info),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        from distributed import Client

        with Client(address) as probe:
            probe.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def test_cli_on_a_scheduler_and_worker_processes(scheduler: str, table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    maps = ["--mappings", str(CONVERT / "columns.sssom.tsv"), "--mappings", str(CONVERT / "values.sssom.tsv")]  # fmt: skip
    assert main(["convert", str(table), *maps, "-o", str(tmp_path / "one.nt")]) == 0
    code = main(["convert", str(table), *maps, "-o", str(tmp_path / "many"), "--dask", scheduler, "--partition-rows", "500"])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "Dask dashboard: http://" in err
    files = part_files(tmp_path / "many", verify=True)
    assert canonical_lines(files) == canonical_lines([tmp_path / "one.nt"])
    one = main(["validate", str(tmp_path / "one.nt"), "--no-ontology-checks", "--limit", "100000"])  # fmt: skip
    text_one = capsys.readouterr().out.splitlines()
    many = main(["validate", str(tmp_path / "many"), "--no-ontology-checks", "--limit", "100000", "--dask", scheduler])  # fmt: skip
    text_many = capsys.readouterr().out.splitlines()
    assert one == many == 1  # violations in both
    assert sorted(text_one[1:]) == sorted(text_many[1:])  # same problems, line for line
    assert text_one[0].split(":", 1)[1] == text_many[0].split(":", 1)[1]  # records, triples


def test_ground_on_worker_processes_matches_one_machine(scheduler: str, tmp_path: Path) -> None:
    terms = tmp_path / "terms.txt"
    terms.write_text("seizure\nfits\nshort stature\nHypotonia\nxyzzy\nseizure\n")
    ontology = str(Path(__file__).resolve().parents[1] / "data" / "grounding" / "hp-mini.obo")
    assert main(["ground", str(terms), "--ontology", ontology, "-o", str(tmp_path / "a.tsv")]) == 0
    assert main(["ground", str(terms), "--ontology", ontology, "-o", str(tmp_path / "b.tsv"), "--dask", scheduler]) == 0  # fmt: skip
    body = [(tmp_path / n).read_text().split("\n#")[-1] for n in ("a.tsv", "b.tsv")]
    assert body[0] == body[1] and "seizure" in body[0]


def test_an_unreachable_scheduler_is_a_one_line_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:  # fmt: skip
    code = main(["validate", str(CONVERT / "conforming.ttl"), "--dask", "tcp://127.0.0.1:9"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("harmonize: error:") and "Dask scheduler" in err[-1]
