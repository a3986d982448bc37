"""The TTL-after-finished controller: deletes finished Jobs ``ttlSecondsAfterFinished`` later.

Upstream ``pkg/controller/ttlafterfinished``: the clock starts at the Job's Complete or Failed
condition; the Job is deleted with its pods (foreground propagation upstream, which for the
simulator's immediate garbage collector is the same as background).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.job_pods import finished_at
from k8stui.engine.controllers.podutil import key

Obj = dict[str, Any]


class TTLAfterFinishedController:
    """Schedules and performs the deletion of finished Jobs that ask for it."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        ctx.queue.register("ttl.expire", self._on_expire)
        ctx.store.watch(self._on_change, ("Job",))

    def _due(self, job: Obj) -> int | None:
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        done = finished_at(job)
        if ttl is None or done is None or job["metadata"].get("deletionTimestamp"):
            return None
        return done + int(ttl) * 1000

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if new is None:
            return
        due = self._due(new)
        if due is None or (old is not None and self._due(old) == due):
            return
        ns, name = key(new)
        self.ctx.queue.push_once(
            max(due, self.ctx.now), "ttl.expire", f"ttl/{ns}/{name}/{due}", {"ns": ns, "name": name}
        )

    def _on_expire(self, p: Obj) -> None:
        job = self.ctx.store.get("Job", p["ns"], p["name"])
        if job is None:
            return
        due = self._due(job)
        if due is None or due > self.ctx.now:
            return
        try:
            self.api.delete("Job", p["ns"], p["name"], propagation="Foreground")
        except errors.ApiError:
            return
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"ttl-after-finished: deleted job {p['name']}"
        )

    def to_json(self) -> dict[str, Any]:
        """Nothing beyond the queue entries."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
