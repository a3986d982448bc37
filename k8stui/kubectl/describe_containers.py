"""Container, volume and pod-template sections of describe output (kubectl ``describe.go``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from k8stui.engine.apimachinery.quantity import QuantityError, parse_cpu, parse_memory
from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    SourceFields,
    annotations_multiline,
    describe_source,
    format_rfc1123z,
    labels_multiline,
    text,
    tolerations_multiline,
)

EnvResolver = Callable[[Obj], str]


def _ports(ports: list[Obj], field: str) -> str:
    return ", ".join(f"{_int(p.get(field))}/{p.get('protocol') or 'TCP'}" for p in ports)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def describe_probe(probe: Mapping[str, Any]) -> str:
    """``DescribeProbe``: ``http-get http://:80/ delay=0s timeout=1s ...``."""

    def get(key: str, default: int) -> int:
        value = probe.get(key)
        return value if isinstance(value, int) else default

    attrs = (
        f"delay={get('initialDelaySeconds', 0)}s timeout={get('timeoutSeconds', 1)}s "
        f"period={get('periodSeconds', 10)}s #success={get('successThreshold', 1)} "
        f"#failure={get('failureThreshold', 3)}"
    )
    if probe.get("exec") is not None:
        command = " ".join(text(c) for c in (probe["exec"] or {}).get("command") or [])
        return f"exec [{command}] {attrs}"
    if probe.get("httpGet") is not None:
        http = probe["httpGet"] or {}
        scheme = text(http.get("scheme") or "HTTP").lower()
        host = text(http.get("host"))
        port = text(http.get("port"))
        netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
        path = text(http.get("path"))
        if path and not path.startswith("/") and netloc:
            path = "/" + path
        return f"http-get {scheme}://{netloc}{path} {attrs}"
    if probe.get("tcpSocket") is not None:
        tcp = probe["tcpSocket"] or {}
        return f"tcp-socket {text(tcp.get('host'))}:{text(tcp.get('port'))} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"] or {}
        return f"grpc <pod>:{text(grpc.get('port'))} {text(grpc.get('service'))} {attrs}"
    return f"unknown {attrs}"


def _describe_state(w: DescribeWriter, name: str, state: Mapping[str, Any]) -> None:
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{format_rfc1123z((state['running'] or {}).get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if (state["waiting"] or {}).get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        done = state["terminated"] or {}
        w.write(2, f"{name}:\tTerminated\n")
        if done.get("reason"):
            w.write(3, f"Reason:\t{done['reason']}\n")
        if done.get("message"):
            w.write(3, f"Message:\t{done['message']}\n")
        w.write(3, f"Exit Code:\t{_int(done.get('exitCode'))}\n")
        if _int(done.get("signal")) > 0:
            w.write(3, f"Signal:\t{done['signal']}\n")
        w.write(3, f"Started:\t{format_rfc1123z(done.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{format_rfc1123z(done.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def describe_resources(w: DescribeWriter, resources: Mapping[str, Any] | None, level: int) -> None:
    """``describeResources``: Limits then Requests, resource names sorted."""
    for title in ("limits", "requests"):
        values = (resources or {}).get(title) or {}
        if values:
            w.write(level, f"{title.capitalize()}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{text(values[name])}\n")


def _resource_env_value(env: Obj, container: Obj) -> str:
    ref = (env.get("valueFrom") or {}).get("resourceFieldRef") or {}
    resource = text(ref.get("resource"))
    kind, _, name = resource.partition(".")
    raw = ((container.get("resources") or {}).get(kind) or {}).get(name)
    try:
        if name == "cpu":
            value = str(math.ceil(parse_cpu(raw) / 1000))
        else:
            value = str(parse_memory(raw))
    except (QuantityError, TypeError):
        value = ""
    if value == "0" and resource in ("limits.cpu", "limits.memory"):
        value = "node allocatable"
    return f"{env.get('name', '')}:\t{value} ({resource})\n"


def _describe_env(w: DescribeWriter, container: Obj, resolver: EnvResolver | None) -> None:
    if container.get("envFrom"):
        w.write(2, "Environment Variables from:\n")
        for source in container["envFrom"]:
            ref, origin = source.get("configMapRef"), "ConfigMap"
            if ref is None:
                ref, origin = source.get("secretRef"), "Secret"
            ref = ref or {}
            optional = "true" if ref.get("optional") else "false"
            if source.get("prefix"):
                origin += f" with prefix '{source['prefix']}'"
            w.write(3, f"{text(ref.get('name'))}\t{origin}\tOptional: {optional}\n")
    env_vars = container.get("env") or []
    w.write(2, "Environment:\n" if env_vars else "Environment:\t<none>\n")
    for env in env_vars:
        name = text(env.get("name"))
        source = env.get("valueFrom")
        if source is None:
            for index, line in enumerate(text(env.get("value")).split("\n")):
                w.write(3, f"{name}:\t{line}\n" if index == 0 else f"\t{line}\n")
        elif source.get("fieldRef") is not None:
            ref = source["fieldRef"] or {}
            value = resolver(env) if resolver else ""
            w.write(3, f"{name}:\t{value} ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath')})\n")
        elif source.get("resourceFieldRef") is not None:
            w.write(3, _resource_env_value(env, container))
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"] or {}
            optional = "true" if ref.get("optional") else "false"
            w.write(
                3,
                f"{name}:\t<set to the key '{text(ref.get('key'))}' in secret "
                f"'{text(ref.get('name'))}'>\tOptional: {optional}\n",
            )
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"] or {}
            optional = "true" if ref.get("optional") else "false"
            w.write(
                3,
                f"{name}:\t<set to the key '{text(ref.get('key'))}' of config map "
                f"'{text(ref.get('name'))}'>\tOptional: {optional}\n",
            )


def _describe_mounts(w: DescribeWriter, container: Obj) -> None:
    mounts = container.get("volumeMounts") or []
    w.write(2, "Mounts:\n" if mounts else "Mounts:\t<none>\n")
    for mount in sorted(mounts, key=lambda m: text(m.get("mountPath"))):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f'path="{mount["subPath"]}"')
        w.write(3, f"{mount.get('mountPath')} from {mount.get('name')} ({','.join(flags)})\n")


def describe_containers(
    w: DescribeWriter,
    label: str,
    containers: list[Obj],
    statuses: list[Obj] | None,
    resolver: EnvResolver | None,
    space: str,
) -> None:
    """``describeContainers``: one block per container, state only when a status exists."""
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{text(status.get('containerID'))}\n")
        w.write(2, f"Image:\t{text(container.get('image'))}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{text(status.get('imageID'))}\n")
        ports = container.get("ports") or []
        port_text, host_text = _ports(ports, "containerPort"), _ports(ports, "hostPort")
        w.write(
            2, f"Ports:\t{port_text}\n" if "," in port_text else f"Port:\t{port_text or '<none>'}\n"
        )
        if "," in host_text:
            w.write(2, f"Host Ports:\t{host_text}\n")
        else:
            w.write(2, f"Host Port:\t{host_text or '<none>'}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if container.get(key):
                w.write(2, f"{title}:\n")
                for item in container[key]:
                    for line in text(item).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _describe_state(w, "State", status.get("state") or {})
            last = status.get("lastState") or {}
            if last.get("terminated") is not None:
                _describe_state(w, "Last State", last)
            w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(2, f"Restart Count:\t{_int(status.get('restartCount'))}\n")
        describe_resources(w, container.get("resources"), 2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe")):
            if container.get(key) is not None:
                w.write(2, f"{title}:\t{describe_probe(container[key] or {})}\n")
        if container.get("startupProbe") is not None:
            w.write(2, f"Startup:\t{describe_probe(container['startupProbe'] or {})}\n")
        _describe_env(w, container, resolver)
        _describe_mounts(w, container)


def _true_false(value: Any) -> str:
    return "true" if value else "false"


def _size_limit(limit: Any) -> str:
    return text(limit) if limit not in (None, "", "0", 0) else "<unset>"


# The pod volume sources with a plain field list: field, Type: text, fields.
_SOURCES: tuple[tuple[str, str, SourceFields], ...] = (
    (
        "hostPath",
        "HostPath (bare host directory volume)",
        lambda s: [
            ("Path", text(s.get("path"))),
            ("HostPathType", text(s.get("type")) or "<none>"),
        ],
    ),
    (
        "emptyDir",
        "EmptyDir (a temporary directory that shares a pod's lifetime)",
        lambda s: [
            ("Medium", text(s.get("medium"))),
            ("SizeLimit", _size_limit(s.get("sizeLimit"))),
        ],
    ),
    (
        "secret",
        "Secret (a volume populated by a Secret)",
        lambda s: [
            ("SecretName", text(s.get("secretName"))),
            ("Optional", _true_false(s.get("optional"))),
        ],
    ),
    (
        "configMap",
        "ConfigMap (a volume populated by a ConfigMap)",
        lambda s: [("Name", text(s.get("name"))), ("Optional", _true_false(s.get("optional")))],
    ),
    (
        "persistentVolumeClaim",
        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        lambda s: [
            ("ClaimName", text(s.get("claimName"))),
            ("ReadOnly", _true_false(s.get("readOnly"))),
        ],
    ),
)


def _volume_source(w: DescribeWriter, volume: Obj) -> None:
    if describe_source(w, volume, _SOURCES):
        return
    if volume.get("projected") is not None:
        _projected_source(w, volume["projected"] or {})
    elif volume.get("downwardAPI") is not None:
        w.write(
            2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n"
        )
        for item in (volume["downwardAPI"] or {}).get("items") or []:
            if item.get("fieldRef"):
                w.write(3, f"{item['fieldRef'].get('fieldPath')} -> {item.get('path')}\n")
            if item.get("resourceFieldRef"):
                w.write(3, f"{item['resourceFieldRef'].get('resource')} -> {item.get('path')}\n")
    else:
        w.write(1, "<unknown>\n")


def _projected_source(w: DescribeWriter, projected: Obj) -> None:
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in projected.get("sources") or []:
        # kubectl prints the *bool ``optional`` with %v: ``<nil>`` when it is not set.
        if source.get("secret") is not None:
            ref = source["secret"] or {}
            optional = "<nil>" if ref.get("optional") is None else text(ref["optional"])
            w.write(
                2, f"SecretName:\t{text(ref.get('name'))}\n    SecretOptionalName:\t{optional}\n"
            )
        elif source.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            ref = source["configMap"] or {}
            optional = "<nil>" if ref.get("optional") is None else text(ref["optional"])
            w.write(
                2, f"ConfigMapName:\t{text(ref.get('name'))}\n    ConfigMapOptional:\t{optional}\n"
            )
        elif source.get("serviceAccountToken") is not None:
            seconds = (source["serviceAccountToken"] or {}).get("expirationSeconds", 3600)
            w.write(2, f"TokenExpirationSeconds:\t{seconds}\n")


def describe_volumes(w: DescribeWriter, volumes: list[Obj] | None, space: str) -> None:
    """``describeVolumes``: ``Volumes:  <none>`` or one typed block per volume."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        _volume_source(w, volume)


def describe_pod_template(w: DescribeWriter, template: Obj | None) -> None:
    """``DescribePodTemplate``: the template block of rc / rs / deployment describe."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    metadata = template.get("metadata") or {}
    spec = template.get("spec") or {}
    labels_multiline(w, "  Labels", metadata.get("labels"))
    if metadata.get("annotations"):
        annotations_multiline(w, "  Annotations", metadata["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ")
    describe_containers(w, "Containers", spec.get("containers") or [], None, None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
