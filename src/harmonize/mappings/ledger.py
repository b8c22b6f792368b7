"""The decision ledger: every steward decision, kept safely in an embedded SQLite file.

* Append-only: decisions are never edited; ``undo`` is itself a decision that marks an
  earlier one undone, so the full history (who, when, what they saw) stays auditable.
* Crash-safe: SQLite in WAL mode with ``synchronous=FULL``; each write is one
  transaction, so a kill at any moment loses no committed decision and leaves no
  corrupt file.
* Optimistic versioning: every subject has a version that each write bumps. A writer
  passes the version it saw (``expected_version``); if someone else wrote in between,
  :class:`ConflictError` is raised with the current state instead of overwriting it.
* Open files in git: :meth:`Ledger.export_sssom` writes the decisions as SSSOM (a
  positive and a negative mapping set), :meth:`Ledger.import_sssom` reads them back.

Default location: ``mappings/decisions.sqlite`` in the project folder (see
:func:`default_ledger_path`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import (
    Decision,
    ItemState,
    Reviewer,
    fold,
    new_decision,
    utc_now,
)
from harmonize.mappings.ledger_store import (
    COLUMNS,
    ORDER,
    SELECT,
    ConflictError,
    Connections,
    conflict,
    decision_of,
    decision_values,
    prepare,
)

__all__ = ["LEDGER_FILENAME", "ConflictError", "Ledger", "default_ledger_path", "project_ledger"]

LEDGER_FILENAME = "decisions.sqlite"


def default_ledger_path(project: str | Path | None = None) -> Path:
    """``<project>/mappings/decisions.sqlite`` (project defaults to the current folder)."""
    return Path(project or ".") / "mappings" / LEDGER_FILENAME


def project_ledger(path: str | Path | None = None) -> Ledger | None:
    """The ledger at ``path`` (default: ``mappings/decisions.sqlite`` here) if it exists,
    else None: what ``convert`` passes to
    :func:`harmonize.mappings.replay.reviewed_or_auto`."""
    target = Path(path) if path is not None else default_ledger_path()
    return Ledger.open(target, create=False) if target.is_file() else None


class Ledger(Connections):
    """A decision ledger file. Use :meth:`open`. Each thread gets its own connection,
    so one ledger object is safe to share between threads (and several processes may
    use the same file at once)."""

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Ledger:
        """Open (and with ``create``, create) the ledger at ``path``."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise ReviewError("decision ledger not found", path=path)
            path.parent.mkdir(parents=True, exist_ok=True)
        elif path.is_dir():
            raise ReviewError("is a folder, not a decision ledger file", path=path)
        ledger = cls(path)
        try:
            conn = ledger._connect()
            try:
                prepare(conn, path)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise ReviewError(f"not a decision ledger (SQLite): {exc}", path=path) from exc
        return ledger

    # -- reading ---------------------------------------------------------------------
    def _state(self, conn: sqlite3.Connection, subject_id: str) -> ItemState:
        row = conn.execute("SELECT version FROM items WHERE subject_id=?", (subject_id,)).fetchone()
        history = [
            decision_of(r)
            for r in conn.execute(SELECT + " WHERE subject_id=?" + ORDER, (subject_id,))
        ]
        return fold(subject_id, history, version=int(row[0]) if row else 0)

    def state(self, subject_id: str) -> ItemState:
        """The current state of one subject (version 0 and pending if never decided)."""
        with self._read() as conn:
            return self._state(conn, subject_id)

    def states(self) -> dict[str, ItemState]:
        """The state of every subject that has a decision, read in one snapshot."""
        with self._read() as conn:
            conn.execute("BEGIN")
            versions = dict(conn.execute("SELECT subject_id, version FROM items").fetchall())
            grouped: dict[str, list[Decision]] = {}
            for row in conn.execute(SELECT + ORDER):
                grouped.setdefault(row["subject_id"], []).append(decision_of(row))
            conn.execute("COMMIT")
        return {s: fold(s, h, version=int(versions.get(s, len(h)))) for s, h in grouped.items()}

    def changes_since(self, seq: int) -> tuple[dict[str, ItemState], int]:
        """States of the subjects written after row ``seq``, and the last row number:
        lets a reader keep its copy of :meth:`states` up to date cheaply."""
        with self._read() as conn:
            conn.execute("BEGIN")
            last = int(conn.execute("SELECT coalesce(max(seq), 0) FROM decisions").fetchone()[0])
            subjects = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT subject_id FROM decisions WHERE seq > ?", (seq,)
                )
            ]
            states = {s: self._state(conn, s) for s in subjects}
            conn.execute("COMMIT")
        return states, last

    def decisions(self) -> list[Decision]:
        """Every decision ever recorded, in order (including undone ones and undos)."""
        with self._read() as conn:
            return [decision_of(r) for r in conn.execute(SELECT + ORDER)]

    def stamp(self) -> tuple[int, int]:
        """(last row number, row count): changes whenever anything is written."""
        with self._read() as conn:
            row = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM decisions").fetchone()
            return int(row[0]), int(row[1])

    def __len__(self) -> int:
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM decisions").fetchone()[0])

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` (``"ok"`` when the file is sound)."""
        with self._read() as conn:
            return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))

    # -- writing ---------------------------------------------------------------------
    def _insert(self, conn: sqlite3.Connection, decision: Decision) -> None:
        values = decision_values(decision)
        conn.execute(
            f"INSERT INTO decisions ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COLUMNS)})",
            values,
        )

    def _bump(self, conn: sqlite3.Connection, subject_id: str) -> None:
        conn.execute(
            "INSERT INTO items (subject_id, version) VALUES (?, 1) "
            "ON CONFLICT(subject_id) DO UPDATE SET version = version + 1",
            (subject_id,),
        )

    def _check(self, conn: sqlite3.Connection, subject_id: str, expected: int | None) -> None:
        if expected is None:
            return
        current = self._state(conn, subject_id)
        if current.version != expected:
            raise conflict(current, expected, self.path)

    def _apply(self, conn: sqlite3.Connection, decision: Decision, expected: int | None) -> None:
        self._check(conn, decision.subject_id, expected)
        stamped = replace(decision, created_at=utc_now())  # stamped inside the lock: ordered
        if stamped.action == "undo":
            if not stamped.target_uid:
                raise ReviewError("an undo needs the decision it cancels", path=self.path)
            cur = conn.execute(
                "UPDATE decisions SET undone=1 WHERE uid=? AND subject_id=? AND undone=0 "
                "AND action != 'undo'",
                (stamped.target_uid, stamped.subject_id),
            )
            if cur.rowcount != 1:
                raise ReviewError(
                    "nothing to undo: that decision is unknown or already undone",
                    path=self.path,
                    value=stamped.target_uid,
                )
        self._insert(conn, stamped)
        self._bump(conn, stamped.subject_id)

    def record(self, decision: Decision, *, expected_version: int | None = None) -> ItemState:
        """Append ``decision`` and return the subject's new state.

        With ``expected_version`` (the version the reviewer saw), a stale write raises
        :class:`ConflictError` and changes nothing. The decision is re-stamped with the
        time it was committed, so history order is commit order.
        """
        with self._write() as conn:
            self._apply(conn, decision, expected_version)
            return self._state(conn, decision.subject_id)

    def record_many(
        self, items: Sequence[tuple[Decision, int | None]]
    ) -> tuple[list[ItemState], list[ConflictError]]:
        """Record several decisions in ONE transaction (bulk accept).

        Items whose version is stale are skipped and returned as conflicts; the others
        are all committed together.
        """
        done: list[ItemState] = []
        conflicts: list[ConflictError] = []
        with self._write() as conn:
            for decision, expected in items:
                try:
                    self._apply(conn, decision, expected)
                except ConflictError as exc:
                    conflicts.append(exc)
                    continue
                done.append(self._state(conn, decision.subject_id))
        return done, conflicts

    def undo(
        self, subject_id: str, who: Reviewer, *, expected_version: int | None = None
    ) -> ItemState:
        """Undo ``who``'s latest decision on ``subject_id`` that is still in effect (never
        someone else's)."""
        with self._write() as conn:
            self._check(conn, subject_id, expected_version)
            state = self._state(conn, subject_id)
            own = [
                d
                for d in state.history
                if d.reviewer_id == who.id and not d.undone and d.action != "undo"
            ]
            if not own:
                raise ReviewError("nothing of yours to undo on this item", value=subject_id)
            self._apply(conn, self._undo_of(own[-1], who), None)
            return self._state(conn, subject_id)

    def last_own(self, who: Reviewer) -> tuple[Decision, int] | None:
        """``who``'s most recent decision still in effect and its subject's version."""
        with self._read() as conn:
            conn.execute("BEGIN")
            found = self._last_own(conn, who)
            conn.execute("COMMIT")
            return found

    def _last_own(self, conn: sqlite3.Connection, who: Reviewer) -> tuple[Decision, int] | None:
        row = conn.execute(
            SELECT + " WHERE reviewer_id=? AND undone=0 AND action != 'undo' "
            "ORDER BY created_at DESC, seq DESC LIMIT 1",
            (who.id,),
        ).fetchone()
        if row is None:
            return None
        target = decision_of(row)
        return target, self._state(conn, target.subject_id).version

    def undo_last(
        self,
        who: Reviewer,
        *,
        target_uid: str | None = None,
        expected_version: int | None = None,
    ) -> ItemState | None:
        """Undo ``who``'s most recent decision that is still in effect (None if none).

        ``target_uid`` and ``expected_version`` are what the reviewer's page showed: that
        decision and its subject's version. If ``who`` decided since (another tab) or
        anyone wrote to that subject since, :class:`ConflictError` is raised and nothing
        is undone.
        """
        with self._write() as conn:
            found = self._last_own(conn, who)
            if found is None:
                return None
            target, _ = found
            if target_uid is not None and target.uid != target_uid:
                state = self._state(conn, target.subject_id)
                raise ConflictError(
                    "your last decision is no longer the one this page showed (decided in "
                    "another tab?); nothing was undone",
                    state=state,
                    expected=expected_version or 0,
                    path=self.path,
                )
            self._check(conn, target.subject_id, expected_version)
            self._apply(conn, self._undo_of(target, who), None)
            return self._state(conn, target.subject_id)

    @staticmethod
    def _undo_of(target: Decision, who: Reviewer) -> Decision:
        return new_decision(
            target.subject_id,
            "undo",
            who,
            subject_label=target.subject_label,
            object_id=target.object_id,
            object_label=target.object_label,
            comment=f"undo {target.action}",
            mapping_set_id=target.mapping_set_id,
            target_uid=target.uid,
        )

    def import_decisions(self, decisions: Iterable[Decision]) -> int:
        """Add decisions made elsewhere (another ledger, an SSSOM file), keeping their
        times; decisions already present (same uid) are skipped. Returns how many were
        added."""
        added = 0
        with self._write() as conn:
            for decision in decisions:
                if decision.action == "undo":
                    continue
                known = conn.execute(
                    "SELECT 1 FROM decisions WHERE uid=?", (decision.uid,)
                ).fetchone()
                if known:
                    continue
                self._insert(conn, replace(decision, undone=False))
                self._bump(conn, decision.subject_id)
                added += 1
        return added

    # -- SSSOM -----------------------------------------------------------------------
    def export_sssom(
        self,
        directory: str | Path | None = None,
        *,
        stem: str = "decisions",
        set_id: str = "https://w3id.org/harmonize/mappings/decisions",
    ) -> tuple[Path, Path]:
        """Write ``<stem>.sssom.tsv`` (accepted / replaced / no suitable term) and
        ``<stem>.negative.sssom.tsv`` (rejections) atomically into ``directory``
        (default: the ledger's folder). Returns both paths."""
        from harmonize.mappings.ledger_sssom import export_sssom

        folder = Path(directory) if directory is not None else self.path.parent
        return export_sssom(self.states().values(), folder, stem=stem, set_id=set_id)

    def import_sssom(self, *paths: str | Path) -> int:
        """Import decisions from SSSOM files written by :meth:`export_sssom` (or any
        ``semapv:ManualMappingCuration`` rows). Returns how many decisions were added."""
        from harmonize.mappings.ledger_sssom import read_decisions

        return self.import_decisions(read_decisions(paths))
