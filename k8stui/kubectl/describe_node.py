"""``kubectl describe node`` (kubectl ``describeNode``, reference §6.5)."""

from __future__ import annotations

import re
from typing import Any

from k8stui.engine.apimachinery.quantity import (
    QuantityError,
    format_cpu,
    format_memory,
    parse_cpu,
    parse_memory,
)
from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    annotations_multiline,
    describe_events,
    format_rfc1123z,
    labels_multiline,
    taint_text,
    text,
)
from k8stui.kubectl.duration import since
from k8stui.kubectl.printers import node_roles
from k8stui.kubectl.view import ClusterView

_DECIMAL_SUFFIX = re.compile(r"^[0-9.+-]+(k|M|G|T|P|E)$")
_DECIMAL_UNITS = (
    ("E", 10**18),
    ("P", 10**15),
    ("T", 10**12),
    ("G", 10**9),
    ("M", 10**6),
    ("k", 10**3),
)
_STANDARD = frozenset({"cpu", "memory", "ephemeral-storage", "pods"})


class _Amount:
    """A summed quantity that remembers whether its first addend was decimal (``100M``) or not.

    Go's ``Quantity.Add`` keeps the receiver's format, so ``64Mi + 64Mi`` prints ``128Mi`` and
    ``100M + 100M`` prints ``200M``.
    """

    def __init__(self, cpu: bool) -> None:
        self.cpu = cpu
        self.value = 0
        self.decimal: bool | None = None

    def add(self, raw: Any) -> None:
        try:
            amount = parse_cpu(raw) if self.cpu else parse_memory(raw)
        except (QuantityError, TypeError):
            return
        if self.decimal is None:
            self.decimal = bool(_DECIMAL_SUFFIX.match(str(raw)))
        self.value += amount

    def max_with(self, other: _Amount) -> None:
        if other.value > self.value:
            self.value = other.value
            self.decimal = other.decimal if self.decimal is None else self.decimal

    def __str__(self) -> str:
        if self.cpu:
            return format_cpu(self.value)
        if self.decimal and self.value:
            for suffix, unit in _DECIMAL_UNITS:
                if self.value % unit == 0:
                    return f"{self.value // unit}{suffix}"
        return format_memory(self.value)


def _container_amounts(container: Obj, field: str) -> dict[str, Any]:
    return dict(((container.get("resources") or {}).get(field) or {}).items())


def pod_requests_and_limits(pod: Obj) -> tuple[dict[str, _Amount], dict[str, _Amount]]:
    """``resourcehelper.PodRequestsAndLimits``: app containers summed, init containers as a max,
    sidecars added to both."""
    spec = pod.get("spec") or {}
    result: list[dict[str, _Amount]] = []
    for field in ("requests", "limits"):
        total: dict[str, _Amount] = {}
        for container in spec.get("containers") or []:
            for name, raw in _container_amounts(container, field).items():
                total.setdefault(name, _Amount(name == "cpu")).add(raw)
        sidecars: dict[str, _Amount] = {}
        init_peak: dict[str, _Amount] = {}
        for container in spec.get("initContainers") or []:
            amounts = _container_amounts(container, field)
            if container.get("restartPolicy") == "Always":
                for name, raw in amounts.items():
                    total.setdefault(name, _Amount(name == "cpu")).add(raw)
                    sidecars.setdefault(name, _Amount(name == "cpu")).add(raw)
                continue
            for name, raw in amounts.items():
                step = _Amount(name == "cpu")
                step.add(raw)
                step.value += sidecars[name].value if name in sidecars else 0
                init_peak.setdefault(name, _Amount(name == "cpu")).max_with(step)
        for name, peak in init_peak.items():
            total.setdefault(name, _Amount(name == "cpu")).max_with(peak)
        result.append(total)
    return result[0], result[1]


def _percent(part: int, whole: int) -> int:
    # Go converts float64(part)/float64(whole)*100 to int64, truncating toward zero.
    return int(part / whole * 100) if whole else 0


def _cell(amounts: dict[str, _Amount], name: str, whole: int) -> str:
    amount = amounts.get(name) or _Amount(name == "cpu")
    return f"{amount} ({_percent(amount.value, whole)}%)"


def _allocatable(node: Obj) -> dict[str, Any]:
    status = node.get("status") or {}
    return dict(status.get("allocatable") or status.get("capacity") or {})


def _quantity_value(raw: Any, cpu: bool) -> int:
    try:
        return parse_cpu(raw) if cpu else parse_memory(raw)
    except (QuantityError, TypeError):
        return 0


def _node_resources(w: DescribeWriter, node: Obj, pods: list[Obj], now_ms: int) -> None:
    allocatable = _allocatable(node)
    cpu_total = _quantity_value(allocatable.get("cpu"), True)
    mem_total = _quantity_value(allocatable.get("memory"), False)
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    totals: list[dict[str, _Amount]] = [{}, {}]
    for pod in pods:
        requests, limits = pod_requests_and_limits(pod)
        meta = pod.get("metadata") or {}
        w.write(
            1,
            f"{text(meta.get('namespace'))}\t{text(meta.get('name'))}\t\t"
            f"{_cell(requests, 'cpu', cpu_total)}\t{_cell(limits, 'cpu', cpu_total)}\t"
            f"{_cell(requests, 'memory', mem_total)}\t{_cell(limits, 'memory', mem_total)}\t"
            f"{since(meta.get('creationTimestamp'), now_ms)}\n",
        )
        for total, amounts in zip(totals, (requests, limits), strict=True):
            for name, amount in amounts.items():
                summed = total.setdefault(name, _Amount(amount.cpu))
                if summed.decimal is None:
                    summed.decimal = amount.decimal
                summed.value += amount.value
    w.write(
        0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    )
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    storage_total = _quantity_value(allocatable.get("ephemeral-storage"), False)
    for name, whole in (
        ("cpu", cpu_total),
        ("memory", mem_total),
        ("ephemeral-storage", storage_total),
    ):
        w.write(1, f"{name}\t{_cell(totals[0], name, whole)}\t{_cell(totals[1], name, whole)}\n")
    for name in sorted(k for k in allocatable if k.startswith("hugepages-")):
        whole = _quantity_value(allocatable[name], False)
        w.write(1, f"{name}\t{_cell(totals[0], name, whole)}\t{_cell(totals[1], name, whole)}\n")
    for name in sorted(
        k for k in allocatable if k not in _STANDARD and not k.startswith("hugepages-")
    ):
        requested = totals[0].get(name) or _Amount(False)
        limited = totals[1].get(name) or _Amount(False)
        w.write(1, f"{name}\t{requested}\t{limited}\n")


def _lease(w: DescribeWriter, node_name: str, view: ClusterView) -> None:
    lease = view.get("Lease", "kube-node-lease", node_name)
    if lease is None:
        w.write(
            0,
            f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{node_name}" not found\n',
        )
        return
    spec = lease.get("spec") or {}
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{text(spec.get('holderIdentity')) or '<unset>'}\n")
    acquire, renew = spec.get("acquireTime"), spec.get("renewTime")
    w.write(1, f"AcquireTime:\t{format_rfc1123z(acquire) if acquire else '<unset>'}\n")
    w.write(1, f"RenewTime:\t{format_rfc1123z(renew) if renew else '<unset>'}\n")


def describe_node(node: Obj, view: ClusterView) -> str:
    """``kubectl describe node``."""
    meta = node.get("metadata") or {}
    spec = node.get("spec") or {}
    status = node.get("status") or {}
    name = text(meta.get("name"))
    w = DescribeWriter()
    w.write(0, f"Name:\t{name}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{format_rfc1123z(meta.get('creationTimestamp'))}\n")
    taints = sorted(
        spec.get("taints") or [], key=lambda t: f"{text(t.get('effect'))},{text(t.get('key'))}"
    )
    w.write(0, "Taints:\t")
    if not taints:
        w.write(0, "<none>\n")
    for index, taint in enumerate(taints):
        w.write(0, ("\t" if index else "") + taint_text(taint) + "\n")
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    _lease(w, name, view)
    if status.get("conditions"):
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        )
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(
                1,
                f"{text(c.get('type'))} \t{text(c.get('status'))} \t"
                f"{format_rfc1123z(c.get('lastHeartbeatTime'))} \t"
                f"{format_rfc1123z(c.get('lastTransitionTime'))} \t{text(c.get('reason'))} \t"
                f"{text(c.get('message'))}\n",
            )
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{text(address.get('type'))}:\t{text(address.get('address'))}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for resource in sorted(values):
                w.write(0, f"  {resource}:\t{_canonical(values[resource])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for label, key in (
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ):
        w.write(0, f"  {label}:\t{text(info.get(key))}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(text(c) for c in spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    # The API server lists pods in key order (namespace, name); terminal pods are excluded.
    pods = sorted(
        (
            pod
            for pod in view.list("Pod")
            if (pod.get("spec") or {}).get("nodeName") == name
            and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
        ),
        key=lambda p: (
            text((p.get("metadata") or {}).get("namespace")),
            text((p.get("metadata") or {}).get("name")),
        ),
    )
    _node_resources(w, node, pods, view.now_ms)
    describe_events(w, view.events_for(node), view.now_ms)
    return w.result()


def _canonical(value: object) -> str:
    """A quantity as Go's ``Quantity.String()`` prints it: binary amounts in their largest
    exact unit (``4194304Ki`` is ``4Gi``), everything else as written."""
    raw = text(value)
    if raw.endswith(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei")):
        try:
            return format_memory(parse_memory(raw))
        except ValueError:
            return raw
    return raw
