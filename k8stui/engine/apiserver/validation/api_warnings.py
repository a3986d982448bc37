"""Non-blocking API warnings (the ``Warning: ...`` lines kubectl prints)."""

from __future__ import annotations

from k8stui.engine.apiserver.validation.field_checks import Obj, as_dict, as_list


def _pod_spec_of(obj: Obj) -> tuple[Obj, str] | None:
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
    if kind == "Pod":
        return as_dict(obj.get("spec")), "spec"
    if kind in ("ReplicaSet", "Deployment", "ReplicationController"):
        return as_dict(
            as_dict(as_dict(obj.get("spec")).get("template")).get("spec")
        ), "spec.template.spec"
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
        for i, ctr in enumerate(as_list(spec.get(group))):
            for j, port in enumerate(as_list(as_dict(ctr).get("ports"))):
                port = as_dict(port)
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
