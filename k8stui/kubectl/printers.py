"""Server-side table builders per kind (kubernetes ``pkg/printers/internalversion/printers.go``).

Like the API server, every builder emits the wide cells too; ``render_table`` hides priority > 0
columns unless ``-o wide`` is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from k8stui.kubectl import printers_config as config_rows
from k8stui.kubectl.duration import since
from k8stui.kubectl.pod_status import pod_cells
from k8stui.kubectl.printers_batch import CRON_JOB_COLUMNS, JOB_COLUMNS, cron_job_row, job_row
from k8stui.kubectl.printers_statefulset import STATEFUL_SET_COLUMNS, stateful_set_row
from k8stui.kubectl.printers_storage import (
    PV_COLUMNS,
    PVC_COLUMNS,
    STORAGE_CLASS_COLUMNS,
    pv_row,
    pvc_row,
    storage_class_row,
)
from k8stui.kubectl.selector_text import (
    container_cells,
    format_label_selector,
    selector_string,
)
from k8stui.kubectl.table import ColumnDefinition, Table, TableRow, format_labels
from k8stui.kubectl.view import ClusterView

Obj = dict[str, Any]
RowBuilder = Callable[[Obj, int], list[Any]]

_NAME = ColumnDefinition("Name", description="Name must be unique within a namespace.")
_AGE = ColumnDefinition("Age", description="CreationTimestamp of the object.")
_CONTAINERS = ColumnDefinition("Containers", priority=1, description="Container names.")
_IMAGES = ColumnDefinition("Images", priority=1, description="Container images.")
_SELECTOR = ColumnDefinition("Selector", priority=1, description="Label selector.")


def _meta(obj: Obj) -> dict[str, Any]:
    return obj.get("metadata") or {}


def _age(obj: Obj, now_ms: int) -> str:
    return since(_meta(obj).get("creationTimestamp"), now_ms)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# --- Pod ---------------------------------------------------------------------------------------

_POD_COLUMNS = [
    _NAME,
    ColumnDefinition("Ready", description="The aggregate readiness state of this pod."),
    ColumnDefinition("Status", description="The aggregate status of the containers in this pod."),
    ColumnDefinition("Restarts", "string", description="The number of container restarts."),
    _AGE,
    ColumnDefinition("IP", priority=1, description="IP address allocated to the pod."),
    ColumnDefinition("Node", priority=1, description="The node the pod is bound to."),
    ColumnDefinition("Nominated Node", priority=1, description="Nominated node for preemption."),
    ColumnDefinition("Readiness Gates", priority=1, description="Pod readiness gates."),
]


def _pod_row(pod: Obj, now_ms: int) -> list[Any]:
    cells = pod_cells(pod, now_ms)
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    pod_ips = status.get("podIPs")
    # The printer reads podIPs[0]; fall back to podIP for objects that only carry the old field
    # (or, restored from a damaged snapshot, something other than a list there).
    if isinstance(pod_ips, list) and pod_ips:
        first = pod_ips[0]
        pod_ip = first.get("ip", "") if isinstance(first, dict) else ""
    else:
        pod_ip = status.get("podIP", "")
    gates = spec.get("readinessGates") or []
    gates_cell = "<none>"
    if gates:
        conditions = status.get("conditions") or []
        satisfied = 0
        for gate in gates:
            for condition in conditions:
                if condition.get("type") == gate.get("conditionType"):
                    satisfied += condition.get("status") == "True"
                    break
        gates_cell = f"{satisfied}/{len(gates)}"
    return [
        _meta(pod).get("name", ""),
        cells.ready,
        cells.status,
        cells.restarts,
        _age(pod, now_ms),
        pod_ip or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_cell,
    ]


# --- Node --------------------------------------------------------------------------------------

_NODE_COLUMNS = [
    _NAME,
    ColumnDefinition("Status", description="The status of the node"),
    ColumnDefinition("Roles", description="The roles of the node"),
    _AGE,
    ColumnDefinition("Version", description="Kubelet Version reported by the node."),
    ColumnDefinition("Internal-IP", priority=1, description="Node addresses."),
    ColumnDefinition("External-IP", priority=1, description="Node addresses."),
    ColumnDefinition("OS-Image", priority=1, description="OS image reported by the node."),
    ColumnDefinition("Kernel-Version", priority=1, description="Kernel version of the node."),
    ColumnDefinition("Container-Runtime", priority=1, description="Container runtime version."),
]

_ROLE_PREFIX = "node-role.kubernetes.io/"


def node_roles(node: Obj) -> list[str]:
    """``findNodeRoles``: ``node-role.kubernetes.io/<role>`` keys and ``kubernetes.io/role``."""
    roles: set[str] = set()
    for key, value in (_meta(node).get("labels") or {}).items():
        if key.startswith(_ROLE_PREFIX) and len(key) > len(_ROLE_PREFIX):
            roles.add(key[len(_ROLE_PREFIX) :])
        elif key == "kubernetes.io/role" and value:
            roles.add(str(value))
    return sorted(roles)


def _node_address(node: Obj, kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return str(address.get("address", ""))
    return "<none>"


def _node_row(node: Obj, now_ms: int) -> list[Any]:
    status = node.get("status") or {}
    # Only the Ready condition is reported: Ready, or "Not"+Type for False and Unknown alike.
    words: list[str] = []
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            words = ["Ready" if condition.get("status") == "True" else "NotReady"]
    if not words:
        words = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        words.append("SchedulingDisabled")
    info = status.get("nodeInfo") or {}
    return [
        _meta(node).get("name", ""),
        ",".join(words),
        ",".join(node_roles(node)) or "<none>",
        _age(node, now_ms),
        info.get("kubeletVersion", ""),
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


# --- Workloads ---------------------------------------------------------------------------------

_REPLICA_COLUMNS = [
    _NAME,
    ColumnDefinition("Desired", "integer", description="Number of desired pods."),
    ColumnDefinition("Current", "integer", description="Number of actual (active) pods."),
    ColumnDefinition("Ready", "integer", description="Number of ready pods."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _SELECTOR,
]


def _replicas(spec: Mapping[str, Any]) -> int:
    # An unset spec.replicas defaults to 1 in the API server.
    value = spec.get("replicas")
    return 1 if value is None else _int(value)


def _rc_row(rc: Obj, now_ms: int) -> list[Any]:
    spec = rc.get("spec") or {}
    status = rc.get("status") or {}
    names, images = container_cells(spec.get("template"))
    return [
        _meta(rc).get("name", ""),
        _replicas(spec),
        _int(status.get("replicas")),
        _int(status.get("readyReplicas")),
        _age(rc, now_ms),
        names,
        images,
        format_labels(spec.get("selector")),
    ]


def _rs_row(rs: Obj, now_ms: int) -> list[Any]:
    row = _rc_row(rs, now_ms)
    row[-1] = format_label_selector((rs.get("spec") or {}).get("selector"))
    return row


_DEPLOYMENT_COLUMNS = [
    _NAME,
    ColumnDefinition("Ready", description="Number of ready pods out of the desired ones."),
    ColumnDefinition("Up-to-date", "integer", description="Pods with the current template."),
    ColumnDefinition("Available", "integer", description="Number of available pods."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _SELECTOR,
]


def _deployment_row(deploy: Obj, now_ms: int) -> list[Any]:
    spec = deploy.get("spec") or {}
    status = deploy.get("status") or {}
    names, images = container_cells(spec.get("template"))
    return [
        _meta(deploy).get("name", ""),
        f"{_int(status.get('readyReplicas'))}/{_replicas(spec)}",
        _int(status.get("updatedReplicas")),
        _int(status.get("availableReplicas")),
        _age(deploy, now_ms),
        names,
        images,
        selector_string(spec.get("selector")),
    ]


# --- Services and endpoints --------------------------------------------------------------------

_SERVICE_COLUMNS = [
    _NAME,
    ColumnDefinition("Type", description="Service type."),
    ColumnDefinition("Cluster-IP", description="Cluster IP of the service."),
    ColumnDefinition("External-IP", description="External IPs of the service."),
    ColumnDefinition("Port(s)", description="Service ports."),
    _AGE,
    ColumnDefinition("Selector", priority=1, description="Service selector."),
]


def port_string(ports: list[dict[str, Any]] | None) -> str:
    """``makePortString``: ``80/TCP`` or ``80:31234/TCP``, joined by commas."""
    pieces = []
    for port in ports or []:
        protocol = port.get("protocol") or "TCP"
        if _int(port.get("nodePort")) > 0:
            pieces.append(f"{port.get('port')}:{port['nodePort']}/{protocol}")
        else:
            pieces.append(f"{port.get('port')}/{protocol}")
    return ",".join(pieces)


def _external_ip(service: Obj) -> str:
    spec = service.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    external = [str(ip) for ip in spec.get("externalIPs") or []]
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        lb = sorted({str(i.get("ip") or i.get("hostname") or "") for i in ingress} - {""})
        results = lb + external
        return ",".join(results) if results else "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


def _service_row(service: Obj, now_ms: int) -> list[Any]:
    spec = service.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    return [
        _meta(service).get("name", ""),
        spec.get("type") or "ClusterIP",
        cluster_ips[0] if cluster_ips else "<none>",
        _external_ip(service),
        port_string(spec.get("ports")) or "<none>",
        _age(service, now_ms),
        format_labels(spec.get("selector")),
    ]


_ENDPOINTS_COLUMNS = [
    _NAME,
    ColumnDefinition("Endpoints", description="Ready endpoint addresses."),
    _AGE,
]


def format_endpoints(endpoints: Obj, port_names: set[str] | None = None) -> str:
    """``formatEndpoints``: first three ready ``ip:port``, then `` + N more...``.

    ``<none>`` with no subsets at all; an empty string when subsets hold only not-ready addresses.
    """
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    limit = 3
    more = False
    count = 0
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                shown.append(str(address.get("ip", "")))
            continue
        for port in ports:
            if port_names is not None and (port.get("name") or "") not in port_names:
                continue
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                ip = str(address.get("ip", ""))
                host = f"[{ip}]" if ":" in ip else ip  # net.JoinHostPort brackets IPv6
                shown.append(f"{host}:{port.get('port')}")
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


def _endpoints_row(endpoints: Obj, now_ms: int) -> list[Any]:
    return [_meta(endpoints).get("name", ""), format_endpoints(endpoints), _age(endpoints, now_ms)]


# --- Events, namespaces, leases, fallback -----------------------------------------------------

_EVENT_COLUMNS = [
    ColumnDefinition("Last Seen", description="Time of the last occurrence."),
    ColumnDefinition("Type", description="Type of this event (Normal, Warning)."),
    ColumnDefinition("Reason", description="Why the action was taken."),
    ColumnDefinition("Object", description="The object this event is about."),
    ColumnDefinition("Subobject", priority=1, description="Field path of the sub-object."),
    ColumnDefinition("Source", priority=1, description="The component reporting this event."),
    ColumnDefinition("Message", description="A human-readable description."),
    ColumnDefinition("First Seen", priority=1, description="Time of the first occurrence."),
    ColumnDefinition("Count", priority=1, description="The number of occurrences."),
    ColumnDefinition("Name", priority=1, description="Name of the event."),
]


def _event_row(event: Obj, now_ms: int) -> list[Any]:
    first = since(event.get("firstTimestamp"), now_ms)
    if not event.get("firstTimestamp"):
        first = since(event.get("eventTime"), now_ms)
    last = since(event.get("lastTimestamp"), now_ms) if event.get("lastTimestamp") else first
    count = _int(event.get("count"))
    series = event.get("series")
    if isinstance(series, dict) and series:
        last = since(series.get("lastObservedTime"), now_ms)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1  # singleton events carry no count
    involved = event.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return [
        last,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        f"{component}, {host}" if host else component,
        str(event.get("message", "")).strip(),
        first,
        count,
        _meta(event).get("name", ""),
    ]


_NAMESPACE_COLUMNS = [
    _NAME,
    ColumnDefinition("Status", description="The status of the namespace"),
    _AGE,
]


def _namespace_row(namespace: Obj, now_ms: int) -> list[Any]:
    phase = (namespace.get("status") or {}).get("phase", "")
    return [_meta(namespace).get("name", ""), phase, _age(namespace, now_ms)]


_LEASE_COLUMNS = [_NAME, ColumnDefinition("Holder", description="Lease holder."), _AGE]


def _lease_row(lease: Obj, now_ms: int) -> list[Any]:
    holder = (lease.get("spec") or {}).get("holderIdentity", "")
    return [_meta(lease).get("name", ""), holder, _age(lease, now_ms)]


def _generic_row(obj: Obj, now_ms: int) -> list[Any]:
    return [_meta(obj).get("name", ""), _age(obj, now_ms)]


_BUILDERS: dict[str, tuple[list[ColumnDefinition], RowBuilder, bool]] = {
    "Pod": (_POD_COLUMNS, _pod_row, True),
    "Node": (_NODE_COLUMNS, _node_row, False),
    "ReplicationController": (_REPLICA_COLUMNS, _rc_row, True),
    "ReplicaSet": (_REPLICA_COLUMNS, _rs_row, True),
    "Deployment": (_DEPLOYMENT_COLUMNS, _deployment_row, True),
    "Service": (_SERVICE_COLUMNS, _service_row, True),
    "Endpoints": (_ENDPOINTS_COLUMNS, _endpoints_row, True),
    "Event": (_EVENT_COLUMNS, _event_row, True),
    "Namespace": (_NAMESPACE_COLUMNS, _namespace_row, False),
    "Lease": (_LEASE_COLUMNS, _lease_row, True),
    "Job": (JOB_COLUMNS, job_row, True),
    "CronJob": (CRON_JOB_COLUMNS, cron_job_row, True),
    "PersistentVolume": (PV_COLUMNS, pv_row, False),
    "PersistentVolumeClaim": (PVC_COLUMNS, pvc_row, True),
    "StorageClass": (STORAGE_CLASS_COLUMNS, storage_class_row, False),
    "StatefulSet": (STATEFUL_SET_COLUMNS, stateful_set_row, True),
    "DaemonSet": (
        config_rows.DAEMON_SET_COLUMNS,
        lambda ds, now: config_rows.daemon_set_row(ds, now, selector_string),
        True,
    ),
    "ServiceAccount": (config_rows.SERVICE_ACCOUNT_COLUMNS, config_rows.service_account_row, True),
    "Secret": (config_rows.SECRET_COLUMNS, config_rows.secret_row, True),
    "ConfigMap": (config_rows.CONFIG_MAP_COLUMNS, config_rows.config_map_row, True),
}

CLUSTER_SCOPED = frozenset({"Node", "Namespace", "PersistentVolume", "StorageClass"})


def build_table(kind: str, objects: list[dict[str, Any]], view: ClusterView) -> Table:
    """Build the server-side table for ``objects`` of ``kind`` (unknown kinds get NAME/AGE)."""
    columns, builder, namespaced = _BUILDERS.get(
        kind, ([_NAME, _AGE], _generic_row, kind not in CLUSTER_SCOPED)
    )
    now_ms = view.now_ms
    rows = [TableRow(builder(obj, now_ms), obj) for obj in objects]
    return Table(list(columns), rows, kind=kind, namespaced=namespaced)
