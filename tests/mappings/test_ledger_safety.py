"""The ledger under pressure: concurrent reviewers, and a process killed mid-write."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import ConflictError, Ledger

SUBJECTS = [f"local:tissue/value_{i:03d}-abc{i:03d}" for i in range(40)]


def test_two_reviewers_on_the_same_items_lose_nothing(tmp_path: Path) -> None:
    """Both stewards open every item at the same version and decide at the same time:
    exactly one write per item wins, the other gets a conflict, and after reloading
    (the version the conflict reports) the loser's decision is recorded too."""
    path = tmp_path / "decisions.sqlite"
    Ledger.open(path)
    barrier = threading.Barrier(2)
    committed: dict[str, list[str]] = {"ada": [], "ben": []}
    conflicts: dict[str, int] = {"ada": 0, "ben": 0}
    errors: list[BaseException] = []

    def steward(name: str, action: str) -> None:
        ledger = Ledger.open(path)  # own object, own connections
        who = reviewer(name)
        try:
            for subject in SUBJECTS:
                seen = ledger.state(subject).version
                barrier.wait(timeout=30)
                decision = new_decision(subject, action, who, object_id="UBERON:0002107")  # type: ignore[arg-type]
                try:
                    ledger.record(decision, expected_version=seen)
                except ConflictError as exc:
                    conflicts[name] += 1
                    assert exc.state.version == seen + 1  # the other one's write
                    decision = new_decision(subject, action, who, object_id="UBERON:0002107")  # type: ignore[arg-type]
                    ledger.record(decision, expected_version=exc.state.version)
                committed[name].append(decision.uid)
                barrier.wait(timeout=30)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            barrier.abort()

    threads = [
        threading.Thread(target=steward, args=("ada", "accept")),
        threading.Thread(target=steward, args=("ben", "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert conflicts["ada"] + conflicts["ben"] == len(SUBJECTS)  # one conflict per item
    ledger = Ledger.open(path)
    stored = {d.uid for d in ledger.decisions()}
    assert stored == set(committed["ada"]) | set(committed["ben"])  # nothing lost
    states = ledger.states()
    assert all(states[s].version == 2 and len(states[s].history) == 2 for s in SUBJECTS)


_WRITER = """
import sys
from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger
ledger = Ledger.open(sys.argv[1])
who = reviewer("writer")
batch = 0
while True:
    items = [
        (new_decision(f"local:t/{sys.argv[2]}v{batch}-{i}", "accept", who, object_id="UBERON:0002107",
                      comment="x" * 2000), None)
        for i in range(50)
    ]
    print("begin", batch, flush=True)
    ledger.record_many(items)
    print("commit", batch, flush=True)
    batch += 1
"""


def test_kill_during_writes_loses_no_commit_and_corrupts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "decisions.sqlite"
    in_flight = 0
    attempt = 0
    # several kills at different moments; go on (up to a bound) until at least one landed
    # inside a write, whatever the machine's speed
    while attempt < 3 or (in_flight == 0 and attempt < 12):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), f"a{attempt}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        acknowledged: list[int] = []
        begun: list[int] = []
        for line in proc.stdout:
            kind, number = line.split()
            (acknowledged if kind == "commit" else begun).append(int(number))
            # once enough commits are acknowledged, kill just after the next "begin":
            # the writer is then inside (or just past) its transaction
            if kind == "begin" and len(acknowledged) >= 3 + 2 * (attempt % 3):
                break
        time.sleep(0.002 * (attempt % 4))  # land at different points of the transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        # what it said before it died, whole lines only: a line cut by the kill ("commit"
        # without its number) acknowledged nothing
        tail = [x.split() for x in proc.stdout.read().split("\n")[:-1]]
        proc.stdout.close()
        begun += [int(x[1]) for x in tail if len(x) == 2 and x[0] == "begin"]
        acknowledged += [int(x[1]) for x in tail if len(x) == 2 and x[0] == "commit"]
        ledger = Ledger.open(path)
        assert ledger.integrity_check() == "ok"
        decisions = [
            d for d in ledger.decisions() if d.subject_id.startswith(f"local:t/a{attempt}")
        ]
        assert len(decisions) % 50 == 0  # whole transactions only, never half of one
        assert len(decisions) >= 50 * len(acknowledged)
        subjects = {d.subject_id for d in decisions}
        for batch in acknowledged:  # every acknowledged commit survived
            assert {f"local:t/a{attempt}v{batch}-0", f"local:t/a{attempt}v{batch}-49"} <= subjects
        if begun and begun[-1] not in acknowledged:  # killed inside this transaction
            in_flight += 1
            rows = sum(
                d.subject_id.startswith(f"local:t/a{attempt}v{begun[-1]}-") for d in decisions
            )
            assert rows in (0, 50)  # all of it or none of it
        # the ledger still takes writes after the crash
        ledger.record(new_decision("local:t/after", "defer", reviewer("me")))
        attempt += 1
    assert in_flight >= 1  # at least one kill really landed inside a write
