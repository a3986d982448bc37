"""Describers for ReplicationController, ReplicaSet, Deployment and Service (reference §6.6)."""

from __future__ import annotations

import copy
from typing import Any

from k8stui.engine.apimachinery.selectors import matches_equality, matches_label_selector
from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    annotations_multiline,
    controller_line,
    controller_uid,
    describe_events,
    describe_header,
    format_rfc1123z,
    labels_multiline,
    text,
)
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.duration import timestamp_ms
from k8stui.kubectl.printers import format_label_selector, selector_string
from k8stui.kubectl.table import format_labels
from k8stui.kubectl.view import ClusterView

_HASH_LABEL = "pod-template-hash"


def _meta(obj: Obj) -> dict[str, Any]:
    return obj.get("metadata") or {}


def _desired(spec: Obj) -> int:
    value = spec.get("replicas")
    return 1 if value is None else int(value)


def _pod_phase_counts(obj: Obj, view: ClusterView, equality: bool) -> tuple[int, int, int, int]:
    """``getPodStatusForController``: phases of selected pods this controller owns."""
    spec = obj.get("spec") or {}
    namespace = text(_meta(obj).get("namespace"))
    uid = text(_meta(obj).get("uid"))
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in view.list("Pod", namespace):
        labels = _meta(pod).get("labels") or {}
        selected = (
            matches_equality(spec.get("selector"), labels)
            if equality
            else matches_label_selector(spec.get("selector"), labels)
        )
        if not selected or controller_uid(pod) != uid:
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _replica_header(w: DescribeWriter, obj: Obj, view: ClusterView, equality: bool) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    replicas = int(status.get("replicas") or 0)
    w.write(0, f"Replicas:\t{replicas} current / {_desired(spec)} desired\n")
    running, waiting, succeeded, failed = _pod_phase_counts(obj, view, equality)
    w.write(
        0,
        f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / "
        f"{failed} Failed\n",
    )
    describe_pod_template(w, spec.get("template"))
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for condition in status["conditions"]:
            w.write(
                1,
                f"{text(condition.get('type'))} \t{text(condition.get('status'))}"
                f"\t{text(condition.get('reason'))}\n",
            )
    describe_events(w, view.events_for(obj), view.now_ms)


def describe_replication_controller(rc: Obj, view: ClusterView) -> str:
    """``kubectl describe rc``."""
    meta = _meta(rc)
    w = DescribeWriter()
    describe_header(w, meta, f"Selector:\t{format_labels((rc.get('spec') or {}).get('selector'))}")
    _replica_header(w, rc, view, equality=True)
    return w.result()


def describe_replica_set(rs: Obj, view: ClusterView) -> str:
    """``kubectl describe rs``."""
    meta = _meta(rs)
    w = DescribeWriter()
    describe_header(
        w, meta, f"Selector:\t{format_label_selector((rs.get('spec') or {}).get('selector'))}"
    )
    controller_line(w, rs)
    _replica_header(w, rs, view, equality=False)
    return w.result()


def _template_without_hash(template: Obj | None) -> Obj:
    clean = copy.deepcopy(template or {})
    labels = (clean.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(_HASH_LABEL, None)
    return clean


def _creation_key(rs: Obj) -> tuple[int, str]:
    stamp = _meta(rs).get("creationTimestamp")
    try:
        ms = timestamp_ms(stamp) if isinstance(stamp, str) else 0
    except ValueError:
        ms = 0
    return ms, text(_meta(rs).get("name"))


def split_replica_sets(deploy: Obj, view: ClusterView) -> tuple[list[Obj], Obj | None]:
    """The deployment's old ReplicaSets and its new one (``deploymentutil.GetAllReplicaSets``).

    The new RS is the oldest owned RS whose template equals the deployment's, ignoring the
    pod-template-hash label; failing that, the one carrying the deployment's revision.
    """
    uid = text(_meta(deploy).get("uid"))
    owned = [
        rs
        for rs in view.list("ReplicaSet", text(_meta(deploy).get("namespace")))
        if controller_uid(rs) == uid
    ]
    wanted = _template_without_hash((deploy.get("spec") or {}).get("template"))
    new: Obj | None = None
    for rs in sorted(owned, key=_creation_key):
        if _template_without_hash((rs.get("spec") or {}).get("template")) == wanted:
            new = rs
            break
    if new is None:
        key = "deployment.kubernetes.io/revision"
        revision = (_meta(deploy).get("annotations") or {}).get(key)
        for rs in owned:
            if revision is not None and (_meta(rs).get("annotations") or {}).get(key) == revision:
                new = rs
                break
    return [rs for rs in owned if rs is not new], new


def _rs_summary(replica_sets: list[Obj]) -> str:
    parts = [
        f"{text(_meta(rs).get('name'))} ({int((rs.get('status') or {}).get('replicas') or 0)}/"
        f"{_desired(rs.get('spec') or {})} replicas created)"
        for rs in replica_sets
    ]
    return ", ".join(parts) or "<none>"


def describe_deployment(deploy: Obj, view: ClusterView) -> str:
    """``kubectl describe deployment``."""
    meta = _meta(deploy)
    spec = deploy.get("spec") or {}
    status = deploy.get("status") or {}
    w = DescribeWriter()
    describe_header(
        w, meta, f"CreationTimestamp:\t{format_rfc1123z(meta.get('creationTimestamp'))}"
    )
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    counts = [int(status.get(key) or 0) for key in ("updatedReplicas", "replicas")]
    available = int(status.get("availableReplicas") or 0)
    unavailable = int(status.get("unavailableReplicas") or 0)
    w.write(
        0,
        f"Replicas:\t{_desired(spec)} desired | {counts[0]} updated | {counts[1]} total | "
        f"{available} available | {unavailable} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    # The API server defaults the strategy; objects built without defaulting get the same values.
    kind = strategy.get("type") or "RollingUpdate"
    w.write(0, f"StrategyType:\t{kind}\n")
    w.write(0, f"MinReadySeconds:\t{int(spec.get('minReadySeconds') or 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is None and kind == "RollingUpdate":
        rolling = {}
    if rolling is not None:
        unavailable_text = text(rolling.get("maxUnavailable", "25%"))
        surge = text(rolling.get("maxSurge", "25%"))
        w.write(
            0, f"RollingUpdateStrategy:\t{unavailable_text} max unavailable, {surge} max surge\n"
        )
    describe_pod_template(w, spec.get("template"))
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for condition in status["conditions"]:
            w.write(
                1,
                f"{text(condition.get('type'))} \t{text(condition.get('status'))}"
                f"\t{text(condition.get('reason'))}\n",
            )
    old, new = split_replica_sets(deploy, view)
    if old or new is not None:
        # FindOldReplicaSets' "required" list: old ReplicaSets still asked for pods.
        required = [rs for rs in old if int((rs.get("spec") or {}).get("replicas") or 0) != 0]
        w.write(0, f"OldReplicaSets:\t{_rs_summary(required)}\n")
        w.write(0, f"NewReplicaSet:\t{_rs_summary([new] if new is not None else [])}\n")
    describe_events(w, view.events_for(deploy), view.now_ms)
    return w.result()


def service_endpoints(service: Obj, port_name: str, view: ClusterView) -> str:
    """The describe ``Endpoints:`` cell for one service port: ready ``ip:port`` addresses.

    kubectl 1.32 reads EndpointSlices; the simulator keeps the equivalent Endpoints object.
    """
    meta = _meta(service)
    endpoints = view.get("Endpoints", text(meta.get("namespace")), text(meta.get("name")))
    shown: list[str] = []
    count = 0
    for subset in (endpoints or {}).get("subsets") or []:
        for port in subset.get("ports") or []:
            if text(port.get("name")) != port_name:
                continue
            for address in subset.get("addresses") or []:
                count += 1
                if len(shown) < 3:
                    ip = text(address.get("ip"))
                    host = f"[{ip}]" if ":" in ip else ip
                    shown.append(f"{host}:{port.get('port')}")
    if not shown:
        return "<none>"
    listed = ",".join(shown)
    return f"{listed} + {count - 3} more..." if count > 3 else listed


def describe_service(service: Obj, view: ClusterView) -> str:
    """``kubectl describe service``."""
    meta = _meta(service)
    spec = service.get("spec") or {}
    w = DescribeWriter()
    describe_header(w, meta)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{text(spec.get('type') or 'ClusterIP')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = ",".join(text(f) for f in spec.get("ipFamilies") or [])
    w.write(0, f"IP Families:\t{families or '<none>'}\n")
    w.write(0, f"IP:\t{text(spec.get('clusterIP'))}\n")
    cluster_ips = ",".join(text(ip) for ip in spec.get("clusterIPs") or [])
    w.write(0, f"IPs:\t{cluster_ips or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(text(ip) for ip in spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        listed = ", ".join(text(i.get("ip") or i.get("hostname")) for i in ingress)
        w.write(0, f"LoadBalancer Ingress:\t{listed}\n")
    for port in spec.get("ports") or []:
        name = text(port.get("name")) or "<unset>"
        protocol = text(port.get("protocol") or "TCP")
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{protocol}\n")
        target = port.get("targetPort", port.get("port"))
        w.write(0, f"TargetPort:\t{text(target)}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{service_endpoints(service, text(port.get('name')), view)}\n")
    w.write(0, f"Session Affinity:\t{text(spec.get('sessionAffinity'))}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    describe_events(w, view.events_for(service), view.now_ms)
    return w.result()


def describe_generic(obj: Obj, view: ClusterView) -> str:
    """A minimal describe for kinds without a dedicated describer."""
    meta = _meta(obj)
    w = DescribeWriter()
    w.write(0, f"Name:\t{text(meta.get('name'))}\n")
    if meta.get("namespace"):
        w.write(0, f"Namespace:\t{meta['namespace']}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(w, view.events_for(obj), view.now_ms)
    return w.result()
