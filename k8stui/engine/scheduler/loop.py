"""The scheduler component: watches unbound pods, runs the algorithm, binds or reports.

The algorithm itself (filters, scores, messages) lives in ``k8stui.engine.scheduler``; this
module is the loop around it: the scheduling queue, binding, events, and retrying pods that
did not fit when the cluster changes (node added or freed, pods removed, labels changed) or
after ``UNSCHEDULABLE_FLUSH_S`` as upstream's unschedulable-pod flush does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.apimachinery.selectors import Selector
from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.scheduler import Scheduler, volume_binding

Obj = dict[str, Any]
UNSCHEDULABLE_FLUSH_S = 300


def is_terminal(pod: Obj) -> bool:
    """Succeeded or Failed pods hold no resources."""
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _bound_node(pod: Obj | None) -> str | None:
    if pod is None or is_terminal(pod):
        return None
    node = (pod.get("spec") or {}).get("nodeName")
    return str(node) if node else None


class SchedulerComponent:
    """kube-scheduler: one pod at a time, in queue order."""

    def __init__(
        self, ctx: EngineContext, spread_selectors: Callable[[Obj], list[Selector]]
    ) -> None:
        self.ctx = ctx
        self.algo = Scheduler()
        self._spread_selectors = spread_selectors
        self.unschedulable: dict[str, tuple[str, str]] = {}
        ctx.queue.register("scheduler.schedule", self._on_schedule)
        ctx.queue.register("scheduler.flush", self._on_flush)
        ctx.store.watch(
            self._on_change, ("Node", "Pod", "PersistentVolumeClaim", "PersistentVolume")
        )

    def rebuild(self) -> None:
        """Refill the algorithm's caches from the store (after a restore)."""
        self.algo = Scheduler()
        for node in self.ctx.store.iter_kind("Node"):
            self.algo.upsert_node(node)
        for pod in self.ctx.store.iter_kind("Pod"):
            if _bound_node(pod):
                self.algo.add_pod(pod)

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Node":
            if new is None:
                assert old is not None
                self.algo.remove_node(old["metadata"]["name"])
            else:
                self.algo.upsert_node(new)
                if (
                    old is None
                    or new.get("spec") != old.get("spec")
                    or _labels(new) != _labels(old)
                ):
                    self._request_flush()
            return
        if kind in ("PersistentVolumeClaim", "PersistentVolume"):
            # VolumeBinding's events: a claim or volume that appears or changes may make a
            # pod waiting for it schedulable (upstream moves such pods back at once).
            if new is not None and (old is None or new.get("status") != old.get("status")):
                self._request_flush()
            return
        if kind != "Pod":
            return
        was, now = _bound_node(old), _bound_node(new)
        if was and (now is None or now != was):
            assert old is not None
            self.algo.remove_pod(old)
            self._request_flush()
        if now and was != now:
            assert new is not None
            self.algo.add_pod(new)
        elif (
            now
            and was == now
            and new is not None
            and old is not None
            and new["metadata"].get("labels") is not old["metadata"].get("labels")
            and _labels(new) != _labels(old)
        ):
            self.algo.update_pod(old, new)
            self._request_flush()
        if new is not None and not (new.get("spec") or {}).get("nodeName"):
            meta = new["metadata"]
            if meta.get("deletionTimestamp"):
                return
            if (new.get("spec") or {}).get(
                "schedulerName", "default-scheduler"
            ) != "default-scheduler":
                return
            if old is None or old["metadata"].get("uid") != meta.get("uid"):
                self._enqueue(new)

    def _enqueue(self, pod: Obj, delay_ms: int = 0) -> None:
        meta = pod["metadata"]
        self.ctx.queue.push_once(
            self.ctx.now + delay_ms,
            "scheduler.schedule",
            f"sched/{meta['uid']}",
            {"ns": meta.get("namespace", "default"), "name": meta["name"], "uid": meta["uid"]},
        )

    def _request_flush(self) -> None:
        if self.unschedulable:
            self.ctx.queue.push_once(self.ctx.now + 1000, "scheduler.flush", "sched/flush", {})

    def _on_flush(self, _p: Obj) -> None:
        pending = list(self.unschedulable.items())
        self.unschedulable.clear()
        for uid, (ns, name) in pending:
            pod = self.ctx.store.get("Pod", ns, name)
            if pod is not None and pod["metadata"]["uid"] == uid:
                self._enqueue(pod)

    def _on_schedule(self, p: Obj) -> None:
        pod = self.ctx.store.get("Pod", p["ns"], p["name"])
        if pod is None or pod["metadata"]["uid"] != p["uid"]:
            return
        if pod["spec"].get("nodeName") or pod["metadata"].get("deletionTimestamp"):
            return
        ns, name = p["ns"], p["name"]
        message = volume_binding.schedule_volumes(self.ctx, self.algo, pod)
        if message is None:
            result = self.algo.schedule(
                volume_binding.narrow_for_volumes(self.ctx, self.algo, pod),
                self._spread_selectors(pod),
            )
            if result.node:
                self.unschedulable.pop(p["uid"], None)
                volume_binding.prebind(self.ctx, pod, result.node)
                self._bind(pod, result.node)
                return
            message = volume_binding.merged_message(self.ctx, self.algo, pod, result.message)
        self.ctx.recorder.emit(pod, "Warning", "FailedScheduling", message, "default-scheduler")
        self.ctx.activity.add(self.ctx.now, "scheduler", f"{name}: {message}")
        status = dict(pod.get("status") or {})
        status["phase"] = "Pending"
        status["conditions"] = [
            {
                "type": "PodScheduled",
                "status": "False",
                "lastProbeTime": None,
                "lastTransitionTime": _since(pod, self.ctx.now),
                "reason": "Unschedulable",
                "message": message,
            }
        ]
        self.ctx.store.update({**pod, "status": status})
        self.unschedulable[p["uid"]] = (ns, name)
        # Upstream flushes long-unschedulable pods back into the queue every 5 minutes.
        self.ctx.queue.push(self.ctx.now + UNSCHEDULABLE_FLUSH_S * 1000, "scheduler.flush", {})

    def _bind(self, pod: Obj, node: str) -> None:
        meta = pod["metadata"]
        stamp = to_timestamp(self.ctx.now)
        status = dict(pod.get("status") or {})
        status["phase"] = "Pending"
        status["conditions"] = [
            {
                "type": "PodScheduled",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": stamp,
            }
        ]
        bound = {**pod, "spec": {**pod["spec"], "nodeName": node}, "status": status}
        self.ctx.store.update(bound)
        message = (
            f"Successfully assigned {meta.get('namespace', 'default')}/{meta['name']} to {node}"
        )
        self.ctx.recorder.emit(bound, "Normal", "Scheduled", message, "default-scheduler")
        self.ctx.activity.add(self.ctx.now, "scheduler", f"{meta['name']} → {node}")

    def explain(self, pod: Obj) -> dict[str, list[str]]:
        """Per-node reasons why ``pod`` does not fit (for the game's explanations)."""
        return self.algo.explain(pod)

    def to_json(self) -> dict[str, Any]:
        """Plain-data state (caches are rebuilt from the store)."""
        return {"unschedulable": {k: list(v) for k, v in self.unschedulable.items()}}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.unschedulable = {k: (v[0], v[1]) for k, v in data["unschedulable"].items()}
        self.rebuild()


def _labels(obj: Obj | None) -> dict[str, str]:
    return dict(((obj or {}).get("metadata") or {}).get("labels") or {})


def _since(pod: Obj, now_ms: int) -> str:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            return str(cond.get("lastTransitionTime"))
    return to_timestamp(now_ms)
