"""Rules for PersistentVolumes, PersistentVolumeClaims and StorageClasses
(upstream ``ValidatePersistentVolume``, ``ValidatePersistentVolumeClaim``, ``ValidateStorageClass``)."""

from __future__ import annotations

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.engine.apiserver.validation.field_checks import Obj, as_dict, as_list, check_enum
from k8stui.engine.apiserver.validation.field_errors import (
    FORBIDDEN,
    INVALID,
    REQUIRED,
    UNSUPPORTED,
    FieldError,
    go_quote,
)

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
# The volume sources a PersistentVolume may name (exactly one of them).
PV_SOURCES = (
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "glusterfs",
    "hostPath",
    "iscsi",
    "local",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
)


def _access_modes(errs: list[FieldError], modes: object, path: str, message: str) -> None:
    values = as_list(modes)
    if not values:
        errs.append(FieldError(path, REQUIRED, detail=message))
        return
    supported = ", ".join(go_quote(m) for m in ACCESS_MODES)
    for mode in values:
        if mode not in ACCESS_MODES:
            errs.append(FieldError(path, UNSUPPORTED, mode, f"supported values: {supported}"))
    if "ReadWriteOncePod" in values and len(values) > 1:
        errs.append(
            FieldError(
                path,
                FORBIDDEN,
                detail="may not use ReadWriteOncePod with other access modes",
            )
        )


def _storage(errs: list[FieldError], resources: Obj, path: str) -> None:
    value = resources.get("storage")
    if value is None:
        errs.append(FieldError(f"{path}[storage]", REQUIRED))
        return
    try:
        amount = parse_quantity(value)
    except (QuantityError, TypeError, ValueError):
        return  # the schema check reports malformed quantities
    if amount <= 0:
        errs.append(
            FieldError(f"{path}[storage]", INVALID, str(value), "must be greater than zero")
        )


def check_persistent_volume(obj: Obj, errs: list[FieldError]) -> None:
    """PersistentVolume rules: modes, capacity, one source, reclaim policy, local affinity."""
    spec = as_dict(obj.get("spec"))
    _access_modes(errs, spec.get("accessModes"), "spec.accessModes", "")
    capacity = spec.get("capacity")
    if not as_dict(capacity):
        errs.append(FieldError("spec.capacity", REQUIRED))
    else:
        _storage(errs, as_dict(capacity), "spec.capacity")
    check_enum(
        errs,
        "spec.persistentVolumeReclaimPolicy",
        spec.get("persistentVolumeReclaimPolicy"),
        ["Delete", "Recycle", "Retain"],
    )
    sources = [s for s in PV_SOURCES if spec.get(s) is not None]
    if not sources:
        errs.append(FieldError("spec", REQUIRED, detail="must specify a volume type"))
    elif len(sources) > 1:
        errs.append(
            FieldError(
                f"spec.{sources[1]}", FORBIDDEN, detail="may not specify more than 1 volume type"
            )
        )
    if spec.get("local") is not None and spec.get("nodeAffinity") is None:
        errs.append(
            FieldError("spec.nodeAffinity", REQUIRED, detail="Local volume requires node affinity")
        )
    host_path = as_dict(spec.get("hostPath"))
    if spec.get("hostPath") is not None and not host_path.get("path"):
        errs.append(FieldError("spec.hostPath.path", REQUIRED))


def check_persistent_volume_claim(obj: Obj, errs: list[FieldError]) -> None:
    """PersistentVolumeClaim rules: access modes and a storage request."""
    spec = as_dict(obj.get("spec"))
    _access_modes(
        errs, spec.get("accessModes"), "spec.accessModes", "at least 1 access mode is required"
    )
    requests = as_dict(as_dict(spec.get("resources")).get("requests"))
    _storage(errs, requests, "spec.resources")


def check_storage_class(obj: Obj, errs: list[FieldError]) -> None:
    """StorageClass rules: provisioner, reclaim policy, binding mode."""
    if not obj.get("provisioner"):
        errs.append(FieldError("provisioner", REQUIRED))
    check_enum(errs, "reclaimPolicy", obj.get("reclaimPolicy"), ["Delete", "Retain"])
    check_enum(
        errs,
        "volumeBindingMode",
        obj.get("volumeBindingMode"),
        ["Immediate", "WaitForFirstConsumer"],
    )


def claim_update(old: Obj, new: Obj) -> list[FieldError]:
    """A claim's spec may only grow its storage request once bound."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))

    def without_requests(spec: Obj) -> Obj:
        out = {k: v for k, v in spec.items() if k not in ("resources", "volumeName")}
        return out

    if without_requests(old_spec) != without_requests(new_spec):
        return [
            FieldError(
                "spec",
                FORBIDDEN,
                detail="spec is immutable after creation except resources.requests and "
                "volumeAttributesClassName for bound claims",
            )
        ]
    return []
