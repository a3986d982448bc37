"""Opening the progress database without ever losing it.

Four situations are told apart, because each needs a different answer:

* another process holds a write lock: wait up to :data:`LOCK_WAIT` seconds, then stop with
  :class:`ProgressBusy` (a busy database is never taken for a corrupt one);
* the file is not a database or fails SQLite's check: it is renamed aside with a timestamp
  and a new one started;
* the database was written by a schema this version does not know: it is renamed aside the
  same way (a newer k8stui can still open it) and a new one started;
* the data folder cannot be written (read-only, full): the saved progress is read into
  memory when it can be, the game plays on, and nothing is saved this session.

The outcome is an :class:`Opened`: the connection, whether it saves, and a notice for the
player when something happened.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
LOCK_WAIT = 5.0
"""Seconds to wait for another process's write lock before giving up."""
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS progress (
    pack TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    best_stars INTEGER NOT NULL DEFAULT 0,
    best_points INTEGER NOT NULL DEFAULT 0,
    best_time REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    hints_used INTEGER NOT NULL DEFAULT 0,
    solution_shown INTEGER NOT NULL DEFAULT 0,
    last_files TEXT NOT NULL DEFAULT '{}',
    updated REAL NOT NULL,
    PRIMARY KEY (pack, level)
);
CREATE TABLE IF NOT EXISTS exam_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pack TEXT NOT NULL,
    exam TEXT NOT NULL,
    record TEXT NOT NULL,
    finished REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS progress_aside (
    pack, level, status, best_stars, best_points, best_time, attempts, hints_used,
    solution_shown, last_files, updated, reason TEXT, kept REAL
);
"""


class ProgressBusy(OSError):
    """Another process keeps the progress database locked (an OSError, like EBUSY, so every
    handler of "could not save" also handles this)."""


class _UnknownSchema(Exception):
    pass


@dataclass
class Opened:
    """An open progress database."""

    conn: sqlite3.Connection
    saving: bool = True
    notice: str | None = None


def is_busy(exc: sqlite3.Error) -> bool:
    """True when ``exc`` says the database is locked by someone else (not damaged)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _BUSY_CODES
    return "locked" in str(exc) or "busy" in str(exc)


def busy_message(path: Path) -> str:
    """What to tell the player when the lock is not released in time."""
    return (
        f"{path} is locked by another process (another k8stui?); waited {LOCK_WAIT:g}s "
        "for it: close the other one and try again"
    )


def open_database(path: Path, *, busy_in_memory: bool = False) -> Opened:
    """Open (or create) the database at ``path``; see the module docstring.

    A lock held past the wait raises :class:`ProgressBusy`, or with ``busy_in_memory`` (the
    game, which must start) gives an empty in-memory database that saves nothing.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return Opened(_connect(path))
    except ProgressBusy:
        raise
    except _UnknownSchema as exc:
        return _start_over(path, f"it was written by another version ({exc})", "other-schema")
    except sqlite3.Error as exc:
        if is_busy(exc):
            if not busy_in_memory:
                raise ProgressBusy(busy_message(path)) from None
            return _memory(f"{busy_message(path)}; progress is not saved this session")
        if _writable(path):
            return _start_over(path, f"it could not be read ({exc})", "corrupt")
        return _read_only(path)
    except OSError:
        return _read_only(path)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=LOCK_WAIT, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        row = conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {row}")
        _check_schema(conn)
        conn.executescript(SCHEMA)
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if found is None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
            )
    except BaseException:
        conn.close()
        raise
    return conn


def _check_schema(conn: sqlite3.Connection) -> None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return
    if "meta" not in tables:
        raise _UnknownSchema("no schema version recorded")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is not None and str(row[0]) != str(SCHEMA_VERSION):
        raise _UnknownSchema(f"schema {str(row[0])[:20]!r}; this version reads {SCHEMA_VERSION}")


def _writable(path: Path) -> bool:
    probe = path.with_name(f".{path.name}.probe")
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _start_over(path: Path, why: str, tag: str) -> Opened:
    """Keep the old file aside (``progress.db.TAG-STAMP``) and start an empty database."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{tag}-{stamp}")
    try:
        path.replace(aside)
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
        conn = _connect(path)
    except (OSError, sqlite3.Error) as exc:
        return _memory(
            f"the progress database {why} and could not be kept aside ({exc}); "
            "progress is not saved this session"
        )
    return Opened(conn, notice=f"{why}; it was moved to {aside.name} and a new one started")


def _memory(notice: str) -> Opened:
    memory = sqlite3.connect(":memory:", isolation_level=None)
    memory.executescript(SCHEMA)
    return Opened(memory, saving=False, notice=notice)


def _read_only(path: Path) -> Opened:
    """Progress read into memory from a folder we may not write: play on, save nothing."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    read = ""
    if path.is_file():
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                _check_schema(source)
                source.backup(memory)
                read = "saved progress is shown, but "
            finally:
                source.close()
        except (sqlite3.Error, _UnknownSchema, OSError):
            read = "saved progress could not be read, and "
    memory.executescript(SCHEMA)
    return Opened(
        memory,
        saving=False,
        notice=f"the data folder {path.parent} cannot be written: {read}"
        "progress is not saved this session",
    )
