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
from k8stui.engine.nodes import is_ready

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
            self.cluster.replace({**obj, "spec": {**obj["spec"], "unschedulable": False}})
        self.down.clear()
        self.cordoned.clear()
        # Make room for certain: at most 4 pods of <= 900m on three 2-CPU workers.
        for rc_obj in self.cluster.list("ReplicationController"):
            if rc_obj["spec"]["replicas"] > 1:
                self.cluster.scale("ReplicationController", rc_obj["metadata"]["name"], 1)
        self.cluster.advance(120)
        for rc_obj in self.cluster.list("ReplicationController"):
            want = rc_obj["spec"]["replicas"]
            assert rc_obj.get("status", {}).get("readyReplicas", 0) == want, rc_obj["metadata"][
                "name"
            ]


TestClusterInvariants = ClusterMachine.TestCase
TestClusterInvariants.settings = settings(
    max_examples=500 if os.environ.get("K8STUI_FUZZ") == "1" else 25,
    stateful_step_count=20,
    deadline=None,
)
