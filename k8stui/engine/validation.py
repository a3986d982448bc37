"""API-server semantic validation for the simulated kinds (pure functions, no engine state).

The schema check in ``k8stui.manifests`` catches structure (unknown fields, wrong types);
this module enforces what the API server's validation adds on top: names, labels, required
fields, enums, ranges, selector/template agreement and immutability. Messages follow the
server's field-error texts (Kubernetes 1.32) character for character, because players will
compare them with what a real cluster prints.

Objects may be validated before or after defaulting: a field the server would default is
only checked when present.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from k8stui.engine.quantity import QuantityError, parse_quantity

Obj = dict[str, Any]

REQUIRED = "Required value"
INVALID = "Invalid value"
UNSUPPORTED = "Unsupported value"
FORBIDDEN = "Forbidden"
DUPLICATE = "Duplicate value"
TOO_LONG = "Too long"
NOT_FOUND = "Not found"


class GoLiteral(str):
    """A value already rendered the way Go's ``%#v`` would print it (printed verbatim)."""


def go_value(value: Any) -> str:
    """Render a bad value as Go 1.32's field errors do (strings %q, maps %#v, ...)."""
    if isinstance(value, GoLiteral):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() else str(value)
    if isinstance(value, dict):
        if all(isinstance(v, str) for v in value.values()):
            body = ", ".join(f"{_quote(k)}:{_quote(v)}" for k, v in sorted(value.items()))
            return "map[string]string{" + body + "}"
        body = ", ".join(f"{_quote(k)}:{go_value(v)}" for k, v in sorted(value.items()))
        return "map[string]interface {}{" + body + "}"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "[]string{" + ", ".join(_quote(v) for v in value) + "}"
        return "[]interface {}{" + ", ".join(go_value(v) for v in value) + "}"
    return str(value)


def _quote(text: str) -> str:
    # JSON string escaping matches Go's %q for everything manifests realistically contain.
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class FieldError:
    """One field error, printed exactly like the API server's ``field.Error``."""

    path: str
    type: str
    value: Any = None
    detail: str = ""

    def __str__(self) -> str:
        if self.type in (REQUIRED, FORBIDDEN, TOO_LONG):
            body = self.type
        else:
            body = f"{self.type}: {go_value(self.value)}"
        return f"{self.path}: {body}: {self.detail}" if self.detail else f"{self.path}: {body}"


def format_invalid(kind: str, name: str, errors: list[FieldError]) -> str:
    """kubectl's text for a 422 Invalid response: one cause inline, several as ``* `` lines."""
    head = f'The {kind} "{name}" is invalid:'
    if len(errors) == 1:
        return f"{head} {errors[0]}"
    return head + "".join(f"\n* {e}" for e in errors)


# -- name and label rules (apimachinery validation.go texts) -----------------------------------

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*\Z")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
_PERCENT = re.compile(r"[0-9]+%\Z")

MSG_DNS1123_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
MSG_DNS1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
MSG_DNS1035_LABEL = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
MSG_LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
_QUALIFIED_BODY = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
MSG_ENV_VAR_NAME = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', "
    "'-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
    "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
)
MSG_CONFIG_KEY = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
    "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
    "'[-._a-zA-Z0-9]+')"
)
MSG_PORT_RANGE = "must be between 1 and 65535, inclusive"
MSG_NONNEGATIVE = "must be greater than or equal to 0"
MSG_IMMUTABLE = "field is immutable"
MSG_SELECTOR_MISMATCH = "`selector` does not match template `labels`"
MSG_POD_UPDATE = (
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
    "set to 1 if it was previously negative)"
)


def _max_len(limit: int) -> str:
    return f"must be no more than {limit} characters"


def dns1123_label(value: str) -> list[str]:
    """Messages for a value that is not a DNS-1123 label (container and namespace names)."""
    errs = [_max_len(63)] if len(value) > 63 else []
    if not _DNS1123_LABEL.match(value):
        errs.append(MSG_DNS1123_LABEL)
    return errs


def dns1123_subdomain(value: str) -> list[str]:
    """Messages for a value that is not a DNS-1123 subdomain (most object names)."""
    errs = [_max_len(253)] if len(value) > 253 else []
    if not _DNS1123_SUBDOMAIN.match(value):
        errs.append(MSG_DNS1123_SUBDOMAIN)
    return errs


def dns1035_label(value: str) -> list[str]:
    """Messages for a value that is not a DNS-1035 label (Service names)."""
    errs = [_max_len(63)] if len(value) > 63 else []
    if not _DNS1035_LABEL.match(value):
        errs.append(MSG_DNS1035_LABEL)
    return errs


def qualified_name(value: str) -> list[str]:
    """Messages for an invalid label/annotation key (``[prefix/]name``)."""
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) > 2:
        return [
            f"a qualified name {_QUALIFIED_BODY} with an optional DNS subdomain prefix and '/' "
            "(e.g. 'example.com/MyName')"
        ]
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in dns1123_subdomain(prefix))
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + _max_len(63))
    if not _QUALIFIED_NAME.match(name):
        errs.append("name part " + _QUALIFIED_BODY)
    return errs


def label_value(value: str) -> list[str]:
    """Messages for an invalid label value."""
    errs = [_max_len(63)] if len(value) > 63 else []
    if not _LABEL_VALUE.match(value):
        errs.append(MSG_LABEL_VALUE)
    return errs


def port_name(value: str) -> list[str]:
    """Messages for an invalid IANA service name (container/service port names)."""
    errs = [_max_len(15)] if len(value) > 15 else []
    if not re.fullmatch(r"[-a-z0-9]+", value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", value):
        errs.append("must contain at least one letter (a-z)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if value and (value[0] == "-" or value[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


# -- small helpers -----------------------------------------------------------------------------


def _d(value: Any) -> Obj:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _hashable(value: Any) -> str:
    """A set key for any JSON value (malformed input may put lists where numbers belong)."""
    return json.dumps(value, sort_keys=True)


def _str_map(value: Any) -> dict[str, str]:
    return {k: v for k, v in _d(value).items() if isinstance(v, str)}


def _each(errs: list[FieldError], path: str, value: Any, messages: Iterable[str]) -> None:
    errs.extend(FieldError(path, INVALID, value, m) for m in messages)


def _enum(errs: list[FieldError], path: str, value: Any, allowed: list[str]) -> None:
    if value is None:
        return  # defaulted by the server
    if value == "":
        errs.append(FieldError(path, REQUIRED))
    elif value not in allowed:
        supported = ", ".join(_quote(a) for a in allowed)
        errs.append(FieldError(path, UNSUPPORTED, value, f"supported values: {supported}"))


def _nonnegative(errs: list[FieldError], path: str, value: Any) -> None:
    if _is_int(value) and value < 0:
        errs.append(FieldError(path, INVALID, value, MSG_NONNEGATIVE))


def _port_number(errs: list[FieldError], path: str, value: Any) -> None:
    if _is_int(value) and not 1 <= value <= 65535:
        errs.append(FieldError(path, INVALID, value, MSG_PORT_RANGE))


def validate_labels(labels: Any, path: str) -> list[FieldError]:
    """Label keys must be qualified names and values valid label values."""
    errs: list[FieldError] = []
    for key, value in _d(labels).items():
        _each(errs, path, key, qualified_name(key))
        if isinstance(value, str):
            _each(errs, path, value, label_value(value))
    return errs


# -- metadata ----------------------------------------------------------------------------------

_NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "Service": dns1035_label,
    "Namespace": dns1123_label,
}
CLUSTER_SCOPED = frozenset({"Namespace", "Node"})
_ANNOTATIONS_MAX = 256 * 1024


def _validate_meta(obj: Obj) -> list[FieldError]:
    kind = str(obj.get("kind", ""))
    meta = _d(obj.get("metadata"))
    rule = _NAME_RULES.get(kind, dns1123_subdomain)
    errs: list[FieldError] = []
    name, generate = meta.get("name"), meta.get("generateName")
    if isinstance(generate, str) and generate:
        # A prefix may end in "-": mask it the way the server does before checking.
        masked = generate[:-1] + "a" if generate.endswith("-") else generate
        _each(errs, "metadata.generateName", generate, rule(masked))
    if not name and not generate:
        errs.append(
            FieldError("metadata.name", REQUIRED, detail="name or generateName is required")
        )
    elif isinstance(name, str) and name:
        _each(errs, "metadata.name", name, rule(name))
    namespace = meta.get("namespace")
    if kind not in CLUSTER_SCOPED and isinstance(namespace, str) and namespace:
        _each(errs, "metadata.namespace", namespace, dns1123_label(namespace))
    errs += validate_labels(meta.get("labels"), "metadata.labels")
    annotations = _d(meta.get("annotations"))
    size = 0
    for key, value in annotations.items():
        _each(errs, "metadata.annotations", key, qualified_name(key))
        size += len(key.encode()) + len(str(value).encode())
    if size > _ANNOTATIONS_MAX:
        errs.append(
            FieldError(
                "metadata.annotations",
                TOO_LONG,
                detail=f"may not be more than {_ANNOTATIONS_MAX} bytes",
            )
        )
    return errs


# -- pod spec ----------------------------------------------------------------------------------

PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]


def _container_ports(errs: list[FieldError], ports: Any, path: str) -> None:
    names: set[str] = set()
    for i, port in enumerate(_l(ports)):
        port = _d(port)
        at = f"{path}[{i}]"
        name = port.get("name")
        if isinstance(name, str) and name:
            problems = port_name(name)
            if problems:
                _each(errs, f"{at}.name", name, problems)
            elif name in names:
                errs.append(FieldError(f"{at}.name", DUPLICATE, name))
            names.add(name)
        number = port.get("containerPort")
        if number is None or number == 0:
            errs.append(FieldError(f"{at}.containerPort", REQUIRED))
        else:
            _port_number(errs, f"{at}.containerPort", number)
        if port.get("hostPort"):
            _port_number(errs, f"{at}.hostPort", port.get("hostPort"))
        _enum(errs, f"{at}.protocol", port.get("protocol"), PROTOCOLS)


def _resources(errs: list[FieldError], resources: Any, path: str) -> None:
    limits = _d(_d(resources).get("limits"))
    parsed_limits: dict[str, Any] = {}
    for section in ("limits", "requests"):
        for name, text in _d(_d(resources).get(section)).items():
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


def _container(
    errs: list[FieldError], ctr: Obj, at: str, names: set[str], volumes: set[str]
) -> None:
    name = ctr.get("name")
    if not name:
        errs.append(FieldError(f"{at}.name", REQUIRED))
    elif isinstance(name, str):
        _each(errs, f"{at}.name", name, dns1123_label(name))
        if name in names:
            errs.append(FieldError(f"{at}.name", DUPLICATE, name))
        names.add(name)
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
    for i, env in enumerate(_l(ctr.get("env"))):
        env_name = _d(env).get("name")
        if not env_name:
            errs.append(FieldError(f"{at}.env[{i}].name", REQUIRED))
        elif isinstance(env_name, str) and not _ENV_VAR_NAME.match(env_name):
            errs.append(FieldError(f"{at}.env[{i}].name", INVALID, env_name, MSG_ENV_VAR_NAME))
    mount_paths: set[str] = set()
    for i, mount in enumerate(_l(ctr.get("volumeMounts"))):
        mount = _d(mount)
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
    _enum(errs, f"{at}.imagePullPolicy", ctr.get("imagePullPolicy"), PULL_POLICIES)
    _resources(errs, ctr.get("resources"), f"{at}.resources")


def _volumes(errs: list[FieldError], volumes: Any, path: str) -> set[str]:
    names: set[str] = set()
    for i, volume in enumerate(_l(volumes)):
        volume = _d(volume)
        at = f"{path}[{i}]"
        name = volume.get("name")
        if not name:
            errs.append(FieldError(f"{at}.name", REQUIRED))
        elif isinstance(name, str):
            _each(errs, f"{at}.name", name, dns1123_label(name))
            if name in names:
                errs.append(FieldError(f"{at}.name", DUPLICATE, name))
            names.add(name)
        if not [k for k in volume if k != "name"]:
            errs.append(FieldError(at, REQUIRED, detail="must specify a volume type"))
    return names


def _toleration_literal(tol: Obj) -> GoLiteral:
    seconds = tol.get("tolerationSeconds")
    shown = f"(*int64)({seconds})" if seconds is not None else "(*int64)(nil)"
    return GoLiteral(
        f"core.Toleration{{Key:{_quote(str(tol.get('key', '')))}, "
        f"Operator:{_quote(str(tol.get('operator', '')))}, Value:{_quote(str(tol.get('value', '')))}, "
        f"Effect:{_quote(str(tol.get('effect', '')))}, TolerationSeconds:{shown}}}"
    )


def _tolerations(errs: list[FieldError], tolerations: Any, path: str) -> None:
    for i, tol in enumerate(_l(tolerations)):
        tol = _d(tol)
        at = f"{path}[{i}]"
        key, operator = tol.get("key") or "", tol.get("operator") or ""
        value, effect = tol.get("value") or "", tol.get("effect") or ""
        if key:
            _each(errs, f"{at}.key", key, qualified_name(str(key)))
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
            _enum(errs, f"{at}.operator", operator, ["Equal", "Exists"])
        if effect:
            _enum(errs, f"{at}.effect", effect, TAINT_EFFECTS)


def validate_pod_spec(spec: Any, path: str, template: bool = False) -> list[FieldError]:
    """Validate a PodSpec at ``path`` (``spec`` or ``spec.template.spec``)."""
    spec = _d(spec)
    errs: list[FieldError] = []
    volumes = _volumes(errs, spec.get("volumes"), f"{path}.volumes")
    names: set[str] = set()
    containers = _l(spec.get("containers"))
    if not containers:
        errs.append(FieldError(f"{path}.containers", REQUIRED))
    for i, ctr in enumerate(containers):
        _container(errs, _d(ctr), f"{path}.containers[{i}]", names, volumes)
    for i, ctr in enumerate(_l(spec.get("initContainers"))):
        _container(errs, _d(ctr), f"{path}.initContainers[{i}]", names, volumes)
    if not template:
        _enum(errs, f"{path}.restartPolicy", spec.get("restartPolicy"), RESTART_POLICIES)
    _enum(errs, f"{path}.dnsPolicy", spec.get("dnsPolicy"), DNS_POLICIES)
    errs += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    _tolerations(errs, spec.get("tolerations"), f"{path}.tolerations")
    _nonnegative(
        errs, f"{path}.terminationGracePeriodSeconds", spec.get("terminationGracePeriodSeconds")
    )
    deadline = spec.get("activeDeadlineSeconds")
    if _is_int(deadline) and not 1 <= deadline <= 2147483647:
        errs.append(
            FieldError(
                f"{path}.activeDeadlineSeconds",
                INVALID,
                deadline,
                "must be between 1 and 2147483647, inclusive",
            )
        )
    return errs


# -- controllers -------------------------------------------------------------------------------

SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def selector_literal(selector: Any) -> GoLiteral:
    """A LabelSelector as Go prints it (``v1.LabelSelector{MatchLabels:..., ...}``)."""
    selector = _d(selector)
    labels = selector.get("matchLabels")
    shown_labels = go_value(_str_map(labels)) if labels else "map[string]string(nil)"
    exprs = _l(selector.get("matchExpressions"))
    if exprs:
        items = []
        for expr in exprs:
            expr = _d(expr)
            values = expr.get("values")
            shown = go_value([str(v) for v in _l(values)]) if values else "[]string(nil)"
            items.append(
                f"v1.LabelSelectorRequirement{{Key:{_quote(str(expr.get('key', '')))}, "
                f"Operator:{_quote(str(expr.get('operator', '')))}, Values:{shown}}}"
            )
        shown_exprs = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    else:
        shown_exprs = "[]v1.LabelSelectorRequirement(nil)"
    return GoLiteral(
        f"v1.LabelSelector{{MatchLabels:{shown_labels}, MatchExpressions:{shown_exprs}}}"
    )


def _label_selector(errs: list[FieldError], selector: Obj, path: str) -> None:
    errs += validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, expr in enumerate(_l(selector.get("matchExpressions"))):
        expr = _d(expr)
        at = f"{path}.matchExpressions[{i}]"
        operator = expr.get("operator")
        if operator in ("In", "NotIn"):
            if not _l(expr.get("values")):
                errs.append(
                    FieldError(
                        f"{at}.values",
                        REQUIRED,
                        detail="must be specified when `operator` is 'In' or 'NotIn'",
                    )
                )
        elif operator in ("Exists", "DoesNotExist"):
            if _l(expr.get("values")):
                errs.append(
                    FieldError(
                        f"{at}.values",
                        FORBIDDEN,
                        detail="may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errs.append(
                FieldError(f"{at}.operator", INVALID, operator, "not a valid selector operator")
            )
        _each(errs, f"{at}.key", expr.get("key"), qualified_name(str(expr.get("key") or "")))


def _selector_matches(selector: Obj, labels: dict[str, str]) -> bool:
    for key, value in _str_map(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for expr in _l(selector.get("matchExpressions")):
        expr = _d(expr)
        expr_key, operator = str(expr.get("key")), expr.get("operator")
        values = [str(v) for v in _l(expr.get("values"))]
        present = expr_key in labels
        if (
            (operator == "In" and not (present and labels[expr_key] in values))
            or (operator == "NotIn" and present and labels[expr_key] in values)
            or (operator == "Exists" and not present)
            or (operator == "DoesNotExist" and present)
        ):
            return False
    return True


def _template(errs: list[FieldError], template: Any, owner: str, matches: bool | None) -> None:
    """Pod template checks shared by RC, RS and Deployment; ``matches`` None = no selector."""
    path = "spec.template"
    tmpl = _d(template)
    meta = _d(tmpl.get("metadata"))
    labels = meta.get("labels")
    if matches is False:
        shown = (
            GoLiteral(go_value(_str_map(labels)))
            if labels is not None
            else GoLiteral("map[string]string(nil)")
        )
        errs.append(FieldError(f"{path}.metadata.labels", INVALID, shown, MSG_SELECTOR_MISMATCH))
    errs += validate_labels(labels, f"{path}.metadata.labels")
    spec = _d(tmpl.get("spec"))
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


def _replica_set_like(obj: Obj, errs: list[FieldError]) -> None:
    spec = _d(obj.get("spec"))
    _nonnegative(errs, "spec.replicas", spec.get("replicas"))
    _nonnegative(errs, "spec.minReadySeconds", spec.get("minReadySeconds"))
    selector = spec.get("selector")
    if selector is None:
        errs.append(FieldError("spec.selector", REQUIRED))
        matches: bool | None = False  # a missing selector matches nothing
    else:
        selector = _d(selector)
        _label_selector(errs, selector, "spec.selector")
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
            labels = _str_map(_d(_d(spec.get("template")).get("metadata")).get("labels"))
            matches = _selector_matches(selector, labels)
    # The template is a struct, not a pointer, in apps/v1: a missing one is simply empty.
    _template(errs, spec.get("template"), "ReplicaSet", matches)


def _int_or_string_literal(value: Any) -> GoLiteral:
    if isinstance(value, str):
        return GoLiteral(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{_quote(value)}}}")
    return GoLiteral(f'intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:""}}')


def _percent_value(value: Any) -> int | None:
    if _is_int(value):
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


def _deployment(obj: Obj, errs: list[FieldError]) -> None:
    _replica_set_like(obj, errs)
    spec = _d(obj.get("spec"))
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
            _rolling_update(errs, _d(rolling), "spec.strategy.rollingUpdate")
        else:
            shown = GoLiteral(
                f"apps.DeploymentStrategy{{Type:{_quote(str(kind))}, "
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
    _nonnegative(errs, "spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if _is_int(deadline):
        _nonnegative(errs, "spec.progressDeadlineSeconds", deadline)
        min_ready_value = spec.get("minReadySeconds")
        min_ready = min_ready_value if _is_int(min_ready_value) else 0
        if deadline <= min_ready:
            errs.append(
                FieldError(
                    "spec.progressDeadlineSeconds",
                    INVALID,
                    deadline,
                    "must be greater than minReadySeconds",
                )
            )


def _replication_controller(obj: Obj, errs: list[FieldError]) -> None:
    spec = _d(obj.get("spec"))
    _nonnegative(errs, "spec.minReadySeconds", spec.get("minReadySeconds"))
    _nonnegative(errs, "spec.replicas", spec.get("replicas"))
    selector = _str_map(spec.get("selector"))
    template = spec.get("template")
    # Before defaulting an empty selector is taken from the template labels.
    if not selector and template is not None:
        selector = _str_map(_d(_d(template).get("metadata")).get("labels"))
    if not selector:
        errs.append(FieldError("spec.selector", REQUIRED))
    errs += validate_labels(spec.get("selector"), "spec.selector")
    if template is None:
        errs.append(FieldError("spec.template", REQUIRED))
        return
    labels = _str_map(_d(_d(template).get("metadata")).get("labels"))
    matches = None if not selector else all(labels.get(k) == v for k, v in selector.items())
    _template(errs, template, "ReplicationController", matches)


# -- services ----------------------------------------------------------------------------------

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
NODE_PORT_RANGE = (30000, 32767)


def _service_port_literal(protocol: str, port: Any) -> GoLiteral:
    return GoLiteral(
        f'core.ServicePort{{Name:"", Protocol:{_quote(protocol)}, AppProtocol:(*string)(nil), '
        f'Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, NodePort:0}}'
    )


def _service(obj: Obj, errs: list[FieldError]) -> None:
    spec = _d(obj.get("spec"))
    kind = spec.get("type") or "ClusterIP"
    ports = _l(spec.get("ports"))
    headless = spec.get("clusterIP") == "None"
    if not ports and not headless and kind != "ExternalName":
        errs.append(FieldError("spec.ports", REQUIRED))
    if kind == "ExternalName" and not spec.get("externalName"):
        errs.append(FieldError("spec.externalName", REQUIRED))
    names: set[str] = set()
    seen: set[tuple[str, str]] = set()
    seen_node_ports: set[tuple[str, str]] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        at = f"spec.ports[{i}]"
        name = port.get("name")
        if len(ports) > 1 and not name:
            errs.append(FieldError(f"{at}.name", REQUIRED))
        elif isinstance(name, str) and name:
            _each(errs, f"{at}.name", name, dns1123_label(name))
            if name in names:
                errs.append(FieldError(f"{at}.name", DUPLICATE, name))
            names.add(name)
        number = port.get("port")
        if _is_int(number):
            _port_number(errs, f"{at}.port", number)
        protocol = port.get("protocol")
        _enum(errs, f"{at}.protocol", protocol, PROTOCOLS)
        target = port.get("targetPort")
        if _is_int(target):
            _port_number(errs, f"{at}.targetPort", target)
        elif isinstance(target, str):
            _each(errs, f"{at}.targetPort", target, port_name(target))
        node_port = port.get("nodePort")
        if node_port:
            if kind == "ClusterIP":
                errs.append(
                    FieldError(
                        f"{at}.nodePort",
                        FORBIDDEN,
                        detail="may not be used when `type` is 'ClusterIP'",
                    )
                )
            elif _is_int(node_port) and not NODE_PORT_RANGE[0] <= node_port <= NODE_PORT_RANGE[1]:
                errs.append(
                    FieldError(
                        f"{at}.nodePort",
                        INVALID,
                        node_port,
                        "provided port is not in the valid range. The range of valid ports is "
                        f"{NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]}",
                    )
                )
            node_key = (str(protocol or "TCP"), _hashable(node_port))
            if node_key in seen_node_ports:
                errs.append(FieldError(f"{at}.nodePort", DUPLICATE, node_port))
            seen_node_ports.add(node_key)
        key = (str(protocol or "TCP"), _hashable(number))
        if key in seen:
            errs.append(FieldError(at, DUPLICATE, _service_port_literal(key[0], number)))
        seen.add(key)
    errs += validate_labels(spec.get("selector"), "spec.selector")
    _enum(errs, "spec.sessionAffinity", spec.get("sessionAffinity"), ["ClientIP", "None"])
    _enum(errs, "spec.type", spec.get("type"), SERVICE_TYPES)
    for policy in ("externalTrafficPolicy", "internalTrafficPolicy"):
        _enum(errs, f"spec.{policy}", spec.get(policy), ["Cluster", "Local"])


def _config_map(obj: Obj, errs: list[FieldError]) -> None:
    for section in ("data", "binaryData"):
        for key in _d(obj.get(section)):
            problems = [_max_len(253)] if len(key) > 253 else []
            if not _CONFIG_KEY.match(key):
                problems.append(MSG_CONFIG_KEY)
            _each(errs, f"{section}[{key}]", key, problems)


_KIND_RULES: dict[str, Callable[[Obj, list[FieldError]], None]] = {
    "Pod": lambda obj, errs: errs.extend(validate_pod_spec(obj.get("spec"), "spec")),
    "ReplicaSet": _replica_set_like,
    "Deployment": _deployment,
    "ReplicationController": _replication_controller,
    "Service": _service,
    "ConfigMap": _config_map,
}
VALIDATED_KINDS = frozenset({*_KIND_RULES, "Namespace", "Node", "Endpoints"})


def validate_object(obj: Obj) -> list[FieldError]:
    """Create-time validation of one object, as the API server does it (all errors, in order).

    Kinds outside the simulated set (Event, Lease, ...) are accepted without checks.
    """
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in VALIDATED_KINDS:
        return []
    errs = _validate_meta(obj)
    rule = _KIND_RULES.get(str(kind))
    if rule is not None:
        rule(obj, errs)
    return errs


# -- updates -----------------------------------------------------------------------------------


def _normalized_selector(selector: Any) -> Obj:
    selector = _d(selector)
    return {
        "matchLabels": _str_map(selector.get("matchLabels")),
        "matchExpressions": _l(selector.get("matchExpressions")),
    }


def _pod_spec_update(old: Obj, new: Obj) -> list[FieldError]:
    old_spec, new_spec = _d(old.get("spec")), _d(new.get("spec"))
    errs: list[FieldError] = []
    # Re-apply the mutable fields of the new spec onto a copy of the old one: if anything
    # else differs, the update touched an immutable field.
    munged = json.loads(json.dumps(new_spec))
    for group in ("containers", "initContainers"):
        old_list, new_list = _l(old_spec.get(group)), _l(munged.get(group))
        for i, ctr in enumerate(new_list):
            if i < len(old_list) and isinstance(ctr, dict) and isinstance(old_list[i], dict):
                if not ctr.get("image"):
                    errs.append(FieldError(f"spec.{group}[{i}].image", REQUIRED))
                ctr["image"] = old_list[i].get("image")
    old_deadline, new_deadline = (
        old_spec.get("activeDeadlineSeconds"),
        munged.get("activeDeadlineSeconds"),
    )
    if _is_int(new_deadline) and (
        old_deadline is None or (_is_int(old_deadline) and new_deadline <= old_deadline)
    ):
        munged["activeDeadlineSeconds"] = old_deadline
        if old_deadline is None:
            munged.pop("activeDeadlineSeconds")
    old_tolerations = _l(old_spec.get("tolerations"))
    if all(t in _l(munged.get("tolerations")) for t in old_tolerations):
        munged["tolerations"] = old_spec.get("tolerations")
        if "tolerations" not in old_spec:
            munged.pop("tolerations", None)
    grace_old = old_spec.get("terminationGracePeriodSeconds")
    if _is_int(grace_old) and grace_old < 0 and munged.get("terminationGracePeriodSeconds") == 1:
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
    if kind in ("ReplicaSet", "Deployment"):
        old_sel = _d(old.get("spec")).get("selector")
        new_sel = _d(new.get("spec")).get("selector")
        if _normalized_selector(old_sel) != _normalized_selector(new_sel):
            return [FieldError("spec.selector", INVALID, selector_literal(new_sel), MSG_IMMUTABLE)]
    return []


# -- warnings ----------------------------------------------------------------------------------


def _pod_spec_of(obj: Obj) -> tuple[Obj, str] | None:
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
    if kind == "Pod":
        return _d(obj.get("spec")), "spec"
    if kind in ("ReplicaSet", "Deployment", "ReplicationController"):
        return _d(_d(_d(obj.get("spec")).get("template")).get("spec")), "spec.template.spec"
    return None


def warnings(obj: Obj) -> list[str]:
    """Non-blocking API warnings (``Warning: ...`` lines kubectl prints), e.g. duplicate ports."""
    found = _pod_spec_of(obj)
    if found is None:
        return []
    spec, path = found
    out: list[str] = []
    seen: dict[str, list[tuple[str, Obj]]] = {}
    for group in ("initContainers", "containers"):
        for i, ctr in enumerate(_l(spec.get(group))):
            for j, port in enumerate(_l(_d(ctr).get("ports"))):
                port = _d(port)
                at = f"{path}.{group}[{i}].ports[{j}]"
                key = f"{port.get('containerPort')}/{port.get('protocol') or 'TCP'}"
                host_ip, host_port = port.get("hostIP") or "", port.get("hostPort") or 0
                for other_at, other in seen.get(key, []):
                    other_ip, other_port = other.get("hostIP") or "", other.get("hostPort") or 0
                    if host_ip == other_ip and host_port == other_port:
                        out.append(f"{at}: duplicate port definition with {other_at}")
                    elif host_port == 0 or other_port == 0:
                        out.append(f"{at}: overlapping port definition with {other_at}")
                    elif host_port == other_port and (host_ip == "") != (other_ip == ""):
                        out.append(f"{at}: dangerously ambiguous port definition with {other_at}")
                seen.setdefault(key, []).append((at, port))
    return out
