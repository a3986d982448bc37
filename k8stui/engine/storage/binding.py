"""Writes that bind claims to volumes and create provisioned volumes.

Binding sets both halves as the PV controller does: the volume's ``claimRef`` and phase
Bound, the claim's ``volumeName``, its bind annotations and its status (phase, access modes,
capacity). Provisioning stands in for the external provisioners kind and minikube run:
``rancher.io/local-path`` makes a hostPath volume on the selected node, pinned there by node
affinity; the minikube hostpath provisioner makes one under ``/tmp/hostpath-provisioner``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from k8stui.engine.apiserver.storage_defaults import PV_PROTECTION
from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.storage.matching import HOSTNAME

Obj = dict[str, Any]
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
LOCAL_PATH = "rancher.io/local-path"
# Provisioners the simulator runs, and the kind of volume each makes.
SIMULATED_PROVISIONERS = {
    LOCAL_PATH: "local-path",
    "k8s.io/minikube-hostpath": "hostpath",
    "docker.io/hostpath": "hostpath",
    "microk8s.io/hostpath": "hostpath",
}
CONTROLLER = "persistentvolume-controller"


def _with_annotations(obj: Obj, extra: dict[str, str]) -> Obj:
    meta = dict(obj["metadata"])
    meta["annotations"] = {**(meta.get("annotations") or {}), **extra}
    return {**obj, "metadata": meta}


def volume_status(volume: Obj, phase: str, now_ms: int) -> Obj:
    """The volume with ``phase`` (and the time of the change when it is a change)."""
    status = dict(volume.get("status") or {})
    if status.get("phase") != phase:
        status["phase"] = phase
        status["lastPhaseTransitionTime"] = to_timestamp(now_ms)
    return {**volume, "status": status}


def claim_ref(claim: Obj) -> Obj:
    """An ObjectReference to ``claim`` as a volume's ``spec.claimRef``."""
    meta = claim["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "name": meta["name"],
        "namespace": meta.get("namespace", "default"),
        "resourceVersion": meta.get("resourceVersion", ""),
        "uid": meta.get("uid", ""),
    }


def bind(ctx: EngineContext, claim: Obj, volume: Obj) -> Obj:
    """Bind ``claim`` to ``volume``; returns the claim as stored."""
    store = ctx.store
    vspec = dict(volume.get("spec") or {})
    extra: dict[str, str] = {}
    ref = vspec.get("claimRef")
    if not ref or not ref.get("uid"):
        if not ref:
            extra[BOUND_BY_CONTROLLER] = "yes"
        vspec["claimRef"] = claim_ref(claim)
    bound_volume = (
        _with_annotations({**volume, "spec": vspec}, extra) if extra else {**volume, "spec": vspec}
    )
    store.update(volume_status(bound_volume, "Bound", ctx.now))
    cspec = dict(claim.get("spec") or {})
    claim_extra = {BIND_COMPLETED: "yes"}
    if not cspec.get("volumeName"):
        claim_extra[BOUND_BY_CONTROLLER] = "yes"
        cspec["volumeName"] = volume["metadata"]["name"]
    status = {
        "phase": "Bound",
        "accessModes": list(vspec.get("accessModes") or []),
        "capacity": dict(vspec.get("capacity") or {}),
    }
    return store.update(_with_annotations({**claim, "spec": cspec, "status": status}, claim_extra))


def provisioner_identity(provisioner: str) -> str:
    """The event source an external provisioner reports as (``<name>_<pod>_<uuid>``)."""
    digest = hashlib.sha256(provisioner.encode()).hexdigest()
    pod = f"local-path-provisioner-7dc846544d-{digest[:5]}"
    uuid = f"{digest[5:13]}-{digest[13:17]}-{digest[17:21]}-{digest[21:25]}-{digest[25:37]}"
    return f"{provisioner}_{pod}_{uuid}"


def provision(ctx: EngineContext, claim: Obj, storage_class: Obj, node: str | None) -> Obj:
    """Create the volume a simulated provisioner makes for ``claim`` (pre-bound to it)."""
    provisioner = str(storage_class.get("provisioner", ""))
    meta = claim["metadata"]
    ns, name, uid = meta.get("namespace", "default"), meta["name"], meta["uid"]
    identity = provisioner_identity(provisioner)
    ctx.recorder.emit(
        claim,
        "Normal",
        "Provisioning",
        f'External provisioner is provisioning volume for claim "{ns}/{name}"',
        identity,
    )
    pv_name = f"pvc-{uid}"
    cspec = claim.get("spec") or {}
    spec: Obj = {
        "accessModes": list(cspec.get("accessModes") or []),
        "capacity": {
            "storage": ((cspec.get("resources") or {}).get("requests") or {}).get("storage", "0")
        },
        "claimRef": claim_ref(claim),
        "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy", "Delete"),
        "storageClassName": storage_class["metadata"]["name"],
        "volumeMode": cspec.get("volumeMode", "Filesystem"),
    }
    annotations = {PROVISIONED_BY: provisioner}
    if SIMULATED_PROVISIONERS.get(provisioner) == "local-path" and node:
        annotations["local.path.provisioner/selected-node"] = node
        spec["hostPath"] = {
            "path": f"/var/local-path-provisioner/{pv_name}_{ns}_{name}",
            "type": "DirectoryOrCreate",
        }
        spec["nodeAffinity"] = {
            "required": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": HOSTNAME, "operator": "In", "values": [node]}]}
                ]
            }
        }
    else:
        spec["hostPath"] = {"path": f"/tmp/hostpath-provisioner/{ns}/{name}", "type": ""}
    volume = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {
            "name": pv_name,
            "annotations": annotations,
            # The provisioner's create passes the API server's in-use protection admission.
            "finalizers": [PV_PROTECTION],
        },
        "spec": spec,
        "status": {"phase": "Pending"},
    }
    created = ctx.store.create(volume)
    ctx.recorder.emit(
        claim,
        "Normal",
        "ProvisioningSucceeded",
        f"Successfully provisioned volume {pv_name}",
        identity,
    )
    ctx.activity.add(ctx.now, "controller-manager", f"provisioned {pv_name} for {ns}/{name}")
    return created


def mark_for_provisioning(
    ctx: EngineContext, claim: Obj, provisioner: str, node: str | None
) -> Obj:
    """The claim annotations the scheduler and PV controller set before provisioning."""
    extra = {BETA_STORAGE_PROVISIONER: provisioner, STORAGE_PROVISIONER: provisioner}
    if node:
        extra[SELECTED_NODE] = node
    annotations = claim["metadata"].get("annotations") or {}
    if all(annotations.get(k) == v for k, v in extra.items()):
        return claim
    return ctx.store.update(_with_annotations(claim, extra))


def external_provisioning_message(provisioner: str) -> str:
    """The PV controller's event while it waits for an external provisioner."""
    return (
        f"Waiting for a volume to be created either by the external provisioner '{provisioner}' "
        "or manually by the system administrator. If volume creation is delayed, please verify "
        "that the provisioner is running and correctly registered."
    )


def request_volume(ctx: EngineContext, claim: Obj, storage_class: Obj, node: str | None) -> None:
    """Hand ``claim`` to its class's provisioner; the simulated ones provision and bind at once."""
    provisioner = str(storage_class.get("provisioner", ""))
    claim = mark_for_provisioning(ctx, claim, provisioner, node)
    ctx.recorder.emit(
        claim,
        "Normal",
        "ExternalProvisioning",
        external_provisioning_message(provisioner),
        CONTROLLER,
    )
    if provisioner not in SIMULATED_PROVISIONERS:
        return
    volume = ctx.store.get("PersistentVolume", "", f"pvc-{claim['metadata']['uid']}")
    if volume is None:
        volume = provision(ctx, claim, storage_class, node)
    bind(ctx, claim, volume)
