"""A container's environment as the kubelet builds it (``pkg/kubelet/kubelet_pods.go``,
``makeEnvironmentVariables``): ``envFrom`` first, then ``env`` in order, with values from
ConfigMaps, Secrets, the pod's own fields (``fieldRef``) and its resources
(``resourceFieldRef``).

A reference to a ConfigMap, Secret or key that does not exist (and is not ``optional``) stops
the container from being created: the kubelet reports ``CreateContainerConfigError`` with the
message :class:`ConfigError` carries, and tries again on its next sync.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from decimal import Decimal
from typing import Any

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.engine.store import Store

Obj = dict[str, Any]
_VAR = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


class ConfigError(Exception):
    """Why a container's configuration cannot be built (the waiting message)."""


def _source(store: Store, kind: str, namespace: str, name: str, optional: bool) -> Obj | None:
    obj = store.get(kind, namespace, name)
    if obj is None and not optional:
        raise ConfigError(f'{kind.lower()} "{name}" not found')
    return obj


def _values(obj: Obj) -> dict[str, str]:
    if obj["kind"] == "ConfigMap":
        return {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
    out = {}
    for key, value in (obj.get("data") or {}).items():
        try:
            out[str(key)] = base64.b64decode(str(value)).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            out[str(key)] = ""
    return out


def _key_ref(store: Store, kind: str, namespace: str, ref: Obj) -> str | None:
    name = str(ref.get("name", ""))
    optional = bool(ref.get("optional"))
    obj = _source(store, kind, namespace, name, optional)
    if obj is None:
        return None
    values = _values(obj)
    key = str(ref.get("key", ""))
    if key not in values:
        if optional:
            return None
        raise ConfigError(f"couldn't find key {key} in {kind} {namespace}/{name}")
    return values[key]


def field_value(pod: Obj, path: str, pod_ip: str, host_ip: str) -> str:
    """A ``fieldRef.fieldPath`` of the downward API."""
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    for prefix, field in (("metadata.labels", "labels"), ("metadata.annotations", "annotations")):
        if path.startswith(prefix + "['") and path.endswith("']"):
            return str((meta.get(field) or {}).get(path[len(prefix) + 2 : -2], ""))
        if path == prefix:
            items = meta.get(field) or {}
            return "\n".join(f'{k}="{items[k]}"' for k in sorted(items))
    simple = {
        "metadata.name": meta.get("name"),
        "metadata.namespace": meta.get("namespace", "default"),
        "metadata.uid": meta.get("uid"),
        "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.hostIP": host_ip,
        "status.hostIPs": host_ip,
        "status.podIP": pod_ip,
        "status.podIPs": pod_ip,
    }
    return str(simple.get(path) or "")


def resource_value(container: Obj, ref: Obj, allocatable: Obj) -> str:
    """A ``resourceFieldRef``: limits default to the node's allocatable, values are rounded up
    to whole ``divisor`` units."""
    resource = str(ref.get("resource", ""))
    section, _, name = resource.partition(".")
    amounts = ((container.get("resources") or {}).get(section)) or {}
    raw = amounts.get(name)
    if raw is None and section == "limits":
        raw = allocatable.get(name)
    if raw is None:
        raw = "0"
    try:
        amount = parse_quantity(raw)
        divisor = parse_quantity(ref.get("divisor") or "1")
    except (QuantityError, TypeError, ValueError):
        return "0"
    if divisor == 0:
        divisor = Decimal(1)
    return str(math.ceil(amount / divisor))


def expand(value: str, env: dict[str, str]) -> str:
    """``$(VAR)`` references to variables defined earlier; ``$$`` escapes, unknown names stay."""
    out = []
    index = 0
    while index < len(value):
        if value.startswith("$$", index):
            out.append("$")
            index += 2
            continue
        match = _VAR.match(value, index)
        if match and match.group(1) in env:
            out.append(env[match.group(1)])
            index = match.end()
            continue
        out.append(value[index])
        index += 1
    return "".join(out)


def container_env(
    pod: Obj, container: Obj, store: Store, pod_ip: str, host_ip: str, allocatable: Obj
) -> dict[str, str]:
    """Every variable the container gets from its spec (raises :class:`ConfigError`)."""
    namespace = str((pod.get("metadata") or {}).get("namespace") or "default")
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        prefix = str(source.get("prefix") or "")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(key)
            if not isinstance(ref, dict):
                continue
            obj = _source(
                store, kind, namespace, str(ref.get("name", "")), bool(ref.get("optional"))
            )
            if obj is not None:
                env.update({prefix + k: v for k, v in _values(obj).items()})
    for var in container.get("env") or []:
        name = str(var.get("name", ""))
        if "value" in var:
            env[name] = expand(str(var["value"]), env)
            continue
        source = var.get("valueFrom") or {}
        value: str | None = None
        if isinstance(source.get("configMapKeyRef"), dict):
            value = _key_ref(store, "ConfigMap", namespace, source["configMapKeyRef"])
        elif isinstance(source.get("secretKeyRef"), dict):
            value = _key_ref(store, "Secret", namespace, source["secretKeyRef"])
        elif isinstance(source.get("fieldRef"), dict):
            value = field_value(pod, str(source["fieldRef"].get("fieldPath", "")), pod_ip, host_ip)
        elif isinstance(source.get("resourceFieldRef"), dict):
            value = resource_value(container, source["resourceFieldRef"], allocatable)
        else:
            value = ""
        if value is not None:
            env[name] = value
    return env


def needs_lookup(container: Obj) -> bool:
    """Whether the environment refers to anything beyond plain values."""
    return bool(container.get("envFrom")) or any(
        "valueFrom" in var for var in container.get("env") or []
    )


def run_spec(container: Obj, crt: Obj) -> Obj:
    """The container spec with the environment the kubelet resolved for this run."""
    resolved = crt.get("env")
    if resolved is None:
        return container
    env = [{"name": k, "value": v} for k, v in resolved.items()]
    return {**{k: v for k, v in container.items() if k != "envFrom"}, "env": env}
