"""Equal parts of new pods, shared with the pods created before them.

Pods of one ReplicaSet (or DaemonSet, Job, ...) are copies of one template: the same labels,
owner reference, tolerations, resources and probes, about 1.4 KB a pod if every pod holds its
own. At create the API server swaps each such part for an equal one it stored before, so the
thirty pods of a ReplicaSet hold one copy. Equal means the same ``repr``: types (``1``,
``1.0``, ``True``; list or tuple) and key order count, so nothing a reader sees can change.
Sound because stored objects are replaced, never changed in place (``docs/conventions.md``).
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

KEEP = 4096
"""Distinct parts remembered; the oldest is forgotten first."""
LONGEST = 2048
"""Parts whose ``repr`` is longer are not remembered (hostile input is not kept around)."""

# Parts unique to each pod: the service-account mount and volume carry a random name.
_SPEC_OWN = frozenset({"containers", "initContainers", "ephemeralContainers", "volumes"})
_CONTAINER_OWN = frozenset({"volumeMounts"})
_META_SHARED = ("labels", "annotations", "ownerReferences", "finalizers")


class SharedParts:
    """A bounded memory of pod parts, to hand out in place of equal new ones."""

    def __init__(self) -> None:
        self._parts: dict[str, Any] = {}

    def share_pod(self, pod: Obj) -> None:
        """Replace, in ``pod`` (not yet stored), each shareable part by an equal earlier one."""
        meta = pod.get("metadata")
        if isinstance(meta, dict):
            for key in _META_SHARED:
                value = meta.get(key)
                if type(value) in (dict, list):
                    meta[key] = self._share(value)
        spec = pod.get("spec")
        if not isinstance(spec, dict):
            return
        self._share_fields(spec, _SPEC_OWN)
        for group in ("initContainers", "containers"):
            containers = spec.get(group)
            if isinstance(containers, list):
                for container in containers:
                    if isinstance(container, dict):
                        self._share_fields(container, _CONTAINER_OWN)

    def _share_fields(self, obj: Obj, own: frozenset[str]) -> None:
        for key, value in obj.items():
            if type(value) in (dict, list) and key not in own:
                obj[key] = self._share(value)

    def _share(self, value: Any) -> Any:
        key = repr(value)
        if len(key) > LONGEST:
            return value
        parts = self._parts
        found = parts.get(key)
        if found is not None:
            return found
        if len(parts) >= KEEP:
            del parts[next(iter(parts))]
        parts[key] = value
        return value
