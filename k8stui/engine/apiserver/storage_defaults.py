"""Defaults and admission for PersistentVolumes, PersistentVolumeClaims and StorageClasses.

core/v1 ``SetDefaults_PersistentVolume`` / ``..._PersistentVolumeClaim``, storage/v1
``SetDefaults_StorageClass``, the DefaultStorageClass admission plugin, which gives a
claim without ``storageClassName`` the class annotated as the cluster default, and the
StorageObjectInUseProtection plugin, which puts the in-use protection finalizer on every new
volume and claim.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"
PROTECTION_FINALIZERS = {
    "PersistentVolumeClaim": PVC_PROTECTION,
    "PersistentVolume": PV_PROTECTION,
}


def _dict(parent: Obj, key: str) -> Obj:
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else {}


def default_persistent_volume(obj: Obj) -> None:
    """Reclaim policy Retain, Filesystem mode, hostPath type ``""``; a new PV is Pending."""
    spec = _dict(obj, "spec")
    spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
    spec.setdefault("volumeMode", "Filesystem")
    host_path = spec.get("hostPath")
    if isinstance(host_path, dict):
        host_path.setdefault("type", "")
    _dict(obj, "status").setdefault("phase", "Pending")


def default_persistent_volume_claim(obj: Obj) -> None:
    """Filesystem mode; a new claim is Pending."""
    spec = _dict(obj, "spec")
    spec.setdefault("volumeMode", "Filesystem")
    _dict(obj, "status").setdefault("phase", "Pending")


def default_storage_class(obj: Obj) -> None:
    """Reclaim policy Delete and Immediate binding unless given."""
    obj.setdefault("reclaimPolicy", "Delete")
    obj.setdefault("volumeBindingMode", "Immediate")


def is_default_class(storage_class: Obj) -> bool:
    """The class carries the default-class annotation set to ``true``."""
    annotations = (storage_class.get("metadata") or {}).get("annotations") or {}
    return str(annotations.get(DEFAULT_CLASS_ANNOTATION, "")).lower() == "true"


def admit_claim(claim: Obj, classes: list[Obj]) -> None:
    """DefaultStorageClass admission: a claim with no class gets the newest default class."""
    spec = _dict(claim, "spec")
    if "storageClassName" in spec:
        return
    defaults = [c for c in classes if is_default_class(c)]
    if defaults:
        newest = max(
            defaults,
            key=lambda c: (c["metadata"].get("creationTimestamp", ""), c["metadata"]["name"]),
        )
        spec["storageClassName"] = newest["metadata"]["name"]


def protect(obj: Obj) -> None:
    """StorageObjectInUseProtection admission: a new claim or volume gets its protection
    finalizer (appended after any the client gave, once)."""
    finalizer = PROTECTION_FINALIZERS.get(str(obj.get("kind")))
    meta = obj.get("metadata")
    if finalizer is None or not isinstance(meta, dict):
        return
    given = meta.get("finalizers") or []
    if not isinstance(given, list):
        return  # a wrong type is validation's to report
    if finalizer not in given:
        meta["finalizers"] = [*given, finalizer]
