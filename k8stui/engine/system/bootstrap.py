"""The minutes before the player arrives: a kind 1.32 cluster coming up.

The clock starts :data:`LEAD_MS` before sim time 0. The API server creates the system
namespaces and the ``kubernetes`` Service; the control-plane node registers and its kubelet
posts the mirror pods of its static pods; kubeadm installs the add-ons (CoreDNS, kube-proxy)
and kind its CNI (kindnet); the workers join. Every object then goes through the same
components a player's objects do, so by time 0 the events, ages and pod states are those of
a cluster that has been up for five minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.kubernetes_service import KubernetesService
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.clock import to_timestamp
from k8stui.engine.collection import bulk_collection
from k8stui.engine.context import EngineContext
from k8stui.engine.nodes import NodeSpec, node_ip
from k8stui.engine.system import manifests
from k8stui.engine.system.control_plane import STATIC_POD
from k8stui.engine.system.storage import default_storage_class

Obj = dict[str, Any]
LEAD_MS = 300_000  # the control-plane node registers five minutes before the player arrives
ADDONS_AFTER_MS = 5_000
WORKERS_AFTER_MS = 30_000
WORKER_SPACING_MS = 1_000
JOIN_WINDOW_MS = 10_000  # kubeadm joins workers in parallel: a big cluster joins within 10 s
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
NO_CONTROL_PLANE_NODE_IP = "172.18.0.1"


class Bootstrap:
    """Builds the system contents and keeps the static pods in step with the control plane."""

    def __init__(self, ctx: EngineContext, api: ApiServer, service: KubernetesService) -> None:
        self.ctx = ctx
        self.api = api
        self.service = service
        self.control_plane_nodes: list[str] = []

    @bulk_collection()  # one bulk run: a large cluster's start-up is frozen when it ends
    def boot(
        self,
        nodes: list[NodeSpec],
        add_node: Callable[[NodeSpec], Obj],
        run_until_ms: Callable[[int], object],
    ) -> None:
        """Play the cluster's start-up so that it is settled at sim time 0."""
        start = -LEAD_MS
        self.ctx.clock.now_ms = start
        for ns in SYSTEM_NAMESPACES:
            self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        planes = [n for n in nodes if n.role == "control-plane"]
        workers = [n for n in nodes if n.role != "control-plane"]
        for spec in planes:
            add_node(spec)
            self.control_plane_nodes.append(spec.name)
        address = node_ip(0) if planes else NO_CONTROL_PLANE_NODE_IP
        self.service.ensure(address)
        for component in STATIC_POD:
            self.post_static_pod(component)
        run_until_ms(start + ADDONS_AFTER_MS)
        for obj in _addons():
            self.api.create(obj)
        run_until_ms(start + WORKERS_AFTER_MS)
        # A second apart, as kind joins a handful of workers; many more all join within 10 s.
        spacing = min(WORKER_SPACING_MS, JOIN_WINDOW_MS // max(len(workers), 1))
        for i, spec in enumerate(workers):
            run_until_ms(start + WORKERS_AFTER_MS + i * spacing)
            add_node(spec)
        run_until_ms(0)

    def post_static_pod(self, component: str) -> None:
        """The kubelet of each control-plane node posts the mirror pod of ``component``."""
        for index, name in enumerate(self.control_plane_nodes):
            node = self.ctx.store.get("Node", "", name)
            if node is None:
                continue
            ip = _internal_ip(node) or node_ip(index)
            pod = manifests.static_pod(STATIC_POD[component], node, ip, _seen(self.ctx.now))
            if self.ctx.store.get("Pod", "kube-system", pod["metadata"]["name"]) is None:
                self.api.create(pod)

    def remove_static_pod(self, component: str) -> None:
        """The manifest left /etc/kubernetes/manifests: container stopped, mirror pod gone."""
        for name in self.control_plane_nodes:
            pod_name = f"{STATIC_POD[component]}-{name}"
            if self.ctx.store.get("Pod", "kube-system", pod_name) is not None:
                try:
                    self.api.delete("Pod", "kube-system", pod_name, grace_period=0, force=True)
                except errors.ApiError:
                    continue


def _addons() -> list[Obj]:
    objs = [manifests.service_account(n, "kube-system") for n in manifests.ADDON_ACCOUNTS]
    objs += [
        manifests.coredns_config(),
        manifests.coredns(),
        manifests.kube_dns(),
        manifests.kube_proxy(),
        manifests.kindnet(),
        default_storage_class(),
    ]
    return objs


def _internal_ip(node: Obj) -> str | None:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address"))
    return None


def _seen(now_ms: int) -> str:
    # The kubelet records when it first saw the manifest, with nanoseconds.
    return to_timestamp(now_ms).replace("Z", f".{(now_ms % 1000) * 1_000_000 + 123456:09d}Z")
