"""Rules for a PodSpec: containers, ports, env, mounts, resources, volumes, tolerations."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.engine.apiserver.validation.field_checks import (
    MSG_NONNEGATIVE,
    Obj,
    add_invalid,
    as_dict,
    as_list,
    check_enum,
    check_nonnegative,
    check_port_number,
    is_int,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import (
    DUPLICATE,
    INVALID,
    NOT_FOUND,
    REQUIRED,
    FieldError,
    GoLiteral,
    go_quote,
)
from k8stui.engine.apiserver.validation.names import (
    dns1123_label,
    env_var_name,
    label_value,
    port_name,
    qualified_name,
)

PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]


def _container_ports(errs: list[FieldError], ports: Any, path: str) -> None:
    names: set[str] = set()
    for i, port in enumerate(as_list(ports)):
        port = as_dict(port)
        at = f"{path}[{i}]"
        name = port.get("name")
        if isinstance(name, str) and name:
            problems = port_name(name)
            if problems:
                add_invalid(errs, f"{at}.name", name, problems)
            elif name in names:
                errs.append(FieldError(f"{at}.name", DUPLICATE, name))
            names.add(name)
        number = port.get("containerPort")
        if number is None or number == 0:
            errs.append(FieldError(f"{at}.containerPort", REQUIRED))
        else:
            check_port_number(errs, f"{at}.containerPort", number)
        if port.get("hostPort"):
            check_port_number(errs, f"{at}.hostPort", port.get("hostPort"))
        check_enum(errs, f"{at}.protocol", port.get("protocol"), PROTOCOLS)


def _resources(errs: list[FieldError], resources: Any, path: str) -> None:
    limits = as_dict(as_dict(resources).get("limits"))
    parsed_limits: dict[str, Any] = {}
    for section in ("limits", "requests"):
        for name, text in as_dict(as_dict(resources).get(section)).items():
            at = f"{path}.{section}[{name}]"
            try:
                amount = parse_quantity(text)
            except (QuantityError, TypeError, AttributeError, ArithmeticError):
                continue  # the schema/decoder reports malformed quantities
            if amount < 0:
                errs.append(FieldError(at, INVALID, str(text), MSG_NONNEGATIVE))
            if section == "limits":
                parsed_limits[name] = amount
            elif name in parsed_limits and amount > parsed_limits[name]:
                detail = f"must be less than or equal to {name} limit of {limits[name]}"
                errs.append(FieldError(at, INVALID, str(text), detail))


def _unique_name(errs: list[FieldError], name: Any, at: str, names: set[str]) -> None:
    """A container or volume name: required, a DNS-1123 label, unique among ``names``."""
    if not name:
        errs.append(FieldError(f"{at}.name", REQUIRED))
    elif isinstance(name, str):
        add_invalid(errs, f"{at}.name", name, dns1123_label(name))
        if name in names:
            errs.append(FieldError(f"{at}.name", DUPLICATE, name))
        names.add(name)


def _container(
    errs: list[FieldError], ctr: Obj, at: str, names: set[str], volumes: set[str]
) -> None:
    _unique_name(errs, ctr.get("name"), at, names)
    image = ctr.get("image")
    if not image:
        errs.append(FieldError(f"{at}.image", REQUIRED))
    elif isinstance(image, str) and image != image.strip():
        errs.append(
            FieldError(
                f"{at}.image", INVALID, image, "must not have leading or trailing whitespace"
            )
        )
    _container_ports(errs, ctr.get("ports"), f"{at}.ports")
    for i, env in enumerate(as_list(ctr.get("env"))):
        env_name = as_dict(env).get("name")
        if not env_name:
            errs.append(FieldError(f"{at}.env[{i}].name", REQUIRED))
        elif isinstance(env_name, str):
            add_invalid(errs, f"{at}.env[{i}].name", env_name, env_var_name(env_name))
    mount_paths: set[str] = set()
    for i, mount in enumerate(as_list(ctr.get("volumeMounts"))):
        mount = as_dict(mount)
        mount_name, mount_path = mount.get("name"), mount.get("mountPath")
        if not mount_name:
            errs.append(FieldError(f"{at}.volumeMounts[{i}].name", REQUIRED))
        if not isinstance(mount_name, str) or mount_name not in volumes:
            errs.append(FieldError(f"{at}.volumeMounts[{i}].name", NOT_FOUND, mount_name or ""))
        if not mount_path:
            errs.append(FieldError(f"{at}.volumeMounts[{i}].mountPath", REQUIRED))
        elif isinstance(mount_path, str) and mount_path in mount_paths:
            errs.append(
                FieldError(
                    f"{at}.volumeMounts[{i}].mountPath", INVALID, mount_path, "must be unique"
                )
            )
        if isinstance(mount_path, str):
            mount_paths.add(mount_path)
    check_enum(errs, f"{at}.imagePullPolicy", ctr.get("imagePullPolicy"), PULL_POLICIES)
    _resources(errs, ctr.get("resources"), f"{at}.resources")


def _volumes(errs: list[FieldError], volumes: Any, path: str) -> set[str]:
    names: set[str] = set()
    for i, volume in enumerate(as_list(volumes)):
        volume = as_dict(volume)
        at = f"{path}[{i}]"
        _unique_name(errs, volume.get("name"), at, names)
        if not [k for k in volume if k != "name"]:
            errs.append(FieldError(at, REQUIRED, detail="must specify a volume type"))
    return names


def _toleration_literal(tol: Obj) -> GoLiteral:
    seconds = tol.get("tolerationSeconds")
    shown = f"(*int64)({seconds})" if seconds is not None else "(*int64)(nil)"
    return GoLiteral(
        f"core.Toleration{{Key:{go_quote(str(tol.get('key', '')))}, "
        f"Operator:{go_quote(str(tol.get('operator', '')))}, Value:{go_quote(str(tol.get('value', '')))}, "
        f"Effect:{go_quote(str(tol.get('effect', '')))}, TolerationSeconds:{shown}}}"
    )


def _tolerations(errs: list[FieldError], tolerations: Any, path: str) -> None:
    for i, tol in enumerate(as_list(tolerations)):
        tol = as_dict(tol)
        at = f"{path}[{i}]"
        key, operator = tol.get("key") or "", tol.get("operator") or ""
        value, effect = tol.get("value") or "", tol.get("effect") or ""
        if key:
            add_invalid(errs, f"{at}.key", key, qualified_name(str(key)))
        if not key and operator != "Exists":
            errs.append(
                FieldError(
                    f"{at}.operator",
                    INVALID,
                    operator,
                    'operator must be Exists when `key` is empty, which means "match all values '
                    'and all keys"',
                )
            )
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(
                FieldError(
                    f"{at}.effect",
                    INVALID,
                    effect,
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
            )
        if operator in ("Equal", ""):
            problems = label_value(str(value))
            if problems:
                errs.append(FieldError(f"{at}.operator", INVALID, value, ";".join(problems)))
        elif operator == "Exists":
            if value:
                errs.append(
                    FieldError(
                        f"{at}.operator",
                        INVALID,
                        _toleration_literal(tol),
                        "value must be empty when `operator` is 'Exists'",
                    )
                )
        else:
            check_enum(errs, f"{at}.operator", operator, ["Equal", "Exists"])
        if effect:
            check_enum(errs, f"{at}.effect", effect, TAINT_EFFECTS)


def validate_pod_spec(spec: Any, path: str, template: bool = False) -> list[FieldError]:
    """Validate a PodSpec at ``path`` (``spec`` or ``spec.template.spec``)."""
    spec = as_dict(spec)
    errs: list[FieldError] = []
    volumes = _volumes(errs, spec.get("volumes"), f"{path}.volumes")
    names: set[str] = set()
    containers = as_list(spec.get("containers"))
    if not containers:
        errs.append(FieldError(f"{path}.containers", REQUIRED))
    for i, ctr in enumerate(containers):
        _container(errs, as_dict(ctr), f"{path}.containers[{i}]", names, volumes)
    for i, ctr in enumerate(as_list(spec.get("initContainers"))):
        _container(errs, as_dict(ctr), f"{path}.initContainers[{i}]", names, volumes)
    if not template:
        check_enum(errs, f"{path}.restartPolicy", spec.get("restartPolicy"), RESTART_POLICIES)
    check_enum(errs, f"{path}.dnsPolicy", spec.get("dnsPolicy"), DNS_POLICIES)
    errs += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    _tolerations(errs, spec.get("tolerations"), f"{path}.tolerations")
    check_nonnegative(
        errs, f"{path}.terminationGracePeriodSeconds", spec.get("terminationGracePeriodSeconds")
    )
    deadline = spec.get("activeDeadlineSeconds")
    if is_int(deadline) and not 1 <= deadline <= 2147483647:
        errs.append(
            FieldError(
                f"{path}.activeDeadlineSeconds",
                INVALID,
                deadline,
                "must be between 1 and 2147483647, inclusive",
            )
        )
    return errs
