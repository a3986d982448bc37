"""Rules for Jobs and the job template of CronJobs (upstream ``ValidateJob`` / ``ValidateJobSpec``)."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.validation.field_checks import (
    Obj,
    as_dict,
    as_list,
    check_enum,
    check_nonnegative,
    is_int,
    str_map,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import (
    INVALID,
    REQUIRED,
    UNSUPPORTED,
    FieldError,
    GoLiteral,
    go_value,
)
from k8stui.engine.apiserver.validation.label_selectors import (
    check_label_selector,
    selector_literal,
    selector_matches,
)
from k8stui.engine.apiserver.validation.pod_rules import validate_pod_spec

MSG_IMMUTABLE = "field is immutable"
MSG_SELECTOR_MISMATCH = "`selector` does not match template `labels`"
_POLICY_ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]


def _template(errs: list[FieldError], spec: Obj, path: str) -> None:
    template = as_dict(spec.get("template"))
    labels = as_dict(template.get("metadata")).get("labels")
    errs += validate_labels(labels, f"{path}.template.metadata.labels")
    pod_spec = as_dict(template.get("spec"))
    errs += validate_pod_spec(pod_spec, f"{path}.template.spec", template=True)
    policy = pod_spec.get("restartPolicy")
    if policy is None:
        return
    if policy not in ("OnFailure", "Never"):
        errs.append(
            FieldError(
                f"{path}.template.spec.restartPolicy",
                UNSUPPORTED,
                policy,
                'supported values: "OnFailure", "Never"',
            )
        )
    elif spec.get("podFailurePolicy") is not None and policy != "Never":
        errs.append(
            FieldError(
                f"{path}.template.spec.restartPolicy",
                INVALID,
                policy,
                'only "Never" is supported when podFailurePolicy is specified',
            )
        )


def _pod_failure_policy(errs: list[FieldError], policy: Any, path: str) -> None:
    for i, rule in enumerate(as_list(as_dict(policy).get("rules"))):
        rule = as_dict(rule)
        at = f"{path}.rules[{i}]"
        action = rule.get("action")
        if action is None:
            errs.append(FieldError(f"{at}.action", REQUIRED))
        else:
            check_enum(errs, f"{at}.action", action, _POLICY_ACTIONS)
        codes = rule.get("onExitCodes")
        if codes is None:
            continue
        codes = as_dict(codes)
        check_enum(errs, f"{at}.onExitCodes.operator", codes.get("operator"), ["In", "NotIn"])
        values = as_list(codes.get("values"))
        if not values:
            errs.append(FieldError(f"{at}.onExitCodes.values", REQUIRED))
        for j, value in enumerate(values):
            if codes.get("operator") == "In" and value == 0:
                errs.append(
                    FieldError(
                        f"{at}.onExitCodes.values[{j}]",
                        INVALID,
                        0,
                        "must not be 0 for the In operator",
                    )
                )


def check_job_spec(errs: list[FieldError], spec: Any, path: str) -> None:
    """A JobSpec at ``path`` (a generated selector matches its template by construction)."""
    spec = as_dict(spec)
    for field in ("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"):
        check_nonnegative(errs, f"{path}.{field}", spec.get(field))
    deadline = spec.get("activeDeadlineSeconds")
    if is_int(deadline) and deadline <= 0:
        errs.append(
            FieldError(f"{path}.activeDeadlineSeconds", INVALID, deadline, "must be greater than 0")
        )
    mode = spec.get("completionMode")
    check_enum(errs, f"{path}.completionMode", mode, ["NonIndexed", "Indexed"])
    if mode == "Indexed" and spec.get("completions") is None:
        errs.append(
            FieldError(f"{path}.completions", REQUIRED, detail="when completion mode is Indexed")
        )
    check_enum(
        errs,
        f"{path}.podReplacementPolicy",
        spec.get("podReplacementPolicy"),
        ["Failed", "TerminatingOrFailed"],
    )
    if spec.get("podFailurePolicy") is not None:
        _pod_failure_policy(errs, spec["podFailurePolicy"], f"{path}.podFailurePolicy")
    selector = spec.get("selector")
    labels = str_map(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
    if selector is None:
        if spec.get("manualSelector") is True:
            errs.append(FieldError(f"{path}.selector", REQUIRED))
    else:
        selector = as_dict(selector)
        check_label_selector(errs, selector, f"{path}.selector")
        if not selector_matches(selector, labels):
            shown = GoLiteral(go_value(labels)) if labels else GoLiteral("map[string]string(nil)")
            errs.append(
                FieldError(
                    f"{path}.template.metadata.labels", INVALID, shown, MSG_SELECTOR_MISMATCH
                )
            )
    _template(errs, spec, path)


def check_job(obj: Obj, errs: list[FieldError]) -> None:
    """Job rules (create)."""
    spec = as_dict(obj.get("spec"))
    check_job_spec(errs, spec, "spec")


def job_update(old: Obj, new: Obj) -> list[FieldError]:
    """What a Job update may not change: selector, completion mode, completions, template."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))
    errs: list[FieldError] = []
    if as_dict(old_spec.get("selector")) != as_dict(new_spec.get("selector")):
        errs.append(
            FieldError(
                "spec.selector", INVALID, selector_literal(new_spec.get("selector")), MSG_IMMUTABLE
            )
        )
    for field in ("completionMode", "completions"):
        if old_spec.get(field) != new_spec.get(field):
            errs.append(FieldError(f"spec.{field}", INVALID, new_spec.get(field), MSG_IMMUTABLE))
    if old_spec.get("template") != new_spec.get("template"):
        # The server prints the whole core.PodTemplateSpec here; we name the type only.
        errs.append(
            FieldError(
                "spec.template", INVALID, GoLiteral("core.PodTemplateSpec{...}"), MSG_IMMUTABLE
            )
        )
    return errs
