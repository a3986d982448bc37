"""Goal: a Service keeps answering while the wave (or a time window) tests it.

The runner calls :meth:`AvailabilityCheck.probe` on a fixed sim-time grid; each call sends one
request through the cluster's network exactly as ``curl`` from inside the cluster would, so a
pod on a dead node times out and a Service without ready endpoints refuses the connection.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from k8stui.game.goal_base import CheckBase, GoalView, Verdict


class Window(BaseModel):
    """A stretch of level sim time, in seconds from the start of the level."""

    model_config = ConfigDict(extra="forbid")

    start: float = Field(ge=0)
    end: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class AvailabilityCheck(CheckBase):
    """At least ``min_percent`` of the probes sent to a Service got an HTTP 2xx answer."""

    type: Literal["availability"]
    service: str
    port: int | None = Field(None, ge=1, le=65535, description="Service port; 80 when omitted")
    path: str = "/"
    namespace: str = "default"
    min_percent: float = Field(ge=0, le=100)
    window: Window | None = Field(
        None, description="Measure during this window instead of during the waves."
    )

    def default_title(self) -> str:
        when = "during the wave" if self.window is None else "during the window"
        return f"service {self.service} answers {self.min_percent:g}% of requests {when}"

    def _measuring(self, view: GoalView) -> bool:
        if self.window is not None:
            return self.window.start * 1000 <= view.now_ms < self.window.end * 1000
        return view.wave is not None and view.wave.start_ms <= view.now_ms < view.wave.end_ms

    def probe(self, view: GoalView, key: str) -> None:
        if not self._measuring(view):
            return
        notes = view.notes(key)
        answer = view.cluster.request(self.service, self.port, self.path, namespace=self.namespace)
        notes["sent"] = notes.get("sent", 0) + 1
        if answer.ok and 200 <= answer.status < 300:
            notes["ok"] = notes.get("ok", 0) + 1
        elif "first_failure" not in notes:
            reason = answer.error or f"HTTP {answer.status}"
            notes["first_failure"] = f"at {view.now_ms / 1000:g}s: {reason}"

    def _over(self, view: GoalView) -> bool:
        if self.window is not None:
            return view.now_ms >= self.window.end * 1000
        return view.wave is not None and view.wave.finished

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        notes = view.notes(key)
        sent, ok = int(notes.get("sent", 0)), int(notes.get("ok", 0))
        if sent == 0:
            if self.window is None and view.wave is None:
                return Verdict(False, "measured during the wave: start the wave", pending=True)
            return Verdict(False, "no probes sent yet", pending=not self._over(view))
        percent = 100.0 * ok / sent
        failed = sent - ok
        detail = f"{percent:.1f}% answered ({ok}/{sent} probes)"
        if failed:
            detail += f"; first failure {notes['first_failure']}"
        if not self._over(view):
            return Verdict(False, f"so far {detail}", pending=True)
        passed = percent >= self.min_percent
        need = "" if passed else f" — needs {self.min_percent:g}%"
        return Verdict(passed, detail + need)

    def percent(self, view: GoalView, key: str) -> float | None:
        """Share of probes answered so far (for scoring), None before any probe."""
        notes = view.notes(key)
        sent = int(notes.get("sent", 0))
        return None if sent == 0 else 100.0 * int(notes.get("ok", 0)) / sent
