"""What every goal check shares: its verdict, the live state it reads, and pod selection.

A check is data (a pydantic model from a level file) with two methods: ``evaluate`` gives a
verdict from the cluster as it is now, and ``observe`` is called on a fixed sim-time grid so
checks that are about time ("ready for 30 s", "answered 99 % of probes") can keep notes.
Notes live in :attr:`GoalView.memory`, never in the model, so one level can be played many
times and the same check object is shared safely.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from k8stui.engine.cluster import Cluster
from k8stui.engine.controllers.podutil import is_active, is_ready
from k8stui.engine.nodes import is_ready as node_is_ready

Obj = dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    """A check's answer: pass/fail, why (built from live state), and whether it is final.

    ``pending`` marks a verdict that cannot be final yet (a wave still running, a hold time
    not yet reached): the goals pane shows it as in progress rather than failed.
    """

    passed: bool
    explanation: str
    pending: bool = False


@dataclass(frozen=True)
class WaveWindow:
    """When the wave a check measures started and ends (sim ms) and whether it is over."""

    start_ms: int
    end_ms: int
    finished: bool


@dataclass
class GoalView:
    """Everything a check may read: the cluster, the console history and its own notes."""

    cluster: Cluster
    history: Sequence[str] = ()
    memory: dict[str, Any] = field(default_factory=dict)
    wave: WaveWindow | None = None
    waves_started: int = 0

    @property
    def now_ms(self) -> int:
        """Sim time in ms."""
        return self.cluster.now_ms

    def notes(self, key: str) -> dict[str, Any]:
        """The mutable notes of the check at ``key`` (created on first use)."""
        slot = self.memory.setdefault(key, {})
        assert isinstance(slot, dict)
        return slot


class CheckBase(BaseModel):
    """Fields every check has; subclasses add ``type`` and their own fields."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(
        None, description="What the goals pane shows; a description is generated when omitted."
    )
    hold: Literal["now", "wave"] = Field(
        "now",
        description="'now': judged when the level is scored; 'wave': must hold at every sample "
        "while the wave runs (top-level goals only).",
    )

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        """Pass/fail with an explanation from live state."""
        raise NotImplementedError

    def observe(self, view: GoalView, key: str) -> None:
        """Called every sampled second; time-based checks take notes here."""

    def probe(self, view: GoalView, key: str) -> None:
        """Called at each wave probe tick (availability checks send their request here)."""

    def describe(self) -> str:
        """A one-line description for the goals pane."""
        return self.title or self.default_title()

    def default_title(self) -> str:
        """Generated description (subclasses override)."""
        return type(self).__name__

    def children(self) -> list[CheckBase]:
        """Nested checks (composites override)."""
        return []


class PodSelector(BaseModel):
    """Which pods a check or a wave target means: by labels, by name, or by name prefix."""

    model_config = ConfigDict(extra="forbid")

    namespace: str = "default"
    labels: dict[str, str] = Field(default_factory=dict, description="all must match")
    name: str | None = None
    name_prefix: str | None = None

    @model_validator(mode="after")
    def _some_criterion(self) -> PodSelector:
        if not self.labels and self.name is None and self.name_prefix is None:
            raise ValueError("give labels, name or name_prefix")
        return self

    def matches(self, pod: Obj) -> bool:
        """True when ``pod`` is one of the selected pods."""
        meta = pod.get("metadata") or {}
        if meta.get("namespace", "default") != self.namespace:
            return False
        name = str(meta.get("name", ""))
        if self.name is not None and name != self.name:
            return False
        if self.name_prefix is not None and not name.startswith(self.name_prefix):
            return False
        labels = meta.get("labels") or {}
        return all(labels.get(k) == v for k, v in self.labels.items())

    def text(self) -> str:
        """Short human form: ``app=kubia`` or ``pod kubia``."""
        if self.name is not None:
            return f"pod {self.name}"
        parts = [f"{k}={v}" for k, v in self.labels.items()]
        if self.name_prefix is not None:
            parts.insert(0, f"{self.name_prefix}*")
        return ",".join(parts)

    def select(self, cluster: Cluster, *, active_only: bool = True) -> list[Obj]:
        """Matching pods in creation order; terminating and finished pods dropped by default."""
        pods = [p for p in cluster.list("Pod", self.namespace) if self.matches(p)]
        return [p for p in pods if is_active(p)] if active_only else pods


def pod_name(pod: Obj) -> str:
    """The pod's name."""
    return str(pod["metadata"]["name"])


def node_of(pod: Obj) -> str | None:
    """Node the pod is bound to, or None."""
    node = (pod.get("spec") or {}).get("nodeName")
    return str(node) if node else None


def pod_ready(pod: Obj) -> bool:
    """Ready condition is True (what Services and replica counts use)."""
    return is_ready(pod)


def pod_problem(cluster: Cluster, pod: Obj) -> str:
    """Why a pod is not ready, in the words ``kubectl describe`` would lead a player to."""
    name = pod_name(pod)
    meta = pod.get("metadata") or {}
    status = pod.get("status") or {}
    if meta.get("deletionTimestamp"):
        return f"{name} is Terminating"
    node = node_of(pod)
    if node is None:
        events = [e for e in cluster.events(pod) if e.get("reason") == "FailedScheduling"]
        if events:
            return f"{name} is Pending — {events[-1].get('message', '')}"
        return f"{name} is Pending (not scheduled yet)"
    node_obj = cluster.get("Node", node, "")
    if node_obj is not None and not node_is_ready(node_obj):
        return f"{name} is on node {node}, which is NotReady"
    for cs in status.get("containerStatuses") or []:
        state = cs.get("state") or {}
        if "waiting" in state:
            return f"{name}: {_waiting_text(cs)}"
        if "terminated" in state:
            term = state["terminated"] or {}
            return (
                f"{name}: container {cs.get('name')} terminated: {term.get('reason', 'Error')} "
                f"(exit code {term.get('exitCode', '?')})"
            )
        if not cs.get("ready"):
            return f"{name}: container {cs.get('name')} is running but not ready yet"
    phase = status.get("phase", "Pending")
    return f"{name} is {phase}, not ready yet"


def _waiting_text(cs: Obj) -> str:
    """Why a waiting container waits, in words (the reason stays, as kubectl shows it)."""
    container = cs.get("name")
    waiting = (cs.get("state") or {}).get("waiting") or {}
    reason = str(waiting.get("reason", "Waiting"))
    if reason == "ContainerCreating":
        return f"container {container} is being created (ContainerCreating)"
    if reason == "CrashLoopBackOff":
        last = (cs.get("lastState") or {}).get("terminated") or {}
        ended = (
            f"; its last run ended {last.get('reason', 'Error')} "
            f"(exit code {last.get('exitCode', '?')})"
            if last
            else ""
        )
        return f"container {container} keeps crashing (CrashLoopBackOff){ended}"
    message = waiting.get("message")
    detail = f" ({_clip(plain_message(str(message)))})" if message else ""
    return f"container {container} is {reason}{detail}"


# "pod=web_default(3f2a…-uuid)" / "in pod web_default(…)": kubelet's internal pod key.
_POD_KEY = re.compile(r"\s*(?:in pod |pod=)\S+?_\S+?\([0-9a-f-]{36}\)")


def plain_message(message: str) -> str:
    """An event or status message without the kubelet's internal pod keys and UIDs."""
    return _POD_KEY.sub("", message).strip()


def _clip(text: str, limit: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, word: str) -> str:
    """``1 pod`` / ``3 pods``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
