"""DNS records of pods behind a headless Service: ``<hostname>.<subdomain>.<ns>.svc.cluster.local``.

A pod with ``spec.hostname`` and ``spec.subdomain`` (a StatefulSet's pods get both) has an A
record when a headless Service named like the subdomain lists it as a ready endpoint.
``kubia-0.kubia`` also resolves from the pod's namespace through the search path
``<ns>.svc.cluster.local``, unless ``kubia`` is a namespace (then it names a Service).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.store import Store

Obj = dict[str, Any]
_SUFFIXES = (("svc", "cluster", "local"), ("svc",), ())


def resolve(store: Store, host: str, namespace: str) -> str | None:
    """The pod IP a stable network identity names, or None."""
    parts = host.rstrip(".").split(".")
    if len(parts) < 2:
        return None
    hostname, subdomain, rest = parts[0], parts[1], tuple(parts[2:])
    ns = namespace
    if rest:
        ns, rest = rest[0], rest[1:]
        if rest not in _SUFFIXES:
            return None
    elif store.get("Namespace", "", subdomain) is not None:
        return None  # "<service>.<namespace>"
    service = store.get("Service", ns, subdomain)
    if service is None or (service.get("spec") or {}).get("clusterIP") != "None":
        return None
    endpoints = store.get("Endpoints", ns, subdomain) or {}
    ready = {
        (addr.get("targetRef") or {}).get("name"): str(addr.get("ip"))
        for subset in endpoints.get("subsets") or []
        for addr in subset.get("addresses") or []
    }
    for pod in store.list("Pod", ns):
        spec = pod.get("spec") or {}
        if spec.get("hostname") == hostname and spec.get("subdomain") == subdomain:
            return ready.get(pod["metadata"]["name"])
    return None
