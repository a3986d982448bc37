"""Goal: API objects present or absent, optionally with field conditions."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from k8stui.engine.store import CLUSTER_SCOPED
from k8stui.game.fieldpath import FieldCondition
from k8stui.game.goal_base import CheckBase, GoalView, Verdict, plural

Obj = dict[str, Any]
ObjectKind = Literal[
    "ConfigMap",
    "ControllerRevision",
    "CronJob",
    "DaemonSet",
    "Deployment",
    "Endpoints",
    "Event",
    "Job",
    "Lease",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Pod",
    "ReplicaSet",
    "ReplicationController",
    "Secret",
    "Service",
    "ServiceAccount",
    "StatefulSet",
    "StorageClass",
]
"""Every kind the engine serves (a test keeps this list equal to the resource table)."""
KINDS: tuple[str, ...] = get_args(ObjectKind)


class ObjectCheck(CheckBase):
    """Objects of a kind exist (or do not), matched by name or labels, meeting conditions.

    ``present: true`` passes when at least ``count`` matching objects meet every condition;
    ``present: false`` passes when none does.
    """

    type: Literal["object"]
    kind: ObjectKind
    name: str | None = None
    namespace: str = "default"
    labels: dict[str, str] = Field(default_factory=dict, description="all must match")
    present: bool = True
    count: int = Field(1, ge=1, description="with present: at least this many")
    where: list[FieldCondition] = Field(default_factory=list)

    def default_title(self) -> str:
        what = f"{self.kind} {self.name}" if self.name else f"a {self.kind}"
        if self.labels:
            what += " labelled " + ",".join(f"{k}={v}" for k, v in self.labels.items())
        cond = f" with {' and '.join(c.text() for c in self.where)}" if self.where else ""
        return f"{what}{cond} {'exists' if self.present else 'is gone'}"

    def _candidates(self, view: GoalView) -> list[Obj]:
        namespace = "" if self.kind in CLUSTER_SCOPED else self.namespace
        objs = view.cluster.list(self.kind, namespace or None)
        if self.name is not None:
            objs = [o for o in objs if o["metadata"].get("name") == self.name]
        if self.labels:
            objs = [
                o
                for o in objs
                if all(
                    (o["metadata"].get("labels") or {}).get(k) == v for k, v in self.labels.items()
                )
            ]
        return objs

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        candidates = self._candidates(view)
        meeting = [o for o in candidates if all(c.holds(o) for c in self.where)]
        label = self.kind if self.name is None else f"{self.kind} {self.name}"
        if self.present:
            if len(meeting) >= self.count:
                return Verdict(True, self._found(meeting, label))
            if not candidates:
                return Verdict(False, f"no {label} exists yet")
            return Verdict(False, self._why_not(candidates, label))
        if not meeting:
            if candidates:
                return Verdict(True, f"no {label} matches the conditions")
            return Verdict(True, f"no {label} exists")
        names = ", ".join(o["metadata"]["name"] for o in meeting[:5])
        return Verdict(False, f"{plural(len(meeting), label)} still there: {names}")

    def _found(self, meeting: list[Obj], label: str) -> str:
        """Pass text: what exists and, for each condition, what it holds now."""
        first = meeting[0]
        if self.name is not None:
            head = f"{label} exists"
        else:
            names = ", ".join(o["metadata"]["name"] for o in meeting[:5])
            head = f"{plural(len(meeting), self.kind)} found: {names}"
        held = [c.actual_text(first) for c in self.where]
        return head + (f" ({'; '.join(held)})" if held else "")

    def _why_not(self, candidates: list[Obj], label: str) -> str:
        meeting = [o for o in candidates if all(c.holds(o) for c in self.where)]
        if meeting:
            return f"{len(meeting)}/{self.count} {label} objects meet the conditions"
        first = candidates[0]
        failing = next(c for c in self.where if not c.holds(first))
        who = label if self.name else f"{self.kind} {first['metadata']['name']}"
        if failing.op == "exists":
            # "is not set" / "is X" already says what is wrong with an existence check.
            return f"{who}: {failing.actual_text(first)}"
        return f"{who}: {failing.actual_text(first)} (wanted {failing.op} {failing.value!r})"
