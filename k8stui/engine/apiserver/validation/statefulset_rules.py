"""Rules for StatefulSets (upstream ``ValidateStatefulSet`` / ``ValidateStatefulSetUpdate``)."""

from __future__ import annotations

from k8stui.engine.apiserver.validation.field_checks import (
    Obj,
    as_dict,
    as_list,
    check_enum,
    check_nonnegative,
    str_map,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import (
    FORBIDDEN,
    INVALID,
    REQUIRED,
    UNSUPPORTED,
    FieldError,
    GoLiteral,
    go_value,
)
from k8stui.engine.apiserver.validation.label_selectors import (
    check_label_selector,
    selector_matches,
)
from k8stui.engine.apiserver.validation.pod_rules import validate_pod_spec
from k8stui.engine.apiserver.validation.storage_rules import check_persistent_volume_claim

MSG_SELECTOR_MISMATCH = "`selector` does not match template `labels`"
MSG_UPDATE = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
    "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
)
_MUTABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def check_stateful_set(obj: Obj, errs: list[FieldError]) -> None:
    """StatefulSet rules (create): policies, selector, template, claim templates."""
    spec = as_dict(obj.get("spec"))
    check_nonnegative(errs, "spec.replicas", spec.get("replicas"))
    check_nonnegative(errs, "spec.minReadySeconds", spec.get("minReadySeconds"))
    check_enum(
        errs,
        "spec.podManagementPolicy",
        spec.get("podManagementPolicy"),
        ["OrderedReady", "Parallel"],
    )
    strategy = as_dict(spec.get("updateStrategy"))
    check_enum(
        errs, "spec.updateStrategy.type", strategy.get("type"), ["RollingUpdate", "OnDelete"]
    )
    if strategy.get("type") == "OnDelete" and strategy.get("rollingUpdate") is not None:
        errs.append(
            FieldError(
                "spec.updateStrategy.rollingUpdate",
                INVALID,
                GoLiteral("apps.RollingUpdateStatefulSetStrategy{...}"),
                "only allowed for updateStrategy 'RollingUpdate'",
            )
        )
    check_nonnegative(
        errs,
        "spec.updateStrategy.rollingUpdate.partition",
        as_dict(strategy.get("rollingUpdate")).get("partition"),
    )
    for field in ("whenDeleted", "whenScaled"):
        check_enum(
            errs,
            f"spec.persistentVolumeClaimRetentionPolicy.{field}",
            as_dict(spec.get("persistentVolumeClaimRetentionPolicy")).get(field),
            ["Retain", "Delete"],
        )
    template = as_dict(spec.get("template"))
    labels = str_map(as_dict(template.get("metadata")).get("labels"))
    selector = spec.get("selector")
    if selector is None:
        errs.append(FieldError("spec.selector", REQUIRED))
    else:
        check_label_selector(errs, as_dict(selector), "spec.selector")
        if not selector_matches(as_dict(selector), labels):
            shown = GoLiteral(go_value(labels)) if labels else GoLiteral("map[string]string(nil)")
            errs.append(
                FieldError("spec.template.metadata.labels", INVALID, shown, MSG_SELECTOR_MISMATCH)
            )
    errs += validate_labels(
        as_dict(template.get("metadata")).get("labels"), "spec.template.metadata.labels"
    )
    pod_spec = as_dict(template.get("spec"))
    # The claim templates count as the template's volumes (mounts may name them).
    claims = [
        {
            "name": as_dict(as_dict(c).get("metadata")).get("name"),
            "persistentVolumeClaim": {"claimName": "x"},
        }
        for c in as_list(spec.get("volumeClaimTemplates"))
    ]
    if claims:
        pod_spec = {**pod_spec, "volumes": [*as_list(pod_spec.get("volumes")), *claims]}
    errs += validate_pod_spec(pod_spec, "spec.template.spec", template=True)
    policy = pod_spec.get("restartPolicy")
    if policy is not None and policy != "Always":
        errs.append(
            FieldError(
                "spec.template.spec.restartPolicy",
                UNSUPPORTED,
                policy,
                'supported values: "Always"',
            )
        )
    for i, claim in enumerate(as_list(spec.get("volumeClaimTemplates"))):
        claim_errs: list[FieldError] = []
        check_persistent_volume_claim(as_dict(claim), claim_errs)
        prefix = f"spec.volumeClaimTemplates[{i}]."
        errs.extend(FieldError(prefix + e.path, e.type, e.value, e.detail) for e in claim_errs)


def stateful_set_update(old: Obj, new: Obj) -> list[FieldError]:
    """Only replicas, ordinals, template, update strategy, retention and minReadySeconds change."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))

    def frozen(spec: Obj) -> Obj:
        return {k: v for k, v in spec.items() if k not in _MUTABLE}

    if frozen(old_spec) != frozen(new_spec):
        return [FieldError("spec", FORBIDDEN, detail=MSG_UPDATE)]
    return []
