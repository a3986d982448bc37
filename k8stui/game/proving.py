"""``k8stui pack check``: a pack is valid only if every level proves itself.

For each level: the schema is valid and every reference resolves; the level is not won at
the start nor by doing nothing (with its waves run); its reference solution wins; a second
run of the solution gives the same result, step by step and event by event; and the
reference solution meets the level's own par.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from k8stui.game.exam_sets import exam_issues
from k8stui.game.headless import Answer, Play, play, reference_answer
from k8stui.game.pack import Pack, PackLevel, load_pack
from k8stui.game.pack_source import Issue, PackError
from k8stui.game.references import check_references
from k8stui.game.runner import SessionFactory, console_session
from k8stui.game.setup import SetupError


@dataclass
class LevelProof:
    """What proving one level found."""

    level_id: str
    path: str
    problems: list[Issue] = field(default_factory=list)
    won_at: float | None = None
    stars: int | None = None
    seconds: float = 0.0
    commands: int | None = None
    points: int | None = None
    par: str = ""
    """The level's par in words (``par 60s, 7 commands``), shown beside the solution's run."""

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


@dataclass
class PackReport:
    """The whole verdict on a pack."""

    path: str
    pack_id: str | None = None
    issues: list[Issue] = field(default_factory=list)
    proofs: list[LevelProof] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the pack loads and every level is proved."""
        return not self.issues and all(p.ok for p in self.proofs)

    def render(self) -> str:
        """The report as printed by ``k8stui pack check``."""
        if self.pack_id:
            lines = [f"pack {self.pack_id} ({self.path})"]
        else:
            lines = [f"pack at {self.path} (its pack.yaml could not be read)"]
        lines += [f"  error: {issue}" for issue in self.issues]
        for proof in self.proofs:
            if proof.ok:
                lines.append(
                    f"  ok    {proof.level_id}: won at {proof.won_at:g}s with {proof.commands} "
                    f"command(s) ({proof.par}): {proof.stars} stars, {proof.points} points; "
                    f"proved in {proof.seconds:.2f}s"
                )
            else:
                lines.append(f"  FAIL  {proof.level_id}")
                lines += [f"        {issue}" for issue in proof.problems]
        defects = len(self.issues) + sum(len(p.problems) for p in self.proofs)
        verdict = "all levels proved" if self.ok else f"{defects} defect(s)"
        lines.append(f"{verdict} in {self.seconds:.2f}s")
        return "\n".join(lines)


def check_pack(
    path: Path | str, *, session_factory: SessionFactory = console_session, jobs: int = 1
) -> PackReport:
    """Load, cross-check and prove every level of the pack at ``path``.

    With ``jobs`` above 1 the levels are proved by that many worker processes; each level is
    proved on its own clusters either way, so the report is the same, in the same order.
    """
    started = time.perf_counter()
    report = PackReport(str(path))
    try:
        pack = load_pack(path)
    except PackError as exc:
        report.issues = exc.issues
        report.pack_id = exc.pack_id
        report.seconds = time.perf_counter() - started
        return report
    report.pack_id = pack.id
    report.issues += exam_issues(pack)
    report.proofs = prove_all(pack, session_factory=session_factory, jobs=jobs)
    report.seconds = time.perf_counter() - started
    return report


# What a forked worker proves from: set by prove_all just before the pool forks, so the
# workers inherit the loaded pack instead of loading it again.
_WORK: tuple[Pack, SessionFactory] | None = None


def _prove_nth(index: int) -> LevelProof:
    assert _WORK is not None, "a proving worker started without its pack"
    pack, session_factory = _WORK
    return prove_level(pack, pack.entries[index], session_factory=session_factory)


def prove_all(
    pack: Pack, *, session_factory: SessionFactory = console_session, jobs: int = 1
) -> list[LevelProof]:
    """Every level's proof, in pack order, over ``jobs`` processes (1: in this one).

    Workers are forked (where the platform cannot fork, or a pool cannot start, the levels
    are proved here one after another); results come back in the order of the levels.
    """
    global _WORK
    count = len(pack.entries)
    workers = min(jobs, count)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _WORK = (pack, session_factory)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                return list(pool.map(_prove_nth, range(count)))
        except (OSError, BrokenProcessPool):
            pass  # no pool here (limits, a killed worker): prove them in this process
        finally:
            _WORK = None
    return [prove_level(pack, entry, session_factory=session_factory) for entry in pack.entries]


def default_jobs() -> int:
    """Worker processes for ``pack check``: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def prove_level(
    pack: Pack, entry: PackLevel, *, session_factory: SessionFactory = console_session
) -> LevelProof:
    """Prove one level (see the module docstring)."""
    started = time.perf_counter()
    proof = LevelProof(entry.level.id, entry.path)
    proof.problems += check_references(pack, entry)

    def problem(message: str) -> None:
        proof.problems.append(Issue(entry.path, 0, 0, message))

    level = entry.level
    try:
        # One cluster for both: a run is won at its start exactly when doing nothing wins at
        # 0s (nothing else can happen before the first sample), so no third cluster is booted.
        idle = play(level, pack, Answer(), session_factory=session_factory)
    except SetupError as exc:
        problem(f"the setup cannot be built: {exc}")
        proof.seconds = time.perf_counter() - started
        return proof
    if idle.result.won and idle.result.time == 0:
        problem("the level is already won at the start")
    elif idle.result.won:
        problem(f"the level is won by doing nothing (at {idle.result.time:g}s)")
    first = play(level, pack, reference_answer(pack, level), session_factory=session_factory)
    if not first.result.won:
        problem("the reference solution does not win")
        for outcome in first.outcomes:
            if outcome.exit_code != 0:
                problem(f"  step `{outcome.line}` failed: {outcome.stderr.strip()}")
        for goal in first.result.goals:
            if not goal.passed:
                problem(f"  goal {goal.index + 1} ({goal.title}): {goal.explanation}")
    else:
        proof.won_at = first.result.time
        proof.commands = first.result.commands
        par = level.par
        proof.par = f"par {par.time:g}s, {par.commands} command(s)"
        if par.availability is not None:
            proof.par += f", {par.availability:g}% available"
        score = first.result.score
        proof.points = score.points if score else None
        proof.stars = score.stars if score else None
        if score is not None and score.stars < 3:
            problem("the reference solution misses par: " + "; ".join(score.missed))
    second = play(level, pack, reference_answer(pack, level), session_factory=session_factory)
    if fingerprint(first) != fingerprint(second):
        problem("two runs of the reference solution differ (the level is not deterministic)")
    proof.seconds = time.perf_counter() - started
    return proof


def fingerprint(played: Play) -> str:
    """A digest of everything observable about a play: outputs, goals, result, event log."""
    digest = hashlib.sha256()
    for outcome in played.outcomes:
        digest.update(repr(outcome).encode())
    digest.update(repr(played.result).encode())
    digest.update(str(played.run.cluster.event_count).encode())
    for line in played.run.cluster.event_log():
        digest.update(line.encode())
    for wave in played.run.waves:
        digest.update(repr(wave.log).encode())
    return digest.hexdigest()
