"""``k8stui grade``: grade a whole class, one process per core, each student in isolation.

A submission is a folder or zip per student. Inside it, a folder named after a level id holds
that level's answer (manifests, and optionally ``commands.txt`` with one console line per
line); for a one-level pack (or with ``--level``) the files may sit at the top instead. A
``progress.json`` made by ``k8stui progress export`` is graded from what the game recorded.

Students are graded in a bounded pool of worker processes (one per core by default). Each
worker caps its own memory and each student's wall time, and turns any failure into a refusal
of that student with the reason, so one hostile or broken submission never stops the run.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from k8stui.game.grading import GoalGrade, LevelGrade, StudentGrade, grade_play
from k8stui.game.headless import MANIFEST_SUFFIXES, Answer, AnswerError, parse_commands, play
from k8stui.game.models import ApplyStep, Level
from k8stui.game.pack import Pack, load_pack
from k8stui.game.progress import LevelProgress, ProgressExport
from k8stui.game.submission import (
    Submission,
    SubmissionRejected,
    read_submission,
    student_name,
)

COMMANDS_FILES = ("commands.txt", "commands")
PROGRESS_FILE = "progress.json"
STUDENT_TIMEOUT = 120.0
"""Wall seconds one student may take (``k8stui grade --timeout`` changes it)."""
WORKER_MEMORY = 2 * 1024**3
"""Address space a worker may use; a student who needs more is refused, not the machine."""

_pack: Pack | None = None
_timeout = STUDENT_TIMEOUT


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` in a level swallows it."""


def find_submissions(folder: Path) -> list[Path]:
    """The students' folders and zips in ``folder`` (hidden entries skipped), by name."""
    return sorted(
        (entry for entry in folder.iterdir() if not entry.name.startswith(".")),
        key=lambda entry: entry.name,
    )


def level_answers(
    pack: Pack, submission: Submission, only: str | None = None
) -> dict[str, Answer | None]:
    """Each level's answer in a submission (None: the student gave none)."""
    levels = [pack.level(only)] if only else pack.levels
    top = {name: text for name, text in submission.files.items() if "/" not in name}
    answers: dict[str, Answer | None] = {}
    for level in levels:
        prefix = level.id + "/"
        files = {n[len(prefix) :]: t for n, t in submission.files.items() if n.startswith(prefix)}
        if not files and (only or len(pack.levels) == 1):
            files = {n: t for n, t in top.items() if n != PROGRESS_FILE}
        answers[level.id] = answer_of(files) if files else None
    return answers


def answer_of(files: dict[str, str]) -> Answer:
    """An answer from a level's files: the commands file's lines, else apply each manifest."""
    commands = next((files[name] for name in COMMANDS_FILES if name in files), None)
    kept = {name: text for name, text in files.items() if name not in COMMANDS_FILES}
    if commands is not None:
        return Answer(kept, parse_commands(commands))
    steps = [ApplyStep(apply=n) for n in sorted(kept) if n.endswith(MANIFEST_SUFFIXES)]
    return Answer(kept, list(steps))


def grade_submission(pack: Pack, path: Path, only: str | None = None) -> StudentGrade:
    """Grade one student's folder or zip; every failure becomes a refusal with its reason."""
    grade = StudentGrade(student=student_name(path))
    try:
        submission = read_submission(path)
        grade.student = submission.student
        if PROGRESS_FILE in submission.files and not any("/" in n for n in submission.files):
            grade.levels = grade_export(pack, submission.files[PROGRESS_FILE], only)
            return grade
        for level_id, answer in level_answers(pack, submission, only).items():
            grade.levels.append(_grade_level(pack, pack.level(level_id), answer))
    except SubmissionRejected as exc:
        grade.rejected = str(exc)
        grade.levels = []
    except AnswerError as exc:
        grade.rejected = f"unreadable answer: {exc}"
        grade.levels = []
    except _OutOfTime:
        grade.rejected = f"grading took longer than {_timeout:g}s"
        grade.levels = []
    except MemoryError:
        grade.rejected = "grading needed more memory than a student is allowed"
        grade.levels = []
    except Exception as exc:  # one student's failure must never stop the class
        grade.rejected = f"could not be graded: {type(exc).__name__}: {exc}"
        grade.levels = []
    return grade


def _grade_level(pack: Pack, level: Level, answer: Answer | None) -> LevelGrade:
    if answer is None:
        return LevelGrade(
            level=level.id,
            title=level.title,
            source="none",
            goals=[
                GoalGrade(title=g.title, passed=False, explanation="no answer") for g in level.goals
            ],
            note="no answer for this level",
        )
    started = time.perf_counter()
    played = play(level, pack, answer)
    return grade_play(played, time.perf_counter() - started)


def grade_export(pack: Pack, text: str, only: str | None = None) -> list[LevelGrade]:
    """Grades from a progress export: what the game recorded (it is not replayed)."""
    import json

    try:
        export = ProgressExport.model_validate(json.loads(text))
    except ValueError as exc:
        raise SubmissionRejected(f"{PROGRESS_FILE}: not a k8stui progress export ({exc})") from None
    records = {r.level: r for r in export.levels if r.pack == pack.id}
    levels = [pack.level(only)] if only else pack.levels
    return [_from_record(level, records.get(level.id)) for level in levels]


def _from_record(level: Level, record: LevelProgress | None) -> LevelGrade:
    won = record is not None and record.status in ("won", "won-with-solution")
    if record is None or not won:
        why = "not won in the game" if record else "never played"
    elif record.status == "won-with-solution":
        why = "won after the solution was shown"
    else:
        why = "won in the game"
    grade = LevelGrade(
        level=level.id,
        title=level.title,
        won=won,
        stars=record.best_stars if record and won else 0,
        points=record.best_points if record and won else 0,
        time=record.best_time if record else None,
        source="progress-export",
        goals=[GoalGrade(title=g.title, passed=won, explanation=why) for g in level.goals],
        note="recorded by the student's game (a progress export), not replayed",
    )
    return grade


# -- the pool ---------------------------------------------------------------------------------
def _init_worker(pack_path: str, timeout: float, limit_memory: bool = True) -> None:
    global _pack, _timeout
    if limit_memory:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
        except (ImportError, ValueError, OSError):
            pass  # not on this platform: the timeout still bounds each student
    _timeout = timeout
    _pack = load_pack(pack_path)

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGALRM, _alarm)


def _grade_in_worker(task: tuple[int, str, str | None]) -> tuple[int, dict[str, Any]]:
    index, path, only = task
    assert _pack is not None
    signal.setitimer(signal.ITIMER_REAL, _timeout)
    try:
        grade = grade_submission(_pack, Path(path), only)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return index, grade.model_dump()


def grade_class(
    pack_path: Path,
    paths: list[Path],
    *,
    only: str | None = None,
    jobs: int | None = None,
    timeout: float = STUDENT_TIMEOUT,
    on_done: Callable[[int, StudentGrade], None] | None = None,
) -> list[StudentGrade]:
    """Grade every submission in ``paths`` with ``jobs`` processes (default: one per core).

    ``on_done(count_done, grade)`` is called as each student finishes (in finishing order);
    the result is in the order of ``paths``.
    """
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    grades: list[StudentGrade | None] = [None] * len(paths)
    for done, (index, grade) in enumerate(_results(pack_path, paths, only, workers, timeout), 1):
        grades[index] = grade
        if on_done is not None:
            on_done(done, grade)
    return [g for g in grades if g is not None]


def _results(
    pack_path: Path, paths: list[Path], only: str | None, workers: int, timeout: float
) -> Iterator[tuple[int, StudentGrade]]:
    tasks = [(i, str(p), only) for i, p in enumerate(paths)]
    if workers == 1:
        # In the caller's own process: no memory cap on it, and its alarm handler comes back.
        previous = signal.getsignal(signal.SIGALRM)
        try:
            _init_worker(str(pack_path), timeout, limit_memory=False)
            for task in tasks:
                index, data = _grade_in_worker(task)
                yield index, StudentGrade.model_validate(data)
        finally:
            signal.signal(signal.SIGALRM, previous)
        return
    pool = multiprocessing.get_context().Pool(
        workers, initializer=_init_worker, initargs=(str(pack_path), timeout)
    )
    pending = set(range(len(paths)))
    try:
        results = pool.imap_unordered(_grade_in_worker, tasks)
        while pending:
            try:
                # A worker that dies outright loses its task; give up on it after a while.
                index, data = results.next(timeout=timeout + 30)
            except multiprocessing.TimeoutError:
                break
            pending.discard(index)
            yield index, StudentGrade.model_validate(data)
    finally:
        pool.terminate()
        pool.join()
    for index in sorted(pending):
        yield (
            index,
            StudentGrade(
                student=student_name(paths[index]), rejected="the grading process for it crashed"
            ),
        )
