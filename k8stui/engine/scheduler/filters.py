"""Node-local filter plugins, in upstream order, with upstream reason strings.

Every filter answers ``None`` (the node passes) or a :data:`Failure`: the reasons that go
into the FailedScheduling histogram plus whether evicting pods could ever help
(``resolvable``). Upstream marks NodeUnschedulable, NodeName, TaintToleration and
NodeAffinity failures *UnschedulableAndUnresolvable*; preemption then answers
"Preemption is not helpful for scheduling" for those nodes, and "No preemption victims
found for incoming pod" for the rest (we model no pod priorities, so no victim ever
exists).

The cross-node filters (InterPodAffinity, PodTopologySpread) live in ``topology.py``.
"""

from __future__ import annotations

from k8stui.engine.apimachinery.selectors import matches_node_selector_terms
from k8stui.engine.scheduler.node_info import NodeInfo
from k8stui.engine.scheduler.podspec import PodView, tolerated

Failure = tuple[tuple[str, ...], bool]  # (reasons, resolvable by preemption)

REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_NODE_NAME = "node(s) didn't match the requested node name"
REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports"
REASON_TOO_MANY_PODS = "Too many pods"
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"


def untolerated_taint_reason(key: str, value: str) -> str:
    """The TaintToleration reason naming the first untolerated taint."""
    return f"node(s) had untolerated taint {{{key}: {value}}}"


def insufficient(resource: str) -> str:
    """The NodeResourcesFit reason for one resource."""
    return f"Insufficient {resource}"


def node_unschedulable(info: NodeInfo, pod: PodView) -> Failure | None:
    """NodeUnschedulable: a cordoned node only takes pods tolerating the cordon taint."""
    if info.unschedulable and not tolerated(pod.tolerations, UNSCHEDULABLE_TAINT, "", "NoSchedule"):
        return (REASON_UNSCHEDULABLE,), False
    return None


def node_name(info: NodeInfo, pod: PodView) -> Failure | None:
    """NodeName: a pod that names a node fits only there."""
    if pod.node_name and pod.node_name != info.name:
        return (REASON_NODE_NAME,), False
    return None


def taint_toleration(info: NodeInfo, pod: PodView) -> Failure | None:
    """TaintToleration: the first NoSchedule/NoExecute taint the pod does not tolerate."""
    for key, value, effect in info.taints:
        if effect in ("NoSchedule", "NoExecute") and not tolerated(
            pod.tolerations, key, value, effect
        ):
            return (untolerated_taint_reason(key, value),), False
    return None


def node_affinity_matches(info: NodeInfo, pod: PodView) -> bool:
    """nodeSelector (every pair) AND required node affinity (terms ORed)."""
    labels = info.labels
    for key, value in pod.node_selector.items():
        if labels.get(key) != value:
            return False
    if pod.required_node_terms is not None:
        return matches_node_selector_terms(
            pod.required_node_terms, labels, {"metadata.name": info.name}
        )
    return True


def node_affinity(info: NodeInfo, pod: PodView) -> Failure | None:
    """NodeAffinity filter."""
    if not node_affinity_matches(info, pod):
        return (REASON_NODE_AFFINITY,), False
    return None


def node_ports(info: NodeInfo, pod: PodView) -> Failure | None:
    """NodePorts: every requested hostPort must be free on the node."""
    for protocol, port, ip in pod.host_ports:
        if info.port_conflict(protocol, port, ip):
            return (REASON_NODE_PORTS,), True
    return None


def resources_fit(info: NodeInfo, pod: PodView) -> Failure | None:
    """NodeResourcesFit: pod count, then cpu, memory and other resources; all reasons kept."""
    reasons: list[str] = []
    if info.pod_count + 1 > info.alloc_pods:
        reasons.append(REASON_TOO_MANY_PODS)
    if pod.cpu > 0 and pod.cpu > info.alloc_cpu - info.req_cpu:
        reasons.append(insufficient("cpu"))
    if pod.memory > 0 and pod.memory > info.alloc_memory - info.req_memory:
        reasons.append(insufficient("memory"))
    for name, value in pod.scalar:
        if value > info.alloc_scalar.get(name, 0) - info.req_scalar.get(name, 0):
            reasons.append(insufficient(name))
    if reasons:
        return tuple(reasons), True
    return None


LOCAL_FILTERS = (
    node_unschedulable,
    node_name,
    taint_toleration,
    node_affinity,
    node_ports,
    resources_fit,
)


def run_local_filters(info: NodeInfo, pod: PodView) -> Failure | None:
    """Run the node-local filters in order; stop at the first failing plugin."""
    for check in LOCAL_FILTERS:
        failure = check(info, pod)
        if failure is not None:
            return failure
    return None
