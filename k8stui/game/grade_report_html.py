"""The class grades as one self-contained HTML page (no scripts, no outside files).

A summary table (a row per student, a cell per level) and, per student, a folding section
with each level's goals and the game's explanations. Everything a student wrote can reach the
page through explanations and names, so every text is escaped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from k8stui.game.grading import LevelGrade, StudentGrade
from k8stui.game.pack import Pack

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#1d2330}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef}
.won{background:#e3f6e3}.lost{background:#fbe9e7}.rejected{background:#fff3cd}
.pass{color:#1b7e1b}.fail{color:#b3261e}
details{margin:0.4em 0}summary{cursor:pointer;font-weight:600}
small{color:#667}
"""


def _level_cell(level: LevelGrade | None) -> str:
    if level is None:
        return "<td></td>"
    css = "won" if level.won else "lost"
    stars = "★" * level.stars + "☆" * (3 - level.stars) if level.won else "not won"
    return f'<td class="{css}">{stars}<br><small>{level.passed_goals}/{level.max_goals} goals</small></td>'


def _details(grade: StudentGrade) -> str:
    parts = [f"<details><summary>{escape(grade.student)}</summary>"]
    if grade.rejected is not None:
        parts.append(f"<p class='fail'>Rejected: {escape(grade.rejected)}</p></details>")
        return "".join(parts)
    for level in grade.levels:
        verdict = f"won, {level.stars} star(s)" if level.won else "not won"
        timing = f", at {level.time:g}s sim time" if level.time is not None and level.won else ""
        parts.append(
            f"<h4>{escape(level.title)} <small>({escape(level.level)})</small>: {verdict}{timing}</h4><ul>"
        )
        for goal in level.goals:
            mark, css = ("✓", "pass") if goal.passed else ("✗", "fail")
            parts.append(
                f"<li class='{css}'>{mark} {escape(goal.title)} — "
                f"<small>{escape(goal.explanation)}</small></li>"
            )
        parts += [f"<li class='fail'>step failed: {escape(s)}</li>" for s in level.failed_steps]
        parts.append("</ul>")
        if level.note:
            parts.append(f"<p><small>{escape(level.note)}</small></p>")
    parts.append("</details>")
    return "".join(parts)


def to_html(pack: Pack, grades: list[StudentGrade], only: str | None = None) -> str:
    """The report page."""
    levels = [pack.level(only)] if only else pack.levels
    head = "".join(
        f"<th>{escape(level.title)}<br><small>{escape(level.id)}</small></th>" for level in levels
    )
    rows = []
    for grade in grades:
        by_id = {level.level: level for level in grade.levels}
        if grade.rejected is not None:
            cells = f'<td class="rejected" colspan="{len(levels)}">rejected: {escape(grade.rejected)}</td>'
            score = "0"
        else:
            cells = "".join(_level_cell(by_id.get(level.id)) for level in levels)
            score = f"{grade.points}/{grade.max_points}"
        rows.append(f"<tr><td>{escape(grade.student)}</td><td>{score}</td>{cells}</tr>")
    graded = [g for g in grades if g.rejected is None]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Grades: {escape(pack.manifest.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>Grades: {escape(pack.manifest.title)}</h1>"
        f"<p>Pack <code>{escape(pack.id)}</code> version {escape(pack.manifest.version)} · "
        f"{len(grades)} submission(s), {len(grades) - len(graded)} rejected · {stamp}</p>"
        f"<table><tr><th>Student</th><th>Goals</th>{head}</tr>{''.join(rows)}</table>"
        "<h2>Per student</h2>" + "".join(_details(g) for g in grades) + "</body></html>\n"
    )
