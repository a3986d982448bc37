"""The pack format of a chaos level ("survive"): a seeded stream of incidents, as data.

A level with a ``chaos:`` block gets one generated wave, "chaos": incidents drawn by weight
from the list, the first ``first_after`` seconds after the player starts it, then at gaps
that shrink by ``speedup`` down to ``min_every``. The same level and seed always give the
same incidents at the same times (see :func:`k8stui.game.chaos.incident_steps`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from k8stui.game.strict_model import Strict
from k8stui.game.wave_models import WaveFault


class Incident(Strict):
    """One kind of trouble: a fault, or a manifest applied (a bad config, a greedy pod)."""

    name: str = Field(min_length=1, max_length=60, description="shown when it strikes")
    weight: int = Field(1, ge=1, le=100, description="how often, relative to the others")
    fault: WaveFault | None = None
    apply: dict[str, Any] | None = Field(
        None, description="an object applied as if pushed by someone else (kubectl apply)"
    )
    recover: WaveFault | None = Field(
        None, description="undone this much later: recover-node after crash-node, ..."
    )
    recover_after: float = Field(60, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_action(self) -> Incident:
        if (self.fault is None) == (self.apply is None):
            raise ValueError("give exactly one of fault or apply")
        return self


class Chaos(Strict):
    """The incident stream of a chaos level."""

    incidents: list[Incident] = Field(min_length=1, max_length=20)
    first_after: float = Field(30, ge=0, le=3600, description="seconds before the first one")
    every: float = Field(60, gt=0, le=3600, description="the first gap between incidents")
    min_every: float = Field(15, gt=0, le=3600, description="the gaps never get shorter")
    speedup: float = Field(0.9, gt=0, le=1, description="each gap is the last one times this")
    minutes: float = Field(30, gt=0, le=120, description="how long the stream runs")
