"""Containers from start to exit: readiness, probes, crashes, back-off, termination (§2.3-2.6, §8).

Part of the kubelets (see ``kubelet_core``): a mixin over their shared state and helpers.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.go_duration import go_duration
from k8stui.engine.apimachinery.quantity import parse_memory
from k8stui.engine.clock import to_timestamp
from k8stui.engine.kubelet import env_sources, volumes
from k8stui.engine.kubelet import status as ks
from k8stui.engine.kubelet.core import KubeletCore
from k8stui.engine.kubelet.probes import run_probe
from k8stui.engine.names import hex_id
from k8stui.engine.runtime.process import ProcessSpec

Obj = dict[str, Any]
CONFIG_RETRY_SECONDS = 10  # the kubelet retries a pod whose config is broken on its next sync


class ContainerLifecycle(KubeletCore):
    """Containers from start to exit, on every node."""

    def _create_container(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj) -> None:
        field = f"spec.containers{{{spec['name']}}}"
        name = spec["name"]
        crt.pop("env", None)
        if env_sources.needs_lookup(spec):
            try:
                crt["env"] = self._resolve_env(node, pod, prt, spec)
            except env_sources.ConfigError as exc:
                self._config_error(node, pod, prt, crt, field, str(exc))
                return
        proc = self.images.process(crt["image_id"], env_sources.run_spec(spec, crt), pod)
        crt["container_id"] = hex_id(self.ctx.rng, 64)
        crt["ever_started"] = True
        crt["started_ms"] = self.ctx.now
        crt["ready"] = False
        crt["requests"] = 0
        # extra_logs and extra_log_ms (their times, see RuntimeReads.timed_logs) start afresh.
        crt.pop("extra_logs", None)
        crt.pop("extra_log_ms", None)
        crt["probe_failures"] = 0
        crt["ports"] = list(proc.ports)
        crt["ignores_sigterm"] = proc.ignores_sigterm
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
            # Without a probe the kubelet calls a running container ready at once, even if its
            # program needs a while before it accepts connections (the case probes exist for).
            ready_at = self.ctx.now
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
            crt.setdefault("extra_logs", []).append(
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
        proc = self.images.process(crt["image_id"], env_sources.run_spec(spec, crt), pod)
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

    def _resolve_env(self, node: str, pod: Obj, prt: Obj, spec: Obj) -> dict[str, str]:
        node_obj = self.ctx.store.get("Node", "", node) or {}
        allocatable = (node_obj.get("status") or {}).get("allocatable") or {}
        return env_sources.container_env(
            pod, spec, self.ctx.store, prt.get("ip") or "", prt["host_ip"], allocatable
        )

    def _config_error(
        self, node: str, pod: Obj, prt: Obj, crt: Obj, field: str, message: str
    ) -> None:
        """CreateContainerConfigError: report it and look again on the next sync (10 s)."""
        self._event(pod, "Warning", "Failed", f"Error: {message}", node, field)
        self._set_stage(crt, ks.PENDING, "CreateContainerConfigError", message)
        self._write_status(pod, prt)
        meta = pod["metadata"]
        self.ctx.queue.push_once(
            self.ctx.after(CONFIG_RETRY_SECONDS),
            "kubelet.sync",
            f"config-retry/{meta['uid']}",
            {"node": node, "ns": prt["ns"], "name": prt["name"], "uid": meta["uid"]},
        )

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
        ended = self.timed_logs(pod, name) or []
        crt["prev_logs"], crt["prev_log_ms"] = [t for _, t in ended], [ms for ms, _ in ended]
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
        crt["finished_ms"] = now  # finishedAt has whole seconds; logs need the exact end
        crt["ready"] = False
        crt["ports"] = []
        policy = pod["spec"].get("restartPolicy", "Always")
        if policy == "Never" or (policy == "OnFailure" and code == 0):
            self._set_stage(crt, ks.EXITED, "", "")
            self._write_status(pod, prt)
            return
        crt["last"] = term
        # Kubelet back-off (§2.5, doBackOff): the wait is measured from this exit (FinishedAt);
        # only the first exit, or one long after the previous (2 x max), restarts at once.
        entry = crt.get("bo")
        if entry is not None and now - entry["t"] > self.ctx.timings.backoff_reset * 1000:
            entry = crt["bo"] = None
        if entry is not None:
            due = now + int(entry["d"] * 1000)
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
        # backOff.Next(key, FinishedAt): the entry is stamped with the exit it follows.
        self._next_backoff(crt, "bo", int(crt.get("finished_ms", self.ctx.now)))
        crt["restarts"] = int(crt.get("restarts", 0)) + 1
        self._set_stage(crt, ks.PENDING, "", "")
        self._start_next(node, pod, prt)

    def _on_restart(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        self._restart(p["node"], pod, prt, p["c"])

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
        if any(
            c.get("ignores_sigterm") and c["stage"] == ks.RUNNING
            for c in prt["containers"].values()
        ):
            stop = float(grace)  # TERM changed nothing: the kubelet KILLs at the deadline
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
        prt["volumes"] = {  # a node's disks (hostPath, local, claims) survive the reboot
            name: vol if "disk" in vol else {"files": {}, "writers": {}}
            for name, vol in prt["volumes"].items()
        }
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


def _may_change(probe: Obj, proc: ProcessSpec) -> bool:
    """Whether a passing probe can start failing later (so it must keep being run)."""
    if "exec" in probe:
        return True
    return proc.http is not None and proc.http.failing_after_requests is not None
