"""The API server's front door: validation, defaulting, admission, and the write verbs.

Every change to the cluster — from kubectl, the editor, a level's setup or a controller —
goes through here, so a pod a ReplicaSet creates is defaulted and admitted exactly like one
a player posts.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from k8stui.engine import errors
from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apiserver import (
    defaults,
    merge,
    serviceaccount_admission,
    storage_defaults,
    validation,
)
from k8stui.engine.apiserver.quantity_fields import bad_quantity, decode_prefix
from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.engine.apiserver.shared_parts import SharedParts
from k8stui.engine.apiserver.valid_specs import ValidSpecs
from k8stui.engine.apiserver.validation import secret_rules
from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.kubelet.status import qos_class
from k8stui.engine.names import new_uid, random_suffix
from k8stui.engine.network.ipam import IpamError, ServiceAddresses
from k8stui.engine.store import CLUSTER_SCOPED, Conflict, object_key

Obj = dict[str, Any]
_ADMISSION_TOLERATIONS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


@dataclass
class WriteResult:
    """The stored object, the operation word kubectl prints, and any API warnings."""

    obj: Obj
    op: str
    warnings: list[str] = field(default_factory=list)


class ApiServer:
    """Create / update / apply / patch / delete with the real server's checks and texts."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx
        self.addresses = ServiceAddresses()
        self.shared_parts = SharedParts()
        self.valid_specs = ValidSpecs()

    # -- helpers ----------------------------------------------------------------------------
    def _log(self, verb: str, obj: Obj) -> None:
        kind, _ns, name = object_key(obj)
        res = BY_KIND.get(kind)
        plural = res.plural if res else kind.lower()
        self.ctx.activity.add(self.ctx.now, "api-server", f"{verb} {plural} {name}")

    def _check_namespace(self, obj: Obj) -> None:
        kind, ns, _name = object_key(obj)
        if kind in CLUSTER_SCOPED or kind in ("Event", "Lease"):
            return
        if self.ctx.store.get("Namespace", "", ns) is None:
            raise errors.not_found("Namespace", ns)
        namespace = self.ctx.store.get("Namespace", "", ns)
        if namespace and namespace["metadata"].get("deletionTimestamp"):
            raise errors.forbidden(
                f'{BY_KIND[kind].qualified if kind in BY_KIND else kind} "{obj["metadata"].get("name")}" '
                f"is forbidden: unable to create new content in namespace {ns} because it is being terminated"
            )

    def _validate(self, obj: Obj, old: Obj | None = None) -> list[str]:
        spec_key = self.valid_specs.key(obj)
        known = self.valid_specs.known(spec_key)
        # A spec known to pass holds no bad quantity: the first one, if any, is elsewhere.
        bad = bad_quantity({k: v for k, v in obj.items() if k != "spec"} if known else obj)
        if bad is not None:
            raise errors.bad_request(decode_prefix(obj) + bad[1])
        replicas = (
            (obj.get("spec") or {}).get("replicas") if isinstance(obj.get("spec"), dict) else None
        )
        if isinstance(replicas, int) and not INT32_MIN <= replicas <= INT32_MAX:
            raise errors.bad_request(
                decode_prefix(obj) + f"json: cannot unmarshal number {replicas} into Go struct "
                f"field {obj.get('kind')}Spec.spec.replicas of type int32"
            )
        if obj.get("kind") == "Secret":
            undecodable = secret_rules.base64_problem(obj)
            if undecodable is not None:
                raise errors.bad_request(decode_prefix(obj) + undecodable)
        errs = validation.validate_object(obj, spec_known_valid=known)
        if not errs:
            self.valid_specs.add(spec_key)
        if old is not None:
            errs += validation.validate_update(old, obj)
        if errs:
            kind = obj.get("kind", "")
            raise errors.invalid(
                validation.format_invalid(kind, obj["metadata"].get("name", ""), errs)
            )
        return validation.warnings(obj)

    # -- create -----------------------------------------------------------------------------
    def create(self, obj: Obj, *, dry_run: bool = False) -> WriteResult:
        """POST: default, admit, validate and store a new object."""
        # apply_defaults returns a deep copy; only metadata is touched before that.
        obj = {**obj, "metadata": dict(obj.get("metadata") or {})}
        meta = obj["metadata"]
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + random_suffix(self.ctx.rng)
        if obj.get("kind") == "Job":  # the generated selector names the Job's uid
            meta.setdefault("uid", new_uid(self.ctx.rng))
        given = [dict(t) for t in (obj.get("spec") or {}).get("tolerations") or []]
        obj = defaults.apply_defaults(obj)
        if obj.get("kind") == "PersistentVolumeClaim":
            storage_defaults.admit_claim(obj, self.ctx.store.list("StorageClass"))
        storage_defaults.protect(obj)
        if obj.get("kind") == "Pod":
            self._admission_toleration_seconds(obj, given)
        warnings = self._validate(obj)
        self._check_namespace(obj)
        if obj.get("kind") == "Pod":
            serviceaccount_admission.admit(obj, self.ctx.store, self.ctx.rng)
        kind, ns, name = object_key(obj)
        if self.ctx.store.get(kind, ns, name) is not None:
            raise errors.already_exists(kind, name)
        if kind == "Service":
            obj = self._allocate_service(obj, dry_run)
        if kind not in ("Node", "Event"):
            obj.pop("status", None)
        if kind in ("PersistentVolume", "PersistentVolumeClaim"):  # PrepareForCreate
            obj["status"] = {"phase": "Pending"}
        if kind == "Namespace":  # the namespace registry's PrepareForCreate
            obj["status"] = {"phase": "Active"}
        if kind == "Pod":
            obj["status"] = {"phase": "Pending", "qosClass": qos_class(obj)}
        # The registries reset status to its empty struct, which serialises as these.
        if kind == "Deployment":
            obj["status"] = {}
        if kind == "Service":
            obj["status"] = {"loadBalancer": {}}
        if dry_run:
            return WriteResult(obj, "created (dry run)", warnings)
        if kind == "Pod":
            self.shared_parts.share_pod(obj)
        try:
            stored = self.ctx.store.create(obj)
        except Conflict as exc:  # pragma: no cover - checked above
            raise errors.already_exists(kind, name) from exc
        self._log("POST", stored)
        return WriteResult(stored, "created", warnings)

    def _admission_toleration_seconds(self, pod: Obj, given: list[Obj]) -> None:
        """DefaultTolerationSeconds uses the API server's configured value (300 s by default)."""
        seconds = self.ctx.timings.default_toleration_seconds
        for toleration in (pod.get("spec") or {}).get("tolerations") or []:
            added = toleration not in given
            if added and toleration.get("key") in _ADMISSION_TOLERATIONS:
                toleration["tolerationSeconds"] = seconds

    def _allocate_service(self, obj: Obj, dry_run: bool) -> Obj:
        spec = obj.setdefault("spec", {})
        try:
            if spec.get("clusterIP") != "None" and spec.get("type") != "ExternalName":
                ip = self.addresses.allocate_ip(self.ctx.rng, spec.get("clusterIP") or None)
                spec["clusterIP"] = ip
                spec["clusterIPs"] = [ip]
            if spec.get("type") in ("NodePort", "LoadBalancer"):
                for port in spec.get("ports") or []:
                    port["nodePort"] = self.addresses.allocate_node_port(
                        self.ctx.rng, port.get("nodePort")
                    )
        except IpamError as exc:
            raise errors.invalid(
                f'The Service "{obj["metadata"].get("name")}" is invalid: {exc}'
            ) from exc
        if dry_run:
            self.addresses.release(obj)
        return obj

    # -- update / apply / patch -------------------------------------------------------------
    def replace(self, obj: Obj, *, dry_run: bool = False) -> WriteResult:
        """PUT: replace the spec and metadata of an existing object (status is kept)."""
        kind, ns, name = object_key(obj)
        live = self.ctx.store.get(kind, ns, name)
        if live is None:
            raise errors.not_found(kind, name)
        new = defaults.apply_defaults(obj)  # returns a deep copy
        new_meta = new.setdefault("metadata", {})
        for key in (
            "uid",
            "creationTimestamp",
            "generation",
            "namespace",
            "deletionTimestamp",  # a client cannot undo a deletion by leaving these out
            "deletionGracePeriodSeconds",
        ):
            if key in live["metadata"]:
                new_meta[key] = live["metadata"][key]
        if "status" in live:
            new["status"] = live["status"]
        if kind == "Service":
            for key in ("clusterIP", "clusterIPs"):
                if key in live.get("spec", {}):
                    new["spec"][key] = live["spec"][key]
        warnings = self._validate(new, live)
        if _same(new, live):
            return WriteResult(live, "unchanged", warnings)
        if dry_run:
            return WriteResult(new, "replaced (dry run)", warnings)
        stored = self.ctx.store.update(new)
        self._log("PUT", stored)
        self._finish_if_finalized(stored)
        return WriteResult(stored, "replaced", warnings)

    def apply(self, obj: Obj, *, dry_run: bool = False) -> WriteResult:
        """Client-side apply: create with the last-applied annotation, or three-way merge."""
        desired = copy.deepcopy(obj)
        annotation = merge.last_applied_json(desired)
        desired.setdefault("metadata", {}).setdefault("annotations", {})[merge.LAST_APPLIED] = (
            annotation
        )
        kind, ns, name = object_key(desired)
        live = self.ctx.store.get(kind, ns, name)
        if live is None:
            result = self.create(desired, dry_run=dry_run)
            return WriteResult(result.obj, "created", result.warnings)
        last_text = ((live.get("metadata") or {}).get("annotations") or {}).get(merge.LAST_APPLIED)
        last = json.loads(last_text) if last_text else None
        merged = merge.three_way_merge(last, live, desired)
        result = self.replace(merged, dry_run=dry_run)
        op = "unchanged" if result.op == "unchanged" else "configured"
        return WriteResult(result.obj, op, result.warnings)

    def patch(self, kind: str, namespace: str, name: str, patch: Obj) -> WriteResult:
        """JSON merge patch (RFC 7386) on an existing object."""
        live = self.ctx.store.get(kind, namespace, name)
        if live is None:
            raise errors.not_found(kind, name)
        patched = merge.json_merge_patch(live, patch)  # returns a new object
        result = self.replace(patched)
        return WriteResult(
            result.obj,
            "patched" if result.op != "unchanged" else "patched (no change)",
            result.warnings,
        )

    def scale(self, kind: str, namespace: str, name: str, replicas: int) -> WriteResult:
        """The scale subresource: set ``spec.replicas``."""
        live = self.ctx.store.get(kind, namespace, name)
        if live is None:
            raise errors.not_found(kind, name)
        if not INT32_MIN <= replicas <= INT32_MAX:  # the Scale object's field is an int32
            raise errors.bad_request(
                f"json: cannot unmarshal number {replicas} into Go struct field "
                "ScaleSpec.spec.replicas of type int32"
            )
        new = {**live, "spec": {**live["spec"], "replicas": replicas}}
        self._validate(new, live)
        stored = self.ctx.store.update(new)
        self._log("PATCH", stored)
        return WriteResult(stored, "scaled")

    def update_status(self, obj: Obj) -> Obj:
        """Status writes from controllers (no validation of spec, no generation bump)."""
        return self.ctx.store.update(obj, spec_changed=False)

    # -- delete -----------------------------------------------------------------------------
    def delete(
        self,
        kind: str,
        namespace: str,
        name: str,
        *,
        grace_period: int | None = None,
        force: bool = False,
        propagation: str = "Background",
    ) -> Obj:
        """DELETE: graceful for bound pods, immediate otherwise; dependents follow."""
        live = self.ctx.store.get(kind, namespace, name)
        if live is None:
            raise errors.not_found(kind, name)
        if kind == "Namespace" and name in IMMORTAL_NAMESPACES:
            # The NamespaceLifecycle admission plugin keeps these whatever the caller asks.
            raise errors.forbidden(
                f"namespaces {go_quote(name)} is forbidden: this namespace may not be deleted"
            )
        self._log("DELETE", live)
        if kind == "Pod":
            return self._delete_pod(live, grace_period, force)
        if live["metadata"].get("finalizers") and kind != "Namespace":
            return self._mark_deleted(live)
        removed = self.ctx.store.delete(kind, namespace, name)
        if kind == "Service":
            self.addresses.release(removed)
        if kind == "Namespace":
            self._empty_namespace(name)
        self._collect_dependents(removed, propagation)
        return removed

    def _mark_deleted(self, live: Obj) -> Obj:
        """An object with finalizers is only marked: it goes once they are all removed."""
        if live["metadata"].get("deletionTimestamp"):
            return live
        meta = {
            **live["metadata"],
            "deletionTimestamp": to_timestamp(self.ctx.now),
            "deletionGracePeriodSeconds": 0,
        }
        return self.ctx.store.update({**live, "metadata": meta})

    def remove_finalizer(self, obj: Obj, finalizer: str) -> None:
        """A controller is done with ``obj``: drop its finalizer (deleting a marked object
        that has none left)."""
        meta = obj["metadata"]
        kept = [f for f in meta.get("finalizers") or [] if f != finalizer]
        new_meta = {k: v for k, v in meta.items() if k != "finalizers"}
        if kept:
            new_meta["finalizers"] = kept
        stored = self.ctx.store.update({**obj, "metadata": new_meta}, spec_changed=False)
        self._finish_if_finalized(stored)

    def _finish_if_finalized(self, obj: Obj) -> None:
        meta = obj["metadata"]
        if obj.get("kind") in ("Pod", "Namespace") or not meta.get("deletionTimestamp"):
            return  # (pods finish through the kubelet, namespaces by emptying)
        if meta.get("finalizers"):
            return
        kind, ns, name = object_key(obj)
        removed = self.ctx.store.delete(kind, ns, name)
        self._collect_dependents(removed, "Background")

    def _delete_pod(self, pod: Obj, grace_period: int | None, force: bool) -> Obj:
        meta = pod["metadata"]
        ns, name = meta.get("namespace", "default"), meta["name"]
        grace = grace_period
        if grace is None:
            grace = int(
                pod["spec"].get(
                    "terminationGracePeriodSeconds", self.ctx.timings.termination_grace_period
                )
            )
        unbound = not pod["spec"].get("nodeName")
        terminal = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
        if (force and grace == 0) or unbound or terminal:
            return self.ctx.store.delete("Pod", ns, name)
        if meta.get("deletionTimestamp"):
            return pod  # already terminating; the kubelet finishes it
        grace = max(grace, 1)  # a graceful delete never asks for less than a second
        new_meta = {
            **meta,
            "deletionTimestamp": to_timestamp(self.ctx.now + grace * 1000),
            "deletionGracePeriodSeconds": grace,
        }
        return self.ctx.store.update({**pod, "metadata": new_meta})

    def _empty_namespace(self, namespace: str) -> None:
        for kind in self.ctx.store.kinds():
            if kind in CLUSTER_SCOPED:
                continue
            for obj in self.ctx.store.list(kind, namespace):
                name = obj["metadata"]["name"]
                if self.ctx.store.get(kind, namespace, name) is not None:
                    if kind == "Pod":
                        self._delete_pod(obj, 0, True)
                    else:
                        self.ctx.store.delete(kind, namespace, name)

    def _collect_dependents(self, owner: Obj, propagation: str) -> None:
        """The garbage collector: dependents of a deleted owner are deleted or orphaned."""
        uid = str(owner["metadata"].get("uid"))
        for obj in self.ctx.store.owned(uid):
            kind = obj["kind"]
            ns = obj["metadata"].get("namespace", "default")
            refs = obj["metadata"].get("ownerReferences") or []
            if propagation == "Orphan":
                kept = [r for r in refs if r.get("uid") != uid]
                meta = {k: v for k, v in obj["metadata"].items() if k != "ownerReferences"}
                if kept:
                    meta["ownerReferences"] = kept
                self.ctx.store.update({**obj, "metadata": meta})
            elif self.ctx.store.get(kind, ns, obj["metadata"]["name"]) is not None:
                self.delete(kind, ns, obj["metadata"]["name"])

    def to_json(self) -> dict[str, Any]:
        """Plain-data state."""
        return {"addresses": self.addresses.to_json()}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.addresses.load_json(data["addresses"])


def _same(a: Obj, b: Obj) -> bool:
    def strip(o: Obj) -> Obj:
        meta = {k: v for k, v in (o.get("metadata") or {}).items() if k != "resourceVersion"}
        # A write that only renews managedFields times is a no-op (as on a real API server),
        # but a new manager or a change of ownership (a server-side apply) is stored.
        meta["managedFields"] = [
            {k: v for k, v in entry.items() if k != "time"} if isinstance(entry, dict) else entry
            for entry in meta.get("managedFields") or []
        ]
        return {**{k: v for k, v in o.items() if k != "status"}, "metadata": meta}

    return strip(a) == strip(b)
