"""Playing a level without a screen: apply an answer, run the waves, wait for the verdict.

The checker (``k8stui check``) and the pack prover both play through here, so a level is
judged the same way whether an instructor checks a student's answer or an author checks
their own reference solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from k8stui.game.models import ApplyStep, Level, RunStep, Step, WaitStep, WaveStartStep
from k8stui.game.pack import Pack
from k8stui.game.runner import LevelRun, RunResult, SessionFactory, console_session
from k8stui.game.steps import Outcome

MAX_ANSWER_FILES = 50
MAX_ANSWER_BYTES = 256 * 1024
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
IDLE_STEP = 5.0
"""Seconds per stride while waiting for the win (samples are still taken every second)."""


class AnswerError(ValueError):
    """An answer that cannot be read (exit code 2 in the CLI)."""


@dataclass
class Answer:
    """Files for the player's folder, then steps to carry out."""

    files: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)


@dataclass
class Play:
    """A finished headless play: the run, each step's outcome and the result."""

    run: LevelRun
    outcomes: list[Outcome]
    result: RunResult


def reference_answer(pack: Pack | None, level: Level) -> Answer:
    """The level's own reference solution."""
    if pack is not None:
        files = pack.solution_files(level.id)
    else:
        files = {p: t for p, t in level.solution.files.items() if isinstance(t, str)}
    return Answer(files, list(level.solution.steps))


def parse_commands(text: str) -> list[Step]:
    """A commands file: one console line per line; ``sleep N`` waits N sim seconds,
    ``start-wave`` starts the next wave, ``#`` starts a comment line."""
    found: list[Step] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if words[0] == "sleep" and len(words) == 2:
            try:
                found.append(WaitStep(wait=float(words[1])))
            except ValueError as exc:
                raise AnswerError(f"bad sleep line {line!r}: {exc}") from None
        elif line == "start-wave":
            found.append(WaveStartStep(wave="start"))
        else:
            found.append(RunStep(run=line))
    return found


def _read_text(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        raise AnswerError(f"{path}: not a regular file")
    if path.stat().st_size > MAX_ANSWER_BYTES:
        raise AnswerError(f"{path}: larger than {MAX_ANSWER_BYTES} bytes")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerError(f"{path}: {exc}") from None


def answer_from(solution: Path | None, commands: Path | None) -> Answer:
    """An answer from ``--solution FILE_OR_DIR`` and/or ``--commands FILE``.

    Without commands, every manifest among the solution files is applied in name order.
    """
    answer = Answer()
    if solution is not None:
        if solution.is_dir():
            files = sorted(p for p in solution.rglob("*") if p.is_file())
            if len(files) > MAX_ANSWER_FILES:
                raise AnswerError(f"{solution}: more than {MAX_ANSWER_FILES} files")
            for path in files:
                rel = path.relative_to(solution).as_posix()
                if not any(part.startswith(".") for part in rel.split("/")):
                    answer.files[rel] = _read_text(path)
        elif solution.exists():
            answer.files[solution.name] = _read_text(solution)
        else:
            raise AnswerError(f"{solution}: no such file or folder")
    if commands is not None:
        answer.steps = parse_commands(_read_text(commands))
    else:
        answer.steps = [
            ApplyStep(apply=name)
            for name in sorted(answer.files)
            if name.endswith(MANIFEST_SUFFIXES)
        ]
    return answer


def play(
    level: Level,
    pack: Pack | None,
    answer: Answer,
    *,
    session_factory: SessionFactory = console_session,
) -> Play:
    """Play ``level`` with ``answer``; run every wave; wait for the win up to the time limit."""
    run = LevelRun(level, pack, session_factory=session_factory)
    for path, text in answer.files.items():
        run.write_file(path, text)
    outcomes = [run.apply_step(step) for step in answer.steps]
    finish(run)
    return Play(run, outcomes, run.result())


def finish(run: LevelRun) -> None:
    """Start the waves the answer did not start, and let time run until won or out of time."""
    limit = run.level.time_limit
    while not run.won and run.now < limit:
        wave = run.current_wave()
        if wave is not None and not wave.finished(run.cluster.now_ms):
            run.advance(min(IDLE_STEP, (wave.end_ms - run.cluster.now_ms) / 1000))
        elif run.waves_left():
            upcoming = run.level.waves[len(run.waves)]
            if upcoming.start_at is not None and run.now < upcoming.start_at:
                run.advance(min(IDLE_STEP, upcoming.start_at - run.now))
            else:
                run.start_wave()
        else:
            run.advance(min(IDLE_STEP, limit - run.now))
