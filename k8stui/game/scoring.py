"""Stars against par: sim time, commands, hints and availability during waves.

A win earns three stars when it meets every par the level sets; each par missed costs a star,
but a win is never worth less than one. Seeing the reference solution makes the win count as
"solved with help": no stars. The score (0-100) ranks runs with the same stars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from k8stui.game.models import Par


class RunResult(Protocol):
    """The figures of a run that are scored (``k8stui.game.runner.RunResult`` has them)."""

    @property
    def time(self) -> float: ...
    @property
    def commands(self) -> int: ...
    @property
    def hints(self) -> int: ...
    @property
    def availability(self) -> float | None: ...
    @property
    def solution_shown(self) -> bool: ...


@dataclass(frozen=True)
class Score:
    """Stars (0-3), points (0-100) and the pars that were missed, in words."""

    stars: int
    points: int
    missed: list[str] = field(default_factory=list)


def time_text(seconds: float) -> str:
    """Sim time in whole seconds, cut down as the play screen's clock shows it (``245s``)."""
    return f"{int(seconds)}s"


def score_run(result: RunResult, par: Par) -> Score:
    """Score a won run against ``par``."""
    missed = []
    if result.time > par.time:
        # Whole seconds as on the clock; under a second over would read "245s over par 245s".
        if int(result.time) > par.time:
            missed.append(f"time {time_text(result.time)} over par {par.time:g}s")
        else:
            missed.append(f"time less than a second over par {par.time:g}s")
    if result.commands > par.commands:
        missed.append(f"{result.commands} commands over par {par.commands}")
    if result.hints > par.hints:
        missed.append(f"{result.hints} hint tier(s) used, par {par.hints}")
    if par.availability is not None and (result.availability or 0.0) < par.availability:
        shown = "n/a" if result.availability is None else f"{result.availability:.1f}%"
        missed.append(f"availability {shown} under par {par.availability:g}%")
    points = 100
    points -= min(30, int(10 * max(0.0, result.time / par.time - 1)))
    points -= min(30, 5 * max(0, result.commands - par.commands))
    points -= 10 * max(0, result.hints - par.hints)
    if par.availability is not None and result.availability is not None:
        points -= min(30, int(2 * max(0.0, par.availability - result.availability)))
    if result.solution_shown:
        return Score(0, max(0, min(points, 10)), [*missed, "the solution was shown"])
    return Score(max(1, 3 - len(missed)), max(0, points), missed)
