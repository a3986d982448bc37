"""The in-use protection controllers of claims and volumes (upstream
``pkg/controller/volume/pvcprotection`` and ``pkg/controller/volume/pvprotection``).

The API server's StorageObjectInUseProtection admission gives every claim the
``kubernetes.io/pvc-protection`` finalizer and every volume ``kubernetes.io/pv-protection``,
so deleting one only marks it (``Terminating``). These controllers remove the finalizer once
the object is no longer in use, which lets the deletion finish:

- a claim is in use while a scheduled pod of its namespace names it in a
  ``persistentVolumeClaim`` volume and has not been shut down; upstream counts a pod as shut
  down only once it is force-deleted or the kubelet released it, so a Completed or Failed pod
  that still exists keeps its claim (the simulator's pods are gone once released);
- a volume is in use while its phase is ``Bound``.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.apiserver.storage_defaults import PV_PROTECTION, PVC_PROTECTION
from k8stui.engine.context import EngineContext
from k8stui.engine.storage.matching import claim_names

Obj = dict[str, Any]


class StorageProtectionController:
    """Lets a marked claim or volume go once nothing uses it."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        ctx.queue.register("pvc-protection.sync", self._on_claim)
        ctx.queue.register("pv-protection.sync", self._on_volume)
        ctx.store.watch(self._on_change, ("PersistentVolumeClaim", "PersistentVolume", "Pod"))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Pod":
            # A pod that stops existing (or loses its claims) may free them. Most pod writes
            # are status writes that keep the very same volumes list: nothing to free.
            if new is not None and (old is None or _volumes(old) is _volumes(new)):
                return
            gone = set(claim_names(old)) if old is not None else set()
            if new is not None:
                gone -= set(claim_names(new))
            ns = (new or old or {}).get("metadata", {}).get("namespace", "default")
            for name in sorted(gone):
                self._push("pvc-protection.sync", ns, name)
            return
        if new is None or not _marked(new):
            return
        meta = new["metadata"]
        if kind == "PersistentVolumeClaim":
            self._push("pvc-protection.sync", meta.get("namespace", "default"), meta["name"])
        else:
            self._push("pv-protection.sync", "", meta["name"])

    def _push(self, action: str, ns: str, name: str) -> None:
        self.ctx.queue.push_once(
            self.ctx.now, action, f"{action}/{ns}/{name}/{self.ctx.now}", {"ns": ns, "name": name}
        )

    def _on_claim(self, p: Obj) -> None:
        claim = self.ctx.store.get("PersistentVolumeClaim", p["ns"], p["name"])
        if claim is None or not _marked(claim):
            return
        if PVC_PROTECTION not in (claim["metadata"].get("finalizers") or []):
            return
        for pod in self.ctx.store.list("Pod", p["ns"]):
            if (pod.get("spec") or {}).get("nodeName") and p["name"] in claim_names(pod):
                return  # still mounted (or about to be): the pod's deletion wakes us again
        self.api.remove_finalizer(claim, PVC_PROTECTION)

    def _on_volume(self, p: Obj) -> None:
        volume = self.ctx.store.get("PersistentVolume", "", p["name"])
        if volume is None or not _marked(volume):
            return
        if PV_PROTECTION not in (volume["metadata"].get("finalizers") or []):
            return
        if (volume.get("status") or {}).get("phase") == "Bound":
            return  # its claim's deletion releases it, which wakes us again
        self.api.remove_finalizer(volume, PV_PROTECTION)

    def to_json(self) -> dict[str, Any]:
        """No state beyond the store and the queue."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""


def _marked(obj: Obj) -> bool:
    return bool(obj["metadata"].get("deletionTimestamp"))


def _volumes(pod: Obj) -> Any:
    return (pod.get("spec") or {}).get("volumes")
