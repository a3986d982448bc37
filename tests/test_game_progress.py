"""Progress storage: records, best results, helped wins, crashes mid-write, corrupt files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from k8stui.game.progress import ProgressStore
from k8stui.game.runner import RunResult
from k8stui.game.scoring import Score


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    return tmp_path


def won(stars: int, *, shown: bool = False, time_s: float = 30.0) -> RunResult:
    return RunResult(
        won=True,
        time=time_s,
        commands=2,
        hints=1,
        solution_shown=shown,
        availability=None,
        score=Score(0 if shown else stars, 90),
    )


def test_default_location_follows_the_env(data_dir: Path) -> None:
    store = ProgressStore()
    assert store.path == data_dir / "progress.db"
    store.close()


def test_records_keep_the_best() -> None:
    store = ProgressStore()
    store.start_attempt("basics", "first-pod")
    store.record_result("basics", "first-pod", won(2, time_s=40), {"pod.yaml": "a"})
    store.start_attempt("basics", "first-pod")
    record = store.record_result("basics", "first-pod", won(1, time_s=20))
    assert (record.status, record.best_stars, record.best_time) == ("won", 2, 20.0)
    assert record.attempts == 2 and record.last_files == {"pod.yaml": "a"}
    store.close()
    reopened = ProgressStore()
    assert reopened.get("basics", "first-pod") == record
    reopened.close()


def test_a_win_with_the_shown_solution_is_recorded_as_such() -> None:
    store = ProgressStore()
    record = store.record_result("basics", "scale", won(3, shown=True))
    assert (record.status, record.best_stars, record.solution_shown) == (
        "won-with-solution",
        0,
        True,
    )
    record = store.record_result("basics", "scale", won(3))
    assert record.status == "won" and record.best_stars == 3
    store.close()


def test_export_import_round_trip(tmp_path: Path) -> None:
    store = ProgressStore()
    store.record_result("basics", "layers", won(3), {"Dockerfile": "FROM node:7\n"})
    data = store.export_json()
    store.close()
    other = ProgressStore(tmp_path / "other.db")
    assert other.import_json(json.loads(json.dumps(data))) == 1
    assert other.get("basics", "layers").last_files == {"Dockerfile": "FROM node:7\n"}
    with pytest.raises(ValueError, match="not a k8stui progress export"):
        other.import_json({"levels": [{"pack": ""}]})
    other.close()


def test_corrupt_database_is_moved_aside(data_dir: Path) -> None:
    (data_dir / "progress.db").write_bytes(b"this is not sqlite" * 100)
    store = ProgressStore()
    assert store.notice is not None and "moved to progress.db.corrupt-" in store.notice
    assert store.all() == []
    store.record_result("basics", "scale", won(3))
    store.close()
    assert len(list(data_dir.glob("progress.db.corrupt-*"))) == 1


WRITER = """
import sys
from k8stui.game.progress import ProgressStore
store = ProgressStore()
n = 0
while True:
    n += 1
    store.save_files("basics", "loop", {"count.txt": str(n), "pad": "x" * 4000})
    print(n, flush=True)
"""


def test_killed_mid_write_keeps_the_last_commit(data_dir: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "K8STUI_DATA_DIR": str(data_dir)},
    )
    assert proc.stdout is not None
    last = 0
    deadline = time.monotonic() + 20
    while last < 200 and time.monotonic() < deadline:
        last = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = ProgressStore()
    assert store.notice is None
    record = store.get("basics", "loop")
    assert record is not None
    # Everything printed was committed first; at most the write in flight is lost.
    assert int(record.last_files["count.txt"]) >= last
    store.close()
