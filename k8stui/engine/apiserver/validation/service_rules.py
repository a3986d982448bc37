"""Rules for a Service: type, ports, node ports, selector and traffic policies."""

from __future__ import annotations

import json
from typing import Any

from k8stui.engine.apiserver.validation.field_checks import (
    Obj,
    add_invalid,
    as_dict,
    as_list,
    check_enum,
    check_port_number,
    is_int,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import (
    DUPLICATE,
    FORBIDDEN,
    INVALID,
    REQUIRED,
    FieldError,
    GoLiteral,
    go_quote,
)
from k8stui.engine.apiserver.validation.names import dns1123_label, port_name
from k8stui.engine.apiserver.validation.pod_rules import PROTOCOLS
from k8stui.engine.network.ipam import NODE_PORT_RANGE

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def _hashable(value: Any) -> str:
    """A set key for any JSON value (malformed input may put lists where numbers belong)."""
    return json.dumps(value, sort_keys=True)


def _service_port_literal(protocol: str, port: Any) -> GoLiteral:
    return GoLiteral(
        f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, AppProtocol:(*string)(nil), '
        f'Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, NodePort:0}}'
    )


def check_service(obj: Obj, errs: list[FieldError]) -> None:
    """Service rules: ports, node ports, selector, type and policies."""
    spec = as_dict(obj.get("spec"))
    kind = spec.get("type") or "ClusterIP"
    ports = as_list(spec.get("ports"))
    headless = spec.get("clusterIP") == "None"
    if not ports and not headless and kind != "ExternalName":
        errs.append(FieldError("spec.ports", REQUIRED))
    if kind == "ExternalName" and not spec.get("externalName"):
        errs.append(FieldError("spec.externalName", REQUIRED))
    names: set[str] = set()
    seen: set[tuple[str, str]] = set()
    seen_node_ports: set[tuple[str, str]] = set()
    for i, port in enumerate(ports):
        port = as_dict(port)
        at = f"spec.ports[{i}]"
        name = port.get("name")
        if len(ports) > 1 and not name:
            errs.append(FieldError(f"{at}.name", REQUIRED))
        elif isinstance(name, str) and name:
            add_invalid(errs, f"{at}.name", name, dns1123_label(name))
            if name in names:
                errs.append(FieldError(f"{at}.name", DUPLICATE, name))
            names.add(name)
        number = port.get("port")
        if is_int(number):
            check_port_number(errs, f"{at}.port", number)
        protocol = port.get("protocol")
        check_enum(errs, f"{at}.protocol", protocol, PROTOCOLS)
        target = port.get("targetPort")
        if is_int(target):
            check_port_number(errs, f"{at}.targetPort", target)
        elif isinstance(target, str):
            add_invalid(errs, f"{at}.targetPort", target, port_name(target))
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
            elif is_int(node_port) and not NODE_PORT_RANGE[0] <= node_port <= NODE_PORT_RANGE[1]:
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
    check_enum(errs, "spec.sessionAffinity", spec.get("sessionAffinity"), ["ClientIP", "None"])
    check_enum(errs, "spec.type", spec.get("type"), SERVICE_TYPES)
    for policy in ("externalTrafficPolicy", "internalTrafficPolicy"):
        check_enum(errs, f"spec.{policy}", spec.get(policy), ["Cluster", "Local"])
