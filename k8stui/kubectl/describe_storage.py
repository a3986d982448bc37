"""``kubectl describe pv|pvc|storageclass`` (kubectl ``describePersistentVolume`` and friends)."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    SourceFields,
    annotations_multiline,
    describe_events,
    describe_header,
    describe_source,
    labels_multiline,
    text,
)
from k8stui.kubectl.duration import since
from k8stui.kubectl.printers_storage import access_modes, claim_class, is_default_class
from k8stui.kubectl.table import format_labels
from k8stui.kubectl.view import ClusterView


def _finalizers(meta: Obj) -> str:
    return "[" + " ".join(str(f) for f in meta.get("finalizers") or []) + "]"


def _status(w: DescribeWriter, obj: Obj, now_ms: int) -> None:
    meta = obj.get("metadata") or {}
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now_ms)})\n")
    else:
        w.write(0, f"Status:\t{text((obj.get('status') or {}).get('phase'))}\n")


def _node_affinity(w: DescribeWriter, affinity: Any) -> None:
    required = (affinity or {}).get("required") if isinstance(affinity, dict) else None
    w.write(0, "Node Affinity:\t")
    if not required:
        w.write(0, "<none>\n")
        return
    w.write(0, "\n")
    terms = required.get("nodeSelectorTerms") or []
    w.write(1, "Required Terms:\t")
    if not terms:
        w.write(0, "<none>\n")
        return
    w.write(0, "\n")
    for i, term in enumerate(terms):
        w.write(2, f"Term {i}:\t")
        exprs = term.get("matchExpressions") or []
        if not exprs:
            w.write(0, "<none>\n")
        for j, expr in enumerate(exprs):
            if j:
                w.write(2, "\t")
            shown = f"{expr.get('key')} {str(expr.get('operator', '')).lower()}"
            if expr.get("values"):
                shown += f" [{', '.join(str(v) for v in expr['values'])}]"
            w.write(0, f"{shown}\n")


def _bool(value: Any) -> str:
    return text(bool(value))


# The persistent volume sources describe knows: field, Type: text, fields.
_SOURCES: tuple[tuple[str, str, SourceFields], ...] = (
    (
        "hostPath",
        "HostPath (bare host directory volume)",
        lambda s: [("Path", text(s.get("path"))), ("HostPathType", text(s.get("type")))],
    ),
    (
        "local",
        "LocalVolume (a persistent volume backed by local storage on a node)",
        lambda s: [("Path", text(s.get("path")))],
    ),
    (
        "gcePersistentDisk",
        "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
        lambda s: [
            ("PDName", text(s.get("pdName"))),
            ("FSType", text(s.get("fsType"))),
            ("Partition", str(int(s.get("partition") or 0))),
            ("ReadOnly", _bool(s.get("readOnly"))),
        ],
    ),
    (
        "nfs",
        "NFS (an NFS mount that lasts the lifetime of a pod)",
        lambda s: [
            ("Server", text(s.get("server"))),
            ("Path", text(s.get("path"))),
            ("ReadOnly", _bool(s.get("readOnly"))),
        ],
    ),
)


def _source(w: DescribeWriter, spec: Obj) -> None:
    w.write(0, "Source:\n")
    if not describe_source(w, spec, _SOURCES):
        w.write(1, "<unknown>\n")


def describe_persistent_volume(volume: Obj, view: ClusterView) -> str:
    """The ``kubectl describe pv`` text."""
    meta = volume.get("metadata") or {}
    spec = volume.get("spec") or {}
    w = DescribeWriter()
    describe_header(w, meta, namespaced=False)
    w.write(0, f"Finalizers:\t{_finalizers(meta)}\n")
    w.write(0, f"StorageClass:\t{text(spec.get('storageClassName'))}\n")
    _status(w, volume, view.now_ms)
    ref = spec.get("claimRef")
    claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""
    w.write(0, f"Claim:\t{claim}\n")
    w.write(0, f"Reclaim Policy:\t{text(spec.get('persistentVolumeReclaimPolicy'))}\n")
    w.write(0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(0, f"Capacity:\t{text((spec.get('capacity') or {}).get('storage'))}\n")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.write(0, f"Message:\t{text((volume.get('status') or {}).get('message'))}\n")
    _source(w, spec)
    describe_events(w, view.events_for(volume), view.now_ms)
    return w.result()


def describe_persistent_volume_claim(claim: Obj, view: ClusterView) -> str:
    """The ``kubectl describe pvc`` text (``Used By`` lists the pods mounting it)."""
    meta = claim.get("metadata") or {}
    spec = claim.get("spec") or {}
    status = claim.get("status") or {}
    w = DescribeWriter()
    w.write(0, f"Name:\t{text(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{text(meta.get('namespace'))}\n")
    w.write(0, f"StorageClass:\t{claim_class(claim)}\n")
    _status(w, claim, view.now_ms)
    w.write(0, f"Volume:\t{text(spec.get('volumeName'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t{_finalizers(meta)}\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = text((status.get("capacity") or {}).get("storage"))
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    users = [
        text(pod["metadata"].get("name"))
        for pod in view.list("Pod", text(meta.get("namespace")))
        if any(
            (v.get("persistentVolumeClaim") or {}).get("claimName") == meta.get("name")
            for v in (pod.get("spec") or {}).get("volumes") or []
        )
    ]
    w.write(0, "Used By:\t")
    if not users:
        w.write(0, "<none>\n")
    for i, name in enumerate(sorted(users)):
        w.write(0, f"{'' if i == 0 else chr(9)}{name}\n")
    describe_events(w, view.events_for(claim), view.now_ms)
    return w.result()


def describe_storage_class(storage_class: Obj, view: ClusterView) -> str:
    """The ``kubectl describe storageclass`` text."""
    meta = storage_class.get("metadata") or {}
    w = DescribeWriter()
    w.write(0, f"Name:\t{text(meta.get('name'))}\n")
    w.write(0, f"IsDefaultClass:\t{'Yes' if is_default_class(storage_class) else 'No'}\n")
    w.write(0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    w.write(0, f"Provisioner:\t{text(storage_class.get('provisioner'))}\n")
    w.write(0, f"Parameters:\t{format_labels(storage_class.get('parameters'))}\n")
    expansion = storage_class.get("allowVolumeExpansion")
    shown = "<unset>" if expansion is None else ("True" if expansion else "False")
    w.write(0, f"AllowVolumeExpansion:\t{shown}\n")
    options = storage_class.get("mountOptions") or []
    if not options:
        w.write(0, "MountOptions:\t<none>\n")
    else:
        w.write(0, "MountOptions:\n")
        for option in options:
            w.write(1, f"{option}\n")
    for title, field in (
        ("ReclaimPolicy", "reclaimPolicy"),
        ("VolumeBindingMode", "volumeBindingMode"),
    ):
        if storage_class.get(field) is not None:
            w.write(0, f"{title}:\t{storage_class[field]}\n")
    describe_events(w, view.events_for(storage_class), view.now_ms)
    return w.result()
