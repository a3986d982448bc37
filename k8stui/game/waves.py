"""Running a wave: firing its faults on time or when their trigger first holds.

A wave is driven by the level runner's sampling loop, never by wall-clock time: the runner
asks :meth:`WaveRun.next_due_ms` where to stop next and calls :meth:`WaveRun.tick` at every
sample, so the same commands at the same sim times always give the same faults on the same
targets. Targets such as "the node running most kubia pods" are chosen from live state at
the moment the fault fires, with ties broken by name.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from k8stui.engine.apiserver.strategic_merge import apply_strategic_merge_patch
from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.engine.faults import Fault
from k8stui.game.goal_base import GoalView, PodSelector, node_of, pod_name
from k8stui.game.wave_models import Target, Wave, WaveFault


class TargetError(ValueError):
    """No object matched a fault's target selector when it fired."""


def _first_pod(cluster: Cluster, selector: PodSelector) -> dict[str, object]:
    pods = sorted(selector.select(cluster), key=pod_name)
    if not pods:
        raise TargetError(f"no pod matches {selector.text()}")
    return pods[0]


def resolve_target(cluster: Cluster, target: str | Target) -> str:
    """The node or pod name a fault hits right now."""
    if isinstance(target, str):
        return target
    if target.node is not None:
        return target.node
    if target.pod is not None:
        return pod_name(_first_pod(cluster, target.pod))
    if target.node_of_pod is not None:
        pod = _first_pod(cluster, target.node_of_pod)
        node = node_of(pod)
        if node is None:
            raise TargetError(f"pod {pod_name(pod)} is not on a node yet")
        return node
    selector = target.node_with_most_pods
    assert selector is not None  # the model guarantees exactly one field
    counts: dict[str, int] = {}
    for pod in selector.select(cluster):
        node = node_of(pod)
        if node is not None:
            counts[node] = counts.get(node, 0) + 1
    if not counts:
        raise TargetError(f"no scheduled pod matches {selector.text()}")
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def fire(cluster: Cluster, fault: WaveFault, target: str | None = None) -> str:
    """Apply a wave fault now (on ``target`` when given, else on the fault's own target);
    returns what happened (raises TargetError/ApiError/...)."""
    target = target or resolve_target(cluster, fault.target)
    engine_fault = Fault(
        kind=fault.kind, target=target, namespace=fault.namespace, container=fault.container
    )
    return cluster.inject(engine_fault)


def push(cluster: Cluster, obj: dict[str, Any]) -> str:
    """Push ``obj`` as someone else would: created when new, else merged into the live object
    as a strategic merge patch (so a partial manifest changes only what it names)."""
    kind = str(obj.get("kind", "object"))
    raw = obj.get("metadata")
    meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
    name = str(meta.get("name", ""))
    namespace = str(meta.get("namespace") or "default")
    try:
        live = cluster.get(kind, name, namespace)
        if live is None:
            result = cluster.create(copy.deepcopy(obj))
        else:
            patch = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
            result = cluster.replace(apply_strategic_merge_patch(live, patch, kind))
    except (ApiError, KeyError, TypeError, ValueError) as exc:
        return f"push of {kind} {name} refused: {exc}"
    return f"{kind} {name} {result.op} (pushed)"


@dataclass
class WaveRun:
    """One started wave: when it started, which steps fired, what happened."""

    wave: Wave
    index: int
    start_ms: int
    fired: set[int] = field(default_factory=set)
    due_ms: dict[int, int] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    targets: dict[int, str] = field(default_factory=dict)
    """What each fired step hit, for the recoveries that undo it."""

    @property
    def end_ms(self) -> int:
        """Sim ms when the wave is over."""
        return self.start_ms + int(self.wave.duration * 1000)

    def finished(self, now_ms: int) -> bool:
        """True once the wave's duration has passed."""
        return now_ms >= self.end_ms

    def next_due_ms(self, now_ms: int) -> int | None:
        """The next sim ms this wave needs a sample at (a timed step or its end)."""
        times = [self.end_ms]
        for index, step in enumerate(self.wave.steps):
            if index in self.fired:
                continue
            if index in self.due_ms:
                times.append(self.due_ms[index])
            elif step.when is None:
                times.append(self.start_ms + int(step.at * 1000))
        future = [t for t in times if t > now_ms]
        return min(future) if future else None

    def tick(self, view: GoalView) -> None:
        """Fire every step that is due at the current sample."""
        now = view.now_ms
        if now > self.end_ms:
            return
        for index, step in enumerate(self.wave.steps):
            if index in self.fired or now < self.start_ms + int(step.at * 1000):
                continue
            if index not in self.due_ms:
                if step.when is None:
                    self.due_ms[index] = self.start_ms + int(step.at * 1000)
                elif step.when.evaluate(view, f"wave{self.index}.{index}").passed:
                    self.due_ms[index] = now + int(step.after * 1000)
                else:
                    continue
            if now >= self.due_ms[index] and now < self.end_ms:
                self.fired.add(index)
                self.log.append(self._fire(view.cluster, index))

    def _fire(self, cluster: Cluster, index: int) -> str:
        step = self.wave.steps[index]
        stamp = f"{cluster.now:g}s" + (f" {step.note}:" if step.note else "")
        if step.apply is not None:
            return f"{stamp} {push(cluster, step.apply)}"
        assert step.fault is not None  # the model gives every step exactly one action
        try:
            # A recovery hits what its incident hit, whatever its own target would pick now.
            target = self.targets.get(step.undoes) if step.undoes is not None else None
            if target is None:
                target = resolve_target(cluster, step.fault.target)
            self.targets[index] = target
            return f"{stamp} {fire(cluster, step.fault, target)}"
        except (TargetError, ApiError, KeyError, ValueError) as exc:
            return f"{stamp} {step.fault.kind} skipped: {exc}"
