"""Rules for the pod controllers: ReplicationController, ReplicaSet and Deployment."""

from __future__ import annotations

import re
from typing import Any

from k8stui.engine.apiserver.validation.field_checks import (
    MSG_NONNEGATIVE,
    Obj,
    as_dict,
    check_nonnegative,
    is_int,
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
    go_quote,
    go_value,
)
from k8stui.engine.apiserver.validation.label_selectors import (
    check_label_selector,
    selector_literal,
    selector_matches,
)
from k8stui.engine.apiserver.validation.pod_rules import validate_pod_spec

_PERCENT = re.compile(r"[0-9]+%\Z")
MSG_SELECTOR_MISMATCH = "`selector` does not match template `labels`"


def _template(errs: list[FieldError], template: Any, owner: str, matches: bool | None) -> None:
    """Pod template checks shared by RC, RS and Deployment; ``matches`` None = no selector."""
    path = "spec.template"
    tmpl = as_dict(template)
    meta = as_dict(tmpl.get("metadata"))
    labels = meta.get("labels")
    if matches is False:
        shown = (
            GoLiteral(go_value(str_map(labels)))
            if labels is not None
            else GoLiteral("map[string]string(nil)")
        )
        errs.append(FieldError(f"{path}.metadata.labels", INVALID, shown, MSG_SELECTOR_MISMATCH))
    errs += validate_labels(labels, f"{path}.metadata.labels")
    spec = as_dict(tmpl.get("spec"))
    errs += validate_pod_spec(spec, f"{path}.spec", template=True)
    policy = spec.get("restartPolicy")
    if policy is not None and policy != "Always":
        errs.append(
            FieldError(
                f"{path}.spec.restartPolicy", UNSUPPORTED, policy, 'supported values: "Always"'
            )
        )
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            FieldError(
                f"{path}.spec.activeDeadlineSeconds",
                FORBIDDEN,
                detail=f"activeDeadlineSeconds in {owner} is not Supported",
            )
        )


def check_replica_set(obj: Obj, errs: list[FieldError]) -> None:
    """ReplicaSet rules (Deployment shares them): counts, selector, template."""
    spec = as_dict(obj.get("spec"))
    check_nonnegative(errs, "spec.replicas", spec.get("replicas"))
    check_nonnegative(errs, "spec.minReadySeconds", spec.get("minReadySeconds"))
    selector = spec.get("selector")
    if selector is None:
        errs.append(FieldError("spec.selector", REQUIRED))
        matches: bool | None = False  # a missing selector matches nothing
    else:
        selector = as_dict(selector)
        check_label_selector(errs, selector, "spec.selector")
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(
                FieldError(
                    "spec.selector",
                    INVALID,
                    selector_literal(selector),
                    "empty selector is invalid for deployment",
                )
            )
            matches = None
        else:
            labels = str_map(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
            matches = selector_matches(selector, labels)
    # The template is a struct, not a pointer, in apps/v1: a missing one is simply empty.
    _template(errs, spec.get("template"), "ReplicaSet", matches)


def _int_or_string_literal(value: Any) -> GoLiteral:
    if isinstance(value, str):
        return GoLiteral(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}")
    return GoLiteral(f'intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:""}}')


def _percent_value(value: Any) -> int | None:
    if is_int(value):
        return int(value)
    if isinstance(value, str) and _PERCENT.match(value):
        return int(value[:-1])
    return None


def _rolling_update(errs: list[FieldError], rolling: Obj, path: str) -> None:
    parsed: dict[str, int | None] = {}
    for key in ("maxUnavailable", "maxSurge"):
        value = rolling.get(key)
        if value is None:
            parsed[key] = None
            continue
        number = _percent_value(value)
        if number is None:
            errs.append(
                FieldError(
                    f"{path}.{key}",
                    INVALID,
                    _int_or_string_literal(value),
                    "must be an integer or percentage (e.g '5%')",
                )
            )
        elif number < 0:
            errs.append(FieldError(f"{path}.{key}", INVALID, number, MSG_NONNEGATIVE))
        parsed[key] = number
    if parsed["maxUnavailable"] == 0 and parsed["maxSurge"] == 0:
        errs.append(
            FieldError(
                f"{path}.maxUnavailable",
                INVALID,
                _int_or_string_literal(rolling.get("maxUnavailable")),
                "may not be 0 when `maxSurge` is 0",
            )
        )
    unavailable = rolling.get("maxUnavailable")
    if isinstance(unavailable, str) and (parsed["maxUnavailable"] or 0) > 100:
        errs.append(
            FieldError(
                f"{path}.maxUnavailable",
                INVALID,
                _int_or_string_literal(unavailable),
                "must not be greater than 100%",
            )
        )


def rolling_update_rules(errs: list[FieldError], rolling: Obj, path: str) -> None:
    """maxUnavailable / maxSurge checks (shared with DaemonSets)."""
    _rolling_update(errs, rolling, path)


def check_deployment(obj: Obj, errs: list[FieldError]) -> None:
    """Deployment rules: the ReplicaSet ones plus strategy and deadlines."""
    check_replica_set(obj, errs)
    spec = as_dict(obj.get("spec"))
    strategy = spec.get("strategy")
    if isinstance(strategy, dict) and strategy.get("type") is not None:
        kind = strategy.get("type")
        rolling = strategy.get("rollingUpdate")
        if kind == "Recreate":
            if rolling is not None:
                errs.append(
                    FieldError(
                        "spec.strategy.rollingUpdate",
                        FORBIDDEN,
                        detail="may not be specified when strategy `type` is 'Recreate'",
                    )
                )
        elif kind == "RollingUpdate":
            _rolling_update(errs, as_dict(rolling), "spec.strategy.rollingUpdate")
        else:
            shown = GoLiteral(
                f"apps.DeploymentStrategy{{Type:{go_quote(str(kind))}, "
                "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}"
            )
            errs.append(
                FieldError(
                    "spec.strategy",
                    UNSUPPORTED,
                    shown,
                    'supported values: "Recreate", "RollingUpdate"',
                )
            )
    check_nonnegative(errs, "spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if is_int(deadline):
        check_nonnegative(errs, "spec.progressDeadlineSeconds", deadline)
        min_ready_value = spec.get("minReadySeconds")
        min_ready = min_ready_value if is_int(min_ready_value) else 0
        if deadline <= min_ready:
            errs.append(
                FieldError(
                    "spec.progressDeadlineSeconds",
                    INVALID,
                    deadline,
                    "must be greater than minReadySeconds",
                )
            )


def check_replication_controller(obj: Obj, errs: list[FieldError]) -> None:
    """ReplicationController rules: counts, map selector, template."""
    spec = as_dict(obj.get("spec"))
    check_nonnegative(errs, "spec.minReadySeconds", spec.get("minReadySeconds"))
    check_nonnegative(errs, "spec.replicas", spec.get("replicas"))
    selector = str_map(spec.get("selector"))
    template = spec.get("template")
    # Before defaulting an empty selector is taken from the template labels.
    if not selector and template is not None:
        selector = str_map(as_dict(as_dict(template).get("metadata")).get("labels"))
    if not selector:
        errs.append(FieldError("spec.selector", REQUIRED))
    errs += validate_labels(spec.get("selector"), "spec.selector")
    if template is None:
        errs.append(FieldError("spec.template", REQUIRED))
        return
    labels = str_map(as_dict(as_dict(template).get("metadata")).get("labels"))
    matches = None if not selector else all(labels.get(k) == v for k, v in selector.items())
    _template(errs, template, "ReplicationController", matches)
