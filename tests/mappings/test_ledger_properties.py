"""Property test: whatever stewards do, the ledger's state is the fold of what is in effect."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.mappings.decisions import CHOOSING, new_decision, reviewer
from harmonize.mappings.ledger import Ledger

SUBJECTS = ("local:t/a-1", "local:t/b-2", "local:t/c-3")
TERMS = ("UBERON:1", "UBERON:2", "UBERON:3")
WHO = (reviewer("Ada"), reviewer("Ben"))

op = st.tuples(
    st.sampled_from(("accept", "replace", "reject", "none", "defer", "undo")),
    st.sampled_from(SUBJECTS),
    st.sampled_from(TERMS),
    st.sampled_from(WHO),
)


def _expected(
    effective: list[tuple[str, str, str]],
) -> dict[str, tuple[str, str | None, frozenset[str]]]:
    """A naive model: per subject, (status, chosen, rejected) from the effective list."""
    out = {}
    for subject in SUBJECTS:
        status, chosen, rejected = "pending", None, set()
        for action, subj, term in effective:
            if subj != subject:
                continue
            if action == "reject":
                rejected.add(term)
                if chosen == term:
                    status, chosen = "pending", None
            elif action in CHOOSING:
                rejected.discard(term)
                status, chosen = ("accepted" if action == "accept" else "replaced"), term
            else:
                status, chosen = ("no_term" if action == "none" else "deferred"), None
        out[subject] = (status, chosen, frozenset(rejected))
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=14))
def test_state_is_the_fold_of_effective_decisions(ops: list[tuple[str, str, str, object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger.open(Path(folder) / "d.sqlite")
        effective: list[tuple[str, str, str, object]] = []  # (action, subject, term, who)
        for action, subject, term, who in ops:
            if action == "undo":
                state = ledger.undo_last(who)  # type: ignore[arg-type]
                mine = [i for i, e in enumerate(effective) if e[3] == who]
                if not mine:
                    assert state is None
                    continue
                removed = effective.pop(mine[-1])
                assert state is not None and state.subject_id == removed[1]
                continue
            seen = ledger.state(subject).version
            ledger.record(
                new_decision(subject, action, who, object_id=term),  # type: ignore[arg-type]
                expected_version=seen,
            )
            effective.append(
                (action, subject, term if action != "none" else "sssom:NoTermFound", who)
            )
        expected = _expected([(a, s, t) for a, s, t, _ in effective])
        states = ledger.states()
        for subject in SUBJECTS:
            state = states.get(subject)
            got = (
                (state.status, state.chosen, state.rejected)
                if state
                else ("pending", None, frozenset())
            )
            assert got == expected[subject]
            if state is not None:  # every write bumped the version exactly once
                assert state.version == len(state.history)
        ledger.close()
