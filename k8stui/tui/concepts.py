"""Short names for the curriculum's concept keys, so the UI never shows a bare ``C3``."""

from __future__ import annotations

CONCEPT_NAMES = {
    "C1": "microservices scale part by part",
    "C2": "containers: namespaces and cgroups",
    "C3": "the control plane",
    "C4": "a worker node's agents",
    "C5": "image, registry, manifest",
    "C6": "image layers",
    "C7": "kubectl run / get / describe",
    "C8": "the pod: containers that share",
    "C9": "manifests",
    "C10": "replicas are kept running",
    "C11": "node failure and rescheduling",
    "C12": "scaling",
    "C13": "affinity and anti-affinity",
    "C14": "same manifest, any cluster size",
    "C15": "the system namespace",
    "C16": "ConfigMaps and Secrets",
    "C17": "probes",
    "C18": "Jobs and CronJobs",
    "C19": "DaemonSets",
    "C20": "persistent volumes",
    "C21": "StatefulSets",
    "C22": "rolling updates and releases",
    "C23": "requests, limits, QoS",
    "C24": "placement rules",
    "C25": "troubleshooting",
}


def concept_text(key: str) -> str:
    """``"C3 the control plane"`` (just the key for one this build does not know)."""
    name = CONCEPT_NAMES.get(key)
    return f"{key} {name}" if name else key


def concept_names(keys: list[str]) -> str:
    """The names of several concepts, for a one-line listing."""
    return ", ".join(CONCEPT_NAMES.get(key, key) for key in keys)
