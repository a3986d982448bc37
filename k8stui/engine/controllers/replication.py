"""The replication controller for ReplicationControllers and ReplicaSets (reference §4).

One reconciler serves both kinds, as upstream's ReplicationManager wraps the ReplicaSet
controller: RCs select with an equality map, RSs with a LabelSelector. It adopts matching
orphans, releases pods whose labels stop matching, replaces pods as soon as they stop being
active (terminal or carrying a deletionTimestamp), and deletes surplus pods in the §4.3 order.
"""

from __future__ import annotations

import math
from typing import Any

from k8stui.engine import errors
from k8stui.engine.apimachinery.selectors import Selector, from_equality, from_label_selector
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.clock import from_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.podutil import (
    controller_ref,
    is_active,
    is_ready,
    key,
    owner_ref,
    ready_since,
)
from k8stui.engine.controllers.rate_limit import TokenBucket, run_slow_start
from k8stui.engine.controllers.rate_limit_waits import Waiting, sync_key

Obj = dict[str, Any]
KINDS = ("ReplicationController", "ReplicaSet")
SOURCE = {"ReplicationController": "replication-controller", "ReplicaSet": "replicaset-controller"}
BURST_REPLICAS = 500
SYNC_MS_PER_1000_PODS = 1000
"""How long (sim ms) syncing a controller of more than BURST_REPLICAS pods takes per 1,000."""
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


def selector_of(obj: Obj) -> Selector:
    """The pod selector of an RC (equality map) or RS (LabelSelector)."""
    spec = obj.get("spec") or {}
    if obj["kind"] == "ReplicationController":
        return from_equality(spec.get("selector"))
    return from_label_selector(spec.get("selector"))


class ReplicationManager:
    """Keeps the number of active pods of every RC and RS at ``spec.replicas``."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        # owner uid -> pod keys it controls; namespace -> orphan pod keys (adoption candidates)
        self.owned: dict[str, dict[tuple[str, str], None]] = {}
        self.orphans: dict[str, dict[tuple[str, str], None]] = {}
        self.buckets: dict[str, TokenBucket] = {}  # one rate-limited client per controller
        self.last_sync: dict[tuple[str, str, str], int] = {}  # big controllers only
        self.pending: dict[tuple[str, str, str], int] = {}  # their next queued sync
        # pod key -> (active, ready since, labels): what syncs read, kept current by the
        # watch so a sync does not re-read and re-parse every pod it owns.
        self.facts: dict[tuple[str, str], tuple[bool, int | None, dict[str, str]]] = {}
        # Controllers whose last sync left them waiting on the client's rate limit with
        # nothing else to do. Any write to the controller or its pods forgets the entry;
        # while it holds, a sync that finds no token can only wait again, so it skips
        # re-reading the controller's pods.
        self.waiting = Waiting(ctx)
        ctx.queue.register("replication.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Pod", "ReplicationController", "ReplicaSet"))

    # -- indexes --------------------------------------------------------------------------
    def _index(self, old: Obj | None, new: Obj | None) -> None:
        if old is not None and new is not None and controller_ref(old) == controller_ref(new):
            return  # same bucket: keep its position (iteration order must not depend on writes)
        for pod, add in ((old, False), (new, True)):
            if pod is None:
                continue
            k = key(pod)
            ref = controller_ref(pod)
            index, slot = (self.owned, ref["uid"]) if ref is not None else (self.orphans, k[0])
            bucket = index.setdefault(slot, {})
            if add:
                bucket[k] = None
            else:
                bucket.pop(k, None)
                if not bucket:  # pods of Jobs and other owners come and go: no empty buckets
                    del index[slot]

    def _note(self, old: Obj | None, new: Obj | None) -> None:
        if new is None:
            if old is not None:
                self.facts.pop(key(old), None)
            return
        labels = new["metadata"].get("labels") or {}
        self.facts[key(new)] = (is_active(new), ready_since(new), labels)

    def rebuild(self) -> None:
        """Recompute the indexes from the store (after a restore)."""
        self.owned, self.orphans, self.facts = {}, {}, {}
        self.waiting.clear()
        for pod in self.ctx.store.iter_kind("Pod"):
            self._index(None, pod)
            self._note(None, pod)

    # -- watching -------------------------------------------------------------------------
    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind in KINDS:
            obj = new or old
            assert obj is not None
            self.waiting.forget((kind, *key(obj)))
            if new is not None and old is not None and new.get("spec") == old.get("spec"):
                return  # our own status write
            if new is None:
                self.owned.pop(obj["metadata"].get("uid", ""), None)
                return
            self._enqueue(kind, *key(obj))
            return
        if kind != "Pod":
            return
        self._index(old, new)
        self._note(old, new)
        pod = new or old
        assert pod is not None
        ref = controller_ref(pod)
        old_ref = controller_ref(old) if old is not None else None
        if old_ref is ref:  # (a write that keeps the owner: enqueueing it twice is a no-op)
            old_ref = None
        for r in (ref, old_ref):
            if r is not None and r.get("kind") in KINDS:
                self._enqueue(r["kind"], pod["metadata"].get("namespace", "default"), r["name"])
        if ref is None and new is not None and is_active(new):
            labels = new["metadata"].get("labels") or {}
            ns = new["metadata"].get("namespace", "default")
            for ctl_kind in KINDS:
                for ctl in self.ctx.store.list(ctl_kind, ns):
                    sel = selector_of(ctl)
                    if not sel.empty and sel.matches(labels):
                        self._enqueue(ctl_kind, ns, ctl["metadata"]["name"])

    def _enqueue(self, kind: str, ns: str, name: str, at_ms: int | None = None) -> None:
        self.waiting.forget((kind, ns, name))  # something changed (or the sync re-arms)
        when = self.ctx.now if at_ms is None else at_ms
        last = self.last_sync.get((kind, ns, name))
        if last is not None:
            # A big controller: one pending sync at a time, at least a sync's length apart.
            when = max(when, last + self._sync_gap(kind, ns, name))
            pending = self.pending.get((kind, ns, name))
            if pending is not None and self.ctx.now <= pending <= when:
                return
            self.pending[(kind, ns, name)] = when
        self.ctx.queue.push_once(
            when,
            "replication.sync",
            sync_key(kind, ns, name, when),
            {"kind": kind, "ns": ns, "name": name},
        )

    # -- reconcile ------------------------------------------------------------------------
    def _sync_gap(self, kind: str, ns: str, name: str) -> int:
        """Sim ms a sync of this controller takes, during which new work is merged.

        A sync reads every pod the controller owns, so for a big one it is slow, and the
        work queue folds whatever arrives meanwhile into one next sync. Up to a burst of
        pods it counts as instant (nothing changes for everyday sizes).
        """
        ctl = self.ctx.store.get(kind, ns, name)
        owned = len(self.owned.get(ctl["metadata"]["uid"], {})) if ctl else 0
        return 0 if owned <= BURST_REPLICAS else owned * SYNC_MS_PER_1000_PODS // 1000

    def _on_sync(self, p: Obj) -> None:
        ctl_key = (p["kind"], p["ns"], p["name"])
        self.waiting.syncing(ctl_key)
        need = self.waiting.need(ctl_key)
        if need is not None and self.buckets[p["kind"]].available(self.ctx.now) == 0:
            # Nothing changed since the last sync and there is still no token: the full
            # sync below would only compute the same wait, so do just that.
            self.waiting.wait_again(ctl_key, need, self.buckets[p["kind"]])
            self.waiting.wait_in_bulk(ctl_key, self.buckets[p["kind"]])
            return
        ctl = self.ctx.store.get(p["kind"], p["ns"], p["name"])
        if ctl is None or ctl["metadata"].get("deletionTimestamp"):
            self.last_sync.pop((p["kind"], p["ns"], p["name"]), None)
            return
        planned = self.pending.pop((p["kind"], p["ns"], p["name"]), None)
        if planned is not None and planned != self.ctx.now:
            self.pending[(p["kind"], p["ns"], p["name"])] = planned
            return  # superseded by the one pending sync of this big controller
        if len(self.owned.get(ctl["metadata"]["uid"], {})) > BURST_REPLICAS:
            self.last_sync[(p["kind"], p["ns"], p["name"])] = self.ctx.now
        else:
            self.last_sync.pop((p["kind"], p["ns"], p["name"]), None)
        uid = ctl["metadata"]["uid"]
        ns = p["ns"]
        selector = selector_of(ctl)
        self._release_and_adopt(ctl, selector)
        owned = self.owned.get(uid, {})
        count = sum(1 for k in owned if (f := self.facts.get(k)) is not None and f[0])
        want = int((ctl.get("spec") or {}).get("replicas", 1))
        diff = count - want
        again_at: int | None = None
        if diff < 0:
            # At most a burst per sync, in slow-start batches, as fast as the client's rate
            # limit allows; what is left waits for the next sync.
            bucket = self.buckets.get(p["kind"]) or self.buckets.setdefault(
                p["kind"], self._bucket()
            )
            planned = min(-diff, BURST_REPLICAS)
            allowed = min(planned, bucket.available(self.ctx.now))
            created, attempts = self._create_pods(ctl, allowed)
            bucket.take(attempts, self.ctx.now)
            if created == attempts and created < -diff:
                if allowed < planned:
                    again_at = bucket.ready_at(-diff - created, self.ctx.now)
                elif diff < -BURST_REPLICAS:
                    again_at = self.ctx.now
            elif diff < -BURST_REPLICAS:
                again_at = self.ctx.now
        elif diff > 0:
            pods = [self.ctx.store.get("Pod", *k) for k in sorted(owned)]
            active = [pod for pod in pods if pod is not None and is_active(pod)]
            self._delete_pods(ctl, active, diff)
        status = self._update_status(ctl)
        if again_at is not None:
            self._enqueue(p["kind"], ns, p["name"], at_ms=again_at)
        if diff < 0 and created < -diff:
            self._note_waiting(ctl, selector, status, -diff - created)

    def _note_waiting(self, ctl: Obj, selector: Selector, status: Obj, need: int) -> None:
        """Remember that ``ctl`` waits for ``need`` tokens, if its next sync could do nothing
        else: a small controller (no sync spacing), without minReadySeconds (its status does
        not change with time alone), whose status is written and whose pods all match its
        selector (nothing to release), adoptions done."""
        ctl_key = (ctl["kind"], *key(ctl))
        live = self.ctx.store.get(*ctl_key)
        spec = ctl.get("spec") or {}
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if (
            live is None
            or live["metadata"].get("deletionTimestamp")
            or (live.get("status") or {}) != status
            or int(spec.get("minReadySeconds", 0))
            or ctl_key in self.last_sync
            or ctl_key in self.pending
            or len(self.owned.get(ctl["metadata"]["uid"], {})) > BURST_REPLICAS
            or not selector.matches(template_labels)
        ):
            return
        self.waiting.note(ctl_key, need)

    def _release_and_adopt(self, ctl: Obj, selector: Selector) -> None:
        uid = ctl["metadata"]["uid"]
        ns = ctl["metadata"].get("namespace", "default")
        for k in list(self.owned.get(uid, {})):
            facts = self.facts.get(k)
            if facts is None or selector.matches(facts[2]):
                continue
            pod = self.ctx.store.get("Pod", *k)
            if pod is None:
                continue
            meta = dict(pod["metadata"])
            refs = [r for r in meta.get("ownerReferences") or [] if r.get("uid") != uid]
            if refs:
                meta["ownerReferences"] = refs
            else:
                meta.pop("ownerReferences", None)
            self.ctx.store.update({**pod, "metadata": meta})
        if selector.empty:
            return
        for k in list(self.orphans.get(ns, {})):
            pod = self.ctx.store.get("Pod", *k)
            if (
                pod is None
                or not is_active(pod)
                or not selector.matches(pod["metadata"].get("labels") or {})
            ):
                continue
            meta = dict(pod["metadata"])
            meta["ownerReferences"] = [*(meta.get("ownerReferences") or []), owner_ref(ctl)]
            self.ctx.store.update({**pod, "metadata": meta})

    def _create_pods(self, ctl: Obj, count: int) -> tuple[int, int]:
        """Create up to ``count`` pods in slow-start batches; (created, attempted)."""
        return run_slow_start(count, lambda: self._create_pod(ctl))

    def _create_pod(self, ctl: Obj) -> bool:
        template = (ctl.get("spec") or {}).get("template") or {}
        tmeta = template.get("metadata") or {}
        name = ctl["metadata"]["name"]
        meta: Obj = {
            "generateName": f"{name}-",
            "namespace": ctl["metadata"].get("namespace", "default"),
            "ownerReferences": [owner_ref(ctl)],
        }
        if tmeta.get("labels"):
            meta["labels"] = dict(tmeta["labels"])
        if tmeta.get("annotations"):
            meta["annotations"] = dict(tmeta["annotations"])
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": meta,
            "spec": template.get("spec") or {},
        }
        try:
            created = self.api.create(pod).obj
        except errors.ApiError as exc:
            self.ctx.recorder.emit(
                ctl,
                "Warning",
                "FailedCreate",
                f"Error creating: {exc.message}",
                SOURCE[ctl["kind"]],
            )
            return False
        pod_name = created["metadata"]["name"]
        self.ctx.recorder.emit(
            ctl, "Normal", "SuccessfulCreate", f"Created pod: {pod_name}", SOURCE[ctl["kind"]]
        )
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"{_short(ctl)} {name}: created pod {pod_name}"
        )
        return True

    def _delete_pods(self, ctl: Obj, active: list[Obj], count: int) -> None:
        victims = sorted(active, key=self._victim_key(ctl, active))[:count]
        for pod in victims:
            ns, pod_name = key(pod)
            try:
                self.api.delete("Pod", ns, pod_name)
            except errors.ApiError:
                continue
            self.ctx.recorder.emit(
                ctl, "Normal", "SuccessfulDelete", f"Deleted pod: {pod_name}", SOURCE[ctl["kind"]]
            )
            self.ctx.activity.add(
                self.ctx.now,
                "controller-manager",
                f"{_short(ctl)} {ctl['metadata']['name']}: deleted pod {pod_name}",
            )

    def _victim_key(self, ctl: Obj, active: list[Obj]) -> Any:
        """Sort key implementing §4.3: the pods that sort first are deleted first."""
        related = list(active)
        owner = controller_ref(ctl)
        if owner is not None:  # a Deployment's RS: siblings' pods count as related too
            for sibling in self.ctx.store.owned(str(owner.get("uid")), "ReplicaSet"):
                sref = controller_ref(sibling)
                same = sibling["metadata"]["uid"] == ctl["metadata"]["uid"]
                if not same and sref is not None and sref.get("uid") == owner.get("uid"):
                    for k in self.owned.get(sibling["metadata"]["uid"], {}):
                        pod = self.ctx.store.get("Pod", *k)
                        if pod is not None and is_active(pod):
                            related.append(pod)
        per_node: dict[str, int] = {}
        for pod in related:
            node = pod["spec"].get("nodeName")
            if node:
                per_node[node] = per_node.get(node, 0) + 1
        now = self.ctx.now
        phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}

        def bucket(ms: int) -> int:
            return int(math.log2(max(ms, 1000) / 1000))

        def sort_key(pod: Obj) -> tuple[Any, ...]:
            node = pod["spec"].get("nodeName")
            ready = is_ready(pod)
            since = ready_since(pod)
            try:
                cost = int((pod["metadata"].get("annotations") or {}).get(DELETION_COST, 0))
            except ValueError:
                cost = 0
            restarts = max(
                (
                    int(cs.get("restartCount", 0))
                    for cs in (pod.get("status") or {}).get("containerStatuses") or []
                ),
                default=0,
            )
            created = from_timestamp(
                pod["metadata"].get("creationTimestamp", "2025-01-01T00:00:00Z")
            )
            return (
                1 if node else 0,
                phase_rank.get((pod.get("status") or {}).get("phase", "Pending"), 0),
                1 if ready else 0,
                cost,
                -per_node.get(node, 0) if node else 0,
                bucket(now - since) if ready and since is not None else 0,
                -restarts,
                bucket(now - created),
                pod["metadata"].get("uid", ""),
            )

        return sort_key

    def _update_status(self, ctl: Obj) -> Obj:
        """Write the counts of the controller's pods into its status; returns that status."""
        ctl = self.ctx.store.get(ctl["kind"], *key(ctl)) or ctl
        uid = ctl["metadata"]["uid"]
        spec = ctl.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds", 0))
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        counts = {
            "replicas": 0,
            "fullyLabeledReplicas": 0,
            "readyReplicas": 0,
            "availableReplicas": 0,
        }
        next_check: int | None = None
        now = self.ctx.now
        # Pods made from one template share one labels dict (the API server's SharedParts):
        # match each distinct dict once, not once per pod.
        labelled: dict[int, bool] = {}
        for k in self.owned.get(uid, {}):
            facts = self.facts.get(k)
            if facts is None or not facts[0]:
                continue
            counts["replicas"] += 1
            _active, since, labels = facts
            full = labelled.get(id(labels))
            if full is None:
                full = labelled[id(labels)] = all(
                    labels.get(lk) == lv for lk, lv in template_labels.items()
                )
            if full:
                counts["fullyLabeledReplicas"] += 1
            if since is not None:  # Ready (the same test as is_ready / is_available)
                counts["readyReplicas"] += 1
                if min_ready == 0 or now - since >= min_ready * 1000:
                    counts["availableReplicas"] += 1
                else:
                    due = since + min_ready * 1000
                    next_check = due if next_check is None else min(next_check, due)
        status: Obj = {"replicas": counts["replicas"]}
        for field in ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"):
            if counts[field]:
                status[field] = counts[field]
        status["observedGeneration"] = ctl["metadata"].get("generation", 1)
        if status != (ctl.get("status") or {}):
            self.api.update_status({**ctl, "status": status})
        if next_check is not None:
            self._enqueue(ctl["kind"], *key(ctl), at_ms=next_check)
        return status

    def to_json(self) -> dict[str, Any]:
        """The clients' rate-limit state (indexes are rebuilt from the store)."""
        return {
            "buckets": {kind: b.to_json() for kind, b in self.buckets.items()},
            "last_sync": [[*k, at] for k, at in self.last_sync.items()],
            "pending": [[*k, at] for k, at in self.pending.items()],
        }

    def _bucket(self) -> TokenBucket:
        """A rested client with the operator's API limits."""
        t = self.ctx.timings
        burst = t.kube_api_burst
        return TokenBucket(burst * 1000, self.ctx.now, t.kube_api_qps, burst)

    def load_json(self, data: dict[str, Any]) -> None:
        """Rebuild indexes after a restore."""
        buckets = data.get("buckets") or {}
        t = self.ctx.timings
        self.buckets = {
            kind: TokenBucket.from_json(b, t.kube_api_qps, t.kube_api_burst)
            for kind, b in buckets.items()
        }
        self.last_sync = {
            (str(k), str(ns), str(n)): int(at) for k, ns, n, at in data.get("last_sync") or []
        }
        self.pending = {
            (str(k), str(ns), str(n)): int(at) for k, ns, n, at in data.get("pending") or []
        }
        self.rebuild()


def _short(ctl: Obj) -> str:
    return "rc" if ctl["kind"] == "ReplicationController" else "rs"
