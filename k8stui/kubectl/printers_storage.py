"""Server-side table rows for PersistentVolumes, claims and StorageClasses (printers.go)."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.duration import since
from k8stui.kubectl.table import ColumnDefinition

Obj = dict[str, Any]
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
BETA_CLASS = "volume.beta.kubernetes.io/storage-class"

_NAME = ColumnDefinition("Name", description="Name must be unique within a namespace.")
_AGE = ColumnDefinition("Age", description="CreationTimestamp of the object.")

_VOLUME_MODE = ColumnDefinition("VolumeMode", priority=1, description="Filesystem or Block.")


def _class_columns(short: str) -> list[ColumnDefinition]:
    """The StorageClass and VolumeAttributesClass columns of volumes (``pv``) and claims."""
    return [
        ColumnDefinition(name, description=f"{name} of the {short}")
        for name in ("StorageClass", "VolumeAttributesClass")
    ]


PV_COLUMNS = [
    _NAME,
    ColumnDefinition("Capacity", description="Capacity of the volume."),
    ColumnDefinition("Access Modes", description="Ways the volume can be mounted."),
    ColumnDefinition("Reclaim Policy", description="What happens after its claim is gone."),
    ColumnDefinition("Status", description="Phase of the volume."),
    ColumnDefinition("Claim", description="The claim bound to the volume."),
    *_class_columns("pv"),
    ColumnDefinition("Reason", description="Why the volume is in this phase."),
    _AGE,
    _VOLUME_MODE,
]
PVC_COLUMNS = [
    _NAME,
    ColumnDefinition("Status", description="Phase of the claim."),
    ColumnDefinition("Volume", description="The volume bound to the claim."),
    ColumnDefinition("Capacity", description="Capacity of the bound volume."),
    ColumnDefinition("Access Modes", description="Access modes of the bound volume."),
    *_class_columns("pvc"),
    _AGE,
    _VOLUME_MODE,
]
STORAGE_CLASS_COLUMNS = [
    _NAME,
    ColumnDefinition("Provisioner", description="Volume plugin used to provision volumes."),
    ColumnDefinition("ReclaimPolicy", description="Reclaim policy of provisioned volumes."),
    ColumnDefinition("VolumeBindingMode", description="When claims are bound."),
    ColumnDefinition("AllowVolumeExpansion", description="Whether claims can grow."),
    _AGE,
]
_MODE_WORDS = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes(modes: list[str] | None) -> str:
    """``GetAccessModesAsString``: RWO, ROX, RWX, RWOP in that order, comma-joined."""
    given = set(modes or [])
    return ",".join(short for mode, short in _MODE_WORDS if mode in given)


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def is_default_class(storage_class: Obj) -> bool:
    """``IsDefaultAnnotation``: the default-class annotation is ``true``."""
    return (_meta(storage_class).get("annotations") or {}).get(DEFAULT_CLASS) == "true"


def claim_class(claim: Obj) -> str:
    """``GetPersistentVolumeClaimClass``: the beta annotation, else ``spec.storageClassName``."""
    annotations = _meta(claim).get("annotations") or {}
    if BETA_CLASS in annotations:
        return str(annotations[BETA_CLASS])
    return str((claim.get("spec") or {}).get("storageClassName") or "")


def pv_row(volume: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get pv`` row."""
    spec = volume.get("spec") or {}
    status = volume.get("status") or {}
    ref = spec.get("claimRef")
    claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""
    phase = "Terminating" if _meta(volume).get("deletionTimestamp") else status.get("phase", "")
    annotations = _meta(volume).get("annotations") or {}
    return [
        _meta(volume).get("name", ""),
        str((spec.get("capacity") or {}).get("storage", "0")),
        access_modes(spec.get("accessModes")),
        spec.get("persistentVolumeReclaimPolicy", ""),
        phase,
        claim,
        annotations.get(BETA_CLASS) or spec.get("storageClassName") or "",
        spec.get("volumeAttributesClassName") or "<unset>",
        status.get("reason", ""),
        since(_meta(volume).get("creationTimestamp"), now_ms),
        spec.get("volumeMode") or "<unset>",
    ]


def pvc_row(claim: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get pvc`` row."""
    spec = claim.get("spec") or {}
    status = claim.get("status") or {}
    phase = "Terminating" if _meta(claim).get("deletionTimestamp") else status.get("phase", "")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = str((status.get("capacity") or {}).get("storage", ""))
    return [
        _meta(claim).get("name", ""),
        phase,
        spec.get("volumeName", ""),
        capacity,
        modes,
        claim_class(claim),
        spec.get("volumeAttributesClassName") or "<unset>",
        since(_meta(claim).get("creationTimestamp"), now_ms),
        spec.get("volumeMode") or "<unset>",
    ]


def storage_class_row(storage_class: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get storageclass`` row."""
    name = str(_meta(storage_class).get("name", ""))
    if is_default_class(storage_class):
        name += " (default)"
    return [
        name,
        storage_class.get("provisioner", ""),
        storage_class.get("reclaimPolicy") or "Delete",
        storage_class.get("volumeBindingMode") or "Immediate",
        bool(storage_class.get("allowVolumeExpansion", False)),
        since(_meta(storage_class).get("creationTimestamp"), now_ms),
    ]
