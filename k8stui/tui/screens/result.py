"""Result: score, stars against par, each goal's verdict, and the solution after a win."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown

from k8stui.game.scoring import time_text
from k8stui.game.steps import command_line as step_line
from k8stui.tui.screens.base import GameScreen
from k8stui.tui.screens.select import stars_text

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#])")


def plain(text: str) -> str:
    """``text`` escaped for Markdown, so ``spec.volumes[*].name`` is not read as emphasis."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def chaos_markdown(chaos: Any) -> list[str]:
    """A chaos run's survival, and the local high scores for its level and seed."""
    entry = chaos.entry
    minutes, seconds = divmod(int(entry.survived_s), 60)
    lines = [
        "",
        f"### Survival: {entry.score} points",
        "",
        f"Up for **{minutes}m{seconds:02d}s** with **{entry.availability:.1f}%** of requests "
        f"answered (seed {chaos.seed}). "
        + (f"Rank **{chaos.rank}** in the high scores." if chaos.rank else "Not in the top ten."),
        "",
        "| rank | score | survived | answered |",
        "|---|---|---|---|",
    ]
    for rank, best in enumerate(chaos.top, 1):
        m, s = divmod(int(best.survived_s), 60)
        lines.append(f"| {rank} | {best.score} | {m}m{s:02d}s | {best.availability:.1f}% |")
    return lines


def result_markdown(
    level: Any, result: Any, solution: dict[str, str], chaos: Any | None = None
) -> str:
    """The result as Markdown: score against par, each goal's verdict, the solution."""
    par = level.par
    points = result.score.points if result.score else 0
    lines = [
        f"## {level.title}: {'level complete' if result.won else ('run over' if chaos else 'not yet')}",
        "",
        f"**Score** {points}/100 · **time** {time_text(result.time)} (par {par.time:g}s)"
        f" · **commands** {result.commands} (par {par.commands}) · **hints** {result.hints}",
    ]
    if result.availability is not None:
        lines.append(f"· **availability** {result.availability:.1f}%")
    if result.score and result.score.missed:
        lines += ["", "Missed par: " + "; ".join(result.score.missed)]
    if chaos is not None:
        lines += chaos_markdown(chaos)
    lines += ["", "### What was measured", ""]
    lines += [
        f"- {'✓' if g.passed else '✗'} **{plain(g.title)}** — {plain(g.explanation)}"
        for g in result.goals
    ]
    if result.won and solution:
        lines += ["", "### Reference solution", ""]
        for path, text in solution.items():
            lines += [f"`{path}`", "", "```yaml", text.rstrip("\n"), "```", ""]
        steps = [step_line(step) for step in level.solution.steps]
        lines += ["```", *steps, "```"] if steps else []
    return "\n".join(lines)


class ResultScreen(GameScreen[None]):
    """Shown when a level is won (or abandoned with a verdict)."""

    CSS_PATH = "result.tcss"
    BINDINGS = [
        Binding("enter,n", "next", "Next level", id="result.next", tooltip="Brief the next level"),
        Binding("r", "retry", "Retry", id="result.retry", tooltip="Play this level again"),
        Binding("escape", "levels", "Levels", id="result.levels", tooltip="Back to the level list"),
    ]

    def __init__(
        self, level: Any, result: Any, solution: dict[str, str], chaos: Any | None = None
    ) -> None:
        super().__init__()
        self.level = level
        self.result = result
        self.solution = solution
        self.chaos = chaos

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="result"):
            yield Markdown(result_markdown(self.level, self.result, self.solution, self.chaos))
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "result"
        stars = self.result.score.stars if self.result.score else 0
        self.query_one("#result").border_title = stars_text(stars).plain
        self.query_one("#result").focus()

    def action_next(self) -> None:
        """Brief the next level (or go back to the list after the last one)."""
        self.game.after_result(self.level.id, "next")

    def action_retry(self) -> None:
        """Start this level again."""
        self.game.after_result(self.level.id, "retry")

    def action_levels(self) -> None:
        """Back to the level list."""
        self.game.after_result(self.level.id, "levels")
