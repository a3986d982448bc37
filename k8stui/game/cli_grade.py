"""``k8stui grade PACK SUBMISSIONS/``: grade a class into a CSV and an HTML report.

Exit codes: 0 the run finished (whatever the grades), 2 the pack or the folder is unusable.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from k8stui.game.grading import StudentGrade

BAR_WIDTH = 30
STUDENT_TIMEOUT = 120.0
"""Default wall seconds one student may take (a 14-level pack takes a few)."""


def add_parser(sub: Any) -> None:
    """Register ``k8stui grade``."""
    grade = sub.add_parser("grade", help="grade a folder of students' submissions")
    grade.add_argument("pack", type=Path, help="the pack the class played (folder or .zip)")
    grade.add_argument("submissions", type=Path, help="a folder with one folder or zip per student")
    grade.add_argument("--level", help="grade only this level (answers may sit at the top)")
    grade.add_argument("--csv", type=Path, default=Path("grades.csv"), help="default grades.csv")
    grade.add_argument("--html", type=Path, default=Path("grades.html"), help="default grades.html")
    grade.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    grade.add_argument(
        "--timeout",
        type=float,
        default=STUDENT_TIMEOUT,
        metavar="SECONDS",
        help=f"wall time one student may take (default {STUDENT_TIMEOUT:g})",
    )


class Progress:
    """A one-line progress bar on a terminal; one line per student elsewhere (logs)."""

    def __init__(self, total: int, err: TextIO) -> None:
        self.total = total
        self.err = err
        self.tty = err.isatty()

    def __call__(self, done: int, grade: StudentGrade) -> None:
        verdict = (
            f"rejected: {grade.rejected}"
            if grade.rejected
            else f"{grade.points}/{grade.max_points}"
        )
        if not self.tty:
            self.err.write(f"[{done}/{self.total}] {grade.student}: {verdict}\n")
            return
        filled = BAR_WIDTH * done // max(1, self.total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.err.write(f"\r[{bar}] {done}/{self.total} {grade.student[:30]:<30}")
        if done == self.total:
            self.err.write("\n")
        self.err.flush()


def _write(path: Path, text: str) -> None:
    """Write atomically, so an interrupted run never leaves half a report over a good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui grade``."""
    # Imported here so that registering the sub-command stays cheap for ``k8stui play``.
    from k8stui.game.grade_class import find_submissions, grade_class
    from k8stui.game.grade_csv import to_csv
    from k8stui.game.grade_report_html import to_html
    from k8stui.game.pack import load_pack
    from k8stui.game.pack_source import PackError

    try:
        pack = load_pack(args.pack)
    except PackError as exc:
        for issue in exc.issues:
            print(issue, file=err)
        return 2
    except OSError as exc:
        print(f"{args.pack}: {exc}", file=err)
        return 2
    if args.level is not None:
        try:
            pack.level(args.level)
        except KeyError:
            known = ", ".join(level.id for level in pack.levels)
            print(f"no level {args.level!r} in pack {pack.id} (levels: {known})", file=err)
            return 2
    if not args.submissions.is_dir():
        print(f"{args.submissions}: not a folder of submissions", file=err)
        return 2
    paths = find_submissions(args.submissions)
    if not paths:
        print(f"{args.submissions}: no submissions in it", file=err)
        return 2
    grades = grade_class(
        args.pack,
        paths,
        only=args.level,
        jobs=args.jobs,
        timeout=args.timeout,
        on_done=Progress(len(paths), err),
    )
    _write(args.csv, to_csv(pack, grades, args.level))
    _write(args.html, to_html(pack, grades, args.level))
    rejected = sum(g.rejected is not None for g in grades)
    print(
        f"graded {len(grades) - rejected} submission(s), rejected {rejected}: "
        f"{args.csv} and {args.html}",
        file=out,
    )
    return 0
