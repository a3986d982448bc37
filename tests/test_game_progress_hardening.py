"""Issue 19 items 8, 9, 10 and the progress parts of 14/15: the progress database never stops
the game, never loses data, and imports refuse hostile files quickly and clearly."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from k8stui.cli import main
from k8stui.game import progress_file
from k8stui.game.progress import LevelProgress, ProgressBusy, ProgressStore
from tests.resource_guard import assert_bounded, measure_many


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    return tmp_path


def seeded(path: Path, levels: list[str]) -> None:
    store = ProgressStore(path)
    for level in levels:
        store.start_attempt("basics", level)
    store.close()


# One bad row per kind the issue lists; each UPDATE runs on its own level's row.
BAD_ROWS = {
    "newer-status": "status = 'perfect'",
    "stars-99": "best_stars = 99",
    "files-not-json": "last_files = '{not json'",
    "wrong-type": "attempts = 'many'",
    "updated-infinity": "updated = 9e999",
}


def corrupt_rows(path: Path) -> None:
    conn = sqlite3.connect(path)
    for level, change in BAD_ROWS.items():
        conn.execute(f"UPDATE progress SET {change} WHERE level = ?", (level,))
    conn.commit()
    conn.close()


# --- item 8 -----------------------------------------------------------------------------------


def test_bad_rows_are_skipped_and_reported_and_the_rest_loads(data_dir: Path) -> None:
    db = data_dir / "progress.db"
    seeded(db, ["good", *BAD_ROWS])
    corrupt_rows(db)
    store = ProgressStore()
    assert [r.level for r in store.all()] == ["good"]
    assert store.notice is not None and store.notice.startswith(
        "5 saved record(s) could not be read and are skipped (basics/files-not-json: last_files: "
        "not JSON: Expecting property name enclosed in double quotes (line 1, column 2); "
        "basics/newer-status: status: Input should be 'started', 'won' or 'won-with-solution'"
    )
    assert len(store.skipped) == 5
    assert any(
        "basics/updated-infinity: updated: Input should be a finite number" in s
        for s in store.skipped
    )
    assert store.get("basics", "stars-99") is None
    store.close()


def test_export_with_bad_rows_is_valid_json(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`updated: Infinity` was exported as invalid JSON."""
    db = data_dir / "progress.db"
    seeded(db, ["good", *BAD_ROWS])
    corrupt_rows(db)
    out = data_dir / "export.json"
    assert main(["progress", "export", str(out)]) == 0

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the export")

    data = json.loads(out.read_text(), parse_constant=refuse)
    assert [level["level"] for level in data["levels"]] == ["good"]
    captured = capsys.readouterr()
    assert "exported 1 level record(s)" in captured.out
    assert "progress: 5 saved record(s) could not be read" in captured.err


def test_a_bad_row_is_kept_aside_before_it_is_replaced(data_dir: Path) -> None:
    db = data_dir / "progress.db"
    seeded(db, ["newer-status"])
    corrupt_rows(db)
    store = ProgressStore()
    store.start_attempt("basics", "newer-status")
    assert store.get("basics", "newer-status") == LevelProgress(
        pack="basics", level="newer-status", attempts=1, updated=store.all()[0].updated
    )
    kept = store.conn.execute("SELECT status, reason FROM progress_aside").fetchall()
    assert kept == [("perfect", kept[0][1])] and "status" in kept[0][1]
    store.close()


def test_another_schema_is_kept_aside_and_the_game_starts(data_dir: Path) -> None:
    db = data_dir / "progress.db"
    seeded(db, ["good"])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    store = ProgressStore()
    assert store.notice is not None
    assert "written by another version (schema '2'; this version reads 1)" in store.notice
    assert store.all() == [] and store.saving
    store.close()
    kept = list(data_dir.glob("progress.db.other-schema-*"))
    assert [p.name for p in kept if not p.name.endswith(("-wal", "-shm"))]
    old = sqlite3.connect(next(p for p in kept if not p.name.endswith(("-wal", "-shm"))))
    assert old.execute("SELECT level FROM progress").fetchall() == [("good",)]
    old.close()


async def test_the_game_starts_on_a_database_with_bad_rows(data_dir: Path) -> None:
    from k8stui.tui.app import make_app

    db = data_dir / "progress.db"
    seeded(db, ["first-pod", *BAD_ROWS])
    corrupt_rows(db)
    app = make_app(progress_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        while app.progress is None:
            await pilot.pause(0.05)
        await pilot.pause()
        assert [r.level for r in app.progress.all()] == ["first-pod"]
        shown = [n.message for n in app._notifications]
    assert any("5 saved record(s) could not be read" in m for m in shown), shown


# --- item 9 -----------------------------------------------------------------------------------

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE progress SET attempts = 42 WHERE level = 'good'")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until the test says so (bounded by its timeout)
conn.execute("COMMIT")
print("committed", flush=True)
"""


def test_a_held_lock_is_waited_for_and_never_taken_for_corruption(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = data_dir / "progress.db"
    seeded(db, ["good"])
    export = data_dir / "in.json"
    export.write_text(json.dumps({"format": 1, "levels": [{"pack": "basics", "level": "x"}]}))
    monkeypatch.setattr(progress_file, "LOCK_WAIT", 0.5)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert main(["progress", "import", str(export)]) == 1
        err = capsys.readouterr().err
        assert f"progress: {db} is locked by another process (another k8stui?); waited 0.5s" in err
        store = ProgressStore(busy_in_memory=True)
        assert store.get("basics", "good") is not None  # reading is not blocked by a writer
        with pytest.raises(ProgressBusy, match="is locked by another process"):
            store.start_attempt("basics", "good")
        store.close()
        out, _ = holder.communicate("go\n", timeout=20)
        assert out.strip() == "committed"
    finally:
        holder.kill()
        holder.wait()
    assert list(data_dir.glob("progress.db.corrupt-*")) == []
    store = ProgressStore()
    record = store.get("basics", "good")
    assert record is not None and record.attempts == 42  # the other writer's data is here
    assert store.notice is None
    store.close()


# --- item 10 ----------------------------------------------------------------------------------


def test_an_unwritable_data_folder_plays_on_without_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("K8STUI_DATA_DIR", str(blocker / "k8stui"))
    store = ProgressStore()
    assert not store.saving
    assert store.notice == (
        f"the data folder {blocker / 'k8stui'} cannot be written: progress is not saved this "
        "session"
    )
    store.start_attempt("basics", "first-pod")  # works, in memory
    assert store.get("basics", "first-pod") is not None
    store.close()
    export = tmp_path / "in.json"
    export.write_text(json.dumps({"format": 1, "levels": [{"pack": "basics", "level": "x"}]}))
    assert main(["progress", "import", str(export)]) == 1
    assert "not imported: progress cannot be saved" in capsys.readouterr().err
    assert main(["progress", "export", str(tmp_path / "out.json")]) == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_read_only_data_folder_shows_saved_progress(data_dir: Path) -> None:
    seeded(data_dir / "progress.db", ["good"])
    for extra in data_dir.glob("progress.db-*"):
        extra.unlink()
    data_dir.chmod(0o555)
    try:
        store = ProgressStore()
        assert not store.saving and store.notice is not None
        assert "saved progress is shown, but progress is not saved" in store.notice
        assert [r.level for r in store.all()] == ["good"]
        store.close()
    finally:
        data_dir.chmod(0o755)


async def test_the_game_starts_with_an_unwritable_data_folder(tmp_path: Path) -> None:
    from k8stui.tui.app import make_app

    blocker = tmp_path / "file"
    blocker.write_text("x")
    app = make_app(progress_path=blocker / "progress.db")
    async with app.run_test(size=(100, 30)) as pilot:
        while app.progress is None:
            await pilot.pause(0.05)
        await pilot.pause()
        shown = [n.message for n in app._notifications]
    assert any("progress is not saved this session" in m for m in shown), shown


# --- items 14 and 15: hostile imports ----------------------------------------------------------

HOSTILE_IMPORTS = {
    "nested-100000": "[" * 100_000 + "]" * 100_000,
    "updated-infinity": '{"format": 1, "levels": [{"pack": "p", "level": "l", "updated": Infinity}]}',
    "attempts-1e25": '{"format": 1, "levels": [{"pack": "p", "level": "l", "attempts": '
    + "1"
    + "0" * 25
    + "}]}",
    "best-time-1e400": '{"format": 1, "levels": [{"pack": "p", "level": "l", "best_time": 1e400}]}',
    "digits-5000": '{"format": 1, "levels": [{"pack": "p", "level": "l", "attempts": '
    + "9" * 5000
    + "}]}",
    "not-json": "{format: 1}",
}
IMPORT_ERRORS = {
    "nested-100000": "nested deeper than 64 levels",
    "updated-infinity": "first at levels.0.updated: Input should be a finite number",
    "attempts-1e25": "first at levels.0.attempts: Input should be less than or equal to 2147483647",
    "best-time-1e400": "first at levels.0.best_time: Input should be a finite number",
    "digits-5000": "a number has 5000 digits (at most 30)",
    "not-json": "not JSON: Expecting property name enclosed in double quotes (line 1, column 2)",
}


def test_hostile_imports_are_refused_quickly(tmp_path: Path) -> None:
    files = {}
    for name, text in HOSTILE_IMPORTS.items():
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(text)
    cases = {
        name: "err = io.StringIO()\n"
        f"args = argparse.Namespace(progress_command='import', file=Path({str(path)!r}))\n"
        "result = [cli_progress.run(args, io.StringIO(), err), err.getvalue()]"
        for name, path in files.items()
    }
    usages = measure_many(
        cases,
        setup="import argparse, io\nfrom pathlib import Path\nfrom k8stui.game import cli_progress",
        env={"K8STUI_DATA_DIR": str(tmp_path)},
    )
    for name, usage in usages.items():
        assert_bounded(usage, label=name)
        code, err = usage.result
        assert code == 2, (name, err)
        assert IMPORT_ERRORS[name] in err, (name, err)
        assert "Traceback" not in err and "pydantic.dev" not in err
