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


def srv_targets(store: Store, name: str, namespace: str) -> list[str] | None:
    """The targets of the SRV records of headless Service ``name``; None: no such record.

    As CoreDNS answers: one record per ready endpoint, named by the pod's ``hostname`` (or
    its IP with dashes) under ``<service>.<ns>.svc.cluster.local``, in the Endpoints' order.
    """
    parts = name.rstrip(".").split(".")
    if len(parts) < 2 and parts:
        parts.append(namespace)
    if len(parts) < 2 or tuple(parts[2:]) not in _SUFFIXES:
        return None
    service = store.get("Service", parts[1], parts[0])
    if service is None or (service.get("spec") or {}).get("clusterIP") != "None":
        return None
    domain = f"{parts[0]}.{parts[1]}.svc.cluster.local"
    endpoints = store.get("Endpoints", parts[1], parts[0]) or {}
    targets: list[str] = []
    for subset in endpoints.get("subsets") or []:
        for addr in subset.get("addresses") or []:
            label = addr.get("hostname") or _pod_hostname(store, addr, parts[1], parts[0])
            label = label or str(addr.get("ip")).replace(".", "-")
            if f"{label}.{domain}" not in targets:
                targets.append(f"{label}.{domain}")
    return targets


def _pod_hostname(store: Store, addr: Obj, namespace: str, service: str) -> str | None:
    """The endpoint pod's ``hostname`` when its ``subdomain`` is the Service (else no name)."""
    ref = addr.get("targetRef") or {}
    pod = store.get("Pod", namespace, str(ref.get("name", "")))
    spec = (pod or {}).get("spec") or {}
    return (
        str(spec["hostname"]) if spec.get("hostname") and spec.get("subdomain") == service else None
    )
