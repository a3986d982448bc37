"""The API server's own ``kubernetes`` Service and its Endpoints (kube-apiserver's
"kubernetes service" controller with the lease endpoint reconciler).

The API server keeps ``default/kubernetes`` (10.96.0.1:443) pointing at its own address on
6443 and repairs both objects on its reconcile interval (10 s), so deleting either one only
lasts a few seconds.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext

Obj = dict[str, Any]
NAME = "kubernetes"
INTERVAL_MS = 10_000
SECURE_PORT = 6443


def service() -> Obj:
    """The ``kubernetes`` Service as the API server creates it."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": NAME,
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "clusterIP": "10.96.0.1",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": SECURE_PORT}],
        },
    }


def endpoints(address: str) -> Obj:
    """The Endpoints the reconciler writes (mirroring to EndpointSlices is skipped)."""
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": NAME,
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [
            {
                "addresses": [{"ip": address}],
                "ports": [{"name": "https", "port": SECURE_PORT, "protocol": "TCP"}],
            }
        ],
    }


class KubernetesService:
    """Recreates the ``kubernetes`` Service and Endpoints on the next reconcile tick."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        self.address = "172.18.0.1"
        ctx.queue.register("apiserver.kubernetes_service", self._on_tick)
        ctx.store.watch(self._on_change, ("Service", "Endpoints"))

    def ensure(self, address: str) -> None:
        """Create both objects now (at start-up) for an API server listening on ``address``."""
        self.address = address
        self._repair()

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        meta = obj["metadata"]
        if meta["name"] != NAME or meta.get("namespace", "default") != "default":
            return
        if new is None or (
            kind == "Endpoints" and new.get("subsets") != endpoints(self.address)["subsets"]
        ):
            due = (self.ctx.now // INTERVAL_MS + 1) * INTERVAL_MS
            self.ctx.queue.push_once(due, "apiserver.kubernetes_service", "kubernetes-service", {})

    def _on_tick(self, _p: Obj) -> None:
        self._repair()

    def _repair(self) -> None:
        store = self.ctx.store
        try:
            if store.get("Service", "default", NAME) is None:
                self.api.create(service())
            live = store.get("Endpoints", "default", NAME)
            wanted = endpoints(self.address)
            if live is None:
                self.api.create(wanted)
            elif live.get("subsets") != wanted["subsets"]:
                store.update({**live, "subsets": wanted["subsets"]})
        except errors.ApiError:
            return

    def to_json(self) -> dict[str, Any]:
        """The address the API server advertises."""
        return {"address": self.address}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.address = str(data["address"])
