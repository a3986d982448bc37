"""Random progress rows and imports never stop the progress store (issue 19, items 8 and 14).

Rows are written straight into the SQLite table, as another version or a damaged disk might
leave them: every column gets any SQLite value (text, huge or negative numbers, infinities,
blobs). Opening the store must load every valid row, skip and report every other one, and
export valid JSON. Imports get arbitrary JSON-like data and either merge or raise ValueError.
"""

from __future__ import annotations

import functools
import json
import math
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from k8stui.game.progress import LevelProgress, ProgressStore, parse_export

COLUMNS = [
    "pack",
    "level",
    "status",
    "best_stars",
    "best_points",
    "best_time",
    "attempts",
    "hints_used",
    "solution_shown",
    "last_files",
    "updated",
]
# A memory-backed folder where there is one: ten thousand databases should not wait on a disk.
_SHM = Path("/dev/shm")
FUZZ_DIR = Path(
    tempfile.mkdtemp(prefix="k8stui-progress-fuzz-", dir=_SHM if _SHM.is_dir() else None)
)

sql_values = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, 1, 3, 4, 99, -1, 2**31, 2**53]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["started", "won", "won-with-solution", "perfect", "", "{}", "[]", "null"]),
    st.sampled_from(['{"a": "b"}', '{"a": 1}', "{not json", "[" * 200, '{"a": "' + "x" * 50]),
    st.binary(max_size=12),
)
rows = st.fixed_dictionaries({column: sql_values for column in COLUMNS})


@functools.cache
def _empty_database() -> Path:
    """A database as the store creates it, made once and copied for every example."""
    made = FUZZ_DIR / "empty" / "progress.db"
    made.parent.mkdir()
    ProgressStore(made).close()
    conn = sqlite3.connect(made)
    conn.execute("PRAGMA journal_mode=DELETE")  # one file to copy
    conn.close()
    return made


def fresh_db(rows_in: list[dict[str, Any]]) -> tuple[Path, int]:
    """A new database holding the rows SQLite accepts; returns its path and the row count."""
    path = FUZZ_DIR / "progress.db"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(_empty_database(), path)
    conn = sqlite3.connect(path)
    stored = 0
    for row in rows_in:
        try:
            conn.execute(
                f"INSERT INTO progress ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                [row[c] for c in COLUMNS],
            )
            stored += 1
        except sqlite3.IntegrityError:
            pass  # NOT NULL / primary key: SQLite itself refuses such a row
    conn.commit()
    conn.close()
    return path, stored


@given(st.lists(rows, max_size=4), st.booleans())
def test_random_rows_are_loaded_or_skipped(rows_in: list[dict[str, Any]], valid_too: bool) -> None:
    if valid_too:
        rows_in = [*rows_in, LevelProgress(pack="p", level="ok", updated=1.0).model_dump()]
        rows_in[-1]["last_files"] = "{}"
    path, stored = fresh_db(rows_in)
    store = ProgressStore(path)
    try:
        loaded = store.all()
        assert len(loaded) + len(store.skipped) == stored
        assert bool(store.skipped) == (store.notice is not None)
        text = json.dumps(store.export_json(), allow_nan=False)
        assert len(json.loads(text)["levels"]) == len(loaded)
        for record in loaded:
            assert record.updated is not None and math.isfinite(record.updated)
            again = store.start_attempt(record.pack, record.level)
            assert again.attempts >= record.attempts
        if valid_too:
            assert any(r.level == "ok" for r in store.all())
    finally:
        store.close()


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
)
json_data = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from([*COLUMNS, "format", "levels", "x"]), inner, max_size=6)
    ),
    max_leaves=25,
)
exports = st.fixed_dictionaries(
    {"format": st.sampled_from([1, 2, "1"]), "levels": st.lists(json_data, max_size=3)}
)


@given(st.one_of(exports, json_data))
def test_random_imports_merge_or_refuse(data: Any) -> None:
    path, _ = fresh_db([])
    store = ProgressStore(path)
    try:
        try:
            count = store.import_json(data)
        except ValueError as exc:
            assert str(exc).startswith("not a k8stui progress export")
            assert "pydantic.dev" not in str(exc)
        else:
            assert isinstance(data, dict) and count == len(data.get("levels", []))
            json.dumps(store.export_json(), allow_nan=False)
    finally:
        store.close()


@given(st.text(alphabet='[]{}"\\ ,:0123456789-eE.aInfity', max_size=300))
def test_random_export_text_parses_or_refuses(text: str) -> None:
    try:
        parse_export(text)
    except ValueError as exc:
        assert str(exc)
