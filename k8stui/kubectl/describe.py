"""``kubectl describe``: entry point and the pod describer (kubectl ``describePod``).

Layouts are reproduced from kubectl 1.32's ``pkg/describe/describe.go`` (reference §6.4-6.6),
including the Go tabwriter's block alignment and kubectl's trailing spaces.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.kubectl import describe_config
from k8stui.kubectl.describe_batch import describe_cron_job, describe_job
from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    annotations_multiline,
    controlled_by,
    describe_events,
    format_rfc1123z,
    labels_multiline,
    text,
    tolerations_multiline,
)
from k8stui.kubectl.describe_containers import describe_containers, describe_volumes
from k8stui.kubectl.describe_endpoints import describe_endpoints
from k8stui.kubectl.describe_node import describe_node
from k8stui.kubectl.describe_statefulset import describe_stateful_set
from k8stui.kubectl.describe_storage import (
    describe_persistent_volume,
    describe_persistent_volume_claim,
    describe_storage_class,
)
from k8stui.kubectl.describe_workloads import (
    describe_deployment,
    describe_generic,
    describe_replica_set,
    describe_replication_controller,
    describe_service,
)
from k8stui.kubectl.duration import since
from k8stui.kubectl.view import ClusterView


def _quantity(value: Any) -> Decimal:
    try:
        return parse_quantity(value)
    except (QuantityError, TypeError, ValueError):
        return Decimal(0)


def pod_qos_class(pod: Obj) -> str:
    """``qos.GetPodQOS``: status.qosClass when set, else computed from the containers."""
    given = (pod.get("status") or {}).get("qosClass")
    if given:
        return str(given)
    spec = pod.get("spec") or {}
    requests: dict[str, Decimal] = {}
    limits: dict[str, Decimal] = {}
    guaranteed = True
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        resources = container.get("resources") or {}
        for name, raw in (resources.get("requests") or {}).items():
            if name in ("cpu", "memory") and _quantity(raw) > 0:
                requests[name] = requests.get(name, Decimal(0)) + _quantity(raw)
        found: set[str] = set()
        for name, raw in (resources.get("limits") or {}).items():
            if name in ("cpu", "memory") and _quantity(raw) > 0:
                found.add(name)
                limits[name] = limits.get(name, Decimal(0)) + _quantity(raw)
        if not {"cpu", "memory"} <= found:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and any(limits.get(name) != value for name, value in requests.items()):
        guaranteed = False
    return "Guaranteed" if guaranteed and len(requests) == len(limits) else "Burstable"


def _field_resolver(pod: Obj) -> Callable[[Obj], str]:
    """Resolve ``valueFrom.fieldRef`` env vars against the pod, as ``EnvValueRetriever`` does."""

    def resolve(env: Obj) -> str:
        path = text(((env.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath"))
        metadata = pod.get("metadata") or {}
        for prefix, field in (
            ("metadata.labels", "labels"),
            ("metadata.annotations", "annotations"),
        ):
            if path.startswith(prefix + "['") and path.endswith("']"):
                return text((metadata.get(field) or {}).get(path[len(prefix) + 2 : -2]))
        section, _, key = path.partition(".")
        value = (
            (pod.get(section) or {}).get(key) if section in ("metadata", "spec", "status") else None
        )
        return text(value)

    return resolve


def describe_pod(pod: Obj, view: ClusterView) -> str:
    """The ``kubectl describe pod`` text for ``pod``."""
    now_ms = view.now_ms
    metadata = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    w = DescribeWriter()
    w.write(0, f"Name:\t{text(metadata.get('name'))}\n")
    w.write(0, f"Namespace:\t{text(metadata.get('namespace'))}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{text(status.get('hostIP'))}\n")
    else:
        w.write(0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{format_rfc1123z(status['startTime'])}\n")
    labels_multiline(w, "Labels", metadata.get("labels"))
    annotations_multiline(w, "Annotations", metadata.get("annotations"))
    phase = text(status.get("phase"))
    if metadata.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        # deletionTimestamp lies in the future during the grace period: "lasts <invalid>" is real.
        w.write(0, f"Status:\tTerminating (lasts {since(metadata['deletionTimestamp'], now_ms)})\n")
        grace = metadata.get("deletionGracePeriodSeconds") or 0
        w.write(0, f"Termination Grace Period:\t{grace}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    w.write(0, f"IP:\t{text(status.get('podIP'))}\n")
    pod_ips = status.get("podIPs") or []
    if not pod_ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for entry in pod_ips:
            w.write(1, f"IP:\t{text((entry or {}).get('ip'))}\n")
    owner = controlled_by(pod)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    resolver = _field_resolver(pod)
    if spec.get("initContainers"):
        describe_containers(
            w,
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses"),
            resolver,
            "",
        )
    describe_containers(
        w, "Containers", spec.get("containers") or [], status.get("containerStatuses"), resolver, ""
    )
    _readiness_gates(w, spec, status)
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in status["conditions"]:
            w.write(1, f"{text(condition.get('type'))} \t{text(condition.get('status'))} \n")
    describe_volumes(w, spec.get("volumes"), "")
    w.write(0, f"QoS Class:\t{pod_qos_class(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    describe_events(w, view.events_for(pod), now_ms)
    return w.result()


def _readiness_gates(w: DescribeWriter, spec: Obj, status: Obj) -> None:
    gates = spec.get("readinessGates") or []
    if not gates:
        return
    w.write(0, "Readiness Gates:\n  Type\tStatus\n")
    for gate in gates:
        state = "<none>"
        for condition in status.get("conditions") or []:
            if condition.get("type") == gate.get("conditionType"):
                state = text(condition.get("status"))
                break
        w.write(1, f"{text(gate.get('conditionType'))} \t{state} \n")


def describe(kind: str, obj: dict[str, Any], view: ClusterView) -> str:
    """Describe ``obj`` of ``kind`` (Pod, Node, ReplicationController, ReplicaSet, Deployment,
    Service); other kinds get a short generic description."""
    describers: dict[str, Callable[[Obj, ClusterView], str]] = {
        "Pod": describe_pod,
        "Node": describe_node,
        "ReplicationController": describe_replication_controller,
        "ReplicaSet": describe_replica_set,
        "Deployment": describe_deployment,
        "Service": describe_service,
        "DaemonSet": describe_config.describe_daemon_set,
        "ServiceAccount": describe_config.describe_service_account,
        "Secret": describe_config.describe_secret,
        "ConfigMap": describe_config.describe_config_map,
        "Namespace": describe_config.describe_namespace,
        "Endpoints": describe_endpoints,
        "Job": describe_job,
        "CronJob": describe_cron_job,
        "PersistentVolume": describe_persistent_volume,
        "PersistentVolumeClaim": describe_persistent_volume_claim,
        "StorageClass": describe_storage_class,
        "StatefulSet": describe_stateful_set,
    }
    return describers.get(kind, describe_generic)(obj, view)
