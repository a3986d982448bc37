"""The root-CA publisher: a ``kube-root-ca.crt`` ConfigMap in every namespace.

Upstream ``pkg/controller/certificates/rootcacertpublisher`` publishes the cluster CA so pods
can verify the API server; it recreates the ConfigMap when deleted and restores its data
when edited. The certificate here is derived from the seed, so it is stable per cluster.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext

Obj = dict[str, Any]
NAME = "kube-root-ca.crt"
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)


def cluster_ca(seed: int) -> str:
    """A PEM block of the size of a kubeadm CA certificate (1066 bytes), stable per seed."""
    raw = b""
    counter = 0
    while len(raw) < 754:
        raw += hashlib.sha256(f"ca/{seed}/{counter}".encode()).digest()
        counter += 1
    body = base64.b64encode(raw[:754]).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


class RootCAPublisher:
    """Keeps ``kube-root-ca.crt`` present and unchanged in every namespace."""

    def __init__(self, ctx: EngineContext, api: ApiServer, seed: int) -> None:
        self.ctx = ctx
        self.api = api
        self.ca = cluster_ca(seed)
        ctx.queue.register("rootca.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Namespace", "ConfigMap"))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Namespace":
            if new is not None and old is None:
                self._enqueue(new["metadata"]["name"])
            return
        obj = new or old
        assert obj is not None
        if obj["metadata"]["name"] == NAME and (
            new is None or new.get("data") != {"ca.crt": self.ca}
        ):
            self._enqueue(obj["metadata"].get("namespace", "default"))

    def _enqueue(self, namespace: str) -> None:
        self.ctx.queue.push_once(
            self.ctx.now, "rootca.sync", f"rootca/{namespace}", {"ns": namespace}
        )

    def _on_sync(self, p: Obj) -> None:
        ns = self.ctx.store.get("Namespace", "", p["ns"])
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        live = self.ctx.store.get("ConfigMap", p["ns"], NAME)
        wanted = {"ca.crt": self.ca}
        try:
            if live is None:
                self.api.create(
                    {
                        "apiVersion": "v1",
                        "kind": "ConfigMap",
                        "metadata": {
                            "name": NAME,
                            "namespace": p["ns"],
                            "annotations": {"kubernetes.io/description": DESCRIPTION},
                        },
                        "data": wanted,
                    }
                )
            elif live.get("data") != wanted:
                self.api.replace({**live, "data": wanted})
        except errors.ApiError:
            return

    def to_json(self) -> dict[str, Any]:
        """Stateless: the certificate comes from the seed."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
