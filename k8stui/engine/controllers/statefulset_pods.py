"""What the StatefulSet controller builds (pure): ordinals, revisions, pods and their claims.

Upstream ``pkg/controller/statefulset/stateful_set_utils.go``: pod ``<set>-<ordinal>`` with
hostname = its name and subdomain = the governing Service; one claim per claim template
named ``<template>-<pod>``, labelled with the set's selector; the revision is a hash of the
pod template, stored in a ControllerRevision and carried by each pod in
``controller-revision-hash``.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

Obj = dict[str, Any]
REVISION_LABEL = "controller-revision-hash"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
_SAFE = "bcdfghjklmnpqrstvwxz2456789"


def ordinal(set_name: str, pod: Obj) -> int | None:
    """The ordinal of a pod named ``<set>-<n>``, else None."""
    match = re.fullmatch(re.escape(set_name) + r"-(\d+)", pod["metadata"]["name"])
    return int(match.group(1)) if match else None


def revision_name(sts: Obj, template: Obj) -> str:
    """``<set>-<hash>``: the ControllerRevision (and pod label) of a pod template."""
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode()).digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(10):  # upstream renders a 32-bit FNV hash with the safe alphabet
        value, rest = divmod(value, len(_SAFE))
        chars.append(_SAFE[rest])
    return f"{sts['metadata']['name']}-{''.join(chars)}"


def claim_name(template: Obj, pod_name: str) -> str:
    """``<claim template>-<pod>``."""
    return f"{template['metadata']['name']}-{pod_name}"


def claim_for(sts: Obj, template: Obj, pod_name: str) -> Obj:
    """The claim a pod of the set gets from one of its claim templates."""
    meta = template.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    labels.update(((sts.get("spec") or {}).get("selector") or {}).get("matchLabels") or {})
    claim_meta: Obj = {
        "name": claim_name(template, pod_name),
        "namespace": sts["metadata"].get("namespace", "default"),
        "labels": labels,
    }
    if meta.get("annotations"):
        claim_meta["annotations"] = dict(meta["annotations"])
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": claim_meta,
        "spec": json.loads(json.dumps(template.get("spec") or {})),
    }


def pod_for(sts: Obj, template: Obj, index: int, revision: str, owner: Obj) -> Obj:
    """Pod ``<set>-<index>`` from ``template`` at ``revision``, with its claims mounted."""
    spec = sts.get("spec") or {}
    name = f"{sts['metadata']['name']}-{index}"
    tmeta = template.get("metadata") or {}
    labels = {
        **(tmeta.get("labels") or {}),
        REVISION_LABEL: revision,
        POD_NAME_LABEL: name,
        POD_INDEX_LABEL: str(index),
    }
    meta: Obj = {
        "name": name,
        "namespace": sts["metadata"].get("namespace", "default"),
        "labels": labels,
        "ownerReferences": [owner],
    }
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    pod_spec = json.loads(json.dumps(template.get("spec") or {}))
    pod_spec["hostname"] = name
    if spec.get("serviceName"):
        pod_spec["subdomain"] = spec["serviceName"]
    claims = {c["metadata"]["name"]: c for c in spec.get("volumeClaimTemplates") or []}
    volumes = [v for v in pod_spec.get("volumes") or [] if v.get("name") not in claims]
    for claim_template_name, claim_template in claims.items():
        volumes.append(
            {
                "name": claim_template_name,
                "persistentVolumeClaim": {"claimName": claim_name(claim_template, name)},
            }
        )
    if volumes:
        pod_spec["volumes"] = volumes
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec}


def controller_revision(sts: Obj, name: str, template: Obj, number: int, owner: Obj) -> Obj:
    """The ControllerRevision holding one template of the set."""
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {
            "name": name,
            "namespace": sts["metadata"].get("namespace", "default"),
            "labels": dict(
                ((sts.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
            ),
            "ownerReferences": [owner],
        },
        "data": {"spec": {"template": {**template, "$patch": "replace"}}},
        "revision": number,
    }
