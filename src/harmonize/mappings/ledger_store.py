"""The decision ledger's SQLite file: connections and transactions, its tables, their
migration, rows <-> decisions, and the conflict a stale write raises.

Schema 2 (this one) adds the ``assign`` and ``second_opinion`` actions and the ``also``
column (more terms of one decision); a schema-1 file is migrated in place, in one
transaction, the first time a newer harmonize opens it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import ACTIONS, Decision, ItemState, with_seq

__all__ = [
    "COLUMNS",
    "ORDER",
    "SCHEMA_VERSION",
    "SELECT",
    "ConflictError",
    "Connections",
    "conflict",
    "decision_of",
    "decision_values",
    "prepare",
]

SCHEMA_VERSION = 2
_ACTIONS_SQL = ", ".join(f"'{a}'" for a in ACTIONS)
_DECISIONS = f"""
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    subject_id TEXT NOT NULL,
    subject_label TEXT,
    action TEXT NOT NULL CHECK (action IN ({_ACTIONS_SQL})),
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
    undone INTEGER NOT NULL DEFAULT 0,
    also TEXT NOT NULL DEFAULT '[]'
);
"""
_INDEXES = """
CREATE TABLE IF NOT EXISTS items (
    subject_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_subject ON decisions (subject_id, created_at, seq);
CREATE INDEX IF NOT EXISTS decisions_reviewer ON decisions (reviewer_id, seq);
"""
_V1_COLUMNS = (
    "seq, uid, subject_id, subject_label, action, object_id, object_label, predicate_id, "
    "reviewer_id, reviewer_label, created_at, comment, confidence, evidence, shown, "
    "mapping_set_id, target_uid, undone"
)
#: Decision fields stored in a column of the same name.
COLUMNS = (
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
    "also",
)
SELECT = f"SELECT seq, undone, {', '.join(COLUMNS)} FROM decisions"
ORDER = " ORDER BY created_at, seq"


def prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Create the tables of a new file, or migrate an older one (one transaction)."""
    conn.execute("PRAGMA journal_mode=WAL")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise ReviewError(f"ledger was written by a newer harmonize (schema {version})", path=path)
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])  # under the lock
        if version == 1:
            conn.execute("ALTER TABLE decisions RENAME TO decisions_v1")
            conn.execute("DROP INDEX IF EXISTS decisions_subject")
            conn.execute("DROP INDEX IF EXISTS decisions_reviewer")
            conn.execute(_DECISIONS)
            conn.execute(
                f"INSERT INTO decisions ({_V1_COLUMNS}) SELECT {_V1_COLUMNS} FROM decisions_v1"
            )
            conn.execute("DROP TABLE decisions_v1")
        elif version == 0:
            conn.execute(_DECISIONS)
        for statement in _INDEXES.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def decision_of(row: sqlite3.Row) -> Decision:
    """The decision stored in ``row`` (a :data:`SELECT` result)."""
    values = {c: row[c] for c in COLUMNS}
    values["shown"] = tuple(json.loads(values["shown"] or "[]"))
    values["also"] = tuple((str(t), label) for t, label in json.loads(values["also"] or "[]"))
    return with_seq(Decision(**values), int(row["seq"]), undone=bool(row["undone"]))


def decision_values(decision: Decision) -> list[object]:
    """The values of :data:`COLUMNS` to store for ``decision``."""
    values: list[object] = [getattr(decision, c) for c in COLUMNS]
    values[COLUMNS.index("shown")] = json.dumps(list(decision.shown))
    values[COLUMNS.index("also")] = json.dumps([list(pair) for pair in decision.also])
    return values


class ConflictError(ReviewError):
    """Someone else decided on the same subject since this writer last looked."""

    def __init__(self, message: str, *, state: ItemState, expected: int, path: Path) -> None:
        super().__init__(message, path=path, value=state.subject_id)
        self.state = state
        self.expected = expected


def conflict(current: ItemState, expected: int, path: Path) -> ConflictError:
    """The error for a write that expected version ``expected`` of ``current``."""
    last = current.last
    latest = ""
    if last is not None:
        term = last.object_label or last.object_id or ""
        latest = (
            f": {last.reviewer_label or last.reviewer_id} recorded {last.action} {term}".rstrip()
            + f" at {last.created_at[:19].replace('T', ' ')} UTC"
        )
    return ConflictError(
        f"this item changed since you opened it (version {expected}, now "
        f"{current.version}){latest}",
        state=current,
        expected=expected,
        path=path,
    )


class Connections:
    """One SQLite connection per thread to the file at ``path`` (so one object is safe
    to share between threads), and the transactions the ledger reads and writes in."""

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
