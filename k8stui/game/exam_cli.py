"""``k8stui exam``: its arguments, and the exam they choose (the TUI then runs it).

Registration is argparse only. :func:`prepare` loads the pack and picks the exam set, so that
every mistake (a missing pack, an unknown exam, a bad duration) is a one-line message before
any screen opens; ``--list`` and ``--history`` answer on the terminal.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from k8stui.game.models import ExamSet
from k8stui.game.pack import Pack


@dataclass(frozen=True)
class ExamPlan:
    """What the TUI needs to start an exam."""

    pack: Pack
    exam: ExamSet
    minutes: float


def add_parser(sub: Any) -> None:
    """Register ``exam`` on the top-level sub-parsers."""
    exam = sub.add_parser("exam", help="sit a timed exam of tasks drawn from a pack")
    exam.add_argument("--pack", type=Path, help="pack folder or .zip (default: the built-in)")
    exam.add_argument("--exam", dest="exam_id", help="which exam of the pack (default: its first)")
    exam.add_argument("--minutes", type=float, help="duration (default: the exam's own)")
    exam.add_argument("--list", action="store_true", help="list the pack's exams and stop")
    exam.add_argument("--history", action="store_true", help="show your past exams and stop")


def prepare(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExamPlan | int:
    """The exam to run, or an exit code once ``--list``/``--history``/an error was printed."""
    from k8stui.game.exam_sets import ExamSetError, choose, offered
    from k8stui.game.pack import builtin_pack, load_pack
    from k8stui.game.pack_source import PackError

    if args.minutes is not None and not (math.isfinite(args.minutes) and 0 < args.minutes <= 600):
        print(f"k8stui exam: --minutes must be between 0 and 600 (got {args.minutes:g})", file=err)
        return 2
    if args.pack is not None and not args.pack.exists():
        print(f"k8stui exam: {args.pack}: no such file or folder", file=err)
        return 2
    try:
        pack = load_pack(args.pack) if args.pack is not None else builtin_pack()
    except PackError as exc:
        print(f"k8stui exam: the pack cannot be loaded:\n{exc}", file=err)
        return 2
    if args.history:
        return history(pack, out, err)
    if args.list:
        for exam in offered(pack):
            print(f"{exam.id}: {exam.title} ({len(exam.tasks)} tasks, {exam.minutes:g} min, "
                  f"pass mark {exam.pass_mark:g}%)", file=out)  # fmt: skip
        return 0
    try:
        exam = choose(pack, args.exam_id)
    except ExamSetError as exc:
        print(f"k8stui exam: {exc}", file=err)
        return 2
    return ExamPlan(pack, exam, exam.minutes if args.minutes is None else args.minutes)


def history(pack: Pack, out: TextIO, err: TextIO) -> int:
    """Print the pack's saved exams, oldest first."""
    import time

    from k8stui.game.progress import ProgressBusy, ProgressStore

    try:
        store = ProgressStore()
    except ProgressBusy as exc:
        print(f"k8stui exam: {exc}", file=err)
        return 2
    try:
        records = store.exam_results(pack.id)
    finally:
        store.close()
    if not records:
        print(f"no exams of pack {pack.id} saved yet", file=out)
        return 0
    for record in records:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.finished))
        solved = sum(1 for task in record.tasks if task.passed)
        print(
            f"{when}  {record.exam}: {record.percent:.0f}% "
            f"{'PASS' if record.passed else 'FAIL'} ({solved}/{len(record.tasks)} tasks, "
            f"{record.used_seconds / 60:.0f} of {record.minutes:g} min)",
            file=out,
        )
    return 0
