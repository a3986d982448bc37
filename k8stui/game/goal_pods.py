"""Goals about pods: how many, how ready, where they run, what they share."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from k8stui.game.goal_base import (
    CheckBase,
    GoalView,
    PodSelector,
    Verdict,
    node_of,
    plural,
    pod_name,
    pod_problem,
    pod_ready,
)

Obj = dict[str, Any]


def _not_ready_reasons(view: GoalView, pods: list[Obj], limit: int = 2) -> str:
    problems = [pod_problem(view.cluster, p) for p in pods if not pod_ready(p)]
    if not problems:
        return ""
    more = f" (+{len(problems) - limit} more)" if len(problems) > limit else ""
    return ": " + "; ".join(problems[:limit]) + more


class PodsCheck(CheckBase):
    """Pods matching a selector: how many exist, how many are ready, phase and placement."""

    type: Literal["pods"]
    selector: PodSelector
    count: int | None = Field(None, ge=0, description="exactly this many (not terminating)")
    ready: int | None = Field(None, ge=0, description="at least this many Ready")
    phase: str | None = Field(None, description="every pod is in this phase")
    image: str | None = Field(None, description="every pod runs a container with this image")
    on_nodes: list[str] | None = Field(None, description="every pod runs on one of these")
    avoid_nodes: list[str] = Field(default_factory=list, description="no pod runs on these")

    def default_title(self) -> str:
        what = self.selector.text()
        if self.ready is not None:
            return f"{self.ready} {what} pod(s) ready"
        if self.count is not None:
            return f"exactly {self.count} {what} pod(s)"
        return f"pods {what} are as required"

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        pods = self.selector.select(view.cluster)
        what = self.selector.text()
        if self.count is not None and len(pods) != self.count:
            if not pods:
                return Verdict(False, f"no pod matches {what} yet; wanted {self.count}")
            return Verdict(False, f"{plural(len(pods), 'pod')} match {what}; wanted {self.count}")
        ready = [p for p in pods if pod_ready(p)]
        if self.ready is not None and len(ready) < self.ready:
            if not pods:
                return Verdict(False, f"0/{self.ready} ready: no pod matches {what}")
            reasons = _not_ready_reasons(view, pods)
            if len(pods) < self.ready:
                reasons += (
                    f"; only {plural(len(pods), 'pod')} {'exists' if len(pods) == 1 else 'exist'}"
                )
            return Verdict(False, f"{len(ready)}/{self.ready} ready{reasons}")
        if self.phase is not None:
            wrong = [p for p in pods if (p.get("status") or {}).get("phase") != self.phase]
            if wrong or not pods:
                shown = wrong[0] if wrong else None
                detail = (
                    f"{pod_name(shown)} is {(shown.get('status') or {}).get('phase')}"
                    if shown
                    else f"no pod matches {what}"
                )
                return Verdict(False, f"not every pod is {self.phase}: {detail}")
        if self.image is not None:
            lacking = [p for p in pods if not _runs_image(p, self.image)]
            if lacking or not pods:
                detail = pod_name(lacking[0]) if lacking else f"no pod matches {what}"
                return Verdict(False, f"a pod does not run image {self.image}: {detail}")
        placement = self._placement(pods)
        if placement:
            return Verdict(False, placement)
        return Verdict(True, self._summary(pods, ready))

    def _placement(self, pods: list[Obj]) -> str:
        for pod in pods:
            node = node_of(pod)
            if self.on_nodes is not None and node not in self.on_nodes:
                where = node or "no node yet"
                return f"{pod_name(pod)} runs on {where}, not on {', '.join(self.on_nodes)}"
            if node in self.avoid_nodes:
                return f"{pod_name(pod)} runs on {node}, which it must avoid"
        return ""

    @staticmethod
    def _summary(pods: list[Obj], ready: list[Obj]) -> str:
        if not pods:
            return "no matching pods"
        nodes = sorted({node for node in map(node_of, pods) if node})
        waiting = sum(1 for p in pods if not node_of(p))
        where = f" on {', '.join(nodes)}" if nodes else ""
        if waiting:
            where += f" ({plural(waiting, 'pod')} not scheduled yet)"
        return f"{len(ready)}/{len(pods)} ready{where}"


def _runs_image(pod: Obj, image: str) -> bool:
    images = [c.get("image", "") for c in (pod.get("spec") or {}).get("containers") or []]
    return any(_same_image(i, image) for i in images)


def _same_image(actual: str, wanted: str) -> bool:
    """``luksa/kubia`` matches ``luksa/kubia`` and ``luksa/kubia:latest``; a tag must match."""
    if actual == wanted:
        return True
    norm = lambda ref: ref if ":" in ref.rsplit("/", 1)[-1] else ref + ":latest"  # noqa: E731
    return norm(actual) == norm(wanted)


class SharePodCheck(CheckBase):
    """Containers running these images live together in one ready pod."""

    type: Literal["share_pod"]
    images: list[str] = Field(min_length=2, description="one container per image, same pod")
    selector: PodSelector | None = None
    namespace: str = "default"

    def default_title(self) -> str:
        return f"{' and '.join(self.images)} run in one pod"

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        if self.selector is not None:
            pods = self.selector.select(view.cluster)
        else:
            pods = [p for p in view.cluster.list("Pod", self.namespace) if _active(p)]
        holding = [p for p in pods if all(_runs_image(p, i) for i in self.images)]
        if not holding:
            partial = [p for p in pods if any(_runs_image(p, i) for i in self.images)]
            covered = {i for p in partial for i in self.images if _runs_image(p, i)}
            if partial and len(covered) == len(self.images) and len(partial) > 1:
                names = ", ".join(pod_name(p) for p in partial[:3])
                return Verdict(
                    False, f"the images run in separate pods ({names}); put them in one pod"
                )
            if partial:
                return Verdict(False, self._missing(partial[0]))
            return Verdict(False, f"no pod runs {' and '.join(self.images)} yet")
        ready = [p for p in holding if pod_ready(p)]
        if not ready:
            return Verdict(False, pod_problem(view.cluster, holding[0]))
        return Verdict(True, f"pod {pod_name(ready[0])} runs them together")

    def _missing(self, pod: Obj) -> str:
        """``pod web runs luksa/kubia but not k8stui/metrics (its images: ...)``."""
        have = [i for i in self.images if _runs_image(pod, i)]
        lacking = [i for i in self.images if not _runs_image(pod, i)]
        images = [str(c.get("image", "")) for c in (pod.get("spec") or {}).get("containers") or []]
        return (
            f"pod {pod_name(pod)} runs {' and '.join(have)} but not {' and '.join(lacking)} "
            f"(its containers run {', '.join(images)})"
        )


def _active(pod: Obj) -> bool:
    return not pod["metadata"].get("deletionTimestamp") and (pod.get("status") or {}).get(
        "phase"
    ) not in ("Succeeded", "Failed")


class SameNodeCheck(CheckBase):
    """Every pod of every group runs on one and the same node (and each group has pods)."""

    type: Literal["same_node"]
    groups: list[PodSelector] = Field(min_length=2)

    def default_title(self) -> str:
        return f"{' and '.join(g.text() for g in self.groups)} share a node"

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        nodes: dict[str, list[str]] = {}
        for group in self.groups:
            pods = group.select(view.cluster)
            if not pods:
                return Verdict(False, f"no pod matches {group.text()}")
            for pod in pods:
                node = node_of(pod)
                if node is None:
                    return Verdict(False, pod_problem(view.cluster, pod))
                nodes.setdefault(node, []).append(pod_name(pod))
        if len(nodes) == 1:
            return Verdict(True, f"all on {next(iter(nodes))}")
        spread = "; ".join(f"{n}: {', '.join(p)}" for n, p in sorted(nodes.items()))
        return Verdict(False, f"pods are spread over {len(nodes)} nodes — {spread}")


class DifferentNodesCheck(CheckBase):
    """Pods matching the selector each run on a node of their own."""

    type: Literal["different_nodes"]
    selector: PodSelector
    min_pods: int = Field(2, ge=2, description="at least this many scheduled pods")

    def default_title(self) -> str:
        return f"{self.selector.text()} pods run on different nodes"

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        pods = [p for p in self.selector.select(view.cluster) if node_of(p)]
        if len(pods) < self.min_pods:
            return Verdict(
                False, f"{plural(len(pods), 'scheduled pod')}; need at least {self.min_pods}"
            )
        by_node: dict[str, list[str]] = {}
        for pod in pods:
            by_node.setdefault(node_of(pod) or "", []).append(pod_name(pod))
        crowded = {n: p for n, p in by_node.items() if len(p) > 1}
        if crowded:
            node, names = sorted(crowded.items())[0]
            return Verdict(False, f"{', '.join(names)} share node {node}")
        return Verdict(True, f"{len(pods)} pods on {len(by_node)} nodes")


class ReplicasReadyForCheck(CheckBase):
    """At least ``count`` matching pods stay Ready for ``seconds`` without a break."""

    type: Literal["replicas_ready_for"]
    selector: PodSelector
    count: int = Field(ge=1)
    seconds: float = Field(ge=0)

    def default_title(self) -> str:
        return f"{self.count} {self.selector.text()} replicas ready for {self.seconds:g}s"

    @model_validator(mode="after")
    def _sane(self) -> ReplicasReadyForCheck:
        if self.seconds > 86_400:
            raise ValueError("seconds must be at most one simulated day")
        return self

    def _ready_count(self, view: GoalView) -> tuple[int, list[Obj]]:
        pods = self.selector.select(view.cluster)
        return sum(1 for p in pods if pod_ready(p)), pods

    def observe(self, view: GoalView, key: str) -> None:
        notes = view.notes(key)
        ready, _ = self._ready_count(view)
        if ready >= self.count:
            notes.setdefault("since_ms", view.now_ms)
        else:
            notes.pop("since_ms", None)

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        ready, pods = self._ready_count(view)
        if ready < self.count:
            reasons = _not_ready_reasons(view, pods)
            if not pods:
                reasons = f": no pod matches {self.selector.text()}"
            return Verdict(False, f"{ready}/{self.count} replicas ready{reasons}")
        since = view.notes(key).get("since_ms", view.now_ms)
        held = (view.now_ms - since) / 1000
        if held >= self.seconds:
            return Verdict(True, f"{ready}/{self.count} replicas ready for {held:g}s")
        return Verdict(
            False,
            f"{ready}/{self.count} replicas ready for {held:g}s of {self.seconds:g}s",
            pending=True,
        )
