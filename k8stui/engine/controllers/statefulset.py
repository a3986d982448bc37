"""The StatefulSet controller (upstream ``pkg/controller/statefulset/stateful_set_control.go``).

Per sync, in upstream's order: record the template as a ControllerRevision; for ordinals
0..replicas-1 create the claims and the missing pod (a Failed pod is deleted and recreated);
with ``OrderedReady`` stop at the first pod that is missing, terminating or not Running and
Ready, so ordinal n+1 never starts before n is Ready; then delete pods above ``replicas``,
highest first (one at a time, only when the others are healthy, under ``OrderedReady``); then
``RollingUpdate`` deletes the highest pod at or above ``partition`` still on an old revision
(recreated at the new one on the next sync), one at a time. ``OnDelete`` waits for the user.

A pod keeps its name: a replacement cannot be created while the old pod object exists, so a
pod on a dead node is not replaced until it is deleted for good (the "at most one" rule).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers import statefulset_pods as sp
from k8stui.engine.controllers.podutil import controller_ref, is_ready, key, owner_ref

Obj = dict[str, Any]
SOURCE = "statefulset-controller"


def _healthy(pod: Obj) -> bool:
    return (
        (pod.get("status") or {}).get("phase") == "Running"
        and is_ready(pod)
        and not pod["metadata"].get("deletionTimestamp")
    )


class StatefulSetController:
    """Ordered, identity-keeping pods with their claims, for every StatefulSet."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        ctx.queue.register("statefulset.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Pod", "StatefulSet"))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        if kind == "StatefulSet":
            if new is not None and (old is None or new.get("spec") != old.get("spec")):
                self._enqueue(*key(new))
            return
        ref = controller_ref(obj)
        if ref is not None and ref.get("kind") == "StatefulSet":
            self._enqueue(obj["metadata"].get("namespace", "default"), str(ref.get("name")))

    def _enqueue(self, ns: str, name: str) -> None:
        now = self.ctx.now
        self.ctx.queue.push_once(
            now, "statefulset.sync", f"sts/{ns}/{name}/{now}", {"ns": ns, "name": name}
        )

    def _event(self, sts: Obj, type_: str, reason: str, message: str) -> None:
        self.ctx.recorder.emit(sts, type_, reason, message, SOURCE)

    # -- reconcile ------------------------------------------------------------------------
    def _on_sync(self, p: Obj) -> None:
        sts = self.ctx.store.get("StatefulSet", p["ns"], p["name"])
        if sts is None or sts["metadata"].get("deletionTimestamp"):
            return
        name = sts["metadata"]["name"]
        spec = sts.get("spec") or {}
        owner = owner_ref(sts)
        update_revision = self._record_revision(sts, owner)
        status = sts.get("status") or {}
        current_revision = str(status.get("currentRevision") or update_revision)
        pods: dict[int, Obj] = {}
        for member in self.ctx.store.owned(sts["metadata"]["uid"], "Pod"):
            index = sp.ordinal(name, member)
            if (
                index is not None
                and (controller_ref(member) or {}).get("uid") == sts["metadata"]["uid"]
            ):
                pods[index] = member
        replicas = int(spec.get("replicas", 1))
        ordered = spec.get("podManagementPolicy", "OrderedReady") == "OrderedReady"
        strategy = spec.get("updateStrategy") or {}
        partition = int((strategy.get("rollingUpdate") or {}).get("partition", 0))
        templates = {update_revision: spec.get("template") or {}}
        blocked = False
        for index in range(replicas):
            pod = pods.get(index)
            if pod is not None and (pod.get("status") or {}).get("phase") == "Failed":
                if not pod["metadata"].get("deletionTimestamp"):
                    self._event(
                        sts,
                        "Warning",
                        "RecreatingFailedPod",
                        f"StatefulSet {p['ns']}/{name} is recreating failed Pod {pod['metadata']['name']}",
                    )
                    self._delete_pod(sts, pod)
                blocked = blocked or ordered
                continue
            if pod is None:
                rolling = strategy.get("type", "RollingUpdate") == "RollingUpdate"
                use_current = rolling and index < partition
                revision = current_revision if use_current else update_revision
                template = templates.get(revision) or self._template_of(sts, revision)
                if template is None:
                    revision, template = update_revision, templates[update_revision]
                created = self._create_pod(sts, index, template, revision, owner)
                if created is not None:
                    pods[index] = created
                if ordered:
                    blocked = True
                    break
                continue
            if (pod.get("status") or {}).get("phase") == "Pending":
                # Upstream createMissingPersistentVolumeClaims: a claim deleted under a
                # pod (kept until the pod stopped using it) is made again for its successor.
                self._create_claims(sts, pod["metadata"]["name"], owner)
            if ordered and not _healthy(pod):
                blocked = True
                break
        self._collect_claims_of_gone_pods(sts)
        if not blocked:
            self._scale_down(sts, pods, replicas, ordered)
        if not blocked and strategy.get("type", "RollingUpdate") == "RollingUpdate":
            self._rolling_update(sts, pods, replicas, partition, update_revision)
        self._write_status(sts, pods, replicas, current_revision, update_revision)

    def _scale_down(self, sts: Obj, pods: dict[int, Obj], replicas: int, ordered: bool) -> None:
        condemned = sorted((i for i in pods if i >= replicas), reverse=True)
        if not condemned:
            return
        if ordered:
            if any(p["metadata"].get("deletionTimestamp") for p in pods.values()):
                return  # wait for the pod being deleted to be gone
            if not all(_healthy(pods[i]) for i in pods if i < replicas):
                return
            condemned = condemned[:1]
        for index in condemned:
            pod = pods[index]
            if not pod["metadata"].get("deletionTimestamp"):
                self._retain_claims_on_scale_down(sts, pod)
                self._delete_pod(sts, pod)

    def _rolling_update(
        self, sts: Obj, pods: dict[int, Obj], replicas: int, partition: int, revision: str
    ) -> None:
        if any(not _healthy(pods[i]) for i in pods if i < replicas) or len(pods) < replicas:
            return
        for index in range(replicas - 1, partition - 1, -1):
            pod = pods.get(index)
            if pod is None:
                return
            if (pod["metadata"].get("labels") or {}).get(sp.REVISION_LABEL) != revision:
                self._delete_pod(sts, pod)
                return

    # -- writes ---------------------------------------------------------------------------
    def _record_revision(self, sts: Obj, owner: Obj) -> str:
        template = (sts.get("spec") or {}).get("template") or {}
        name = sp.revision_name(sts, template)
        ns = sts["metadata"].get("namespace", "default")
        existing = self.ctx.store.owned(sts["metadata"]["uid"], "ControllerRevision")
        latest = max((int(r.get("revision", 0)) for r in existing), default=0)
        stored = self.ctx.store.get("ControllerRevision", ns, name)
        if stored is None:
            self.ctx.store.create(sp.controller_revision(sts, name, template, latest + 1, owner))
            self._trim_history(sts)
        elif int(stored.get("revision", 0)) != latest:
            # Going back to an earlier template makes its revision the newest again.
            self.ctx.store.update({**stored, "revision": latest + 1})
        return name

    def _trim_history(self, sts: Obj) -> None:
        limit = int((sts.get("spec") or {}).get("revisionHistoryLimit", 10))
        revisions = sorted(
            self.ctx.store.owned(sts["metadata"]["uid"], "ControllerRevision"),
            key=lambda r: int(r.get("revision", 0)),
        )
        in_use = {
            (p["metadata"].get("labels") or {}).get(sp.REVISION_LABEL)
            for p in self.ctx.store.owned(sts["metadata"]["uid"], "Pod")
        }
        live = revisions[-1]["metadata"]["name"] if revisions else None
        old = [
            r
            for r in revisions
            if r["metadata"]["name"] not in in_use and r["metadata"]["name"] != live
        ]
        for revision in old[: max(0, len(old) - limit)]:
            self.ctx.store.delete("ControllerRevision", *key(revision))

    def _template_of(self, sts: Obj, revision: str) -> Obj | None:
        stored = self.ctx.store.get(
            "ControllerRevision", sts["metadata"].get("namespace", "default"), revision
        )
        if stored is None:
            return None
        template = dict(stored["data"]["spec"]["template"])
        template.pop("$patch", None)
        return template

    def _create_pod(
        self, sts: Obj, index: int, template: Obj, revision: str, owner: Obj
    ) -> Obj | None:
        name = f"{sts['metadata']['name']}-{index}"
        ns = sts["metadata"].get("namespace", "default")
        if not self._create_claims(sts, name, owner):
            return None
        if self.ctx.store.get("Pod", ns, name) is not None:
            return None  # the old pod of this ordinal still exists (e.g. Terminating)
        pod = sp.pod_for(sts, template, index, revision, owner)
        try:
            created = self.api.create(pod).obj
        except errors.ApiError as exc:
            self._event(
                sts,
                "Warning",
                "FailedCreate",
                f"create Pod {name} in StatefulSet {sts['metadata']['name']} failed error: "
                f"{exc.message}",
            )
            return None
        self._event(
            sts,
            "Normal",
            "SuccessfulCreate",
            f"create Pod {name} in StatefulSet {sts['metadata']['name']} successful",
        )
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"sts {sts['metadata']['name']}: created pod {name}"
        )
        return created

    def _create_claims(self, sts: Obj, name: str, owner: Obj) -> bool:
        """The missing claims of pod ``name``; False when one could not be created."""
        ns = sts["metadata"].get("namespace", "default")
        for claim_template in (sts.get("spec") or {}).get("volumeClaimTemplates") or []:
            claim = sp.claim_for(sts, claim_template, name)
            if (
                self.ctx.store.get("PersistentVolumeClaim", ns, claim["metadata"]["name"])
                is not None
            ):
                continue
            retention = (sts.get("spec") or {}).get("persistentVolumeClaimRetentionPolicy") or {}
            if retention.get("whenDeleted") == "Delete":
                claim["metadata"]["ownerReferences"] = [{**owner, "controller": True}]
            try:
                self.api.create(claim)
            except errors.ApiError as exc:
                self._event(
                    sts,
                    "Warning",
                    "FailedCreate",
                    f"create Claim {claim['metadata']['name']} for Pod {name} in StatefulSet "
                    f"{sts['metadata']['name']} failed error: {exc.message}",
                )
                return False
            self._event(
                sts,
                "Normal",
                "SuccessfulCreate",
                f"create Claim {claim['metadata']['name']} Pod {name} in StatefulSet "
                f"{sts['metadata']['name']} success",
            )
        return True

    def _delete_pod(self, sts: Obj, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        try:
            self.api.delete("Pod", *key(pod))
        except errors.ApiError:
            return
        self._event(
            sts,
            "Normal",
            "SuccessfulDelete",
            f"delete Pod {name} in StatefulSet {sts['metadata']['name']} successful",
        )

    def _retain_claims_on_scale_down(self, sts: Obj, pod: Obj) -> None:
        """``whenScaled: Delete``: the condemned pod owns its claims, so they go with it."""
        retention = (sts.get("spec") or {}).get("persistentVolumeClaimRetentionPolicy") or {}
        if retention.get("whenScaled") != "Delete":
            return
        ns = pod["metadata"].get("namespace", "default")
        for claim_template in (sts.get("spec") or {}).get("volumeClaimTemplates") or []:
            claim = self.ctx.store.get(
                "PersistentVolumeClaim", ns, sp.claim_name(claim_template, pod["metadata"]["name"])
            )
            if claim is None:
                continue
            ref = {**owner_ref(pod), "controller": False}
            meta = {
                **claim["metadata"],
                "ownerReferences": [*(claim["metadata"].get("ownerReferences") or []), ref],
            }
            self.ctx.store.update({**claim, "metadata": meta})

    def _collect_claims_of_gone_pods(self, sts: Obj) -> None:
        """The garbage collector's part for claims a scaled-down pod owned (``whenScaled``)."""
        ns = sts["metadata"].get("namespace", "default")
        for claim_template in (sts.get("spec") or {}).get("volumeClaimTemplates") or []:
            prefix = f"{claim_template['metadata']['name']}-{sts['metadata']['name']}-"
            for claim in self.ctx.store.list("PersistentVolumeClaim", ns):
                if not claim["metadata"]["name"].startswith(prefix):
                    continue
                refs = [
                    r
                    for r in claim["metadata"].get("ownerReferences") or []
                    if r.get("kind") == "Pod"
                ]
                gone = [r for r in refs if not self._pod_exists(ns, r)]
                if refs and gone:
                    try:
                        self.api.delete("PersistentVolumeClaim", ns, claim["metadata"]["name"])
                    except errors.ApiError:
                        continue

    def _pod_exists(self, ns: str, ref: Obj) -> bool:
        pod = self.ctx.store.get("Pod", ns, str(ref.get("name")))
        return pod is not None and pod["metadata"].get("uid") == ref.get("uid")

    def _write_status(
        self, sts: Obj, pods: dict[int, Obj], replicas: int, current: str, update: str
    ) -> None:
        live = self.ctx.store.get("StatefulSet", *key(sts))
        if live is None:
            return
        fresh = [self.ctx.store.get("Pod", *key(p)) for p in pods.values()]
        existing = [p for p in fresh if p is not None]
        ready = [p for p in existing if _healthy(p)]
        revisions = [(p["metadata"].get("labels") or {}).get(sp.REVISION_LABEL) for p in existing]
        updated = sum(1 for r in revisions if r == update)
        current_count = sum(1 for r in revisions if r == current)
        if updated == replicas and len(existing) == replicas and len(ready) == replicas:
            current, current_count = update, updated
        status: Obj = {
            "availableReplicas": len(ready),
            "collisionCount": 0,
            "currentReplicas": current_count,
            "currentRevision": current,
            "observedGeneration": live["metadata"].get("generation", 1),
            "readyReplicas": len(ready),
            "replicas": len(existing),
            "updateRevision": update,
            "updatedReplicas": updated,
        }
        status = {
            k: v
            for k, v in status.items()
            if v != 0 or k in ("replicas", "availableReplicas", "collisionCount")
        }
        if status != (live.get("status") or {}):
            self.api.update_status({**live, "status": status})

    def to_json(self) -> dict[str, Any]:
        """No state beyond the store."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
