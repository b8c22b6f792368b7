"""The decision ledger as the service sees it: states kept fresh cheaply, decisions added.

The ledger file may not exist yet (nothing decided): reading then gives no states, and
the first decision written back creates it. Other programs (``harmonize review``) may
write to the same file while the service runs; :meth:`LedgerView.states` picks their
decisions up through :meth:`~harmonize.mappings.ledger.Ledger.changes_since`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.decisions import Decision, ItemState
    from harmonize.mappings.ledger import Ledger

__all__ = ["LedgerView"]


class LedgerView:
    """A ledger file (or none), with a cached copy of every subject's state."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._ledger: Ledger | None = None
        self._states: dict[str, ItemState] = {}
        self._seq = 0
        self._lock = threading.Lock()

    def _open(self, *, create: bool) -> Ledger | None:
        if self._ledger is None and self.path is not None and (create or self.path.is_file()):
            from harmonize.mappings.ledger import Ledger

            self._ledger = Ledger.open(self.path, create=create)
        return self._ledger

    def states(self) -> dict[str, ItemState]:
        """Every decided subject's current state (a copy the caller may keep)."""
        with self._lock:
            ledger = self._open(create=False)
            if ledger is None:
                return {}
            changed, last = ledger.changes_since(self._seq)
            self._states.update(changed)
            self._seq = last
            return dict(self._states)

    def state(self, subject_id: str) -> ItemState | None:
        with self._lock:
            ledger = self._open(create=False)
            return ledger.state(subject_id) if ledger is not None else None

    def record(self, decisions: Sequence[Decision]) -> list[ItemState]:
        """Append ``decisions`` in one transaction (the ledger is created if needed)."""
        from harmonize.errors import ReconcileError

        with self._lock:
            ledger = self._open(create=True)
            if ledger is None:
                raise ReconcileError("this service has no decision ledger", status=409)
            done, conflicts = ledger.record_many([(d, None) for d in decisions])
        if conflicts:  # pragma: no cover - no expected version is passed, so none conflict
            raise conflicts[0]
        return done

    def import_decisions(self, decisions: Sequence[Decision]) -> int:
        """Add decisions with stable uids (an import): ones already there are skipped."""
        from harmonize.errors import ReconcileError

        with self._lock:
            ledger = self._open(create=True)
            if ledger is None:
                raise ReconcileError("this service has no decision ledger", status=409)
            return ledger.import_decisions(decisions)
