"""Volumes whose files outlive the pod: hostPath, local and claim-backed volumes.

Their files live on a *disk*: a node directory (``node/<node><path>``: hostPath, local and
the local-path provisioner's volumes, whose data therefore stays on that node) or a network
disk (``pv/<name>``: every other volume source, reachable from any node). A pod's runtime
record shares the disk's dict, so a file a container writes is there for the next pod that
mounts the same disk; snapshots store the disks once and :func:`relink` restores the sharing.
"""

from __future__ import annotations

import posixpath
from typing import Any

from k8stui.engine.store import Store

Obj = dict[str, Any]


def _node_key(node: str, path: str) -> str:
    return f"node/{node}{posixpath.normpath('/' + path.lstrip('/'))}"


def disk_key(volume: Obj, node: str) -> str:
    """Where a PersistentVolume's files are for a pod on ``node``."""
    spec = volume.get("spec") or {}
    for source in ("hostPath", "local"):
        path = (spec.get(source) or {}).get("path")
        if path:
            return _node_key(node, str(path))
    return f"pv/{volume['metadata']['name']}"


def attach(pod: Obj, node: str, store: Store, disks: dict[str, Obj]) -> dict[str, Obj]:
    """The persistent volumes of ``pod`` by volume name, each the shared dict of its disk.

    A claim that is not bound gets no disk (the kubelet would not start such a pod; here its
    writes land in an ephemeral directory instead).
    """
    ns = pod["metadata"].get("namespace", "default")
    out: dict[str, Obj] = {}
    for vol in (pod.get("spec") or {}).get("volumes") or []:
        name = str(vol.get("name"))
        key: str | None = None
        if isinstance(vol.get("hostPath"), dict) and vol["hostPath"].get("path"):
            key = _node_key(node, str(vol["hostPath"]["path"]))
        elif isinstance(vol.get("persistentVolumeClaim"), dict):
            claim = store.get(
                "PersistentVolumeClaim", ns, str(vol["persistentVolumeClaim"].get("claimName"))
            )
            volume_name = ((claim or {}).get("spec") or {}).get("volumeName")
            volume = store.get("PersistentVolume", "", str(volume_name)) if volume_name else None
            if volume is None:
                out[name] = {"files": {}}
                continue
            key = disk_key(volume, node)
        if key is not None:
            out[name] = disks.setdefault(key, {"disk": key, "files": {}})
    return out


def relink(nodes: dict[str, Obj], disks: dict[str, Obj]) -> None:
    """After a restore, point every pod's persistent volumes at the one dict of their disk."""
    for nrt in nodes.values():
        for prt in nrt["pods"].values():
            for name, vol in prt["volumes"].items():
                if "disk" in vol:
                    prt["volumes"][name] = disks.setdefault(vol["disk"], vol)


def erase(disks: dict[str, Obj], volume: Obj, nodes: list[str]) -> None:
    """Delete a PersistentVolume's files wherever they are (its volume was deleted)."""
    keys = {disk_key(volume, node) for node in nodes}
    for key in keys:
        disk = disks.pop(key, None)
        if disk is not None:
            disk["files"].clear()  # pods still mounting it see it empty
