"""The VolumeBinding plugin: claims a pod uses decide where it may run.

PreFilter: a missing claim, a claim being deleted, or an unbound claim of an Immediate class
rejects the pod on every node (``pod has unbound immediate PersistentVolumeClaims``).
Filter: a bound claim's volume must admit the node by its node affinity (``node(s) had volume
node affinity conflict``); an unbound WaitForFirstConsumer claim needs a fitting volume on the
node or a class that can provision (``node(s) didn't find available persistent volumes to
bind``). PreBind: once a node is picked, such claims are bound to a fitting volume there or
sent to their provisioner with the node selected, before the pod is bound.

The scheduler algorithm itself knows nothing of volumes: the loop narrows the pod's node
affinity to the nodes this plugin admits and merges the reasons into the message.
"""

from __future__ import annotations

import copy
from typing import Any

from k8stui.engine.context import EngineContext
from k8stui.engine.scheduler.filters import Failure
from k8stui.engine.scheduler.framework import Scheduler
from k8stui.engine.scheduler.messages import PREEMPTION_NOT_HELPFUL, fit_error
from k8stui.engine.storage import binding
from k8stui.engine.storage.matching import best_match, claim_class, claim_names, node_allows

Obj = dict[str, Any]
UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
NODE_CONFLICT = "node(s) had volume node affinity conflict"
NO_VOLUME = "node(s) didn't find available persistent volumes to bind"
NO_PROVISIONER = "kubernetes.io/no-provisioner"


def _claims(ctx: EngineContext, pod: Obj) -> list[tuple[str, Obj | None]]:
    ns = pod["metadata"].get("namespace", "default")
    return [(n, ctx.store.get("PersistentVolumeClaim", ns, n)) for n in claim_names(pod)]


def _class(ctx: EngineContext, claim: Obj) -> Obj | None:
    name = claim_class(claim)
    return ctx.store.get("StorageClass", "", name) if name else None


def _waits(ctx: EngineContext, claim: Obj) -> bool:
    storage_class = _class(ctx, claim)
    return (storage_class or {}).get("volumeBindingMode") == "WaitForFirstConsumer"


def _bound(claim: Obj) -> bool:
    return (
        bool((claim.get("spec") or {}).get("volumeName"))
        and (claim.get("status") or {}).get("phase") == "Bound"
    )


def prefilter(ctx: EngineContext, pod: Obj) -> str | None:
    """The PreFilter rejection for ``pod``, or None."""
    for name, claim in _claims(ctx, pod):
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found'
        if claim["metadata"].get("deletionTimestamp"):
            return f'persistentvolumeclaim "{name}" is being deleted'
    for _name, claim in _claims(ctx, pod):
        assert claim is not None
        if not _bound(claim) and not _waits(ctx, claim):
            return UNBOUND_IMMEDIATE
    return None


def node_failures(ctx: EngineContext, pod: Obj) -> dict[str, Failure]:
    """Nodes the pod's volumes rule out, with the reason (unresolvable by preemption)."""
    nodes = list(ctx.store.iter_kind("Node"))
    volumes = ctx.store.list("PersistentVolume")
    failures: dict[str, Failure] = {}
    for _name, claim in _claims(ctx, pod):
        if claim is None:
            continue
        if _bound(claim):
            volume = ctx.store.get("PersistentVolume", "", str(claim["spec"]["volumeName"]))
            for node in nodes:
                if volume is not None and not node_allows(volume, node):
                    failures.setdefault(node["metadata"]["name"], ((NODE_CONFLICT,), False))
            continue
        storage_class = _class(ctx, claim) or {}
        can_provision = storage_class.get("provisioner") not in (None, NO_PROVISIONER)
        for node in nodes:
            if not can_provision and best_match(volumes, claim, node) is None:
                failures.setdefault(node["metadata"]["name"], ((NO_VOLUME,), False))
    return failures


def narrowed(pod: Obj, allowed: list[str]) -> Obj:
    """``pod`` with its required node affinity limited to ``allowed`` node names."""
    out = copy.deepcopy(pod)
    affinity = out["spec"].setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    terms = required.get("nodeSelectorTerms") or [{}]
    pin = {"key": "metadata.name", "operator": "In", "values": list(allowed)}
    required["nodeSelectorTerms"] = [
        {**term, "matchFields": [*(term.get("matchFields") or []), pin]} for term in terms
    ]
    return out


def prebind(ctx: EngineContext, pod: Obj, node_name: str) -> None:
    """Bind or provision the pod's waiting claims for the chosen node."""
    node = ctx.store.get("Node", "", node_name)
    for _name, claim in _claims(ctx, pod):
        if claim is None or _bound(claim) or not _waits(ctx, claim):
            continue
        match = best_match(ctx.store.list("PersistentVolume"), claim, node)
        if match is not None:
            binding.bind(ctx, claim, match)
            continue
        storage_class = _class(ctx, claim)
        if storage_class is not None:
            binding.request_volume(ctx, claim, storage_class, node_name)


def _has_claims(pod: Obj) -> bool:
    return bool(claim_names(pod))


def schedule_volumes(ctx: EngineContext, algo: Scheduler, pod: Obj) -> str | None:
    """The FailedScheduling text when PreFilter rejects the pod, else None."""
    if not _has_claims(pod):
        return None
    rejection = prefilter(ctx, pod)
    if rejection is None:
        return None
    total = len(algo.node_names())
    available = f"0/{total} nodes are available:"
    return f"{available} {rejection}. preemption: {available} {total} {PREEMPTION_NOT_HELPFUL}.."


def narrow_for_volumes(ctx: EngineContext, algo: Scheduler, pod: Obj) -> Obj:
    """The pod as the algorithm should see it: only on nodes its volumes admit."""
    if not _has_claims(pod):
        return pod
    vetoed = node_failures(ctx, pod)
    if not vetoed:
        return pod
    return narrowed(pod, [n for n in algo.node_names() if n not in vetoed])


def merged_message(ctx: EngineContext, algo: Scheduler, pod: Obj, message: str) -> str:
    """The FailedScheduling text with the volume reasons where the other filters passed."""
    if not _has_claims(pod):
        return message
    vetoed = node_failures(ctx, pod)
    if not vetoed:
        return message
    failures: dict[str, Failure] = {}
    for node, reasons in algo.explain(pod).items():
        if reasons:
            resolvable = all(r.startswith("Insufficient ") or r == "Too many pods" for r in reasons)
            failures[node] = (tuple(reasons), resolvable)
        elif node in vetoed:
            failures[node] = vetoed[node]
    return fit_error(len(algo.node_names()), failures)
