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

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import (
    Decision,
    ItemState,
    Reviewer,
    decisions_from_sssom,
    decisions_to_sssom,
    fold,
    new_decision,
    utc_now,
    with_seq,
)

__all__ = ["LEDGER_FILENAME", "ConflictError", "Ledger", "default_ledger_path", "project_ledger"]

LEDGER_FILENAME = "decisions.sqlite"
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    subject_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    subject_id TEXT NOT NULL,
    subject_label TEXT,
    action TEXT NOT NULL
        CHECK (action IN ('accept', 'replace', 'reject', 'none', 'defer', 'undo')),
    object_id TEXT,
    object_label TEXT,
    predicate_id TEXT NOT NULL,
    reviewer_id TEXT NOT NULL,
    reviewer_label TEXT,
    created_at TEXT NOT NULL,
    comment TEXT,
    confidence REAL,
    evidence TEXT,
    shown TEXT NOT NULL DEFAULT '[]',
    mapping_set_id TEXT,
    target_uid TEXT,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS decisions_subject ON decisions (subject_id, created_at, seq);
CREATE INDEX IF NOT EXISTS decisions_reviewer ON decisions (reviewer_id, seq);
"""
_COLUMNS = (
    "uid",
    "subject_id",
    "subject_label",
    "action",
    "object_id",
    "object_label",
    "predicate_id",
    "reviewer_id",
    "reviewer_label",
    "created_at",
    "comment",
    "confidence",
    "evidence",
    "shown",
    "mapping_set_id",
    "target_uid",
)
_SELECT = f"SELECT seq, undone, {', '.join(_COLUMNS)} FROM decisions"
_ORDER = " ORDER BY created_at, seq"


def default_ledger_path(project: str | Path | None = None) -> Path:
    """``<project>/mappings/decisions.sqlite`` (project defaults to the current folder)."""
    return Path(project or ".") / "mappings" / LEDGER_FILENAME


def project_ledger(path: str | Path | None = None) -> Ledger | None:
    """The ledger at ``path`` (default: ``mappings/decisions.sqlite`` here) if it exists,
    else None: what ``convert`` passes to
    :func:`harmonize.mappings.replay.reviewed_or_auto`."""
    target = Path(path) if path is not None else default_ledger_path()
    return Ledger.open(target, create=False) if target.is_file() else None


class ConflictError(ReviewError):
    """Someone else decided on the same subject since this writer last looked."""

    def __init__(self, message: str, *, state: ItemState, expected: int, path: Path) -> None:
        super().__init__(message, path=path, value=state.subject_id)
        self.state = state
        self.expected = expected


def _decision(row: sqlite3.Row) -> Decision:
    values = {c: row[c] for c in _COLUMNS}
    values["shown"] = tuple(json.loads(values["shown"] or "[]"))
    return with_seq(Decision(**values), int(row["seq"]), undone=bool(row["undone"]))


class Ledger:
    """A decision ledger file. Use :meth:`open`. Each thread gets its own connection,
    so one ledger object is safe to share between threads (and several processes may
    use the same file at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (others close when their thread's object goes)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()

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
                conn.execute("PRAGMA journal_mode=WAL")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > _SCHEMA_VERSION:
                    raise ReviewError(
                        f"ledger was written by a newer harmonize (schema {version})", path=path
                    )
                if version < _SCHEMA_VERSION:
                    conn.executescript(
                        "BEGIN IMMEDIATE;"
                        + _SCHEMA
                        + f"PRAGMA user_version={_SCHEMA_VERSION}; COMMIT;"
                    )
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise ReviewError(f"not a decision ledger (SQLite): {exc}", path=path) from exc
        return ledger

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise ReviewError(f"cannot read the decision ledger: {exc}", path=self.path) from exc
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: all of it is committed, or none of it."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ReviewError(f"cannot write the decision ledger: {exc}", path=self.path) from exc

    # -- reading ---------------------------------------------------------------------
    def _state(self, conn: sqlite3.Connection, subject_id: str) -> ItemState:
        row = conn.execute("SELECT version FROM items WHERE subject_id=?", (subject_id,)).fetchone()
        history = [
            _decision(r)
            for r in conn.execute(_SELECT + " WHERE subject_id=?" + _ORDER, (subject_id,))
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
            for row in conn.execute(_SELECT + _ORDER):
                grouped.setdefault(row["subject_id"], []).append(_decision(row))
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
            return [_decision(r) for r in conn.execute(_SELECT + _ORDER)]

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
        values = [getattr(decision, c) for c in _COLUMNS]
        values[_COLUMNS.index("shown")] = json.dumps(list(decision.shown))
        conn.execute(
            f"INSERT INTO decisions ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
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
            last = current.last
            latest = ""
            if last is not None:
                term = last.object_label or last.object_id or ""
                latest = (
                    f": {last.reviewer_label or last.reviewer_id} recorded "
                    f"{last.action} {term}".rstrip()
                    + f" at {last.created_at[:19].replace('T', ' ')} UTC"
                )
            raise ConflictError(
                f"this item changed since you opened it (version {expected}, now "
                f"{current.version}){latest}",
                state=current,
                expected=expected,
                path=self.path,
            )

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
        """Undo the latest effective decision on ``subject_id``."""
        with self._write() as conn:
            state = self._state(conn, subject_id)
            if expected_version is not None:
                self._check(conn, subject_id, expected_version)
            live = [d for d in state.history if not d.undone and d.action != "undo"]
            if not live:
                raise ReviewError("nothing to undo on this item", value=subject_id)
            target = live[-1]
            self._apply(conn, self._undo_of(target, who), None)
            return self._state(conn, subject_id)

    def undo_last(self, who: Reviewer) -> ItemState | None:
        """Undo ``who``'s most recent decision that is still in effect (None if none)."""
        with self._write() as conn:
            row = conn.execute(
                _SELECT + " WHERE reviewer_id=? AND undone=0 AND action != 'undo' "
                "ORDER BY created_at DESC, seq DESC LIMIT 1",
                (who.id,),
            ).fetchone()
            if row is None:
                return None
            target = _decision(row)
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
        from harmonize.mappings.sssom_io import write_sssom

        folder = Path(directory) if directory is not None else self.path.parent
        positive, negative = decisions_to_sssom(self.states().values(), set_id=set_id)
        return (
            write_sssom(positive, folder / f"{stem}.sssom.tsv"),
            write_sssom(negative, folder / f"{stem}.negative.sssom.tsv"),
        )

    def import_sssom(self, *paths: str | Path) -> int:
        """Import decisions from SSSOM files written by :meth:`export_sssom` (or any
        ``semapv:ManualMappingCuration`` rows). Returns how many decisions were added."""
        from harmonize.mappings.sssom_io import read_sssom

        found: list[Decision] = []
        for path in paths:
            found.extend(decisions_from_sssom(read_sssom(path)))
        found.sort(key=lambda d: d.created_at)
        return self.import_decisions(found)
