"""The player's progress, per pack and level, in SQLite in the user data folder.

Every write is one transaction in WAL mode, so a game killed mid-write leaves the database at
its last committed state. A database that cannot be read is renamed aside with a timestamp
(``progress.db.corrupt-20250101-120000``) and a fresh one started; :attr:`ProgressStore.notice`
says so, for the UI to show.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from k8stui.game import locations
from k8stui.game.runner import RunResult

SCHEMA_VERSION = 1
Status = Literal["started", "won", "won-with-solution"]
_RANK = {"started": 0, "won-with-solution": 1, "won": 2}
_SCHEMA = """
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
"""


class LevelProgress(BaseModel):
    """One level's record (also the export format, one object per level)."""

    model_config = ConfigDict(extra="forbid")

    pack: str = Field(min_length=1, max_length=200)
    level: str = Field(min_length=1, max_length=200)
    status: Status = "started"
    best_stars: int = Field(0, ge=0, le=3)
    best_points: int = Field(0, ge=0, le=100)
    best_time: float | None = None
    attempts: int = Field(0, ge=0)
    hints_used: int = Field(0, ge=0, le=3)
    solution_shown: bool = False
    last_files: dict[str, str] = Field(default_factory=dict)
    updated: float = 0.0


class ProgressExport(BaseModel):
    """``k8stui progress export`` file."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = 1
    levels: list[LevelProgress] = Field(default_factory=list)


class ProgressStore:
    """Read and record progress; open with a path or the default location."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or locations.progress_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.notice: str | None = None
        try:
            self.conn = self._open()
        except sqlite3.DatabaseError as exc:
            aside = self._move_aside()
            self.notice = (
                f"the progress database could not be read ({exc}); it was moved to "
                f"{aside.name} and a new one started"
            )
            self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row}")
            conn.executescript(_SCHEMA)
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
                (str(SCHEMA_VERSION),),
            )
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
        return aside

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- reads --------------------------------------------------------------------------------
    def get(self, pack: str, level: str) -> LevelProgress | None:
        """A level's record, or None if never played."""
        cur = self.conn.execute(
            "SELECT * FROM progress WHERE pack = ? AND level = ?", (pack, level)
        )
        row = cur.fetchone()
        return None if row is None else _record(cur, row)

    def all(self) -> list[LevelProgress]:
        """Every record, by pack then level."""
        cur = self.conn.execute("SELECT * FROM progress ORDER BY pack, level")
        return [_record(cur, row) for row in cur.fetchall()]

    # -- writes -------------------------------------------------------------------------------
    def _put(self, record: LevelProgress) -> None:
        data = record.model_dump()
        data["last_files"] = json.dumps(record.last_files, sort_keys=True)
        data["solution_shown"] = int(record.solution_shown)
        columns = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        self.conn.execute(
            f"INSERT OR REPLACE INTO progress ({columns}) VALUES ({marks})", tuple(data.values())
        )

    def start_attempt(self, pack: str, level: str) -> LevelProgress:
        """Count a new attempt at a level."""
        with self._transaction():
            record = self.get(pack, level) or LevelProgress(pack=pack, level=level)
            record = record.model_copy(
                update={"attempts": record.attempts + 1, "updated": time.time()}
            )
            self._put(record)
        return record

    def save_files(self, pack: str, level: str, files: dict[str, str]) -> None:
        """Remember the player's folder (restored next time they open the level)."""
        with self._transaction():
            record = self.get(pack, level) or LevelProgress(pack=pack, level=level)
            self._put(record.model_copy(update={"last_files": dict(files), "updated": time.time()}))

    def record_result(
        self, pack: str, level: str, result: RunResult, files: dict[str, str] | None = None
    ) -> LevelProgress:
        """Record a finished run; the best result is kept, a helped win is marked as such."""
        with self._transaction():
            old = self.get(pack, level) or LevelProgress(pack=pack, level=level)
            status: Status = old.status
            stars, points, best_time = old.best_stars, old.best_points, old.best_time
            if result.won:
                new_status: Status = "won-with-solution" if result.solution_shown else "won"
                if _RANK[new_status] > _RANK[status]:
                    status = new_status
                if result.score is not None:
                    stars = max(stars, result.score.stars)
                    points = max(points, result.score.points)
                if not result.solution_shown:
                    best_time = result.time if best_time is None else min(best_time, result.time)
            record = old.model_copy(
                update={
                    "status": status,
                    "best_stars": stars,
                    "best_points": points,
                    "best_time": best_time,
                    "hints_used": max(old.hints_used, result.hints),
                    "solution_shown": old.solution_shown or result.solution_shown,
                    "last_files": dict(files) if files is not None else old.last_files,
                    "updated": time.time(),
                }
            )
            self._put(record)
        return record

    # -- export / import ----------------------------------------------------------------------
    def export_json(self) -> dict[str, Any]:
        """Everything, as JSON-ready data."""
        return ProgressExport(levels=self.all()).model_dump(mode="json")

    def import_json(self, data: Any) -> int:
        """Merge an export into the database (keeping the better of both); returns the count.

        Raises ValueError for data that is not a progress export.
        """
        try:
            export = ProgressExport.model_validate(data)
        except ValidationError as exc:
            raise ValueError(
                f"not a k8stui progress export: {exc.error_count()} error(s)"
            ) from None
        with self._transaction():
            for incoming in export.levels:
                current = self.get(incoming.pack, incoming.level)
                self._put(incoming if current is None else _merge(current, incoming))
        return len(export.levels)


def _record(cur: sqlite3.Cursor, row: tuple[Any, ...]) -> LevelProgress:
    data = {column[0]: value for column, value in zip(cur.description, row, strict=True)}
    data["last_files"] = json.loads(data["last_files"] or "{}")
    data["solution_shown"] = bool(data["solution_shown"])
    return LevelProgress.model_validate(data)


def _merge(a: LevelProgress, b: LevelProgress) -> LevelProgress:
    newer = b if b.updated >= a.updated else a
    times = [t for t in (a.best_time, b.best_time) if t is not None]
    return newer.model_copy(
        update={
            "status": a.status if _RANK[a.status] >= _RANK[b.status] else b.status,
            "best_stars": max(a.best_stars, b.best_stars),
            "best_points": max(a.best_points, b.best_points),
            "best_time": min(times) if times else None,
            "attempts": max(a.attempts, b.attempts),
            "hints_used": max(a.hints_used, b.hints_used),
            "solution_shown": a.solution_shown or b.solution_shown,
        }
    )
