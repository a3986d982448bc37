"""Which tasks an exam holds: the exam sets a pack declares, checked against its levels.

A pack lists its exams in ``pack.yaml`` (``exams:``, see :class:`~k8stui.game.models.ExamSet`).
A task is a level of the same pack; a level with waves or a chaos stream cannot be a task,
because an exam has no waves to start: its tasks are graded on the cluster as the player
left it. A pack that declares no exam still offers one: every level that can be a task.
"""

from __future__ import annotations

from k8stui.game import safeyaml
from k8stui.game.models import ExamSet, Level
from k8stui.game.pack import Pack
from k8stui.game.pack_source import Issue

MINUTES_PER_TASK = 5
"""Minutes given per task by the exam made up for a pack that declares none."""


class ExamSetError(ValueError):
    """The exam asked for cannot be given; the message says why and what is offered."""


def why_not_a_task(level: Level) -> str | None:
    """Why ``level`` cannot be an exam task, or None when it can."""
    if level.chaos is not None:
        return "it is a chaos level (an exam has no incident stream)"
    if level.waves:
        return "it has waves (an exam has no waves to start)"
    return None


def exam_issues(pack: Pack) -> list[Issue]:
    """Every defect of the pack's exam sets, located in ``pack.yaml``."""
    exams = pack.manifest.exams
    if not exams:
        return []
    text = pack.source.text("pack.yaml") or ""
    try:
        located: safeyaml.Located | None = safeyaml.load(text, "pack.yaml")
    except safeyaml.YamlError:
        located = None
    known = {level.id: level for level in pack.levels}
    issues = []
    for e, exam in enumerate(exams):
        for t, task in enumerate(exam.weighted()):
            line, column = located.position(("exams", e, "tasks", t)) if located else (0, 0)
            level = known.get(task.level)
            if level is None:
                what = f"no level {task.level!r} in this pack"
            else:
                reason = why_not_a_task(level)
                if reason is None:
                    continue
                what = f"level {task.level!r} cannot be an exam task: {reason}"
            issues.append(Issue("pack.yaml", line, column, f"exam {exam.id!r}: {what}"))
    return issues


def offered(pack: Pack) -> list[ExamSet]:
    """The exams a pack offers: those it declares, else one of every level that can be a task."""
    if pack.manifest.exams:
        return list(pack.manifest.exams)
    tasks: list[str | object] = [lvl.id for lvl in pack.levels if why_not_a_task(lvl) is None]
    if not tasks:
        return []
    return [
        ExamSet.model_validate(
            {
                "id": "all",
                "title": f"Every task of {pack.manifest.title}"[:120],
                "minutes": min(MINUTES_PER_TASK * len(tasks), 600),
                "tasks": tasks[:40],
            }
        )
    ]


def choose(pack: Pack, exam_id: str | None = None) -> ExamSet:
    """The exam ``exam_id`` of the pack, or its first; :class:`ExamSetError` when there is none
    or the set is broken."""
    exams = offered(pack)
    if not exams:
        raise ExamSetError(f"pack {pack.id} has no level that can be an exam task")
    issues = exam_issues(pack)
    if exam_id is None:
        chosen = exams[0]
    else:
        found = [exam for exam in exams if exam.id == exam_id]
        if not found:
            names = ", ".join(exam.id for exam in exams)
            raise ExamSetError(f"pack {pack.id} has no exam {exam_id!r} (exams: {names})")
        chosen = found[0]
    mine = [issue for issue in issues if f"exam {chosen.id!r}:" in issue.message]
    if mine:
        raise ExamSetError("\n".join(str(issue) for issue in mine))
    return chosen
