"""The DaemonSet controller: one pod per eligible node (upstream ``pkg/controller/daemon``).

A node is eligible when it matches the template's nodeSelector and required node affinity
and every NoSchedule/NoExecute taint is tolerated (the template's tolerations plus those the
controller adds to daemon pods). Pods are pinned with a ``matchFields metadata.name`` node
affinity and then bound by the default scheduler, as since Kubernetes 1.12. A pod already
running on a node that gains an untolerated NoSchedule taint keeps running; NoExecute
removes it. Rolling updates honour ``maxUnavailable`` (default 1) and ``maxSurge``
(default 0); ``OnDelete`` only uses the new template for pods created after a deletion.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apimachinery.selectors import matches_node_selector_terms
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.deployment import resolve_fraction, template_hash
from k8stui.engine.controllers.podutil import is_active, is_available, is_ready, key, owner_ref
from k8stui.engine.controllers.taint_eviction import tolerates
from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]
SOURCE = "daemonset-controller"
HASH_LABEL = "controller-revision-hash"
GENERATION_LABEL = "pod-template-generation"
BURST = 250

# AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util).
_DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
_HOST_NETWORK_TOLERATION = ("node.kubernetes.io/network-unavailable", "NoSchedule")


def daemon_tolerations(spec: Obj) -> list[Obj]:
    """The template's tolerations plus the ones every daemon pod gets."""
    tolerations = [dict(t) for t in spec.get("tolerations") or []]
    wanted = list(_DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(_HOST_NETWORK_TOLERATION)
    for taint_key, effect in wanted:
        toleration = {"key": taint_key, "operator": "Exists", "effect": effect}
        if toleration not in tolerations:
            tolerations.append(toleration)
    return tolerations


def target_node(pod: Obj) -> str | None:
    """The node a daemon pod belongs to: its nodeName, else its matchFields pin."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return str(spec["nodeName"])
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or {}
    for term in required.get("nodeSelectorTerms") or []:
        for expr in term.get("matchFields") or []:
            if expr.get("key") == "metadata.name" and expr.get("values"):
                return str(expr["values"][0])
    return None


def placement(ds: Obj, node: Obj, tolerations: list[Obj] | None = None) -> tuple[bool, bool]:
    """(should run a new pod, may keep an existing one) on ``node`` (``NodeShouldRunDaemonPod``).

    ``tolerations``: :func:`daemon_tolerations` of the template, when the caller has them.
    """
    spec = ((ds.get("spec") or {}).get("template") or {}).get("spec") or {}
    labels = node["metadata"].get("labels") or {}
    selector = spec.get("nodeSelector") or {}
    if any(labels.get(k) != v for k, v in selector.items()):
        return False, False
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or {}
    terms = required.get("nodeSelectorTerms")
    fields = {"metadata.name": node["metadata"]["name"]}
    if terms and not matches_node_selector_terms(terms, labels, fields):
        return False, False
    if tolerations is None:
        tolerations = daemon_tolerations(spec)
    run, keep = True, True
    for taint in (node.get("spec") or {}).get("taints") or []:
        if any(tolerates(t, taint) for t in tolerations):
            continue
        if taint.get("effect") == "NoExecute":
            return False, False
        if taint.get("effect") == "NoSchedule":
            run = False
    return run, keep


def _pinned_affinity(affinity: Obj | None, node: str) -> Obj:
    """``ReplaceDaemonSetPodNodeNameNodeAffinity``: the required terms become one name pin."""
    out = copy_json(affinity or {})
    node_affinity = out.setdefault("nodeAffinity", {})
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {
        "nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
        ]
    }
    return out


def revision_hash(ds: Obj) -> str:
    """The ``controller-revision-hash`` of the DaemonSet's current template."""
    return template_hash((ds.get("spec") or {}).get("template") or {})[:10]


class DaemonSetController:
    """Reconciles every DaemonSet against the node list."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        # (uid, generation) -> template hash: the template only changes with the generation.
        self._hashes: dict[tuple[str, int], str] = {}
        # (ds uid, ds generation, node, node resourceVersion) -> placement(): eligibility only
        # changes when one of the two objects does.
        self._placements: dict[tuple[str, int, str, str], tuple[bool, bool]] = {}
        ctx.queue.register("daemonset.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("DaemonSet", "Node", "Pod"))

    # -- watching ---------------------------------------------------------------------------
    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "DaemonSet":
            if new is not None and (old is None or new.get("spec") != old.get("spec")):
                self._enqueue(*key(new))
            return
        if kind == "Node":
            if new is not None and old is not None and _node_facts(new) == _node_facts(old):
                return
            # Nodes joining or changing in a burst are reconciled once per second.
            due = (self.ctx.now // 1000 + 1) * 1000
            for ds in self.ctx.store.iter_kind("DaemonSet"):
                self._enqueue(*key(ds), due)
            return
        for pod in (new, old):
            if pod is None:
                continue
            for ref in pod["metadata"].get("ownerReferences") or ():
                if ref.get("controller") and ref.get("kind") == "DaemonSet":
                    # Pod churn is batched per second, like the controller's work queue
                    # collapsing a burst of pod events into one sync.
                    due = (self.ctx.now // 1000 + 1) * 1000
                    self._enqueue(pod["metadata"].get("namespace", "default"), ref["name"], due)
                    return

    def _place(self, ds: Obj, node: Obj, tolerations: list[Obj]) -> tuple[bool, bool]:
        meta, node_meta = ds["metadata"], node["metadata"]
        cache_key = (
            str(meta.get("uid", "")),
            int(meta.get("generation", 1)),
            str(node_meta["name"]),
            str(node_meta.get("resourceVersion", "")),
        )
        found = self._placements.get(cache_key)
        if found is None:
            if len(self._placements) > 100_000:
                self._placements.clear()
            found = self._placements[cache_key] = placement(ds, node, tolerations)
        return found

    def _hash(self, ds: Obj) -> str:
        meta = ds["metadata"]
        cache_key = (str(meta.get("uid", "")), int(meta.get("generation", 1)))
        found = self._hashes.get(cache_key)
        if found is None:
            found = self._hashes[cache_key] = revision_hash(ds)
        return found

    def _enqueue(self, ns: str, name: str, at_ms: int | None = None) -> None:
        when = self.ctx.now if at_ms is None else at_ms
        self.ctx.queue.push_once(
            when, "daemonset.sync", f"ds/{ns}/{name}/{when}", {"ns": ns, "name": name}
        )

    # -- reconcile --------------------------------------------------------------------------
    def _on_sync(self, p: Obj) -> None:
        ds = self.ctx.store.get("DaemonSet", p["ns"], p["name"])
        if ds is None or ds["metadata"].get("deletionTimestamp"):
            return
        current = self._hash(ds)
        by_node: dict[str, list[Obj]] = {}
        for pod in self.ctx.store.owned(ds["metadata"]["uid"], "Pod"):
            target = target_node(pod)
            if target is not None and is_active(pod):
                by_node.setdefault(target, []).append(pod)
            elif target is not None and (pod.get("status") or {}).get("phase") == "Failed":
                self._delete_failed(ds, pod, target)
        created = 0
        tolerations = _tolerations_of(ds)
        for node in self.ctx.store.list("Node"):
            name = node["metadata"]["name"]
            run, keep = self._place(ds, node, tolerations)
            pods = by_node.get(name, [])
            if not keep:
                for pod in pods:
                    self._delete(ds, pod)
                continue
            if not pods and run and created < BURST:
                created += self._create(ds, name)
            elif len(pods) > 1 and not _surging(pods, current):
                for pod in sorted(pods, key=_age_key)[1:]:
                    self._delete(ds, pod)
        if created >= BURST:
            self._enqueue(*key(ds))
        strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
        outdated = any(_pod_hash(p) != current for pods in by_node.values() for p in pods)
        if outdated and strategy.get("type", "RollingUpdate") == "RollingUpdate":
            self._roll(ds, by_node, current)
        self._update_status(ds, current)

    def _roll(self, ds: Obj, by_node: dict[str, list[Obj]], current: str) -> None:
        spec = ds.get("spec") or {}
        rolling = (spec.get("updateStrategy") or {}).get("rollingUpdate") or {}
        tolerations = _tolerations_of(ds)
        desired = sum(
            1 for n in self.ctx.store.iter_kind("Node") if self._place(ds, n, tolerations)[0]
        )
        min_ready = int(spec.get("minReadySeconds", 0))
        surge = resolve_fraction(rolling.get("maxSurge", 0), desired, True)
        unavailable_budget = resolve_fraction(rolling.get("maxUnavailable", 1), desired, True)
        now = self.ctx.now

        def available(pod: Obj) -> bool:
            return is_available(pod, min_ready, now)

        if surge > 0:
            surging = sum(1 for pods in by_node.values() if _surging(pods, current))
            for node, pods in sorted(by_node.items()):
                old = [p for p in pods if _pod_hash(p) != current]
                new = [p for p in pods if _pod_hash(p) == current]
                if old and not new and surging < surge:
                    surging += self._create(ds, node)
                elif old and new and all(available(p) for p in new):
                    for pod in old:
                        self._delete(ds, pod)
            return
        # Every node that should run a daemon pod and has no available one counts, including
        # nodes whose old pod is already terminating.
        unavailable = sum(
            1
            for n in self.ctx.store.iter_kind("Node")
            if self._place(ds, n, tolerations)[0]
            and not any(available(p) for p in by_node.get(n["metadata"]["name"], []))
        )
        for _node, pods in sorted(by_node.items()):
            for pod in pods:
                if _pod_hash(pod) == current:
                    continue
                if not available(pod):
                    self._delete(ds, pod)
                elif unavailable < unavailable_budget:
                    self._delete(ds, pod)
                    unavailable += 1

    def _create(self, ds: Obj, node: str) -> int:
        template = copy_json((ds.get("spec") or {}).get("template") or {})
        tmeta = template.get("metadata") or {}
        spec = template.get("spec") or {}
        labels = dict(tmeta.get("labels") or {})
        labels[HASH_LABEL] = self._hash(ds)
        labels[GENERATION_LABEL] = str(ds["metadata"].get("generation", 1))
        meta: Obj = {
            "generateName": f"{ds['metadata']['name']}-",
            "namespace": ds["metadata"].get("namespace", "default"),
            "labels": labels,
            "ownerReferences": [owner_ref(ds)],
        }
        if tmeta.get("annotations"):
            meta["annotations"] = dict(tmeta["annotations"])
        spec["affinity"] = _pinned_affinity(spec.get("affinity"), node)
        spec["tolerations"] = daemon_tolerations(spec)
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
        try:
            created = self.api.create(pod).obj
        except errors.ApiError as exc:
            self.ctx.recorder.emit(
                ds, "Warning", "FailedCreate", f"Error creating: {exc.message}", SOURCE
            )
            return 0
        pod_name = created["metadata"]["name"]
        self.ctx.recorder.emit(ds, "Normal", "SuccessfulCreate", f"Created pod: {pod_name}", SOURCE)
        self.ctx.activity.add(
            self.ctx.now,
            "controller-manager",
            f"ds {ds['metadata']['name']}: created pod {pod_name}",
        )
        return 1

    def _delete(self, ds: Obj, pod: Obj) -> None:
        ns, name = key(pod)
        if pod["metadata"].get("deletionTimestamp"):
            return
        try:
            self.api.delete("Pod", ns, name)
        except errors.ApiError:
            return
        self.ctx.recorder.emit(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {name}", SOURCE)

    def _delete_failed(self, ds: Obj, pod: Obj, node: str) -> None:
        ns, name = key(pod)
        message = f"Found failed daemon pod {ns}/{name} on node {node}, will try to kill it"
        self.ctx.recorder.emit(ds, "Warning", "FailedDaemonPod", message, SOURCE)
        try:
            self.api.delete("Pod", ns, name)
        except errors.ApiError:
            return

    def _update_status(self, ds: Obj, current: str) -> None:
        ds = self.ctx.store.get("DaemonSet", *key(ds)) or ds
        min_ready = int((ds.get("spec") or {}).get("minReadySeconds", 0))
        pods: dict[str, list[Obj]] = {}
        for pod in self.ctx.store.owned(ds["metadata"]["uid"], "Pod"):
            node = (pod.get("spec") or {}).get("nodeName")
            if node and is_active(pod):
                pods.setdefault(node, []).append(pod)
        desired = scheduled = misscheduled = ready = available = updated = 0
        next_check: int | None = None
        tolerations = _tolerations_of(ds)
        for node in self.ctx.store.iter_kind("Node"):
            name = node["metadata"]["name"]
            run, _keep = self._place(ds, node, tolerations)
            on_node = pods.get(name, [])
            if run:
                desired += 1
            if on_node and not run:
                misscheduled += 1
                continue
            if not on_node:
                continue
            scheduled += 1
            newest = sorted(on_node, key=_age_key)[-1]
            if is_ready(newest):
                ready += 1
                if is_available(newest, min_ready, self.ctx.now):
                    available += 1
                elif min_ready:
                    due = self.ctx.now + min_ready * 1000
                    next_check = due if next_check is None else min(next_check, due)
            if _pod_hash(newest) == current:
                updated += 1
        status: Obj = {
            "currentNumberScheduled": scheduled,
            "desiredNumberScheduled": desired,
            "numberMisscheduled": misscheduled,
            "numberReady": ready,
            "observedGeneration": ds["metadata"].get("generation", 1),
            "updatedNumberScheduled": updated,
        }
        if available:
            status["numberAvailable"] = available
        if desired - available > 0:
            status["numberUnavailable"] = desired - available
        if status != (ds.get("status") or {}):
            self.api.update_status({**ds, "status": status})
        if next_check is not None:
            self._enqueue(*key(ds), at_ms=next_check)

    def to_json(self) -> dict[str, Any]:
        """Nothing to keep: the store holds every fact this controller uses."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore; hashes are recomputed from the restored store."""
        self._hashes = {}
        self._placements = {}


def _tolerations_of(ds: Obj) -> list[Obj]:
    return daemon_tolerations(((ds.get("spec") or {}).get("template") or {}).get("spec") or {})


def _pod_hash(pod: Obj) -> str:
    return str((pod["metadata"].get("labels") or {}).get(HASH_LABEL, ""))


def _surging(pods: list[Obj], current: str) -> bool:
    """An old and a new pod side by side on one node: a surge in progress."""
    return len(pods) == 2 and len({_pod_hash(p) == current for p in pods}) == 2


def _age_key(pod: Obj) -> tuple[str, str]:
    return str(pod["metadata"].get("creationTimestamp", "")), str(pod["metadata"]["name"])


def _node_facts(node: Obj) -> tuple[Any, ...]:
    """What eligibility depends on: labels and taints (not heartbeats or conditions)."""
    return (
        node["metadata"].get("labels"),
        (node.get("spec") or {}).get("taints"),
    )
