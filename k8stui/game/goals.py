"""The goal library: every check type a level may use, and the all / any / not combinators.

Levels name a check by its ``type`` (a discriminated union), so a pack can only ask for what
this library knows how to evaluate; no expression or code from a level is ever run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field

from k8stui.game.goal_base import CheckBase, GoalView, Verdict
from k8stui.game.goal_history import CommandCheck, EventCheck
from k8stui.game.goal_images import ImageCheck
from k8stui.game.goal_objects import ObjectCheck
from k8stui.game.goal_pods import (
    DifferentNodesCheck,
    PodsCheck,
    ReplicasReadyForCheck,
    SameNodeCheck,
    SharePodCheck,
)
from k8stui.game.goal_survive import SurviveCheck
from k8stui.game.goal_traffic import AvailabilityCheck


class AllCheck(CheckBase):
    """Every nested check passes."""

    type: Literal["all"]
    checks: list[Check] = Field(min_length=1)

    def default_title(self) -> str:
        return " and ".join(c.describe() for c in self.checks)

    def children(self) -> list[CheckBase]:
        return list(self.checks)

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        verdicts = [c.evaluate(view, f"{key}.{i}") for i, c in enumerate(self.checks)]
        failing = [v for v in verdicts if not v.passed]
        if not failing:
            return Verdict(True, "; ".join(v.explanation for v in verdicts))
        return Verdict(False, failing[0].explanation, pending=all(v.pending for v in failing))


class AnyCheck(CheckBase):
    """At least one nested check passes."""

    type: Literal["any"]
    checks: list[Check] = Field(min_length=1)

    def default_title(self) -> str:
        return " or ".join(c.describe() for c in self.checks)

    def children(self) -> list[CheckBase]:
        return list(self.checks)

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        verdicts = [c.evaluate(view, f"{key}.{i}") for i, c in enumerate(self.checks)]
        passing = [v for v in verdicts if v.passed]
        if passing:
            return Verdict(True, passing[0].explanation)
        text = " / ".join(v.explanation for v in verdicts)
        return Verdict(False, f"none yet: {text}", pending=any(v.pending for v in verdicts))


class NotCheck(CheckBase):
    """The nested check fails (e.g. "no pod runs on worker-2")."""

    type: Literal["not"]
    check: Check

    def default_title(self) -> str:
        return f"not: {self.check.describe()}"

    def children(self) -> list[CheckBase]:
        return [self.check]

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        inner = self.check.evaluate(view, f"{key}.0")
        if inner.pending:
            return Verdict(False, inner.explanation, pending=True)
        return Verdict(not inner.passed, inner.explanation)


Check = Annotated[
    ObjectCheck
    | PodsCheck
    | SharePodCheck
    | SameNodeCheck
    | DifferentNodesCheck
    | ReplicasReadyForCheck
    | AvailabilityCheck
    | SurviveCheck
    | ImageCheck
    | EventCheck
    | CommandCheck
    | AllCheck
    | AnyCheck
    | NotCheck,
    Field(discriminator="type"),
]
"""Any goal check; YAML picks one with ``type:``."""

for _model in (AllCheck, AnyCheck, NotCheck):
    _model.model_rebuild()

GOAL_TYPES = (
    ObjectCheck,
    PodsCheck,
    SharePodCheck,
    SameNodeCheck,
    DifferentNodesCheck,
    ReplicasReadyForCheck,
    AvailabilityCheck,
    ImageCheck,
    EventCheck,
    CommandCheck,
    AllCheck,
    AnyCheck,
    NotCheck,
)


def walk(check: CheckBase, key: str) -> Iterator[tuple[str, CheckBase]]:
    """``check`` and every nested check with its memory key, parents first."""
    yield key, check
    for index, child in enumerate(check.children()):
        yield from walk(child, f"{key}.{index}")
