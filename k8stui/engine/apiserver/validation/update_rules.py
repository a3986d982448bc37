"""Update-only rules: what an update may not change (pod spec fields, controller selectors)."""

from __future__ import annotations

import json
from typing import Any

from k8stui.engine.apiserver.validation.field_checks import Obj, as_dict, as_list, is_int, str_map
from k8stui.engine.apiserver.validation.field_errors import FORBIDDEN, INVALID, REQUIRED, FieldError
from k8stui.engine.apiserver.validation.job_rules import job_update
from k8stui.engine.apiserver.validation.label_selectors import selector_literal
from k8stui.engine.apiserver.validation.statefulset_rules import stateful_set_update
from k8stui.engine.apiserver.validation.storage_rules import claim_update

MSG_IMMUTABLE = "field is immutable"
MSG_POD_UPDATE = (
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
    "set to 1 if it was previously negative)"
)


def _normalized_selector(selector: Any) -> Obj:
    selector = as_dict(selector)
    return {
        "matchLabels": str_map(selector.get("matchLabels")),
        "matchExpressions": as_list(selector.get("matchExpressions")),
    }


def _pod_spec_update(old: Obj, new: Obj) -> list[FieldError]:
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))
    errs: list[FieldError] = []
    # Re-apply the mutable fields of the new spec onto a copy of the old one: if anything
    # else differs, the update touched an immutable field.
    munged = json.loads(json.dumps(new_spec))
    for group in ("containers", "initContainers"):
        old_list, new_list = as_list(old_spec.get(group)), as_list(munged.get(group))
        for i, ctr in enumerate(new_list):
            if i < len(old_list) and isinstance(ctr, dict) and isinstance(old_list[i], dict):
                if not ctr.get("image"):
                    errs.append(FieldError(f"spec.{group}[{i}].image", REQUIRED))
                ctr["image"] = old_list[i].get("image")
    old_deadline, new_deadline = (
        old_spec.get("activeDeadlineSeconds"),
        munged.get("activeDeadlineSeconds"),
    )
    if is_int(new_deadline) and (
        old_deadline is None or (is_int(old_deadline) and new_deadline <= old_deadline)
    ):
        munged["activeDeadlineSeconds"] = old_deadline
        if old_deadline is None:
            munged.pop("activeDeadlineSeconds")
    old_tolerations = as_list(old_spec.get("tolerations"))
    if all(t in as_list(munged.get("tolerations")) for t in old_tolerations):
        munged["tolerations"] = old_spec.get("tolerations")
        if "tolerations" not in old_spec:
            munged.pop("tolerations", None)
    grace_old = old_spec.get("terminationGracePeriodSeconds")
    if is_int(grace_old) and grace_old < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = grace_old
    # Fields the system sets after creation (binding) are not the user's to repeat.
    for system_field in ("nodeName",):
        if system_field not in munged and system_field in old_spec:
            munged[system_field] = old_spec[system_field]
    if munged != old_spec:
        errs.append(FieldError("spec", FORBIDDEN, detail=MSG_POD_UPDATE))
    return errs


def validate_update(old: Obj, new: Obj) -> list[FieldError]:
    """Update-only rules: immutable pod spec fields and immutable controller selectors."""
    kind = new.get("kind") if isinstance(new.get("kind"), str) else ""
    if kind == "Pod":
        return _pod_spec_update(old, new)
    if kind == "Job":
        return job_update(old, new)
    if kind == "PersistentVolumeClaim":
        return claim_update(old, new)
    if kind == "StatefulSet":
        return stateful_set_update(old, new)
    if kind in ("ReplicaSet", "Deployment"):
        old_sel = as_dict(old.get("spec")).get("selector")
        new_sel = as_dict(new.get("spec")).get("selector")
        if _normalized_selector(old_sel) != _normalized_selector(new_sel):
            return [FieldError("spec.selector", INVALID, selector_literal(new_sel), MSG_IMMUTABLE)]
    return []
