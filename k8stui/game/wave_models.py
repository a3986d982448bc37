"""The pack format of waves: timed faults (and pushed objects) that test the player's setup.

Shared by levels (``waves:``) and chaos levels, whose incident stream becomes one generated
wave (:mod:`k8stui.game.chaos`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from k8stui.engine.faults import FaultKind
from k8stui.game.goal_base import PodSelector
from k8stui.game.goals import Check
from k8stui.game.strict_model import Strict


class Target(Strict):
    """What a fault hits, chosen when it fires (exactly one field)."""

    node: str | None = None
    pod: PodSelector | None = Field(None, description="the first matching pod (by name)")
    node_of_pod: PodSelector | None = Field(None, description="the node of the first match")
    node_with_most_pods: PodSelector | None = Field(
        None, description="the node running most matching pods (ties: first by name)"
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Target:
        given = [self.node, self.pod, self.node_of_pod, self.node_with_most_pods]
        if sum(x is not None for x in given) != 1:
            raise ValueError("give exactly one of node, pod, node_of_pod, node_with_most_pods")
        return self


class WaveFault(Strict):
    """An engine fault whose target may be picked from live state."""

    kind: FaultKind
    target: str | Target
    namespace: str = "default"
    container: str | None = None


class WaveStep(Strict):
    """One thing a wave does, at a time after it starts or once a condition holds: a fault,
    or an object applied as if someone else pushed it (a bad release, a greedy pod)."""

    at: float = Field(0, ge=0, description="seconds after the wave starts")
    when: Check | None = Field(None, description="fire once this check passes (after 'at')")
    after: float = Field(0, ge=0, description="delay after 'when' first holds")
    fault: WaveFault | None = None
    apply: dict[str, Any] | None = Field(
        None, description="an object applied with kubectl apply semantics when the step fires"
    )
    note: str | None = Field(None, max_length=80, description="what the events pane says")
    undoes: int | None = Field(
        None, ge=0, description="index of an earlier step whose target this fault hits again"
    )

    @model_validator(mode="after")
    def _one_action(self) -> WaveStep:
        if (self.fault is None) == (self.apply is None):
            raise ValueError("give exactly one of fault or apply")
        return self


class Wave(Strict):
    """A timed list of faults that tests the player's setup."""

    name: str = Field(min_length=1, max_length=80)
    start_at: float | None = Field(
        None, ge=0, description="sim seconds from level start; omitted: the player starts it"
    )
    duration: float = Field(gt=0, le=7200)
    steps: list[WaveStep] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _inside(self) -> Wave:
        for step in self.steps:
            if step.at >= self.duration:
                raise ValueError(f"a step at {step.at:g}s falls after the wave ends")
        return self
