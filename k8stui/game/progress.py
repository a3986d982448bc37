"""The player's progress, per pack and level, in SQLite in the user data folder.

Every write is one transaction in WAL mode, so a game killed mid-write leaves the database at
its last committed state. How the file is opened (locks, damage, other schemas, read-only
folders) is :mod:`k8stui.game.progress_file`'s job; :attr:`ProgressStore.notice` tells the
player what happened, for the UI and the CLI to show.
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
from k8stui.game.progress_exams import ExamRecord, read_record
from k8stui.game.progress_file import ProgressBusy, busy_message, is_busy, open_database
from k8stui.game.runner import RunResult

__all__ = ["LevelProgress", "ProgressBusy", "ProgressExport", "ProgressStore"]

Status = Literal["started", "won", "won-with-solution"]
_RANK = {"started": 0, "won-with-solution": 1, "won": 2}
MAX_COUNT = 2**31 - 1
MAX_TIME = 253_402_300_799.0
"""The end of year 9999, as Unix time: the latest ``updated`` a record may carry."""
MAX_IMPORT_DEPTH = 64
MAX_INT_DIGITS = 30


class LevelProgress(BaseModel):
    """One level's record (also the export format, one object per level)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=False)

    pack: str = Field(min_length=1, max_length=200)
    level: str = Field(min_length=1, max_length=200)
    status: Status = "started"
    best_stars: int = Field(0, ge=0, le=3)
    best_points: int = Field(0, ge=0, le=100)
    best_time: float | None = Field(None, ge=0, le=MAX_TIME)
    attempts: int = Field(0, ge=0, le=MAX_COUNT)
    hints_used: int = Field(0, ge=0, le=3)
    solution_shown: bool = False
    last_files: dict[str, str] = Field(default_factory=dict, max_length=200)
    updated: float = Field(0.0, ge=0, le=MAX_TIME)


class ProgressExport(BaseModel):
    """``k8stui progress export`` file."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = 1
    levels: list[LevelProgress] = Field(default_factory=list)


class ProgressStore:
    """Read and record progress; open with a path or the default location.

    Opening never loses data and never stops the game (see :mod:`k8stui.game.progress_file`),
    except that a database another process keeps locked raises :class:`ProgressBusy` after a
    bounded wait (``busy_in_memory``: play on in memory instead). Rows are validated one by one: a row this version cannot read is skipped
    (listed in :attr:`skipped`), and kept in ``progress_aside`` before a new result replaces it.
    """

    def __init__(self, path: Path | None = None, *, busy_in_memory: bool = False) -> None:
        self.path = path or locations.progress_db_path()
        opened = open_database(self.path, busy_in_memory=busy_in_memory)
        self.conn = opened.conn
        self.saving = opened.saving
        self.skipped: list[str] = []
        bad = self._bad_rows()
        if bad:
            self.skipped = bad
            shown = "; ".join(bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
            note = f"{len(bad)} saved record(s) could not be read and are skipped ({shown})"
            opened.notice = f"{opened.notice}; {note}" if opened.notice else note
        self.notice: str | None = opened.notice

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise ProgressBusy(busy_message(self.path)) from None
            raise
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- reads --------------------------------------------------------------------------------
    def _rows(self, where: str = "", args: tuple[Any, ...] = ()) -> Iterator[_Row]:
        cur = self.conn.execute(f"SELECT * FROM progress {where} ORDER BY pack, level", args)
        names = [column[0] for column in cur.description]
        for row in cur.fetchall():
            yield _read_row(dict(zip(names, row, strict=True)))

    def _bad_rows(self) -> list[str]:
        return [row.problem for row in self._rows() if row.problem is not None]

    def get(self, pack: str, level: str) -> LevelProgress | None:
        """A level's record, or None if never played (or its row cannot be read)."""
        for row in self._rows("WHERE pack = ? AND level = ?", (pack, level)):
            return row.record
        return None

    def all(self) -> list[LevelProgress]:
        """Every readable record, by pack then level."""
        return [row.record for row in self._rows() if row.record is not None]

    # -- writes -------------------------------------------------------------------------------
    def _put(self, record: LevelProgress) -> None:
        self._keep_unreadable(record.pack, record.level)
        data = record.model_dump()
        data["last_files"] = json.dumps(record.last_files, sort_keys=True)
        data["solution_shown"] = int(record.solution_shown)
        columns = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        self.conn.execute(
            f"INSERT OR REPLACE INTO progress ({columns}) VALUES ({marks})", tuple(data.values())
        )

    def _keep_unreadable(self, pack: str, level: str) -> None:
        """A row this version cannot read is copied aside before a new record replaces it."""
        for row in self._rows("WHERE pack = ? AND level = ?", (pack, level)):
            if row.problem is not None:
                self.conn.execute(
                    "INSERT INTO progress_aside SELECT *, ?, ? FROM progress "
                    "WHERE pack = ? AND level = ?",
                    (row.problem, time.time(), pack, level),
                )

    def start_attempt(self, pack: str, level: str) -> LevelProgress:
        """Count a new attempt at a level."""
        with self._transaction():
            record = self.get(pack, level) or LevelProgress(pack=pack, level=level)
            record = record.model_copy(
                update={"attempts": min(record.attempts + 1, MAX_COUNT), "updated": time.time()}
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

    # -- exams --------------------------------------------------------------------------------
    def record_exam(self, record: ExamRecord) -> None:
        """Save a finished exam (every sitting is kept)."""
        with self._transaction():
            self.conn.execute(
                "INSERT INTO exam_results (pack, exam, record, finished) VALUES (?, ?, ?, ?)",
                (record.pack, record.exam, record.model_dump_json(), record.finished),
            )

    def exam_results(self, pack: str | None = None) -> list[ExamRecord]:
        """Saved exams, oldest first (of one pack when given); unreadable rows are skipped."""
        where, args = ("WHERE pack = ?", (pack,)) if pack is not None else ("", ())
        rows = self.conn.execute(
            f"SELECT record FROM exam_results {where} ORDER BY finished, id", args
        ).fetchall()
        return [record for (text,) in rows if (record := read_record(text)) is not None]

    # -- export / import ----------------------------------------------------------------------
    def export_json(self) -> dict[str, Any]:
        """Everything readable, as JSON-ready data (finite numbers only)."""
        return ProgressExport(levels=self.all()).model_dump(mode="json")

    def import_json(self, data: Any) -> int:
        """Merge an export into the database (keeping the better of both); returns the count.

        Raises ValueError, naming the first problem and where it is, for data that is not a
        progress export.
        """
        try:
            export = ProgressExport.model_validate(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "(document)"
            raise ValueError(
                f"not a k8stui progress export: {exc.error_count()} error(s); first at "
                f"{where}: {first['msg']}"
            ) from None
        with self._transaction():
            for incoming in export.levels:
                current = self.get(incoming.pack, incoming.level)
                self._put(incoming if current is None else _merge(current, incoming))
        return len(export.levels)


def parse_export(text: str) -> Any:
    """JSON text of an export as data; ValueError (with a position) when it is not JSON or is
    nested deeper than an export ever is."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        # Counted before parsing: the json module recurses once per level and would exhaust
        # the stack on a document nested thousands deep.
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_IMPORT_DEPTH:
                raise ValueError(f"nested deeper than {MAX_IMPORT_DEPTH} levels")
        elif char in "]}":
            depth -= 1
    try:
        return json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


def _integer(digits: str) -> int:
    # Python will not read integers of more than 4,300 digits; no count needs more than 20.
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a number has {len(digits)} digits (at most {MAX_INT_DIGITS})")
    return int(digits)


class _Row:
    """A database row: its record, or why it cannot be read."""

    def __init__(self, record: LevelProgress | None, problem: str | None) -> None:
        self.record = record
        self.problem = problem


def _read_row(data: dict[str, Any]) -> _Row:
    name = f"{str(data.get('pack'))[:40]}/{str(data.get('level'))[:40]}"
    try:
        files = data.get("last_files") or "{}"
        if not isinstance(files, str):
            return _Row(None, f"{name}: last_files: not JSON text")
        data["last_files"] = parse_export(files)
    except ValueError as exc:
        return _Row(None, f"{name}: last_files: {exc}")
    shown = data.get("solution_shown")
    if shown in (0, 1):
        data["solution_shown"] = bool(shown)
    try:
        return _Row(LevelProgress.model_validate(data), None)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return _Row(None, f"{name}: {where}: {first['msg']}")


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
