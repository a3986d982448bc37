"""The deployment controller: ReplicaSets per template, rolling updates, Recreate (§4.4, §4.5).

The new ReplicaSet is the one whose template (without the ``pod-template-hash`` label) equals
the Deployment's; its name and that label come from a hash of the template. Rolling updates
follow upstream's two steps each sync: scale the new RS up within ``maxSurge``, then scale old
ones down within ``maxUnavailable``, so availability never drops below the floor.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.podutil import controller_ref, key, owner_ref
from k8stui.engine.names import SUFFIX_ALPHABET

Obj = dict[str, Any]
HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
SOURCE = "deployment-controller"


def template_hash(template: Obj, collisions: int = 0) -> str:
    """The pod-template-hash: FNV-1a (32-bit) of the template, encoded in the safe alphabet."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collisions:
        data += str(collisions).encode()
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    # Upstream renders the decimal digits through the same alphabet as generated names.
    return "".join(SUFFIX_ALPHABET[ord(ch) % len(SUFFIX_ALPHABET)] for ch in str(h))


def _without_hash(template: Obj) -> Obj:
    """``template`` without the pod-template-hash label, for reading only: it shares every
    part but the labels with ``template`` (a deep copy per ReplicaSet per sync was 3% of
    creating 30,000 pods)."""
    labels = (template.get("metadata") or {}).get("labels")
    if not labels or HASH_LABEL not in labels:
        return template
    rest = {k: v for k, v in labels.items() if k != HASH_LABEL}
    return {**template, "metadata": {**template["metadata"], "labels": rest}}


def resolve_fraction(value: Any, total: int, round_up: bool) -> int:
    """maxSurge / maxUnavailable: an int, or a percentage of ``total`` (surge rounds up)."""
    if isinstance(value, str) and value.endswith("%"):
        pct = float(value[:-1]) / 100 * total
        return math.ceil(pct) if round_up else math.floor(pct)
    return int(value)


class DeploymentController:
    """Reconciles Deployments into ReplicaSets."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        ctx.queue.register("deployment.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Deployment", "ReplicaSet", "Pod"))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        if kind == "Deployment" and new is not None:
            if (
                old is None
                or new.get("spec") != old.get("spec")
                or new["metadata"].get("annotations") != old["metadata"].get("annotations")
            ):
                self._enqueue(*key(new))
        elif kind == "ReplicaSet":
            ref = controller_ref(obj)
            if ref is not None and ref.get("kind") == "Deployment":
                self._enqueue(obj["metadata"].get("namespace", "default"), ref["name"])
        elif kind == "Pod" and new is None:
            # Recreate waits for the last old pod to be gone, which changes no ReplicaSet.
            ref = controller_ref(obj)
            if ref is not None and ref.get("kind") == "ReplicaSet":
                ns = obj["metadata"].get("namespace", "default")
                rs = self.ctx.store.get("ReplicaSet", ns, ref["name"])
                owner = controller_ref(rs) if rs is not None else None
                if owner is not None and owner.get("kind") == "Deployment":
                    self._enqueue(ns, owner["name"])

    def _enqueue(self, ns: str, name: str) -> None:
        self.ctx.queue.push_once(
            self.ctx.now, "deployment.sync", f"dep/{ns}/{name}", {"ns": ns, "name": name}
        )

    # -- reconcile -----------------------------------------------------------------------
    def _on_sync(self, p: Obj) -> None:
        dep = self.ctx.store.get("Deployment", p["ns"], p["name"])
        if dep is None or dep["metadata"].get("deletionTimestamp"):
            return
        rss = self._owned_replicasets(dep)
        new_rs = self._find_new(dep, rss)
        olds = [rs for rs in rss if new_rs is None or rs is not new_rs]
        if (dep.get("spec") or {}).get("paused"):
            self._sync_status(dep, new_rs, olds)
            return
        if new_rs is None:
            new_rs = self._create_new_rs(dep, olds)
            if new_rs is None:
                return
        else:
            new_rs = self._ensure_revision(dep, new_rs, olds)
        strategy = ((dep.get("spec") or {}).get("strategy") or {}).get("type", "RollingUpdate")
        if strategy == "Recreate":
            self._recreate(dep, new_rs, olds)
        else:
            self._rolling(dep, new_rs, olds)
        self._cleanup(dep, olds)
        self._sync_status(dep, self._refresh(new_rs), [self._refresh(rs) for rs in olds])

    def _refresh(self, rs: Obj) -> Obj:
        return self.ctx.store.get("ReplicaSet", *key(rs)) or rs

    def _owned_replicasets(self, dep: Obj) -> list[Obj]:
        uid = dep["metadata"]["uid"]
        owned = self.ctx.store.owned(uid, "ReplicaSet")
        return [rs for rs in owned if (controller_ref(rs) or {}).get("uid") == uid]

    def _find_new(self, dep: Obj, rss: list[Obj]) -> Obj | None:
        template = _without_hash(dep["spec"]["template"])
        matches = [rs for rs in rss if _without_hash(rs["spec"]["template"]) == template]
        matches.sort(key=lambda rs: rs["metadata"].get("creationTimestamp", ""))
        return matches[0] if matches else None

    @staticmethod
    def _revision(rs: Obj) -> int:
        try:
            return int((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
        except ValueError:
            return 0

    def _create_new_rs(self, dep: Obj, olds: list[Obj]) -> Obj | None:
        spec = dep["spec"]
        template = copy.deepcopy(spec["template"])
        phash = template_hash(
            _without_hash(template), int((dep.get("status") or {}).get("collisionCount", 0))
        )
        template.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = phash
        selector = copy.deepcopy(spec.get("selector") or {})
        selector.setdefault("matchLabels", {})[HASH_LABEL] = phash
        revision = max((self._revision(rs) for rs in olds), default=0) + 1
        annotations = {
            k: v
            for k, v in (dep["metadata"].get("annotations") or {}).items()
            if not k.startswith("kubectl.kubernetes.io/")
        }
        annotations[REVISION] = str(revision)
        annotations["deployment.kubernetes.io/desired-replicas"] = str(spec.get("replicas", 1))
        annotations["deployment.kubernetes.io/max-replicas"] = str(self._max_total(dep))
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{dep['metadata']['name']}-{phash}",
                "namespace": dep["metadata"].get("namespace", "default"),
                "labels": dict(template["metadata"]["labels"]),
                "annotations": annotations,
                "ownerReferences": [owner_ref(dep)],
            },
            "spec": {
                "replicas": 0,
                "minReadySeconds": int(spec.get("minReadySeconds", 0)),
                "selector": selector,
                "template": template,
            },
        }
        try:
            created = self.api.create(rs).obj
        except errors.ApiError as exc:
            self.ctx.recorder.emit(
                dep,
                "Warning",
                "FailedCreate",
                f"Failed to create new replica set: {exc.message}",
                SOURCE,
            )
            return None
        self._set_revision(dep, revision)
        return created

    def _ensure_revision(self, dep: Obj, rs: Obj, olds: list[Obj]) -> Obj:
        """A rollback reuses an old RS: it becomes the newest revision again."""
        top = max((self._revision(o) for o in olds), default=0)
        if self._revision(rs) > top:
            self._set_revision(dep, self._revision(rs))
            return rs
        annotations = {**(rs["metadata"].get("annotations") or {}), REVISION: str(top + 1)}
        updated = self.ctx.store.update(
            {**rs, "metadata": {**rs["metadata"], "annotations": annotations}}
        )
        self._set_revision(dep, top + 1)
        return updated

    def _set_revision(self, dep: Obj, revision: int) -> None:
        dep = self.ctx.store.get("Deployment", *key(dep)) or dep
        annotations = dict(dep["metadata"].get("annotations") or {})
        if annotations.get(REVISION) != str(revision):
            annotations[REVISION] = str(revision)
            self.ctx.store.update(
                {**dep, "metadata": {**dep["metadata"], "annotations": annotations}},
                spec_changed=False,
            )

    def _max_total(self, dep: Obj) -> int:
        replicas = int(dep["spec"].get("replicas", 1))
        return replicas + self._surge_unavailable(dep)[0]

    @staticmethod
    def _surge_unavailable(dep: Obj) -> tuple[int, int]:
        spec = dep["spec"]
        replicas = int(spec.get("replicas", 1))
        ru = (spec.get("strategy") or {}).get("rollingUpdate") or {}
        surge = resolve_fraction(ru.get("maxSurge", "25%"), replicas, True)
        unavailable = resolve_fraction(ru.get("maxUnavailable", "25%"), replicas, False)
        if surge == 0 and unavailable == 0:
            unavailable = 1  # upstream never lets a rollout stall on 0/0
        return surge, unavailable

    def _scale(self, dep: Obj, rs: Obj, replicas: int) -> Obj:
        current = int(rs["spec"].get("replicas", 0))
        if current == replicas:
            return rs
        annotations = dict(rs["metadata"].get("annotations") or {})
        annotations["deployment.kubernetes.io/desired-replicas"] = str(
            dep["spec"].get("replicas", 1)
        )
        annotations["deployment.kubernetes.io/max-replicas"] = str(self._max_total(dep))
        new = {
            **rs,
            "metadata": {**rs["metadata"], "annotations": annotations},
            "spec": {**rs["spec"], "replicas": replicas},
        }
        stored = self.ctx.store.update(new)
        direction = "up" if replicas > current else "down"
        message = (
            f"Scaled {direction} replica set {rs['metadata']['name']} from {current} to {replicas}"
        )
        self.ctx.recorder.emit(dep, "Normal", "ScalingReplicaSet", message, SOURCE)
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"deploy {dep['metadata']['name']}: {message}"
        )
        return stored

    def _rolling(self, dep: Obj, new_rs: Obj, olds: list[Obj]) -> None:
        desired = int(dep["spec"].get("replicas", 1))
        surge, max_unavailable = self._surge_unavailable(dep)
        all_rs = [new_rs, *olds]
        new_count = int(new_rs["spec"].get("replicas", 0))
        if not olds or all(int(o["spec"].get("replicas", 0)) == 0 for o in olds):
            new_rs = self._scale(dep, new_rs, desired)
        elif new_count < desired:
            total = sum(int(rs["spec"].get("replicas", 0)) for rs in all_rs)
            room = desired + surge - total
            if room > 0:
                new_rs = self._scale(dep, new_rs, new_count + min(room, desired - new_count))
        elif new_count > desired:
            new_rs = self._scale(dep, new_rs, desired)
        self._scale_down_old(
            dep, self._refresh(new_rs), [self._refresh(o) for o in olds], desired, max_unavailable
        )

    def _scale_down_old(
        self, dep: Obj, new_rs: Obj, olds: list[Obj], desired: int, max_unavailable: int
    ) -> None:
        old_total = sum(int(o["spec"].get("replicas", 0)) for o in olds)
        if old_total == 0:
            return
        all_total = old_total + int(new_rs["spec"].get("replicas", 0))
        min_available = desired - max_unavailable
        new_unavailable = int(new_rs["spec"].get("replicas", 0)) - int(
            (new_rs.get("status") or {}).get("availableReplicas", 0)
        )
        budget = all_total - min_available - new_unavailable
        if budget <= 0:
            return
        olds = sorted(olds, key=lambda rs: rs["metadata"].get("creationTimestamp", ""))
        # First drop old pods that are not available anyway: they cost no availability.
        for rs in olds:
            if budget <= 0:
                break
            replicas = int(rs["spec"].get("replicas", 0))
            unhealthy = replicas - int((rs.get("status") or {}).get("availableReplicas", 0))
            cut = min(budget, max(unhealthy, 0))
            if cut > 0:
                self._scale(dep, rs, replicas - cut)
                budget -= cut
        olds = [self._refresh(rs) for rs in olds]
        available = sum(
            int((rs.get("status") or {}).get("availableReplicas", 0)) for rs in [new_rs, *olds]
        )
        allowed = min(available - min_available, budget)
        for rs in olds:
            if allowed <= 0:
                break
            replicas = int(rs["spec"].get("replicas", 0))
            cut = min(replicas, allowed)
            if cut > 0:
                self._scale(dep, rs, replicas - cut)
                allowed -= cut

    def _recreate(self, dep: Obj, new_rs: Obj, olds: list[Obj]) -> None:
        for rs in olds:
            if int(rs["spec"].get("replicas", 0)) > 0:
                self._scale(dep, rs, 0)
        # Only start the new pods once every old pod is gone.
        for rs in olds:
            if self.ctx.store.owned(rs["metadata"]["uid"], "Pod"):
                return
        self._scale(dep, new_rs, int(dep["spec"].get("replicas", 1)))

    def _cleanup(self, dep: Obj, olds: list[Obj]) -> None:
        limit = int(dep["spec"].get("revisionHistoryLimit", 10))
        idle = [
            rs
            for rs in olds
            if int(rs["spec"].get("replicas", 0)) == 0
            and int((rs.get("status") or {}).get("replicas", 0)) == 0
        ]
        idle.sort(key=self._revision)
        for rs in idle[: max(0, len(idle) - limit)]:
            if self.ctx.store.get("ReplicaSet", *key(rs)) is not None:
                self.api.delete("ReplicaSet", *key(rs))

    def _sync_status(self, dep: Obj, new_rs: Obj | None, olds: list[Obj]) -> None:
        dep = self.ctx.store.get("Deployment", *key(dep)) or dep
        every = ([new_rs] if new_rs else []) + olds

        def total(field: str, rss: list[Obj]) -> int:
            return sum(int((rs.get("status") or {}).get(field, 0)) for rs in rss)

        desired = int(dep["spec"].get("replicas", 1))
        replicas = total("replicas", every)
        available = total("availableReplicas", every)
        updated = total("replicas", [new_rs]) if new_rs else 0
        old_status = dep.get("status") or {}
        status: Obj = {"observedGeneration": dep["metadata"].get("generation", 1)}
        if replicas:
            status["replicas"] = replicas
        if updated:
            status["updatedReplicas"] = updated
        if total("readyReplicas", every):
            status["readyReplicas"] = total("readyReplicas", every)
        if available:
            status["availableReplicas"] = available
        unavailable = max(desired - available, 0)
        if unavailable:
            status["unavailableReplicas"] = unavailable
        _surge, max_unavailable = self._surge_unavailable(dep)
        is_available = available >= desired - max_unavailable
        complete = (
            new_rs is not None
            and updated == desired
            and replicas == desired
            and available >= desired
        )
        counts = ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")
        progressed = any(status.get(k) != old_status.get(k) for k in counts)
        deadline = int(dep["spec"].get("progressDeadlineSeconds", 600))
        status["conditions"] = self._conditions(
            old_status, is_available, complete, new_rs, progressed, deadline
        )
        prog = status["conditions"][1]
        if not complete and prog["reason"] == "ReplicaSetUpdated":
            # Come back when the rollout would run out of time, to mark it stuck.
            due = from_timestamp(prog["lastUpdateTime"]) + deadline * 1000 + 1000
            self.ctx.queue.push_once(
                due,
                "deployment.sync",
                f"dep-deadline/{key(dep)[0]}/{key(dep)[1]}/{due}",
                {"ns": key(dep)[0], "name": key(dep)[1]},
            )
        if status != old_status:
            self.api.update_status({**dep, "status": status})

    def _conditions(
        self,
        old: Obj,
        available: bool,
        complete: bool,
        new_rs: Obj | None,
        progressed: bool,
        deadline_s: int,
    ) -> list[Obj]:
        now = to_timestamp(self.ctx.now)
        previous = {c["type"]: c for c in old.get("conditions") or []}

        def cond(type_: str, ok: bool, reason: str, message: str) -> Obj:
            prev = previous.get(type_)
            status = "True" if ok else "False"
            changed = prev is None or prev.get("status") != status
            same_reason = prev is not None and prev.get("reason") == reason
            return {
                "type": type_,
                "status": status,
                "lastUpdateTime": prev["lastUpdateTime"]
                if prev and same_reason and not changed
                else now,
                "lastTransitionTime": now
                if changed
                else prev["lastTransitionTime"]
                if prev
                else now,
                "reason": reason,
                "message": message,
            }

        rs_name = new_rs["metadata"]["name"] if new_rs else ""
        avail = cond(
            "Available",
            available,
            "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
            "Deployment has minimum availability."
            if available
            else "Deployment does not have minimum availability.",
        )
        if complete:
            prog = cond(
                "Progressing",
                True,
                "NewReplicaSetAvailable",
                f'ReplicaSet "{rs_name}" has successfully progressed.',
            )
        else:
            prog = cond(
                "Progressing", True, "ReplicaSetUpdated", f'ReplicaSet "{rs_name}" is progressing.'
            )
            before = previous.get("Progressing")
            if progressed:
                prog["lastUpdateTime"] = now
            elif before is not None and before.get("reason") == "ProgressDeadlineExceeded":
                prog = dict(before)
            elif self.ctx.now - from_timestamp(prog["lastUpdateTime"]) > deadline_s * 1000:
                prog = cond(
                    "Progressing",
                    False,
                    "ProgressDeadlineExceeded",
                    f'ReplicaSet "{rs_name}" has timed out progressing.',
                )
        return [avail, prog]

    def to_json(self) -> dict[str, Any]:
        """Stateless: everything is derived from the store."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""


def rollback_template(rs: Obj) -> Obj:
    """The template to put back into a Deployment to roll back to ``rs`` (no hash label)."""
    return copy.deepcopy(_without_hash(rs["spec"]["template"]))
