"""The kubelets and their container runtime (reference §2, §8).

One ``Kubelets`` component serves every node; each node's runtime view is plain data in
``self.nodes`` so it snapshots to JSON. Timers carry a token: when a container changes state
its token moves on and any older timer for it is ignored, which is how a crash cancels a
pending "ready" or a node reboot cancels everything that was in flight.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.kubelet import config_volumes, persistent_volumes, volumes
from k8stui.engine.kubelet import status as ks
from k8stui.engine.kubelet.containers import ContainerLifecycle
from k8stui.engine.kubelet.pulls import ImagePulls
from k8stui.engine.kubelet.reads import RuntimeReads
from k8stui.engine.nodes import ready_conditions
from k8stui.engine.runtime.image_service import ImageService

Obj = dict[str, Any]
MOUNT_RETRY_SECONDS = 10


class Kubelets(ImagePulls, ContainerLifecycle, RuntimeReads):
    """Kubelet + container runtime of every node."""

    def __init__(self, ctx: EngineContext, images: ImageService) -> None:
        self.ctx = ctx
        self.images = images
        self.nodes: dict[str, Obj] = {}
        self.disks: dict[str, Obj] = {}  # persistent volume contents (persistent_volumes.py)
        self.heartbeat_listeners: list[Callable[[str], None]] = []
        q = ctx.queue
        q.register("kubelet.sync", self._on_sync)
        q.register("kubelet.sandbox", self._on_sandbox)
        q.register("kubelet.pulled", self._on_pulled)
        q.register("kubelet.pull_backoff", self._on_pull_backoff)
        q.register("kubelet.pull_retry", self._on_pull_retry)
        q.register("kubelet.ready", self._on_ready)
        q.register("kubelet.probe", self._on_probe)
        q.register("kubelet.exit", self._on_exit)
        q.register("kubelet.restart", self._on_restart)
        q.register("kubelet.stopped", self._on_stopped)
        q.register("kubelet.remount", self._on_remount)
        ctx.store.watch(self._on_change, ("Pod",))
        ctx.store.watch(self._on_config_change, ("ConfigMap", "Secret"))

    # -- node lifecycle ---------------------------------------------------------------------
    def register_node(self, name: str, index: int, host_ip: str) -> None:
        """Start the kubelet of a newly registered node."""
        self.nodes[name] = {
            "index": index,
            "host_ip": host_ip,
            "up": True,
            "kubelet": True,
            "boot": 0,
            "started_ms": self.ctx.now,
            "images": {},
            "ip_next": 2,
            "pods": {},
        }

    def _went_silent(self, node: str) -> None:
        nrt = self.nodes[node]
        nrt["stopped_ms"] = self.ctx.now
        nrt["boot"] += 1
        for listener in self.heartbeat_listeners:
            listener(node)

    def partition(self, node: str) -> None:
        """Cut the node off the network: no heartbeats, its pods unreachable from outside."""
        nrt = self.nodes[node]
        if nrt.get("partitioned"):
            return
        was_running = self.running(node)
        nrt["partitioned"] = True
        if was_running:
            self._went_silent(node)

    def heal(self, node: str) -> None:
        """Reconnect a partitioned node; its kubelet reports in again."""
        nrt = self.nodes[node]
        if not nrt.get("partitioned"):
            return
        nrt["partitioned"] = False
        if self.running(node):
            nrt["boot"] += 1
            self._kubelet_started(node, rebooted=False)

    def last_renew_ms(self, node: str, now_ms: int) -> int | None:
        """When the node's lease was last renewed: heartbeats every ``lease_renew_interval``.

        Heartbeats are derived, not scheduled, so an idle cluster costs nothing to advance.
        """
        nrt = self.nodes.get(node)
        if nrt is None:
            return None
        period = int(self.ctx.timings.lease_renew_interval * 1000)
        until = now_ms if self.running(node) else nrt.get("stopped_ms", now_ms)
        start = nrt["started_ms"]
        return start + ((max(until, start) - start) // period) * period

    def power_off(self, node: str) -> None:
        """The machine stops: containers die with it, the kubelet stops reporting."""
        nrt = self.nodes[node]
        if not nrt["up"]:
            return
        was_running = self.running(node)
        nrt["up"] = False
        if was_running:
            self._went_silent(node)
        else:
            nrt["boot"] += 1

    def power_on(self, node: str) -> None:
        """The machine boots again: sandboxes are recreated, containers restart."""
        nrt = self.nodes[node]
        if nrt["up"]:
            return
        nrt["up"] = True
        nrt["boot"] += 1
        for prt in nrt["pods"].values():
            prt["boot"] = nrt["boot"]
        for uid in list(nrt["pods"]):
            self._sandbox_lost(node, uid)
        if self.running(node):
            self._kubelet_started(node, rebooted=True)

    def stop_kubelet(self, node: str) -> None:
        """Only the kubelet process stops: containers keep running but nobody reports."""
        nrt = self.nodes[node]
        if nrt["kubelet"]:
            was_running = self.running(node)
            nrt["kubelet"] = False
            if was_running:
                self._went_silent(node)

    def start_kubelet(self, node: str) -> None:
        """The kubelet process starts again and re-syncs its pods."""
        nrt = self.nodes[node]
        if nrt["kubelet"]:
            return
        nrt["kubelet"] = True
        nrt["boot"] += 1
        if self.running(node):
            self._kubelet_started(node, rebooted=False)

    def _kubelet_started(self, node: str, *, rebooted: bool) -> None:
        """The kubelet (re)connects: it renews its lease, posts Ready and re-syncs its pods."""
        nrt = self.nodes[node]
        nrt["started_ms"] = self.ctx.now
        nrt.pop("stopped_ms", None)
        for prt in nrt["pods"].values():
            prt["boot"] = nrt["boot"]
        obj = self.ctx.store.get("Node", "", node)
        if obj is not None:
            stamp = to_timestamp(self.ctx.now)
            conditions = ready_conditions(stamp)
            status = {**obj["status"], "conditions": conditions}
            if rebooted:
                self.ctx.recorder.emit(
                    obj, "Normal", "Starting", "Starting kubelet.", "kubelet", host=node
                )
            obj = self.ctx.store.update({**obj, "status": status})
            self.ctx.recorder.emit(
                obj,
                "Normal",
                "NodeReady",
                f"Node {node} status is now: NodeReady",
                "kubelet",
                host=node,
            )
        for pod in self.ctx.store.pods_on_node(node):
            self._queue_sync(node, pod)
            prt = nrt["pods"].get(pod["metadata"]["uid"])
            if prt is not None and not pod["metadata"].get("deletionTimestamp"):
                self._write_status(pod, prt)

    def remove_node(self, node: str) -> None:
        """The Node object is gone; forget its runtime."""
        self.nodes.pop(node, None)

    # -- watching the API -------------------------------------------------------------------
    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind != "Pod":
            return
        pod = new or old
        assert pod is not None
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or not self.running(node):
            return
        # Our own status writes need no reaction; spec changes and deletions do.
        if (
            new is not None
            and old is not None
            and new.get("spec") is old.get("spec")
            and new["metadata"].get("deletionTimestamp") == old["metadata"].get("deletionTimestamp")
        ):
            return
        self._queue_sync(node, pod)

    def _queue_sync(self, node: str, pod: Obj) -> None:
        meta = pod["metadata"]
        self.ctx.queue.push_once(
            self.ctx.now,
            "kubelet.sync",
            f"sync/{meta['uid']}",
            {
                "node": node,
                "ns": meta.get("namespace", "default"),
                "name": meta["name"],
                "uid": meta["uid"],
            },
        )

    def _on_sync(self, p: Obj) -> None:
        node, uid = p["node"], p["uid"]
        if not self.running(node):
            return
        nrt = self.nodes[node]
        pod = self.ctx.store.get("Pod", p["ns"], p["name"])
        if pod is None or pod["metadata"].get("uid") != uid or pod["spec"].get("nodeName") != node:
            nrt["pods"].pop(uid, None)  # force-deleted: the runtime just drops it
            return
        prt = nrt["pods"].get(uid)
        if pod["metadata"].get("deletionTimestamp"):
            self._begin_termination(node, pod, prt)
            return
        if prt is None:
            self._admit(node, pod)
        elif prt.get("unmounted"):
            self._mount_and_start(node, pod, prt)
        elif prt.get("ip") is None and not prt.get("sandbox_pending"):
            self._create_sandbox(node, pod, prt)
        else:
            self._start_next(node, pod, prt)

    # -- pod start-up ---------------------------------------------------------------------
    def _admit(self, node: str, pod: Obj) -> None:
        nrt = self.nodes[node]
        uid = pod["metadata"]["uid"]
        prt: Obj = {
            "ns": pod["metadata"].get("namespace", "default"),
            "name": pod["metadata"]["name"],
            "host_ip": nrt["host_ip"],
            "ip": None,
            "start_ms": self.ctx.now,
            "boot": nrt["boot"],
            "volumes": {
                **volumes.new_volumes(pod),
                **persistent_volumes.attach(pod, node, self.ctx.store, self.disks),
            },
            "containers": {c["name"]: self._new_container() for c in pod["spec"]["containers"]},
        }
        nrt["pods"][uid] = prt
        self._write_status(pod, prt)
        self._create_sandbox(node, pod, prt)

    @staticmethod
    def _new_container() -> Obj:
        # Log lists (prev_logs, extra_logs) appear with their first line: most containers
        # never have one, and four empty lists were ~220 bytes a container.
        return {"stage": ks.PENDING, "restarts": 0, "tok": 0}

    def _create_sandbox(self, node: str, pod: Obj, prt: Obj) -> None:
        prt["sandbox_pending"] = True
        self.ctx.queue.push(
            self.ctx.after(self.ctx.timings.sandbox_seconds),
            "kubelet.sandbox",
            self._ref(node, pod, prt),
        )

    def _on_sandbox(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        if pod["metadata"].get("deletionTimestamp"):
            return
        nrt = self.nodes[p["node"]]
        prt.pop("sandbox_pending", None)
        # hostNetwork pods (static pods, kube-proxy, the CNI agent) use the node's address.
        prt["ip"] = nrt["host_ip"] if pod["spec"].get("hostNetwork") else self._allocate_ip(nrt)
        self._mount_and_start(p["node"], pod, prt)

    # -- configMap / secret / downwardAPI / projected volumes ----------------------------------
    def _mount_and_start(self, node: str, pod: Obj, prt: Obj) -> None:
        try:
            mounted = config_volumes.mount_all(pod, self.ctx.store, prt["ip"], prt["host_ip"])
        except config_volumes.MountError as exc:
            prt["unmounted"] = True
            self.ctx.recorder.emit(pod, "Warning", "FailedMount", str(exc), "kubelet", host=node)
            meta = pod["metadata"]
            self.ctx.queue.push_once(
                self.ctx.after(MOUNT_RETRY_SECONDS),
                "kubelet.sync",
                f"mount-retry/{meta['uid']}",
                {"node": node, "ns": prt["ns"], "name": prt["name"], "uid": meta["uid"]},
            )
            return
        prt.pop("unmounted", None)
        prt["volumes"].update(mounted)
        self._start_next(node, pod, prt)

    def _on_config_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        ns, name = obj["metadata"].get("namespace", "default"), obj["metadata"]["name"]
        for node, nrt in self.nodes.items():
            for uid, prt in nrt["pods"].items():
                if prt["ns"] != ns or not any(
                    (kind, name) in config_volumes.references(v) for v in self._volumes_of(prt)
                ):
                    continue
                self.ctx.queue.push_once(
                    self.ctx.after(config_volumes.SYNC_DELAY_SECONDS),
                    "kubelet.remount",
                    f"remount/{uid}",
                    {"node": node, "ns": prt["ns"], "name": prt["name"], "uid": uid},
                )

    def _volumes_of(self, prt: Obj) -> list[Obj]:
        pod = self.ctx.store.get("Pod", prt["ns"], prt["name"])
        return [
            v for v in ((pod or {}).get("spec") or {}).get("volumes") or [] if isinstance(v, dict)
        ]

    def _on_remount(self, p: Obj) -> None:
        """The kubelet's periodic sync rewrites config volumes from the current objects."""
        if not self.running(p["node"]):
            return
        prt = self.nodes[p["node"]]["pods"].get(p["uid"])
        pod = self.ctx.store.get("Pod", p["ns"], p["name"])
        if prt is None or pod is None or pod["metadata"]["uid"] != p["uid"]:
            return
        for volume in self._volumes_of(prt):
            name = str(volume.get("name"))
            if name not in prt["volumes"] or not config_volumes.is_config_volume(volume):
                continue
            try:
                files = config_volumes.volume_files(
                    pod, volume, self.ctx.store, prt.get("ip") or "", prt["host_ip"]
                )
            except config_volumes.MountError:
                continue  # the old content stays, as on a real node
            prt["volumes"][name] = {"files": files, "config": True}

    def _allocate_ip(self, nrt: Obj) -> str:
        index = nrt["index"]
        host = nrt["ip_next"]
        nrt["ip_next"] = 2 if host >= 254 else host + 1
        if index < 256:
            return f"10.244.{index}.{host}"
        return f"10.{244 + index // 256}.{index % 256}.{host}"

    # -- containers ----------------------------------------------------------------------

    # -- termination --------------------------------------------------------------------

    # -- helpers ------------------------------------------------------------------------

    # -- reads for kubectl logs / exec / networking ------------------------------------------

    def erase_volume_data(self, volume: Obj) -> None:
        """A PersistentVolume was deleted or recycled: its files are gone."""
        persistent_volumes.erase(self.disks, volume, list(self.nodes))

    def to_json(self) -> dict[str, Any]:
        """Runtime state of every node. A node's images are listed as ``[name, image id]``
        pairs in the order the node got them (a snapshot's text sorts object keys, and
        ``status.images`` follows that order)."""
        nodes = {
            name: {**nrt, "images": [[ref, image_id] for ref, image_id in nrt["images"].items()]}
            for name, nrt in self.nodes.items()
        }
        return {"nodes": nodes, "disks": self.disks}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json` (images as a map, as older snapshots hold them, too)."""
        self.nodes = {
            name: {**nrt, "images": dict(nrt["images"])} for name, nrt in data["nodes"].items()
        }
        self.disks = data.get("disks", {})
        persistent_volumes.relink(self.nodes, self.disks)
