"""Goal: keep a Service answering through a chaos wave; the score of an endless run.

Probes go to the Service every probe period while the wave runs. The run is judged over a
sliding ``window``: once a full window has passed, the first time fewer than
``min_percent`` of that window's probes were answered, the app is down and the run is
over. The goal passes when the app has stayed up for ``minutes``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from k8stui.game.goal_base import CheckBase, GoalView, Verdict


def clock(seconds: float) -> str:
    """``4m05s`` for 245 seconds."""
    whole = int(seconds)
    return f"{whole // 60}m{whole % 60:02d}s"


class SurviveCheck(CheckBase):
    """The Service stays above ``min_percent`` over every ``window`` for ``minutes``."""

    type: Literal["survive"]
    service: str
    port: int | None = Field(None, ge=1, le=65535, description="Service port; 80 when omitted")
    path: str = "/"
    namespace: str = "default"
    min_percent: float = Field(90, ge=0, le=100)
    window: float = Field(60, ge=10, le=600, description="seconds of probes judged together")
    minutes: float = Field(5, gt=0, le=120, description="survive this long to pass")

    def default_title(self) -> str:
        return (
            f"keep {self.service} above {self.min_percent:g}% for {self.minutes:g} minutes of chaos"
        )

    def probe(self, view: GoalView, key: str) -> None:
        wave = view.wave
        if wave is None or wave.finished or view.now_ms < wave.start_ms:
            return
        notes = view.notes(key)
        if "down_ms" in notes:
            return
        answer = view.cluster.request(self.service, self.port, self.path, namespace=self.namespace)
        ok = bool(answer.ok and 200 <= answer.status < 300)
        notes.setdefault("start_ms", wave.start_ms)
        notes["sent"] = notes.get("sent", 0) + 1
        notes["ok"] = notes.get("ok", 0) + int(ok)
        recent: list[list[int]] = notes.setdefault("recent", [])
        recent.append([view.now_ms, int(ok)])
        horizon = view.now_ms - int(self.window * 1000)
        while recent and recent[0][0] <= horizon:
            recent.pop(0)
        notes["last_ms"] = view.now_ms
        if view.now_ms - notes["start_ms"] >= self.window * 1000:
            share = 100.0 * sum(r[1] for r in recent) / len(recent)
            if share < self.min_percent:
                notes["down_ms"] = view.now_ms
                notes["down_share"] = share

    def over(self, view: GoalView, key: str) -> bool:
        """True once the app went down: the run of an endless level ends there."""
        return "down_ms" in view.notes(key)

    def survived_s(self, view: GoalView, key: str) -> float:
        """Seconds the app stayed up (so far, or until it went down)."""
        notes = view.notes(key)
        if "start_ms" not in notes:
            return 0.0
        end = notes.get("down_ms", notes.get("last_ms", notes["start_ms"]))
        return (end - notes["start_ms"]) / 1000

    def availability(self, view: GoalView, key: str) -> float | None:
        """Share of all probes answered, None before the first."""
        notes = view.notes(key)
        sent = int(notes.get("sent", 0))
        return None if not sent else 100.0 * int(notes.get("ok", 0)) / sent

    def score(self, view: GoalView, key: str) -> int:
        """Ten points a minute survived plus the share answered: what the high scores rank."""
        return int(self.survived_s(view, key) / 6) + int(self.availability(view, key) or 0)

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        notes = view.notes(key)
        if "start_ms" not in notes:
            return Verdict(
                False, "the chaos starts with the wave: start it when you are ready", pending=True
            )
        survived = self.survived_s(view, key)
        answered = self.availability(view, key) or 0.0
        if "down_ms" in notes:
            made_it = survived >= self.minutes * 60
            verdict = f"survived the {self.minutes:g} minutes, then " if made_it else ""
            return Verdict(
                made_it,
                f"{verdict}down after {clock(survived)}: {notes['down_share']:.0f}% answered in "
                f"the last {self.window:g}s (needs {self.min_percent:g}%); score "
                f"{self.score(view, key)}",
            )
        if survived >= self.minutes * 60:
            return Verdict(
                True,
                f"up for {clock(survived)}, {answered:.1f}% answered; score {self.score(view, key)}",
            )
        return Verdict(
            False,
            f"up for {clock(survived)} of {self.minutes:g}m, {answered:.1f}% answered",
            pending=True,
        )
