"""The node lifecycle controller (reference §1.2, §1.4).

Upstream polls every node each ``node-monitor-period``. Here the kubelets tell the controller
when their heartbeats stop, and it schedules one check at the first monitor tick after the
grace period would run out — the same observable timeline without per-tick polling.
"""

from __future__ import annotations

import math
from typing import Any

from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.kubelet.agent import Kubelets
from k8stui.engine.nodes import condition

Obj = dict[str, Any]
SOURCE = "node-controller"
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
_PRESSURE = ("MemoryPressure", "DiskPressure", "PIDPressure")
# Small clusters stop evicting when this share of a zone's nodes is unhealthy (§1.1).
UNHEALTHY_ZONE_THRESHOLD = 0.55
EVICTION_INTERVAL_MS = 10_000
LARGE_CLUSTER_SIZE = (
    50  # --large-cluster-size-threshold  # --node-eviction-rate 0.1 nodes/s per zone
)


def zone_of(node: Obj) -> str:
    """The node's zone label ("" when it has none)."""
    return str((node["metadata"].get("labels") or {}).get("topology.kubernetes.io/zone", ""))


class NodeLifecycleController:
    """Marks silent nodes Unknown, taints them, and lifts it all when they come back."""

    def __init__(self, ctx: EngineContext, kubelets: Kubelets) -> None:
        self.ctx = ctx
        self.kubelets = kubelets
        self.next_taint_ms: dict[str, int] = {}
        ctx.queue.register("nodelifecycle.check", self._on_check)
        ctx.queue.register("nodelifecycle.taint", self._on_taint)
        ctx.store.watch(self._on_change, ("Node",))

    def heartbeats_stopped(self, node: str) -> None:
        """Called when a node's kubelet goes silent; schedules the grace-period check."""
        last = self.kubelets.last_renew_ms(node, self.ctx.now)
        if last is None:
            return
        grace = int(self.ctx.timings.node_monitor_grace_period * 1000)
        period = int(self.ctx.timings.node_monitor_period * 1000)
        # The first monitor tick strictly after last heartbeat + grace.
        due = (math.floor((last + grace) / period) + 1) * period
        self.ctx.queue.push(max(due, self.ctx.now), "nodelifecycle.check", {"node": node})

    def _on_check(self, p: Obj) -> None:
        name = p["node"]
        if self.kubelets.running(name) and not self.kubelets.partitioned(name):
            return
        node = self.ctx.store.get("Node", "", name)
        if node is None:
            return
        ready = condition(node, "Ready")
        if ready is not None and ready.get("status") == "Unknown":
            return
        now = to_timestamp(self.ctx.now)
        conditions = []
        for cond in node["status"].get("conditions") or []:
            cond = dict(cond)
            if cond["type"] in ("Ready", *_PRESSURE):
                cond.update(
                    status="Unknown",
                    reason="NodeStatusUnknown",
                    message="Kubelet stopped posting node status.",
                    lastTransitionTime=now,
                )
            conditions.append(cond)
        node = self.ctx.store.update(
            {**node, "status": {**node["status"], "conditions": conditions}}
        )
        self.ctx.recorder.emit(
            node, "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady", SOURCE
        )
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"node {name} NotReady (no heartbeat)"
        )
        self._mark_pods_not_ready(name)
        self._add_taint(node, UNREACHABLE, "NoSchedule")
        self._schedule_noexecute(name)

    def _mark_pods_not_ready(self, name: str) -> None:
        now = to_timestamp(self.ctx.now)
        for pod in self.ctx.store.pods_on_node(name):
            status = pod.get("status") or {}
            conds = [dict(c) for c in status.get("conditions") or []]
            changed = False
            for cond in conds:
                if cond.get("type") == "Ready" and cond.get("status") != "False":
                    cond.update(status="False", lastTransitionTime=now)
                    cond.pop("reason", None)
                    cond.pop("message", None)
                    changed = True
            if changed:
                self.ctx.store.update({**pod, "status": {**status, "conditions": conds}})
                self.ctx.recorder.emit(pod, "Warning", "NodeNotReady", "Node is not ready", SOURCE)

    def _schedule_noexecute(self, name: str) -> None:
        node = self.ctx.store.get("Node", "", name)
        if node is None:
            return
        zone = zone_of(node)
        if self._zone_disrupted(zone):
            self.ctx.activity.add(
                self.ctx.now,
                "controller-manager",
                f"zone {zone or '(none)'} disrupted: evictions paused",
            )
            return
        due = max(self.ctx.now, self.next_taint_ms.get(zone, 0))
        self.next_taint_ms[zone] = due + EVICTION_INTERVAL_MS
        self.ctx.queue.push(due, "nodelifecycle.taint", {"node": name})

    def _zone_state(self, zone: str) -> str:
        nodes = [n for n in self.ctx.store.iter_kind("Node") if zone_of(n) == zone]
        not_ready = sum(1 for n in nodes if (condition(n, "Ready") or {}).get("status") != "True")
        ready = len(nodes) - not_ready
        if ready == 0 and not_ready > 0:
            return "FullDisruption"
        if not_ready > 2 and not_ready / max(len(nodes), 1) >= UNHEALTHY_ZONE_THRESHOLD:
            return "PartialDisruption"
        return "Normal"

    def _zone_disrupted(self, zone: str) -> bool:
        """Whether evictions are paused for ``zone`` (upstream's disruption handling).

        Every zone fully down looks like the control plane lost the network: nothing is
        evicted. A zone that is mostly (not entirely) down stops evicting in small clusters.
        A single fully-down zone among healthy ones is evicted at the normal rate.
        """
        zones = {zone_of(n) for n in self.ctx.store.iter_kind("Node")}
        states = {z: self._zone_state(z) for z in sorted(zones)}
        if states and all(state == "FullDisruption" for state in states.values()):
            return True
        small = self.ctx.store.count("Node") <= LARGE_CLUSTER_SIZE
        return states.get(zone) == "PartialDisruption" and small

    def _on_taint(self, p: Obj) -> None:
        node = self.ctx.store.get("Node", "", p["node"])
        if node is None or (condition(node, "Ready") or {}).get("status") == "True":
            return
        if self._zone_disrupted(zone_of(node)):
            # Paused, as upstream's rate limiter at 0: look again on the next monitor pass.
            period = int(self.ctx.timings.node_monitor_period * 1000)
            self.ctx.queue.push(self.ctx.now + period, "nodelifecycle.taint", p)
            return
        self._add_taint(node, UNREACHABLE, "NoExecute")

    def _add_taint(self, node: Obj, key: str, effect: str) -> None:
        node = self.ctx.store.get("Node", "", node["metadata"]["name"]) or node
        taints = list((node.get("spec") or {}).get("taints") or [])
        if any(t.get("key") == key and t.get("effect") == effect for t in taints):
            return
        taint: Obj = {"key": key, "effect": effect}
        if effect == "NoExecute":
            taint["timeAdded"] = to_timestamp(self.ctx.now)
        taints.append(taint)
        self.ctx.store.update({**node, "spec": {**node["spec"], "taints": taints}})

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind != "Node":
            return
        if new is None:
            assert old is not None
            name = old["metadata"]["name"]
            self.ctx.recorder.emit(
                old,
                "Normal",
                "RemovingNode",
                f"Node {name} event: Removing Node {name} from Controller",
                SOURCE,
            )
            return
        self._sync_condition_taints(new)

    def _sync_condition_taints(self, node: Obj) -> None:
        """Healthy again: lift the not-ready/unreachable taints; cordon <-> unschedulable taint."""
        taints = list((node.get("spec") or {}).get("taints") or [])
        ready = (condition(node, "Ready") or {}).get("status") == "True"
        kept = [t for t in taints if not (ready and t.get("key") in (UNREACHABLE, NOT_READY))]
        cordoned = bool(node["spec"].get("unschedulable"))
        has_cordon_taint = any(t.get("key") == UNSCHEDULABLE for t in kept)
        if cordoned and not has_cordon_taint:
            kept.append(
                {
                    "key": UNSCHEDULABLE,
                    "effect": "NoSchedule",
                    "timeAdded": to_timestamp(self.ctx.now),
                }
            )
        elif not cordoned and has_cordon_taint:
            kept = [t for t in kept if t.get("key") != UNSCHEDULABLE]
        if kept != taints:
            spec = {**node["spec"]}
            if kept:
                spec["taints"] = kept
            else:
                spec.pop("taints", None)
            self.ctx.store.update({**node, "spec": spec})

    def to_json(self) -> dict[str, Any]:
        """Plain-data state."""
        return {"next_taint_ms": dict(self.next_taint_ms)}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.next_taint_ms = {str(k): int(v) for k, v in data["next_taint_ms"].items()}
