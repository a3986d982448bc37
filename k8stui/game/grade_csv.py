"""The class grades as CSV: one row per student, three columns per level.

Columns: ``student``, ``status`` (graded / rejected), ``points`` and ``max_points`` (goals
passed, over every level), ``levels_won``, then ``LEVEL won`` (yes/no), ``LEVEL stars`` and
``LEVEL goals`` (``passed/total``) for each level, then ``source`` and ``reason`` (why a
student was rejected). Spreadsheets read it as is.
"""

from __future__ import annotations

import csv
import io

from k8stui.game.grading import StudentGrade
from k8stui.game.pack import Pack


def header(pack: Pack, only: str | None = None) -> list[str]:
    """The column names."""
    ids = [only] if only else [level.id for level in pack.levels]
    columns = ["student", "status", "points", "max_points", "levels_won"]
    for level_id in ids:
        columns += [f"{level_id} won", f"{level_id} stars", f"{level_id} goals"]
    return [*columns, "source", "reason"]


def row(pack: Pack, grade: StudentGrade, only: str | None = None) -> list[str]:
    """One student's row (a rejected student has empty level cells)."""
    ids = [only] if only else [level.id for level in pack.levels]
    by_id = {level.level: level for level in grade.levels}
    won = sum(level.won for level in grade.levels)
    if grade.rejected is not None:
        cells = [grade.student, "rejected", "0", "", "0"]
    else:
        cells = [grade.student, "graded", str(grade.points), str(grade.max_points), str(won)]
    for level_id in ids:
        level = by_id.get(level_id)
        if level is None:
            cells += ["", "", ""]
        else:
            cells += [
                "yes" if level.won else "no",
                str(level.stars),
                f"{level.passed_goals}/{level.max_goals}",
            ]
    sources = sorted({level.source for level in grade.levels if level.source != "none"})
    return [*cells, "+".join(sources), grade.rejected or ""]


def to_csv(pack: Pack, grades: list[StudentGrade], only: str | None = None) -> str:
    """The whole table as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header(pack, only))
    for grade in grades:
        writer.writerow(row(pack, grade, only))
    return buffer.getvalue()
