"""``kubectl top nodes|pods``: usage as metrics-server would report it, from the simulation.

A container's usage is what its process does (``ProcessSpec.cpu_millicores`` and
``memory_at(running time)``). A node adds a fixed amount for the system daemons (kubelet,
container runtime, kube-proxy), so an idle node does not read zero, as on a real machine.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.kubelet.status import RUNNING
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.resources import resolve
from k8stui.kubectl.commands.targets import label_selector, no_resources, select
from k8stui.kubectl.tabwriter import align

Obj = dict[str, Any]
SYSTEM_CPU_MILLI = 40
SYSTEM_MEMORY = 300 * 1024 * 1024
_MI = 1024 * 1024


def container_usage(inv: Invocation, pod: Obj) -> dict[str, tuple[int, int]]:
    """(millicores, bytes) of each running container of ``pod``."""
    prt = inv.cluster.kubelets.pod_runtime(pod)
    usage: dict[str, tuple[int, int]] = {}
    if prt is None:
        return usage
    for spec in (pod.get("spec") or {}).get("containers") or []:
        crt = prt["containers"].get(spec["name"]) or {}
        if crt.get("stage") != RUNNING or not crt.get("image_id"):
            continue
        proc = inv.cluster.images.process(crt["image_id"], spec, pod)
        running = inv.cluster.now_ms - int(crt.get("started_ms", inv.cluster.now_ms))
        usage[spec["name"]] = (proc.cpu_millicores, proc.memory_at(running))
    return usage


def _rows(rows: list[list[str]]) -> str:
    # kubectl ends every row with a tab, so the last column is padded too.
    return align([[*row, ""] for row in rows], minwidth=0, padding=3)


def run_nodes(inv: Invocation) -> None:
    """``kubectl top nodes [NAME]``."""
    nodes = select(inv, resolve("nodes"), selector=label_selector(inv.flag("selector")))
    if inv.args:
        nodes = [n for n in nodes if n["metadata"]["name"] in inv.args]
        if not nodes:
            raise KubectlError(
                f"Error from server (NotFound): nodes {go_quote(inv.args[0])} not found"
            )
    pods = inv.cluster.list("Pod", None)
    rows = [["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]]
    for node in nodes:
        name = node["metadata"]["name"]
        if not inv.cluster.kubelets.running(name):
            rows.append([name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"])
            continue
        cpu, memory = SYSTEM_CPU_MILLI, SYSTEM_MEMORY
        for pod in pods:
            if (pod.get("spec") or {}).get("nodeName") == name:
                for c, m in container_usage(inv, pod).values():
                    cpu, memory = cpu + c, memory + m
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
    inv.out.out(_rows(rows))


def run_pods(inv: Invocation) -> None:
    """``kubectl top pods [NAME] [--containers] [-A]``."""
    all_ns = bool(inv.flag("all-namespaces"))
    pods = select(
        inv, resolve("pods"), all_namespaces=all_ns, selector=label_selector(inv.flag("selector"))
    )
    if inv.args:
        pods = [p for p in pods if p["metadata"]["name"] in inv.args]
        if not pods:
            raise KubectlError(
                f"Error from server (NotFound): pods {go_quote(inv.args[0])} not found"
            )
    measured = [(pod, container_usage(inv, pod)) for pod in pods]
    measured = [(pod, usage) for pod, usage in measured if usage]
    if not measured:
        if inv.args:
            raise KubectlError("error: metrics not available yet")
        inv.out.err(no_resources(inv, resolve("pods"), all_ns))
        return
    containers = bool(inv.flag("containers"))
    header = ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    if containers:
        header = ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    if all_ns:
        header = ["NAMESPACE", *header]
    rows = [header]
    for pod, usage in measured:
        lead = [pod["metadata"].get("namespace", "default")] if all_ns else []
        name = pod["metadata"]["name"]
        if containers:
            for cname, (cpu, memory) in usage.items():
                rows.append([*lead, name, cname, f"{cpu}m", f"{memory // _MI}Mi"])
            continue
        cpu = sum(c for c, _ in usage.values())
        memory = sum(m for _, m in usage.values())
        rows.append([*lead, name, f"{cpu}m", f"{memory // _MI}Mi"])
    inv.out.out(_rows(rows))


_SELECTOR = Flag("selector", "l", help="Selector (label query) to filter on")

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
            flags=(_SELECTOR,),
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
            ),
            handler=run_pods,
            aliases=("pods", "po"),
            examples="  # Show metrics for all pods in the default namespace\n  kubectl top pod",
        ),
    ),
)
