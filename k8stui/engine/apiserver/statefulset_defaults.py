"""apps/v1 ``SetDefaults_StatefulSet``: management and update policies, claim retention, and
the claim templates' own defaults (in place on an already copied object)."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def _dict(parent: Obj, key: str) -> Obj:
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else {}


def default_stateful_set(obj: Obj, pod_spec_defaults: Any) -> None:
    """Defaults of a StatefulSet (``pod_spec_defaults`` fills the template's PodSpec)."""
    spec = _dict(obj, "spec")
    spec.setdefault("replicas", 1)
    spec.setdefault("podManagementPolicy", "OrderedReady")
    strategy = _dict(spec, "updateStrategy")
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        _dict(strategy, "rollingUpdate").setdefault("partition", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    retention = _dict(spec, "persistentVolumeClaimRetentionPolicy")
    retention.setdefault("whenDeleted", "Retain")
    retention.setdefault("whenScaled", "Retain")
    template = _dict(spec, "template")
    # Stored ObjectMetas keep their zero creationTimestamp, serialised as null.
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    pod_spec_defaults(_dict(template, "spec"))
    for claim in spec.get("volumeClaimTemplates") or []:
        if not isinstance(claim, dict):
            continue
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        _dict(claim, "metadata").setdefault("creationTimestamp", None)
        _dict(claim, "spec").setdefault("volumeMode", "Filesystem")
        _dict(claim, "status").setdefault("phase", "Pending")
