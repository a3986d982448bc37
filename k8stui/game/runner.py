"""A level being played: the cluster, the player's folder, the console, waves, goals, result.

:class:`LevelRun` is what the TUI and the headless checker drive. Time only moves through
:meth:`LevelRun.advance` (or commands that take time), which stops on a fixed one-second grid
to let time-based goals take notes, send availability probes and fire wave faults. Because
the grid is anchored to sim time, not to how the caller slices time, the same commands at the
same sim times always give the same result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8stui.engine.cluster import Cluster
from k8stui.game import steps
from k8stui.game.chaos import chaos_wave
from k8stui.game.goal_base import GoalView, Verdict, WaveWindow
from k8stui.game.goal_survive import SurviveCheck
from k8stui.game.goal_traffic import AvailabilityCheck
from k8stui.game.goals import walk
from k8stui.game.models import Level
from k8stui.game.pack import Pack
from k8stui.game.scoring import Score, score_run
from k8stui.game.setup import build_cluster
from k8stui.game.steps import CommandOutput, SessionLike
from k8stui.game.waves import WaveRun
from k8stui.kubectl.files import VirtualFiles

SAMPLE_MS = 1000
"""Goals take notes and wave triggers are checked once per simulated second."""


SessionFactory = Callable[[Cluster, VirtualFiles], SessionLike | None]


def console_session(cluster: Cluster, files: VirtualFiles) -> SessionLike | None:
    """The real console session, or None while the console package is not installed."""
    try:
        from k8stui.console.session import Session
    except ImportError:
        return None
    session: SessionLike = Session(cluster, files)
    return session


@dataclass(frozen=True)
class GoalStatus:
    """One top-level goal as the goals pane shows it."""

    index: int
    title: str
    passed: bool
    explanation: str
    pending: bool
    hold: str


@dataclass
class RunResult:
    """How a run ended (or stands): won, when, with how much help, and its score."""

    won: bool
    time: float
    commands: int
    hints: int
    solution_shown: bool
    availability: float | None
    score: Score | None = None
    goals: list[GoalStatus] = field(default_factory=list)


class LevelRun:
    """One attempt at a level."""

    def __init__(
        self,
        level: Level,
        pack: Pack | None = None,
        *,
        session_factory: SessionFactory = console_session,
        chaos_seed: int | None = None,
    ) -> None:
        if level.chaos is not None:
            # The incident stream becomes the last wave; its seed picks the incidents.
            self.chaos_seed = level.setup.seed if chaos_seed is None else chaos_seed
            generated = chaos_wave(level.chaos, self.chaos_seed)
            level = level.model_copy(update={"waves": [*level.waves, generated]})
        self.level = level
        self.pack = pack
        reader = (lambda folder: pack.build_context(level.id, folder)) if pack else None
        self.cluster = build_cluster(level, reader)
        start = pack.starting_files(level.id) if pack else _inline_files(level.files)
        self.files = VirtualFiles(start)
        self.session = session_factory(self.cluster, self.files)
        self.history: list[str] = []
        self.commands = 0
        self.hints_used = 0
        self.solution_shown = False
        self.waves: list[WaveRun] = []
        self.memory: dict[str, Any] = {}
        self.won_at_ms: int | None = None
        self._goals_cache: tuple[tuple[int, int, int, int, int | None], list[GoalStatus]] | None = (
            None
        )
        self._start_ms = self.cluster.now_ms
        self._last_sample_ms: int | None = None
        self._last_probe_ms: int | None = None
        self._frozen: RunResult | None = None
        self._sample()

    # -- the player's folder ------------------------------------------------------------------
    def file_names(self) -> list[str]:
        """Files in the player's folder, sorted."""
        return self.files.walk(".")

    def read_file(self, path: str) -> str:
        """A file of the folder (FileNotFoundError when absent)."""
        return self.files.read(path)

    def write_file(self, path: str, text: str) -> None:
        """Save a file (the editor's save)."""
        self.files.write(path, text)

    # -- commands -----------------------------------------------------------------------------
    def refusal(self, line: str) -> str | None:
        """Why the level refuses ``line``, or None when it may run."""
        words = line.split()
        if not words:
            return None
        limits = self.level.limits
        if limits.tools is not None and words[0] not in limits.tools:
            return f"{words[0]}: not available in this level (use: {', '.join(limits.tools)})"
        for rule in limits.forbid:
            if rule.blocks(line):
                return rule.message
        return None

    def run_command(self, line: str) -> CommandOutput:
        """Run a console line (counted for par, recorded for 'command used' goals)."""
        if not line.strip():
            return CommandOutput("", "", 0)
        refused = self.refusal(line)
        if refused is not None:
            return CommandOutput("", refused + "\n", 1)
        if self.session is None:
            return CommandOutput("", "the console is not available in this build\n", 127)
        result = self.session.run(line)
        self.record_command(line)
        chunks = tuple(getattr(result, "chunks", ()))
        return CommandOutput(str(result.stdout), str(result.stderr), int(result.exit_code), chunks)

    def record_command(self, line: str) -> None:
        """Count a command and remember it (a command may also have moved time)."""
        self.history.append(line)
        self.commands += 1
        self._catch_up()

    def apply_step(self, step: steps.Step) -> steps.Outcome:
        """Carry out one solution step (used by the checker and 'show solution')."""
        return steps.execute(self, step)

    # -- time and waves -----------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Sim seconds since the level started."""
        return (self.cluster.now_ms - self._start_ms) / 1000

    def advance(self, seconds: float, *, max_work: int | None = None) -> None:
        """Let ``seconds`` of sim time pass, sampling goals and waves on the way.

        With ``max_work`` it stops early once the cluster has done that much work (a frame
        budget while a huge Deployment ramps up): the clock is then short of the target.
        """
        target = self.cluster.now_ms + round(seconds * 1000)
        left = max_work
        while self.cluster.now_ms < target:
            natural = self._next_stop()
            stop = min(natural, target)
            done = self.cluster.advance_to_ms(stop, max_work=left)
            if left is not None:
                left -= done
                if self.cluster.now_ms < stop:
                    return
            # Only grid and wave stops are sampled: where the caller chose to pause must not
            # change what the goals see.
            if stop == natural:
                self._sample()

    def _next_stop(self) -> int:
        now = self.cluster.now_ms
        stops = [(now // SAMPLE_MS + 1) * SAMPLE_MS]
        for wave in self.waves:
            due = wave.next_due_ms(now)
            if due is not None:
                stops.append(due)
        return min(stops)

    def waves_left(self) -> int:
        """Waves not started yet."""
        return len(self.level.waves) - len(self.waves)

    def current_wave(self) -> WaveRun | None:
        """The wave running now, else the last one started."""
        return self.waves[-1] if self.waves else None

    def start_wave(self) -> str | None:
        """Start the next wave now; returns its name (None when none is left)."""
        if not self.waves_left():
            return None
        running = self.current_wave()
        if running is not None and not running.finished(self.cluster.now_ms):
            return None
        index = len(self.waves)
        self.waves.append(WaveRun(self.level.waves[index], index, self.cluster.now_ms))
        self._sample(force=True)
        return self.level.waves[index].name

    def _auto_start_waves(self) -> None:
        while self.waves_left():
            wave = self.level.waves[len(self.waves)]
            if wave.start_at is None or self.now < wave.start_at:
                return
            if self.start_wave() is None:
                return

    # -- sampling -----------------------------------------------------------------------------
    def view(self) -> GoalView:
        """The goal view over the current state."""
        window = None
        wave = self.current_wave()
        if wave is not None:
            now = self.cluster.now_ms
            window = WaveWindow(wave.start_ms, wave.end_ms, wave.finished(now))
        return GoalView(self.cluster, self.history, self.memory, window, len(self.waves))

    def _catch_up(self) -> None:
        # A command may have moved the clock (e.g. a wait): sample where we are now. Even at
        # the same instant it may have completed a goal ("you ran kubectl describe").
        self._sample()
        self._check_win(self.view())

    def _sample(self, *, force: bool = False) -> None:
        now = self.cluster.now_ms
        if now == self._last_sample_ms and not force:
            return
        self._last_sample_ms = now
        self._auto_start_waves()
        view = self.view()
        for wave in self.waves:
            wave.tick(view)
        view = self.view()
        for index, goal in enumerate(self.level.goals):
            for key, check in walk(goal, str(index)):
                check.observe(view, key)
        probe_ms = int(self.level.probe_every * 1000)
        if now % probe_ms == 0 and now != self._last_probe_ms:
            self._last_probe_ms = now
            for index, goal in enumerate(self.level.goals):
                for key, check in walk(goal, str(index)):
                    check.probe(view, key)
        self._track_wave_holds(view)
        self._check_win(view)

    def _check_win(self, view: GoalView) -> None:
        if self.won_at_ms is None and self._all_pass(view):
            self.won_at_ms = self.cluster.now_ms
            self._frozen = self._result(view)

    def _track_wave_holds(self, view: GoalView) -> None:
        wave = self.current_wave()
        if wave is None or view.wave is None or view.wave.finished:
            return
        for index, goal in enumerate(self.level.goals):
            if goal.hold != "wave":
                continue
            notes = view.notes(f"hold.{index}")
            if "broken" in notes:
                continue
            verdict = goal.evaluate(view, str(index))
            if not verdict.passed and not verdict.pending:
                notes["broken"] = f"broke at {self.now:g}s: {verdict.explanation}"

    # -- goals and result ---------------------------------------------------------------------
    def _verdict(self, view: GoalView, index: int) -> Verdict:
        goal = self.level.goals[index]
        live = goal.evaluate(view, str(index))
        if goal.hold != "wave":
            return live
        broken = view.notes(f"hold.{index}").get("broken")
        if broken:
            return Verdict(False, broken)
        if not self.waves:
            return Verdict(False, "must hold during the wave: start the wave", pending=True)
        if self.waves_left() or (view.wave is not None and not view.wave.finished):
            return Verdict(False, f"holding so far — {live.explanation}", pending=True)
        return Verdict(True, f"held through the wave — {live.explanation}")

    def chaos_score(self) -> tuple[int, float, float] | None:
        """(score, seconds survived, % answered) of a chaos level's run, None elsewhere."""
        view = self.view()
        for index, goal in enumerate(self.level.goals):
            for key, check in walk(goal, str(index)):
                if isinstance(check, SurviveCheck):
                    answered = check.availability(view, key) or 0.0
                    return check.score(view, key), check.survived_s(view, key), answered
        return None

    def chaos_over(self, view: GoalView | None = None) -> bool:
        """A chaos level's run is over once its app went down (the stream stops mattering)."""
        view = view or self.view()
        return any(
            isinstance(check, SurviveCheck) and check.over(view, key)
            for index, goal in enumerate(self.level.goals)
            for key, check in walk(goal, str(index))
        )

    def _all_pass(self, view: GoalView) -> bool:
        over = self.level.chaos is not None and self.chaos_over(view)
        if not over and (self.waves_left() or (view.wave is not None and not view.wave.finished)):
            return False
        return all(self._verdict(view, i).passed for i in range(len(self.level.goals)))

    def goals(self) -> list[GoalStatus]:
        """Every top-level goal with its verdict from live state.

        Cached until something a goal can see changes (the store's revision, the clock, the
        commands run, the waves): the UI asks every frame, and with a thousand pods each
        evaluation scans them all.
        """
        key = (
            self.cluster.revision,
            self.cluster.now_ms,
            len(self.history),
            len(self.waves),
            self.won_at_ms,
        )
        if self._goals_cache is not None and self._goals_cache[0] == key:
            return list(self._goals_cache[1])
        statuses = self._evaluate_goals()
        self._goals_cache = (key, statuses)
        return list(statuses)

    def _evaluate_goals(self) -> list[GoalStatus]:
        view = self.view()
        statuses = []
        for index, goal in enumerate(self.level.goals):
            verdict = self._verdict(view, index)
            statuses.append(
                GoalStatus(
                    index,
                    goal.describe(),
                    verdict.passed,
                    verdict.explanation,
                    verdict.pending,
                    goal.hold,
                )
            )
        return statuses

    @property
    def won(self) -> bool:
        """True once every goal passed (and every wave ran) at some sample."""
        return self.won_at_ms is not None

    def availability(self, view: GoalView | None = None) -> float | None:
        """Lowest availability any availability goal measured (percent), or None."""
        view = view or self.view()
        lowest: float | None = None
        for index, goal in enumerate(self.level.goals):
            for key, check in walk(goal, str(index)):
                if isinstance(check, AvailabilityCheck):
                    value = check.percent(view, key)
                    if value is not None:
                        lowest = value if lowest is None else min(lowest, value)
        return lowest

    def _result(self, view: GoalView) -> RunResult:
        won_ms = self.won_at_ms
        time = ((won_ms if won_ms is not None else self.cluster.now_ms) - self._start_ms) / 1000
        result = RunResult(
            won=won_ms is not None,
            time=time,
            commands=self.commands,
            hints=self.hints_used,
            solution_shown=self.solution_shown,
            availability=self.availability(view),
            goals=self.goals(),
        )
        if result.won:
            result.score = score_run(result, self.level.par)
        return result

    def result(self) -> RunResult:
        """The result at the win (frozen then), or the standing so far."""
        if self._frozen is not None:
            return self._frozen
        return self._result(self.view())

    # -- help ---------------------------------------------------------------------------------
    def hint(self, tier: int) -> str:
        """Hint ``tier`` (1..3); reading one counts the highest tier seen."""
        if not 1 <= tier <= len(self.level.hints):
            raise ValueError(f"hint tiers are 1..{len(self.level.hints)}")
        self.hints_used = max(self.hints_used, tier)
        return self.level.hints[tier - 1]

    def show_solution(self) -> list[str]:
        """The reference solution as command lines; the run is marked as helped."""
        self.solution_shown = True
        lines = [f"# file {path}" for path in self.level.solution.files]
        return lines + [steps.command_line(step) for step in self.level.solution.steps]

    def solution_files(self) -> dict[str, str]:
        """The files of the reference solution (the editor can load them)."""
        if self.pack is not None:
            return self.pack.solution_files(self.level.id)
        return _inline_files(self.level.solution.files)


def _inline_files(files: dict[str, Any]) -> dict[str, str]:
    return {path: text for path, text in files.items() if isinstance(text, str)}
