"""Read-only kinds the API derives from stored ones: EndpointSlices from Endpoints.

kubectl 1.32 ``describe service`` reads EndpointSlices (``kubernetes.io/service-name``), which
the simulator does not store: each Endpoints object is shown as the one slice the
EndpointSlice controller would keep for it (IPv4, ready addresses as ready endpoints).
The ``metrics.k8s.io`` kinds (``kubectl top``) are derived too, in ``metrics``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from k8stui.engine.apiserver.resources import DERIVED as STORED_DERIVED
from k8stui.engine.apiserver.resources import METRICS, Resource
from k8stui.engine.cluster import Cluster
from k8stui.server.metrics import metrics_list

Obj = dict[str, Any]
SERVICE_NAME = "kubernetes.io/service-name"
DERIVED: tuple[Resource, ...] = (*STORED_DERIVED, *METRICS)
"""Every read-only kind the server computes (the server's routes import it from here)."""


def _suffix(uid: str) -> str:
    digest = hashlib.sha256(uid.encode()).hexdigest()
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    return "".join(alphabet[int(digest[i : i + 2], 16) % len(alphabet)] for i in range(0, 10, 2))


def _slice(endpoints: Obj) -> Obj:
    meta = endpoints["metadata"]
    service = meta["name"]
    items: list[Obj] = []
    ports: list[Obj] = []
    for subset in endpoints.get("subsets") or []:
        for ready, key in ((True, "addresses"), (False, "notReadyAddresses")):
            for address in subset.get(key) or []:
                entry: Obj = {
                    "addresses": [address.get("ip", "")],
                    "conditions": {"ready": ready, "serving": ready, "terminating": False},
                }
                if address.get("nodeName"):
                    entry["nodeName"] = address["nodeName"]
                if address.get("targetRef"):
                    entry["targetRef"] = address["targetRef"]
                items.append(entry)
        for port in subset.get("ports") or []:
            item = {
                "name": port.get("name", ""),
                "port": port.get("port"),
                "protocol": port.get("protocol", "TCP"),
            }
            if item not in ports:
                ports.append(item)
    labels = dict(meta.get("labels") or {})
    labels[SERVICE_NAME] = service
    labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
    return {
        "kind": "EndpointSlice",
        "apiVersion": "discovery.k8s.io/v1",
        "metadata": {
            "name": f"{service}-{_suffix(str(meta.get('uid', service)))}",
            "generateName": f"{service}-",
            "namespace": meta.get("namespace", "default"),
            "uid": meta.get("uid", ""),
            "resourceVersion": meta.get("resourceVersion", ""),
            "creationTimestamp": meta.get("creationTimestamp"),
            "labels": labels,
        },
        "addressType": "IPv4",
        "endpoints": items,
        "ports": ports,
    }


def derived_list(cluster: Cluster, res: Resource, namespace: str | None) -> list[Obj]:
    """The derived objects of ``res`` in ``namespace`` (None: all namespaces)."""
    if res in METRICS:
        return metrics_list(cluster, res, namespace)
    if res.kind != "EndpointSlice":
        return []
    return [_slice(e) for e in cluster.list("Endpoints", namespace)]


def derived_get(cluster: Cluster, res: Resource, namespace: str, name: str) -> Obj | None:
    """One derived object by name, or None."""
    for obj in derived_list(cluster, res, namespace):
        if obj["metadata"]["name"] == name:
            return obj
    return None
