"""Which PersistentVolume can serve a claim (upstream ``findBestMatchForClaim``), pure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.engine.apimachinery.selectors import from_label_selector, matches_node_selector_terms

Obj = dict[str, Any]
HOSTNAME = "kubernetes.io/hostname"


def storage_of(resources: Any) -> Decimal:
    """The ``storage`` quantity of a capacity or requests map (0 when absent or malformed)."""
    value = (resources or {}).get("storage") if isinstance(resources, dict) else None
    try:
        return parse_quantity(value) if value is not None else Decimal(0)
    except (QuantityError, TypeError, ValueError):
        return Decimal(0)


def claim_class(claim: Obj) -> str:
    """The claim's class name (``""`` asks for a volume without a class)."""
    return str((claim.get("spec") or {}).get("storageClassName") or "")


def volume_class(volume: Obj) -> str:
    """The volume's class name (``""`` when it has none)."""
    return str((volume.get("spec") or {}).get("storageClassName") or "")


def node_allows(volume: Obj, node: Obj) -> bool:
    """The volume's required node affinity admits ``node`` (no affinity admits every node)."""
    required = ((volume.get("spec") or {}).get("nodeAffinity") or {}).get("required")
    if not required:
        return True
    meta = node.get("metadata") or {}
    return matches_node_selector_terms(
        required.get("nodeSelectorTerms"),
        meta.get("labels") or {},
        {"metadata.name": str(meta.get("name", ""))},
    )


def claim_ref_matches(volume: Obj, claim: Obj) -> bool:
    """The volume is pre-bound to this claim (by namespace/name, and uid when it has one)."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not ref:
        return False
    meta = claim["metadata"]
    same = ref.get("name") == meta["name"] and ref.get("namespace", "default") == meta.get(
        "namespace", "default"
    )
    return same and (not ref.get("uid") or ref.get("uid") == meta.get("uid"))


def volume_fits(volume: Obj, claim: Obj, node: Obj | None = None) -> bool:
    """Class, access modes, size, selector, mode and (with ``node``) node affinity all fit."""
    vspec, cspec = volume.get("spec") or {}, claim.get("spec") or {}
    ref = vspec.get("claimRef")
    if ref and not claim_ref_matches(volume, claim):
        return False
    phase = (volume.get("status") or {}).get("phase")
    if not ref and phase not in ("Available", "Pending", None):
        return False
    if volume["metadata"].get("deletionTimestamp") or volume_class(volume) != claim_class(claim):
        return False
    if not set(cspec.get("accessModes") or []) <= set(vspec.get("accessModes") or []):
        return False
    wanted = storage_of((cspec.get("resources") or {}).get("requests"))
    if storage_of(vspec.get("capacity")) < wanted:
        return False
    if vspec.get("volumeMode", "Filesystem") != cspec.get("volumeMode", "Filesystem"):
        return False
    selector = cspec.get("selector")
    labels = volume["metadata"].get("labels") or {}
    if selector and not from_label_selector(selector).matches(labels):
        return False
    return node is None or node_allows(volume, node)


def best_match(volumes: list[Obj], claim: Obj, node: Obj | None = None) -> Obj | None:
    """A volume pre-bound to the claim first, else the smallest that fits (then by name)."""
    fitting = [v for v in volumes if volume_fits(v, claim, node)]
    if not fitting:
        return None
    prebound = [v for v in fitting if claim_ref_matches(v, claim)]
    if prebound:
        return prebound[0]
    return min(
        fitting, key=lambda v: (storage_of(v["spec"].get("capacity")), v["metadata"]["name"])
    )


def claim_names(pod: Obj) -> list[str]:
    """Names of the claims a pod's volumes use, in volume order."""
    names = []
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        source = volume.get("persistentVolumeClaim")
        if isinstance(source, dict) and source.get("claimName"):
            names.append(str(source["claimName"]))
    return names
