"""Stateful property test: the cluster's invariants hold under random workloads and faults."""

from __future__ import annotations

import contextlib
import os
from typing import Any

from helpers import container, rc
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from k8stui.engine import errors
from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import NodeSpec, is_ready

WORKERS = ["worker-1", "worker-2", "worker-3"]
SIZES = [("100m", "64Mi"), ("500m", "256Mi"), ("900m", "1Gi")]


class ClusterMachine(RuleBasedStateMachine):
    """Random RCs, scaling, node faults, cordons and time steps."""

    def __init__(self) -> None:
        super().__init__()
        self.cluster = Cluster(seed=42)
        self.down: set[str] = set()
        self.cordoned: set[str] = set()
        self.bad_bindings: list[str] = []
        self.cluster.ctx.store.watch(self._check_binding)

    def _check_binding(self, kind: str, new: Any, old: Any) -> None:
        # A pod gets a node: that node must be Ready and schedulable at that moment.
        if kind != "Pod" or new is None or old is None:
            return
        node_name = new["spec"].get("nodeName")
        if not node_name or old["spec"].get("nodeName"):
            return
        if any(r.get("kind") == "DaemonSet" for r in new["metadata"].get("ownerReferences") or []):
            return  # daemon pods tolerate node.kubernetes.io/unschedulable by design
        node = self.cluster.ctx.store.get("Node", "", node_name)
        if node is None or not is_ready(node) or node["spec"].get("unschedulable"):
            self.bad_bindings.append(f"{new['metadata']['name']} -> {node_name}")

    @rule(index=st.integers(0, 3), replicas=st.integers(0, 5), size=st.sampled_from(SIZES))
    def create_rc(self, index: int, replicas: int, size: tuple[str, str]) -> None:
        cpu, memory = size
        spec = container(
            "app", "nginx:1.27", resources={"requests": {"cpu": cpu, "memory": memory}}
        )
        with contextlib.suppress(errors.ApiError):
            self.cluster.create(rc(f"rc{index}", replicas, {"app": f"rc{index}"}, spec))

    @rule(index=st.integers(0, 3), replicas=st.integers(0, 6))
    def scale(self, index: int, replicas: int) -> None:
        with contextlib.suppress(errors.ApiError):
            self.cluster.scale("ReplicationController", f"rc{index}", replicas)

    @rule(node=st.sampled_from(WORKERS))
    def crash(self, node: str) -> None:
        self.cluster.inject(Fault(kind="crash-node", target=node))
        self.down.add(node)

    @rule(node=st.sampled_from(WORKERS))
    def recover(self, node: str) -> None:
        self.cluster.inject(Fault(kind="recover-node", target=node))
        self.down.discard(node)

    @rule(node=st.sampled_from(WORKERS), on=st.booleans())
    def cordon(self, node: str, on: bool) -> None:
        obj = self.cluster.get("Node", node)
        self.cluster.replace({**obj, "spec": {**obj["spec"], "unschedulable": on}})
        (self.cordoned.add if on else self.cordoned.discard)(node)

    @rule()
    def create_daemon_set(self) -> None:
        template = {
            "metadata": {"labels": {"app": "agent"}},
            "spec": {"containers": [container("agent", "nginx:1.27")]},
        }
        with contextlib.suppress(errors.ApiError):
            self.cluster.create(
                {
                    "apiVersion": "apps/v1",
                    "kind": "DaemonSet",
                    "metadata": {"name": "agent"},
                    "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": template},
                }
            )

    @rule()
    def add_node(self) -> None:
        if self.cluster.get("Node", "worker-4") is None:
            self.cluster.add_node(NodeSpec(name="worker-4"))

    @rule(node=st.sampled_from(WORKERS), effect=st.sampled_from(["NoSchedule", "NoExecute", None]))
    def taint(self, node: str, effect: str | None) -> None:
        # Only our own taint: the node controller's taints (unreachable ...) stay.
        kept = [
            t
            for t in self.cluster.get("Node", node)["spec"].get("taints") or []
            if t["key"] != "dedicated"
        ]
        if effect is not None:
            kept.append({"key": "dedicated", "effect": effect})
        self.cluster.patch("Node", node, {"spec": {"taints": kept or None}}, "")

    @invariant()
    def at_most_one_daemon_pod_per_node(self) -> None:
        seen: set[tuple[str, str]] = set()
        for pod in self.cluster.list("Pod", None):
            refs = pod["metadata"].get("ownerReferences") or []
            owner = next((r["name"] for r in refs if r.get("kind") == "DaemonSet"), None)
            node = pod["spec"].get("nodeName")
            if owner is None or not node or pod["metadata"].get("deletionTimestamp"):
                continue
            if pod["status"].get("phase") in ("Succeeded", "Failed"):
                continue
            assert (owner, node) not in seen, (owner, node)
            seen.add((owner, node))

    @rule(seconds=st.sampled_from([1, 5, 30, 70, 400]))
    def advance(self, seconds: int) -> None:
        self.cluster.advance(seconds)

    @invariant()
    def no_node_over_allocatable(self) -> None:
        for node in self.cluster.list("Node", None):
            alloc = node["status"]["allocatable"]
            cpu = mem = 0
            for pod in self.cluster.ctx.store.pods_on_node(node["metadata"]["name"]):
                if pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
                    continue
                for c in pod["spec"]["containers"]:
                    req = c.get("resources", {}).get("requests", {})
                    cpu += parse_cpu(req.get("cpu"))
                    mem += parse_memory(req.get("memory"))
            assert cpu <= parse_cpu(alloc["cpu"]) and mem <= parse_memory(alloc["memory"])

    @invariant()
    def nothing_answers_from_a_crashed_node(self) -> None:
        for node in self.down:
            for pod in self.cluster.ctx.store.pods_on_node(node):
                ip = pod.get("status", {}).get("podIP")
                if ip:
                    assert not self.cluster.request(ip, 80).ok

    @invariant()
    def no_binding_to_cordoned_or_not_ready_nodes(self) -> None:
        assert self.bad_bindings == []

    @rule()
    def heal_everything_and_converge(self) -> None:
        for node in WORKERS:
            self.cluster.inject(Fault(kind="recover-node", target=node))
            obj = self.cluster.get("Node", node)
            taints = [t for t in obj["spec"].get("taints") or [] if t["key"] != "dedicated"]
            spec = {k: v for k, v in obj["spec"].items() if k != "taints"}
            if taints:
                spec["taints"] = taints
            self.cluster.replace({**obj, "spec": {**spec, "unschedulable": False}})
        self.down.clear()
        self.cordoned.clear()
        # Make room for certain: at most 4 pods of <= 900m on three 2-CPU workers.
        for rc_obj in self.cluster.list("ReplicationController"):
            if rc_obj["spec"]["replicas"] > 1:
                self.cluster.scale("ReplicationController", rc_obj["metadata"]["name"], 1)
        self.cluster.advance(120)
        self._daemon_pods_settled()
        for rc_obj in self.cluster.list("ReplicationController"):
            want = rc_obj["spec"]["replicas"]
            assert rc_obj.get("status", {}).get("readyReplicas", 0) == want, rc_obj["metadata"][
                "name"
            ]

    def _daemon_pods_settled(self) -> None:
        """Exactly one ready pod of every DaemonSet on every node it is meant for."""
        for ds in self.cluster.list("DaemonSet", None):
            ns, name = ds["metadata"]["namespace"], ds["metadata"]["name"]
            tolerates_all = any(
                t.get("operator") == "Exists" and not t.get("key")
                for t in ds["spec"]["template"]["spec"].get("tolerations") or []
            )
            for node in self.cluster.list("Node", None):
                node_name = node["metadata"]["name"]
                eligible = tolerates_all or not node["spec"].get("taints")
                pods = [
                    p
                    for p in self.cluster.list("Pod", ns)
                    if p["spec"].get("nodeName") == node_name
                    and any(
                        r.get("name") == name for r in p["metadata"].get("ownerReferences") or []
                    )
                    and not p["metadata"].get("deletionTimestamp")
                ]
                ready_pods = [
                    p
                    for p in pods
                    if any(
                        c["type"] == "Ready" and c["status"] == "True"
                        for c in p["status"].get("conditions") or []
                    )
                ]
                if eligible:
                    assert len(pods) == 1 and len(ready_pods) == 1, (name, node_name, len(pods))
                else:
                    assert not pods, (name, node_name)


TestClusterInvariants = ClusterMachine.TestCase
TestClusterInvariants.settings = settings(
    max_examples=500 if os.environ.get("K8STUI_FUZZ") == "1" else 25,
    stateful_step_count=20,
    deadline=None,
)
