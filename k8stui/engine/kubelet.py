"""The kubelets and their container runtime (reference §2, §8).

One ``Kubelets`` component serves every node; each node's runtime view is plain data in
``self.nodes`` so it snapshots to JSON. Timers carry a token: when a container changes state
its token moves on and any older timer for it is ignored, which is how a crash cancels a
pending "ready" or a node reboot cancels everything that was in flight.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine import kubelet_status as ks
from k8stui.engine import volumes
from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.context import EngineContext, go_duration
from k8stui.engine.names import hex_id
from k8stui.engine.nodes import ready_conditions
from k8stui.engine.probes import run_probe
from k8stui.engine.process import ProcessSpec, http_answer, render_template, unix_date
from k8stui.engine.quantity import parse_memory
from k8stui.engine.runtime_images import ImageService

Obj = dict[str, Any]


class Kubelets:
    """Kubelet + container runtime of every node."""

    def __init__(self, ctx: EngineContext, images: ImageService) -> None:
        self.ctx = ctx
        self.images = images
        self.nodes: dict[str, Obj] = {}
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
        ctx.store.watch(self._on_change, ("Pod",))

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

    def running(self, node: str) -> bool:
        """The node is powered on, its kubelet runs and it can reach the API server."""
        nrt = self.nodes.get(node)
        return bool(nrt and nrt["up"] and nrt["kubelet"] and not nrt.get("partitioned"))

    def powered(self, node: str) -> bool:
        """The machine is on (its containers run, whatever the kubelet does)."""
        nrt = self.nodes.get(node)
        return bool(nrt and nrt["up"])

    def partitioned(self, node: str) -> bool:
        """The node is cut off from the rest of the network."""
        nrt = self.nodes.get(node)
        return bool(nrt and nrt.get("partitioned"))

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
            "volumes": volumes.new_volumes(pod),
            "containers": {c["name"]: self._new_container() for c in pod["spec"]["containers"]},
        }
        nrt["pods"][uid] = prt
        self._write_status(pod, prt)
        self._create_sandbox(node, pod, prt)

    @staticmethod
    def _new_container() -> Obj:
        return {"stage": ks.PENDING, "restarts": 0, "tok": 0, "logs": [], "prev_logs": []}

    def _create_sandbox(self, node: str, pod: Obj, prt: Obj) -> None:
        prt["sandbox_pending"] = True
        self.ctx.queue.push(
            self.ctx.after(self.ctx.timings.sandbox_seconds),
            "kubelet.sandbox",
            self._ref(node, pod, prt),
        )

    def _ref(self, node: str, pod: Obj, prt: Obj, container: str = "", tok: int = 0) -> Obj:
        return {
            "node": node,
            "uid": pod["metadata"]["uid"],
            "boot": prt["boot"],
            "c": container,
            "tok": tok,
        }

    def _lookup(self, p: Obj) -> tuple[Obj, Obj] | None:
        """Resolve a timer payload to (pod, runtime) if it is still current."""
        node = p["node"]
        if not self.running(node):
            return None
        prt = self.nodes[node]["pods"].get(p["uid"])
        if prt is None or prt["boot"] != p["boot"]:
            return None
        if p["c"] and prt["containers"][p["c"]]["tok"] != p["tok"]:
            return None
        pod = self.ctx.store.get("Pod", prt["ns"], prt["name"])
        if pod is None or pod["metadata"]["uid"] != p["uid"]:
            return None
        return pod, prt

    def _on_sandbox(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        if pod["metadata"].get("deletionTimestamp"):
            return
        nrt = self.nodes[p["node"]]
        prt.pop("sandbox_pending", None)
        prt["ip"] = self._allocate_ip(nrt)
        self._start_next(p["node"], pod, prt)

    def _allocate_ip(self, nrt: Obj) -> str:
        index = nrt["index"]
        host = nrt["ip_next"]
        nrt["ip_next"] = 2 if host >= 254 else host + 1
        if index < 256:
            return f"10.244.{index}.{host}"
        return f"10.{244 + index // 256}.{index % 256}.{host}"

    def _start_next(self, node: str, pod: Obj, prt: Obj) -> None:
        """Pull and start containers in order, one step at a time (as the kubelet does)."""
        for spec in pod["spec"]["containers"]:
            crt = prt["containers"][spec["name"]]
            if crt["stage"] == ks.PENDING:
                self._pull(node, pod, prt, spec, crt)
                return
            if crt["stage"] in (ks.PULLING, ks.PULL_FAILED, ks.PULL_BACKOFF):
                return
        self._write_status(pod, prt)

    def _pull(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj) -> None:
        nrt = self.nodes[node]
        image_ref = spec.get("image", "")
        policy = spec.get("imagePullPolicy", "IfNotPresent")
        field = f"spec.containers{{{spec['name']}}}"
        have = self.images.on_node(nrt, image_ref)
        if have is not None and policy != "Always":
            self._event(
                pod,
                "Normal",
                "Pulled",
                f'Container image "{image_ref}" already present on machine',
                node,
                field,
            )
            crt["image_id"] = have
            self._create_container(node, pod, prt, spec, crt)
            return
        if policy == "Never":
            msg = f'Container image "{image_ref}" is not present with pull policy of Never'
            self._event(pod, "Warning", "ErrImageNeverPull", msg, node, field)
            self._set_stage(crt, ks.PULL_FAILED, "ErrImageNeverPull", msg)
            self._write_status(pod, prt)
            return
        self._event(pod, "Normal", "Pulling", f'Pulling image "{image_ref}"', node, field)
        self.ctx.activity.add(self.ctx.now, "kubelet", f"{node}: pulling {image_ref}")
        self._set_stage(
            crt, ks.PULLING, "ContainerCreating" if not crt.get("ever_started") else "", ""
        )
        error = self.images.pull_error(image_ref)
        if error is not None:
            self._fail_pull(node, pod, prt, spec, crt, error)
            return
        duration = self.images.pull_ms(nrt, image_ref)
        crt["pull_ms"] = duration
        self.ctx.queue.push(
            self.ctx.now + duration,
            "kubelet.pulled",
            self._ref(node, pod, prt, spec["name"], crt["tok"]),
        )

    def _fail_pull(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj, error: str) -> None:
        field = f"spec.containers{{{spec['name']}}}"
        image_ref = spec.get("image", "")
        self._event(
            pod, "Warning", "Failed", f'Failed to pull image "{image_ref}": {error}', node, field
        )
        self._event(pod, "Warning", "Failed", "Error: ErrImagePull", node, field)
        self._set_stage(
            crt,
            ks.PULL_FAILED,
            "ErrImagePull",
            f'failed to pull and unpack image "{image_ref}": {error}' if False else error,
        )
        bo = self._next_backoff(crt, "pbo", self.ctx.now)
        crt["retry_at"] = self.ctx.now + bo
        self._write_status(pod, prt)
        # The next pod sync (about a second later) reports the back-off.
        self.ctx.queue.push(
            self.ctx.after(1),
            "kubelet.pull_backoff",
            self._ref(node, pod, prt, spec["name"], crt["tok"]),
        )

    def _on_pull_backoff(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        spec = self._spec(pod, p["c"])
        crt = prt["containers"][p["c"]]
        field = f"spec.containers{{{p['c']}}}"
        image_ref = spec.get("image", "")
        self._event(
            pod, "Normal", "BackOff", f'Back-off pulling image "{image_ref}"', p["node"], field
        )
        self._event(pod, "Warning", "Failed", "Error: ImagePullBackOff", p["node"], field)
        self._set_stage(
            crt, ks.PULL_BACKOFF, "ImagePullBackOff", f'Back-off pulling image "{image_ref}"'
        )
        self._write_status(pod, prt)
        self.ctx.queue.push(
            max(crt["retry_at"], self.ctx.now),
            "kubelet.pull_retry",
            self._ref(p["node"], pod, prt, p["c"], crt["tok"]),
        )

    def _on_pull_retry(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        crt = prt["containers"][p["c"]]
        self._set_stage(crt, ks.PENDING, "", "")
        self._start_next(p["node"], pod, prt)

    def _on_pulled(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        node = p["node"]
        spec = self._spec(pod, p["c"])
        crt = prt["containers"][p["c"]]
        image_ref = spec.get("image", "")
        error = self.images.pull_error(image_ref)
        if error is not None:  # removed from the registry while we were pulling
            self._fail_pull(node, pod, prt, spec, crt, error)
            return
        image_id, size = self.images.store_on_node(self.nodes[node], image_ref)
        self._refresh_node_images(node)
        took = go_duration(int(crt.pop("pull_ms", 0)))
        self._event(
            pod,
            "Normal",
            "Pulled",
            f'Successfully pulled image "{image_ref}" in {took} ({took} including waiting). Image size: {size} bytes.',
            node,
            f"spec.containers{{{p['c']}}}",
        )
        crt.pop("pbo", None)
        crt["image_id"] = image_id
        self._create_container(node, pod, prt, spec, crt)

    def _refresh_node_images(self, node: str) -> None:
        obj = self.ctx.store.get("Node", "", node)
        if obj is None:
            return
        listed = self.images.node_image_list(self.nodes[node])
        status = obj.get("status") or {}
        if status.get("images") != listed:
            self.ctx.store.update({**obj, "status": {**status, "images": listed}})

    # -- containers ----------------------------------------------------------------------
    def _create_container(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj) -> None:
        field = f"spec.containers{{{spec['name']}}}"
        name = spec["name"]
        proc = self.images.process(crt["image_id"], spec, pod)
        crt["container_id"] = hex_id(self.ctx.rng, 64)
        crt["ever_started"] = True
        crt["started_ms"] = self.ctx.now
        crt["ready"] = False
        crt["requests"] = 0
        crt["extra_logs"] = []
        crt["probe_failures"] = 0
        crt["ports"] = list(proc.ports)
        self._event(pod, "Normal", "Created", f"Created container: {name}", node, field)
        if proc.start_error:
            self._event(pod, "Warning", "Failed", f"Error: {proc.start_error}", node, field)
            self._set_stage(crt, ks.RUNNING, "", "")
            crt["ports"] = []
            self._container_exited(
                node, pod, prt, name, 128, "StartError", message=proc.start_error
            )
            return
        self._event(pod, "Normal", "Started", f"Started container {name}", node, field)
        self._set_stage(crt, ks.RUNNING, "", "")
        for write in proc.writes:
            volumes.add_writer(prt, spec, write, self.ctx.now, pod["metadata"]["name"])
        ref = self._ref(node, pod, prt, name, crt["tok"])
        exit_at, code, reason = self._planned_exit(prt, spec, crt, proc)
        if exit_at is not None:
            self.ctx.queue.push(exit_at, "kubelet.exit", {**ref, "code": code, "reason": reason})
        if spec.get("readinessProbe") is None:
            ready_at = self.ctx.now + proc.startup_ms
            if exit_at is None or ready_at < exit_at:
                self.ctx.queue.push(ready_at, "kubelet.ready", ref)
        else:
            delay = int(spec["readinessProbe"].get("initialDelaySeconds", 0)) * 1000
            self.ctx.queue.push(
                self.ctx.now + max(delay, proc.startup_ms),
                "kubelet.probe",
                {**ref, "probe": "readiness"},
            )
        if spec.get("livenessProbe") is not None:
            probe = spec["livenessProbe"]
            delay = int(probe.get("initialDelaySeconds", 0)) * 1000
            period = int(probe.get("periodSeconds", 10)) * 1000
            self.ctx.queue.push(
                self.ctx.now + max(delay, period if delay == 0 else delay),
                "kubelet.probe",
                {**ref, "probe": "liveness"},
            )
        self._start_next(node, pod, prt)

    def _planned_exit(
        self, prt: Obj, spec: Obj, crt: Obj, proc: ProcessSpec
    ) -> tuple[int | None, int, str]:
        now = self.ctx.now
        # A second process binding a port its sibling already holds fails at once.
        taken: set[int] = set()
        for name, other in prt["containers"].items():
            if name != spec["name"] and other["stage"] == ks.RUNNING:
                taken.update(other.get("ports", []))
        clash = [port for port in proc.ports if port in taken]
        if clash:
            crt["ports"] = []
            crt["extra_logs"].append(
                f"Error: listen EADDRINUSE: address already in use :::{clash[0]}"
            )
            return now + 500, 1, "Error"
        limit = parse_memory(((spec.get("resources") or {}).get("limits") or {}).get("memory"))
        candidates: list[tuple[int, int, str]] = []
        if limit:
            peak = proc.memory_max_bytes
            if proc.memory_bytes > limit:
                candidates.append((now + min(proc.startup_ms, 1000) + 1, 137, "OOMKilled"))
            elif proc.memory_growth_per_second > 0 and (peak is None or peak > limit):
                grow_ms = (limit - proc.memory_bytes) * 1000 // proc.memory_growth_per_second
                candidates.append((now + int(grow_ms) + 1, 137, "OOMKilled"))
        if proc.exit_after_ms is not None and not proc.runs_forever:
            code = proc.exit_code
            candidates.append(
                (now + proc.exit_after_ms, code, "Completed" if code == 0 else "Error")
            )
        if not candidates:
            return None, 0, ""
        return min(candidates)

    def _on_ready(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        prt["containers"][p["c"]]["ready"] = True
        self._write_status(pod, prt)

    def _on_probe(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        name, kind = p["c"], p["probe"]
        spec = self._spec(pod, name)
        crt = prt["containers"][name]
        probe = spec.get(f"{kind}Probe") or {}
        proc = self.images.process(crt["image_id"], spec, pod)
        if "httpGet" in probe:
            crt["requests"] = int(crt.get("requests", 0)) + 1
        result = run_probe(
            probe,
            spec,
            proc,
            request_number=int(crt.get("requests", 0)),
            hostname=pod["metadata"]["name"],
            pod_ip=prt.get("ip") or "",
            now_ms=self.ctx.now,
            read_file=lambda path: volumes.read(prt, spec, path, self.ctx.now),
        )
        period = int(probe.get("periodSeconds", 10)) * 1000
        field = f"spec.containers{{{name}}}"
        ref = {**self._ref(p["node"], pod, prt, name, crt["tok"]), "probe": kind}
        if kind == "readiness":
            if result.ok != bool(crt.get("ready")):
                crt["ready"] = result.ok
                self._write_status(pod, prt)
            if not result.ok:
                self._event(
                    pod,
                    "Warning",
                    "Unhealthy",
                    f"Readiness probe failed: {result.message}",
                    p["node"],
                    field,
                )
            if not result.ok or _may_change(probe, proc):
                self.ctx.queue.push(self.ctx.now + period, "kubelet.probe", ref)
            return
        if result.ok:
            crt["probe_failures"] = 0
        else:
            crt["probe_failures"] = int(crt.get("probe_failures", 0)) + 1
            self._event(
                pod,
                "Warning",
                "Unhealthy",
                f"Liveness probe failed: {result.message}",
                p["node"],
                field,
            )
            if crt["probe_failures"] >= int(probe.get("failureThreshold", 3)):
                self._event(
                    pod,
                    "Normal",
                    "Killing",
                    f"Container {name} failed liveness probe, will be restarted",
                    p["node"],
                    field,
                )
                self._container_exited(p["node"], pod, prt, name, 137, "Error")
                return
        self.ctx.queue.push(self.ctx.now + period, "kubelet.probe", ref)

    def _on_exit(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        self._container_exited(p["node"], pod, prt, p["c"], int(p["code"]), str(p["reason"]))

    def _container_exited(
        self, node: str, pod: Obj, prt: Obj, name: str, code: int, reason: str, message: str = ""
    ) -> None:
        crt = prt["containers"][name]
        now = self.ctx.now
        crt["prev_logs"] = self.logs(pod, name) or []
        term: Obj = {
            "exitCode": code,
            "reason": reason,
            "startedAt": to_timestamp(crt.get("started_ms", now)),
            "finishedAt": to_timestamp(now),
            "containerID": f"containerd://{crt.get('container_id', '')}",
        }
        if message:
            term["message"] = message
        crt["term"] = term
        crt["ready"] = False
        crt["ports"] = []
        policy = pod["spec"].get("restartPolicy", "Always")
        if policy == "Never" or (policy == "OnFailure" and code == 0):
            self._set_stage(crt, ks.EXITED, "", "")
            self._write_status(pod, prt)
            return
        crt["last"] = term
        # Kubelet back-off (§2.5): restart at once unless still inside the current back-off.
        entry = crt.get("bo")
        if entry is not None and now - entry["t"] > self.ctx.timings.backoff_reset * 1000:
            entry = crt["bo"] = None
        if entry is not None and now - entry["t"] < entry["d"] * 1000:
            due = entry["t"] + int(entry["d"] * 1000)
            delay = go_duration(int(entry["d"] * 1000))
            uid = pod["metadata"]["uid"]
            pod_id = f"{pod['metadata']['name']}_{prt['ns']}({uid})"
            self._set_stage(
                crt,
                ks.CRASH_BACKOFF,
                "CrashLoopBackOff",
                f"back-off {delay} restarting failed container={name} pod={pod_id}",
            )
            self._event(
                pod,
                "Warning",
                "BackOff",
                f"Back-off restarting failed container {name} in pod {pod_id}",
                node,
                f"spec.containers{{{name}}}",
            )
            self._write_status(pod, prt)
            self.ctx.queue.push(due, "kubelet.restart", self._ref(node, pod, prt, name, crt["tok"]))
            return
        self._restart(node, pod, prt, name)

    def _restart(self, node: str, pod: Obj, prt: Obj, name: str) -> None:
        crt = prt["containers"][name]
        self._next_backoff(crt, "bo", self.ctx.now)
        crt["restarts"] = int(crt.get("restarts", 0)) + 1
        self._set_stage(crt, ks.PENDING, "", "")
        self._start_next(node, pod, prt)

    def _on_restart(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        self._restart(p["node"], pod, prt, p["c"])

    def _next_backoff(self, crt: Obj, key: str, now: int) -> int:
        """Advance a back-off entry (10 s doubling to the cap) and return its delay in ms."""
        t = self.ctx.timings
        entry = crt.get(key)
        if entry is None or now - entry["t"] > t.backoff_reset * 1000:
            delay = t.backoff_initial
        else:
            delay = min(entry["d"] * 2, t.backoff_max)
        crt[key] = {"d": delay, "t": now}
        return int(delay * 1000)

    # -- termination --------------------------------------------------------------------
    def _begin_termination(self, node: str, pod: Obj, prt: Obj | None) -> None:
        if prt is None:
            self.ctx.store.delete(
                "Pod", pod["metadata"].get("namespace", "default"), pod["metadata"]["name"]
            )
            return
        if prt.get("terminating"):
            return
        prt["terminating"] = True
        for spec in pod["spec"]["containers"]:
            crt = prt["containers"][spec["name"]]
            crt["tok"] += 1  # cancels pending ready/exit/restart timers
            if crt["stage"] == ks.RUNNING:
                self._event(
                    pod,
                    "Normal",
                    "Killing",
                    f"Stopping container {spec['name']}",
                    node,
                    f"spec.containers{{{spec['name']}}}",
                )
        grace = pod["metadata"].get("deletionGracePeriodSeconds")
        grace = self.ctx.timings.termination_grace_period if grace is None else int(grace)
        stop = min(self.ctx.timings.container_stop_seconds, float(grace))
        self.ctx.queue.push(self.ctx.after(stop), "kubelet.stopped", self._ref(node, pod, prt))

    def _on_stopped(self, p: Obj) -> None:
        node = p["node"]
        if not self.running(node):
            return
        pods = self.nodes[node]["pods"]
        prt = pods.get(p["uid"])
        if prt is None or prt["boot"] != p["boot"]:
            return
        del pods[p["uid"]]
        pod = self.ctx.store.get("Pod", prt["ns"], prt["name"])
        if pod is not None and pod["metadata"]["uid"] == p["uid"]:
            self.ctx.activity.add(
                self.ctx.now, "kubelet", f"{node}: pod {prt['name']} stopped, removed"
            )
            self.ctx.store.delete("Pod", prt["ns"], prt["name"])

    def _sandbox_lost(self, node: str, uid: str) -> None:
        """After a reboot every container is gone; restart counts go up as they come back."""
        prt = self.nodes[node]["pods"][uid]
        prt["ip"] = None
        prt["terminating"] = False
        prt.pop("sandbox_pending", None)
        prt["volumes"] = {name: {"files": {}, "writers": {}} for name in prt["volumes"]}
        for crt in prt["containers"].values():
            crt["tok"] += 1
            if crt["stage"] == ks.RUNNING:
                now = to_timestamp(self.ctx.now)
                crt["last"] = {
                    "exitCode": 255,
                    "reason": "Unknown",
                    "startedAt": to_timestamp(crt.get("started_ms", 0)),
                    "finishedAt": now,
                    "containerID": f"containerd://{crt.get('container_id', '')}",
                }
                crt["restarts"] = int(crt.get("restarts", 0)) + 1
            if crt["stage"] != ks.EXITED:
                crt["stage"] = ks.PENDING
                crt["reason"] = crt["message"] = ""
                crt["ready"] = False
        pod = self._pod_by_uid(node, uid)
        if pod is not None:
            self._event(
                pod,
                "Normal",
                "SandboxChanged",
                "Pod sandbox changed, it will be killed and re-created.",
                node,
                None,
            )

    # -- helpers ------------------------------------------------------------------------
    def _pod_by_uid(self, node: str, uid: str) -> Obj | None:
        prt = self.nodes[node]["pods"].get(uid)
        if prt is None:
            return None
        pod = self.ctx.store.get("Pod", prt["ns"], prt["name"])
        return pod if pod is not None and pod["metadata"]["uid"] == uid else None

    @staticmethod
    def _spec(pod: Obj, name: str) -> Obj:
        for spec in pod["spec"]["containers"]:
            if spec["name"] == name:
                return dict(spec)
        raise KeyError(name)

    @staticmethod
    def _set_stage(crt: Obj, stage: str, reason: str, message: str) -> None:
        crt["stage"] = stage
        crt["reason"] = reason
        crt["message"] = message
        crt["tok"] += 1

    def _event(
        self, pod: Obj, type_: str, reason: str, message: str, node: str, field: str | None
    ) -> None:
        self.ctx.recorder.emit(pod, type_, reason, message, "kubelet", host=node, field_path=field)

    def _write_status(self, pod: Obj, prt: Obj) -> None:
        status = ks.build_status(pod, prt, self.ctx.now, self.images.image_ids())
        if status != pod.get("status"):
            current = self.ctx.store.get("Pod", prt["ns"], prt["name"])
            if current is not None:
                self.ctx.store.update({**current, "status": status})

    # -- reads for kubectl logs / exec / networking ------------------------------------------
    def pod_runtime(self, pod: Obj) -> Obj | None:
        """The runtime record of a pod on its node (None when not running anywhere)."""
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or node not in self.nodes:
            return None
        rt: Obj | None = self.nodes[node]["pods"].get(pod["metadata"].get("uid"))
        return rt

    def logs(self, pod: Obj, container: str, previous: bool = False) -> list[str] | None:
        """Log lines of a container's current (or previous) run; None if there is none."""
        prt = self.pod_runtime(pod)
        if prt is None or container not in prt["containers"]:
            return None
        crt = prt["containers"][container]
        if previous:
            return list(crt.get("prev_logs") or []) if crt.get("last") else None
        if not crt.get("image_id") or "started_ms" not in crt:
            return None
        spec = self._spec(pod, container)
        proc = self.images.process(crt["image_id"], spec, pod)
        ran = self.ctx.now - int(crt["started_ms"])
        if crt["stage"] != ks.RUNNING and crt.get("term"):
            ran = min(ran, from_timestamp(crt["term"]["finishedAt"]) - int(crt["started_ms"]))
        start = int(crt["started_ms"])
        base = {"hostname": pod["metadata"]["name"], "pod_ip": prt.get("ip") or ""}

        def line_at(text: str, offset_ms: int) -> str:
            return render_template(text, {**base, "date": unix_date(start + offset_ms)})

        lines = [line_at(line.text, line.at_ms) for line in proc.logs if line.at_ms <= ran]
        if proc.log_every_ms and proc.periodic_logs and ran >= proc.periodic_start_ms:
            count = int(min((ran - proc.periodic_start_ms) // proc.log_every_ms + 1, 2000))
            cycle = proc.periodic_logs
            first = max(0, int((ran - proc.periodic_start_ms) // proc.log_every_ms + 1) - count)
            lines += [
                line_at(cycle[i % len(cycle)], proc.periodic_start_ms + i * proc.log_every_ms)
                for i in range(first, first + count)
            ]
        lines += list(crt.get("extra_logs") or [])
        if crt["stage"] != ks.RUNNING and crt.get("term"):
            lines += list(proc.exit_logs)
        return lines

    def kill_container(self, pod: Obj, name: str) -> bool:
        """SIGKILL a running container (exit 137); the kubelet restarts it per restartPolicy."""
        prt = self.pod_runtime(pod)
        node = pod["spec"].get("nodeName")
        if prt is None or not node or not self.running(node):
            return False
        if prt["containers"][name]["stage"] != ks.RUNNING:
            return False
        self._container_exited(node, pod, prt, name, 137, "Error")
        return True

    def serve_request(
        self, pod: Obj, port: int, path: str, client_ip: str
    ) -> tuple[int, str] | None:
        """An HTTP request reaching ``pod`` on ``port``: (status, body), or None if refused."""
        prt = self.pod_runtime(pod)
        if prt is None or not prt.get("ip"):
            return None
        for spec in pod["spec"]["containers"]:
            crt = prt["containers"][spec["name"]]
            if crt["stage"] != ks.RUNNING or port not in crt.get("ports", []):
                continue
            if (
                self.ctx.now
                < int(crt["started_ms"])
                + self.images.process(crt["image_id"], spec, pod).startup_ms
            ):
                return None
            proc = self.images.process(crt["image_id"], spec, pod)
            crt["requests"] = int(crt.get("requests", 0)) + 1
            answer = http_answer(
                proc,
                crt["requests"],
                hostname=pod["metadata"]["name"],
                pod_ip=prt["ip"],
                path=path,
                client_ip=client_ip,
                now_ms=self.ctx.now,
                read_file=lambda p, s=spec: volumes.read(prt, s, p, self.ctx.now),  # type: ignore[misc]
            )
            if answer is None:
                return None
            if answer.log:
                crt.setdefault("extra_logs", []).append(answer.log)
            return answer.status, answer.body
        return None

    def to_json(self) -> dict[str, Any]:
        """Runtime state of every node."""
        return {"nodes": self.nodes}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.nodes = data["nodes"]


def _may_change(probe: Obj, proc: ProcessSpec) -> bool:
    """Whether a passing probe can start failing later (so it must keep being run)."""
    if "exec" in probe:
        return True
    return proc.http is not None and proc.http.failing_after_requests is not None
