"""The PersistentVolume controller (upstream ``pkg/controller/volume/persistentvolume``).

Claims: a Pending claim binds to the best fitting Available volume (pre-bound first, then the
smallest); with a WaitForFirstConsumer class it waits for the scheduler to pick a node; with a
provisioner the simulator runs it is provisioned (Immediate classes at once, WaitForFirstConsumer
ones for the node the scheduler selected); otherwise it stays Pending with the upstream event.
A bound claim whose volume disappears is Lost.

Volumes: without a claim a volume is Available; once its claim is gone it is Released and its
reclaim policy applies: Retain keeps it (and its data), Delete removes it (the data of a
provisioned volume goes with it), Recycle scrubs it and makes it Available again.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.context import EngineContext
from k8stui.engine.storage import binding
from k8stui.engine.storage.binding import CONTROLLER
from k8stui.engine.storage.matching import best_match, claim_class

Obj = dict[str, Any]


class PersistentVolumeController:
    """Binds claims, provisions volumes and reclaims released ones."""

    def __init__(self, ctx: EngineContext, erase_data: Any) -> None:
        """``erase_data(volume)`` drops a volume's files (the kubelets' disks)."""
        self.ctx = ctx
        self.erase_data = erase_data
        ctx.queue.register("pv.sync-claim", self._on_claim)
        ctx.queue.register("pv.sync-volume", self._on_volume)
        ctx.store.watch(
            self._on_change, ("PersistentVolume", "PersistentVolumeClaim", "StorageClass")
        )

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        meta = obj["metadata"]
        if kind == "PersistentVolumeClaim":
            ns = meta.get("namespace", "default")
            self._push(
                "pv.sync-claim", f"pvc/{ns}/{meta['name']}", {"ns": ns, "name": meta["name"]}
            )
            if new is None and (old or {}).get("spec", {}).get("volumeName"):
                name = str(old["spec"]["volumeName"])  # type: ignore[index]
                self._push("pv.sync-volume", f"pv/{name}", {"name": name})
            return
        if kind == "PersistentVolume":
            if new is not None:
                self._push("pv.sync-volume", f"pv/{meta['name']}", {"name": meta["name"]})
            self._resync_pending_claims()
            return
        self._resync_pending_claims()  # a new class may make waiting claims provisionable

    def _push(self, action: str, key: str, payload: Obj) -> None:
        self.ctx.queue.push_once(self.ctx.now, action, f"{key}/{self.ctx.now}", payload)

    def _resync_pending_claims(self) -> None:
        for claim in self.ctx.store.iter_kind("PersistentVolumeClaim"):
            if (claim.get("status") or {}).get("phase") == "Pending":
                meta = claim["metadata"]
                ns = meta.get("namespace", "default")
                self._push(
                    "pv.sync-claim", f"pvc/{ns}/{meta['name']}", {"ns": ns, "name": meta["name"]}
                )

    # -- claims ---------------------------------------------------------------------------
    def _on_claim(self, p: Obj) -> None:
        claim = self.ctx.store.get("PersistentVolumeClaim", p["ns"], p["name"])
        if claim is None or claim["metadata"].get("deletionTimestamp"):
            return
        volume_name = (claim.get("spec") or {}).get("volumeName")
        phase = (claim.get("status") or {}).get("phase")
        if phase == "Bound":
            if self.ctx.store.get("PersistentVolume", "", str(volume_name)) is None:
                self.ctx.store.update({**claim, "status": {**claim["status"], "phase": "Lost"}})
                self.ctx.recorder.emit(
                    claim,
                    "Warning",
                    "ClaimLost",
                    "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
                    CONTROLLER,
                )
            return
        if phase == "Lost":
            return
        volumes = self.ctx.store.list("PersistentVolume")
        if volume_name:
            named = self.ctx.store.get("PersistentVolume", "", str(volume_name))
            if named is not None and best_match([named], claim) is not None:
                binding.bind(self.ctx, claim, named)
            return
        class_name = claim_class(claim)
        storage_class = self.ctx.store.get("StorageClass", "", class_name) if class_name else None
        annotations = claim["metadata"].get("annotations") or {}
        selected = annotations.get(binding.SELECTED_NODE)
        waits = (storage_class or {}).get("volumeBindingMode") == "WaitForFirstConsumer"
        if waits and not selected:
            self.ctx.recorder.emit(
                claim,
                "Normal",
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
                CONTROLLER,
            )
            return
        match = best_match(volumes, claim)
        if match is not None and not waits:
            binding.bind(self.ctx, claim, match)
            return
        if storage_class is None:
            if class_name:
                self.ctx.recorder.emit(
                    claim,
                    "Warning",
                    "ProvisioningFailed",
                    f'storageclass.storage.k8s.io "{class_name}" not found',
                    CONTROLLER,
                )
            else:
                self.ctx.recorder.emit(
                    claim,
                    "Normal",
                    "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set",
                    CONTROLLER,
                )
            return
        binding.request_volume(self.ctx, claim, storage_class, selected)

    # -- volumes --------------------------------------------------------------------------
    def _on_volume(self, p: Obj) -> None:
        volume = self.ctx.store.get("PersistentVolume", "", p["name"])
        if volume is None:
            return
        spec = volume.get("spec") or {}
        phase = (volume.get("status") or {}).get("phase")
        ref = spec.get("claimRef")
        if not ref:
            if phase != "Available":
                self.ctx.store.update(binding.volume_status(volume, "Available", self.ctx.now))
            return
        claim = self.ctx.store.get(
            "PersistentVolumeClaim", ref.get("namespace", "default"), ref["name"]
        )
        if claim is not None and (not ref.get("uid") or ref["uid"] == claim["metadata"]["uid"]):
            if not ref.get("uid") and phase != "Available":
                self.ctx.store.update(binding.volume_status(volume, "Available", self.ctx.now))
            return  # bound, or pre-bound and waiting for its claim to sync
        if phase == "Bound" or (phase != "Released" and ref.get("uid")):
            volume = self.ctx.store.update(binding.volume_status(volume, "Released", self.ctx.now))
        self._reclaim(volume)

    def _reclaim(self, volume: Obj) -> None:
        policy = (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy", "Retain")
        name = volume["metadata"]["name"]
        if policy == "Retain":
            return
        if policy == "Recycle":
            self.erase_data(volume)
            spec = {k: v for k, v in volume["spec"].items() if k != "claimRef"}
            self.ctx.store.update(
                binding.volume_status({**volume, "spec": spec}, "Available", self.ctx.now)
            )
            return
        host_path = ((volume.get("spec") or {}).get("hostPath") or {}).get("path", "")
        provisioned = binding.PROVISIONED_BY in (volume["metadata"].get("annotations") or {})
        if host_path and not provisioned and not str(host_path).startswith("/tmp/"):
            self.ctx.store.update(binding.volume_status(volume, "Failed", self.ctx.now))
            self.ctx.recorder.emit(
                volume,
                "Warning",
                "VolumeFailedDelete",
                f"host_path deleter only supports /tmp/.+ but received provided {host_path}",
                CONTROLLER,
            )
            return
        self.erase_data(volume)
        self.ctx.store.delete("PersistentVolume", "", name)
        self.ctx.activity.add(self.ctx.now, "controller-manager", f"deleted released volume {name}")

    def to_json(self) -> dict[str, Any]:
        """No state beyond the store."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
