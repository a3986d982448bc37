"""The taint-eviction controller: evicts pods from nodes with NoExecute taints (§1.3)."""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.podutil import key

Obj = dict[str, Any]
SOURCE = "taint-eviction-controller"


def tolerates(toleration: Obj, taint: Obj) -> bool:
    """Whether one toleration matches one taint."""
    if toleration.get("effect") and toleration.get("effect") != taint.get("effect"):
        return False
    op = toleration.get("operator", "Equal")
    if not toleration.get("key"):
        return op == "Exists"
    if toleration.get("key") != taint.get("key"):
        return False
    return op == "Exists" or (toleration.get("value") or "") == (taint.get("value") or "")


def eviction_delay_ms(pod: Obj, taints: list[Obj]) -> int | None:
    """ms after the taint until eviction; 0 = now; None = tolerated forever (§1.3 rules)."""
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    delays: list[int] = []
    for taint in taints:
        matching = [t for t in tolerations if tolerates(t, taint)]
        if not matching:
            return 0
        seconds = [t.get("tolerationSeconds") for t in matching]
        if any(s is not None and int(s) <= 0 for s in seconds):
            return 0
        bounded = [int(s) for s in seconds if s is not None]
        if len(bounded) == len(seconds):
            delays.append(min(bounded) * 1000)
    return min(delays) if delays else None


class TaintEvictionController:
    """Schedules and cancels evictions as NoExecute taints come and go."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        self.pending: dict[str, int] = {}  # pod uid -> token of its eviction timer
        self._token = 0
        ctx.queue.register("taint.evict", self._on_evict)
        ctx.store.watch(self._on_change, ("Node", "Pod"))

    def _noexecute(self, node: Obj | None) -> list[Obj]:
        if node is None:
            return []
        return [
            t
            for t in (node.get("spec") or {}).get("taints") or []
            if t.get("effect") == "NoExecute"
        ]

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Node" and new is not None:
            if self._noexecute(new) != self._noexecute(old):
                for pod in self.ctx.store.pods_on_node(new["metadata"]["name"]):
                    self._plan(pod, new)
        elif kind == "Pod" and new is not None:
            node_name = new["spec"].get("nodeName")
            if node_name and (old is None or not old["spec"].get("nodeName")):
                node = self.ctx.store.get("Node", "", node_name)
                if self._noexecute(node):
                    self._plan(new, node)
        elif kind == "Pod" and new is None and old is not None:
            self.pending.pop(old["metadata"].get("uid", ""), None)

    def _plan(self, pod: Obj, node: Obj | None) -> None:
        uid = pod["metadata"]["uid"]
        if pod["metadata"].get("deletionTimestamp"):
            return
        taints = self._noexecute(node)
        if not taints:
            if self.pending.pop(uid, None) is not None:
                ns, name = key(pod)
                self.ctx.recorder.emit(
                    pod,
                    "Normal",
                    "TaintManagerEviction",
                    f"Cancelling deletion of Pod {ns}/{name}",
                    SOURCE,
                )
            return
        delay = eviction_delay_ms(pod, taints)
        if delay is None:
            self.pending.pop(uid, None)
            return
        added = min(
            from_timestamp(t["timeAdded"]) if t.get("timeAdded") else self.ctx.now for t in taints
        )
        self._token += 1
        self.pending[uid] = self._token
        ns, name = key(pod)
        self.ctx.queue.push(
            max(added + delay, self.ctx.now),
            "taint.evict",
            {"ns": ns, "name": name, "uid": uid, "tok": self._token},
        )

    def _on_evict(self, p: Obj) -> None:
        if self.pending.get(p["uid"]) != p["tok"]:
            return
        del self.pending[p["uid"]]
        pod = self.ctx.store.get("Pod", p["ns"], p["name"])
        if (
            pod is None
            or pod["metadata"]["uid"] != p["uid"]
            or pod["metadata"].get("deletionTimestamp")
        ):
            return
        status = dict(pod.get("status") or {})
        conds = [c for c in status.get("conditions") or [] if c.get("type") != "DisruptionTarget"]
        conds.append(
            {
                "type": "DisruptionTarget",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": to_timestamp(self.ctx.now),
                "reason": "DeletionByTaintManager",
                "message": "Taint manager: deleting due to NoExecute taint",
            }
        )
        pod = self.ctx.store.update({**pod, "status": {**status, "conditions": conds}})
        self.ctx.recorder.emit(
            pod,
            "Normal",
            "TaintManagerEviction",
            f"Marking for deletion Pod {p['ns']}/{p['name']}",
            SOURCE,
        )
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"evicting pod {p['name']} (NoExecute taint)"
        )
        try:
            self.api.delete("Pod", p["ns"], p["name"])
        except errors.ApiError:
            return

    def to_json(self) -> dict[str, Any]:
        """Plain-data state."""
        return {"pending": dict(self.pending), "token": self._token}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.pending = {str(k): int(v) for k, v in data["pending"].items()}
        self._token = int(data["token"])
