"""``kubectl top nodes|pods``: usage as metrics-server would report it, from the simulation.

The usage model is the kubelet's (``engine.kubelet.usage``), which the API's
``metrics.k8s.io`` serves too.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.go_duration import go_duration
from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.kubelet.usage import container_usage, node_usage
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.resources import resolve
from k8stui.kubectl.commands.targets import label_selector, no_resources, select
from k8stui.kubectl.tabwriter import align

Obj = dict[str, Any]
_MI = 1024 * 1024
METRICS_DELAY_MS = 120_000
"""kubectl blames a pod with no metrics on its age only once it is this old."""


def _rows(rows: list[list[str]]) -> str:
    # kubectl ends every row with a tab, so the last column is padded too; its tabwriter has
    # a minimum cell width of 6 (which shows with --no-headers).
    return align([[*row, ""] for row in rows], minwidth=6, padding=3)


def run_nodes(inv: Invocation) -> None:
    """``kubectl top nodes [NAME]``."""
    nodes = select(inv, resolve("nodes"), selector=label_selector(inv.flag("selector")))
    if inv.args:
        nodes = [n for n in nodes if n["metadata"]["name"] in inv.args]
        if not nodes:
            raise KubectlError(
                f"Error from server (NotFound): nodes {go_quote(inv.args[0])} not found"
            )
    sort_by = _sort_by(inv)
    pods = inv.cluster.list("Pod", None)
    rows = [] if inv.flag("no-headers") else [_NODE_HEADER]
    measured = []
    missing = []
    for node in nodes:
        usage = node_usage(inv.cluster, node["metadata"]["name"], pods)
        if usage is None:
            missing.append(node["metadata"]["name"])
        else:
            measured.append((node, (usage[0], _served_bytes(usage[1]))))
    measured = _sorted(measured, sort_by)
    for node, (cpu, memory) in measured:
        name = node["metadata"]["name"]
        allocatable = (node.get("status") or {}).get("allocatable") or {}
        cpu_total = parse_cpu(str(allocatable.get("cpu", "1")))
        memory_total = parse_memory(str(allocatable.get("memory", "1Gi")))
        rows.append(
            [
                name,
                f"{cpu}m",
                f"{cpu * 100 // max(cpu_total, 1)}%",
                f"{memory // _MI}Mi",
                f"{memory * 100 // max(memory_total, 1)}%",
            ]
        )
    # kubectl lists the nodes it has no metrics for after the others.
    rows += [[name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"] for name in missing]
    inv.out.out(_rows(rows))


def _sort_by(inv: Invocation) -> str:
    sort_by = str(inv.flag("sort-by") or "")
    if sort_by not in ("", "cpu", "memory"):
        raise KubectlError("error: --sort-by accepts only cpu or memory")
    return sort_by


def _served_bytes(memory: int) -> int:
    """Memory as the metrics API carries it (whole KiB), which kubectl sums and compares."""
    return memory // 1024 * 1024


def _sorted(items: list[tuple[Any, tuple[int, int]]], sort_by: str) -> list[Any]:
    """Largest first by CPU or memory (ties keep their order); unsorted without --sort-by."""
    if not sort_by:
        return items
    column = 0 if sort_by == "cpu" else 1
    return sorted(items, key=lambda item: item[1][column], reverse=True)


def _why_no_metrics(inv: Invocation, pods: list[Obj]) -> str:
    """kubectl's reason when pods exist but none has a sample: an old pod, or too early."""
    for pod in pods:
        created = from_timestamp(pod["metadata"].get("creationTimestamp") or to_timestamp(0))
        age = inv.cluster.now_ms - created
        if age > METRICS_DELAY_MS:
            meta = pod["metadata"]
            return (
                f"error: Metrics not available for pod {meta.get('namespace', 'default')}/"
                f"{meta['name']}, age: {go_duration(age)}"
            )
    return "error: metrics not available yet"


def run_pods(inv: Invocation) -> None:
    """``kubectl top pods [NAME] [--containers] [-A]``."""
    all_ns = bool(inv.flag("all-namespaces"))
    sort_by = _sort_by(inv)
    pods = select(
        inv, resolve("pods"), all_namespaces=all_ns, selector=label_selector(inv.flag("selector"))
    )
    if inv.args:
        pods = [p for p in pods if p["metadata"]["name"] in inv.args]
        if not pods:
            raise KubectlError(
                f"Error from server (NotFound): pods {go_quote(inv.args[0])} not found"
            )
    measured = [(pod, container_usage(inv.cluster, pod)) for pod in pods]
    measured = [(pod, usage) for pod, usage in measured if usage]
    if not measured:
        if inv.args:
            # metrics-server answers a pod without a sample with a NotFound of its own.
            raise KubectlError(
                "Error from server (NotFound): podmetrics.metrics.k8s.io "
                f'"{inv.namespace}/{inv.args[0]}" not found'
            )
        if pods:
            raise KubectlError(_why_no_metrics(inv, pods))
        inv.out.err(no_resources(inv, resolve("pods"), all_ns))
        return
    containers = bool(inv.flag("containers"))
    header = ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    if containers:
        header = ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    if all_ns:
        header = ["NAMESPACE", *header]
    rows = [] if inv.flag("no-headers") else [header]
    served = [
        (pod, {c: (cpu, _served_bytes(m)) for c, (cpu, m) in usage.items()})
        for pod, usage in measured
    ]
    totals = [
        ((pod, usage), (sum(c for c, _ in usage.values()), sum(m for _, m in usage.values())))
        for pod, usage in served
    ]
    for (pod, usage), (cpu, memory) in _sorted(totals, sort_by):
        lead = [pod["metadata"].get("namespace", "default")] if all_ns else []
        name = pod["metadata"]["name"]
        if containers:
            for cname, (c_cpu, c_memory) in _sorted(list(usage.items()), sort_by):
                rows.append([*lead, name, cname, f"{c_cpu}m", f"{c_memory // _MI}Mi"])
            continue
        rows.append([*lead, name, f"{cpu}m", f"{memory // _MI}Mi"])
    if inv.flag("sum"):
        blank = [""] * (len(header) - 2)
        cpu_sum = sum(total[0] for _, total in totals)
        memory_sum = sum(total[1] for _, total in totals)
        rows.append([*blank, "________", "________"])
        rows.append([*blank, f"{cpu_sum}m", f"{memory_sum // _MI}Mi"])
    inv.out.out(_rows(rows))


_SELECTOR = Flag("selector", "l", help="Selector (label query) to filter on")
_SORT_BY = Flag(
    "sort-by",
    help="If non-empty, sort the list using specified field. The field can be either 'cpu' "
    "or 'memory'.",
)
_NO_HEADERS = Flag(
    "no-headers", kind="bool", default=False, help="If present, print output without headers."
)
_NODE_HEADER = ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]

COMMAND = Command(
    name="top",
    summary="Display resource (CPU/memory) usage",
    usage="kubectl top [flags] [options]",
    flags=(),
    long_help=(
        "Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource "
        "consumption for nodes or pods."
    ),
    subcommands=(
        Command(
            name="node",
            summary="Display resource (CPU/memory) usage of nodes",
            usage="kubectl top node [NAME | -l label] [options]",
            flags=(_SELECTOR, _SORT_BY, _NO_HEADERS),
            handler=run_nodes,
            aliases=("nodes", "no"),
            examples="  # Show metrics for all nodes\n  kubectl top node",
        ),
        Command(
            name="pod",
            summary="Display resource (CPU/memory) usage of pods",
            usage="kubectl top pod [NAME | -l label] [options]",
            flags=(
                _SELECTOR,
                Flag(
                    "all-namespaces",
                    "A",
                    "bool",
                    False,
                    "If present, list the requested object(s) across all namespaces.",
                ),
                Flag(
                    "containers",
                    kind="bool",
                    default=False,
                    help="If present, print usage of containers within a pod.",
                ),
                _SORT_BY,
                _NO_HEADERS,
                Flag(
                    "sum",
                    kind="bool",
                    default=False,
                    help="Print the sum of the resource usage",
                ),
            ),
            handler=run_pods,
            aliases=("pods", "po"),
            examples="  # Show metrics for all pods in the default namespace\n  kubectl top pod",
        ),
    ),
)
