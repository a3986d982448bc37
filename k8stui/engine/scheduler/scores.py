"""Node-local score plugins and the normalisation helpers shared by all score plugins.

Every plugin yields 0..100 per node (after normalisation); the framework multiplies by the
plugin weight and sums. Arithmetic follows upstream's integer maths (truncating
divisions) so that ties and orderings come out as they would in a real cluster.

ImageLocality is upstream's threshold approach, kept but simplified to "sizes from
``status.images``": each image of the pod that the node already has contributes
``size * (nodes having it / all nodes)``; the sum is clamped to
[23 MiB, 1000 MiB * containers] and mapped linearly onto 0..100.
"""

from __future__ import annotations

from collections.abc import Mapping

from k8stui.engine.apimachinery.selectors import matches_node_selector_terms
from k8stui.engine.scheduler.node_info import NodeInfo
from k8stui.engine.scheduler.podspec import PodView, tolerated

MAX_SCORE = 100

WEIGHT_TAINT = 3
WEIGHT_NODE_AFFINITY = 2
WEIGHT_FIT = 1
WEIGHT_SPREAD = 2
WEIGHT_INTER_POD = 2
WEIGHT_BALANCED = 1
WEIGHT_IMAGE = 1

_MIB = 1024 * 1024
IMAGE_MIN_THRESHOLD = 23 * _MIB
IMAGE_MAX_PER_CONTAINER = 1000 * _MIB

LocalScores = tuple[int, int, int]


def least_allocated(info: NodeInfo, pod: PodView) -> int:
    """LeastAllocated (NodeResourcesFit score): share of cpu and memory left free, averaged.

    Uses the non-zero requests (100m / 200Mi defaults for containers without requests).
    """
    total = 0
    weights = 0
    for capacity, used in (
        (info.alloc_cpu, info.nz_cpu + pod.nz_cpu),
        (info.alloc_memory, info.nz_memory + pod.nz_memory),
    ):
        if capacity == 0:
            continue
        weights += 1
        if used <= capacity:
            total += (capacity - used) * MAX_SCORE // capacity
    return total // weights if weights else 0


def balanced_allocation(info: NodeInfo, pod: PodView) -> int:
    """NodeResourcesBalancedAllocation: 100 * (1 - spread of the cpu and memory fractions).

    Uses actual requests. Best-effort pods are skipped (score 0 everywhere), as upstream
    does so that they do not all pile onto one node.
    """
    if pod.best_effort:
        return 0
    fractions: list[float] = []
    for capacity, used in (
        (info.alloc_cpu, info.req_cpu + pod.cpu),
        (info.alloc_memory, info.req_memory + pod.memory),
    ):
        if capacity == 0:
            continue
        fractions.append(min(used / capacity, 1.0))
    std = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
    return int((1 - std) * MAX_SCORE)


def prefer_no_schedule_count(info: NodeInfo, pod: PodView) -> int:
    """TaintToleration raw score: PreferNoSchedule taints the pod does not tolerate."""
    count = 0
    for key, value, effect in info.taints:
        if effect == "PreferNoSchedule":
            relevant = tuple(t for t in pod.tolerations if t.effect in ("", "PreferNoSchedule"))
            if not tolerated(relevant, key, value, effect):
                count += 1
    return count


def preferred_node_affinity(info: NodeInfo, pod: PodView) -> int:
    """NodeAffinity raw score: summed weights of the preferred terms the node matches."""
    total = 0
    fields = {"metadata.name": info.name}
    for weight, term in pod.preferred_node_terms:
        if weight and matches_node_selector_terms([term], info.labels, fields):
            total += weight
    return total


def image_locality(
    info: NodeInfo, pod: PodView, image_nodes: Mapping[str, int], total_nodes: int
) -> int:
    """ImageLocality score (already 0..100; see module docstring)."""
    if not pod.images or not info.images or total_nodes == 0:
        return 0
    total = 0
    for image in pod.images:
        size = info.images.get(image)
        if size is not None:
            total += image_contribution(size, image_nodes.get(image, 0), total_nodes)
    return image_score(total, pod.n_containers)


def image_contribution(size: int, holders: int, total_nodes: int) -> int:
    """One image's share of the ImageLocality sum: its size scaled by how widespread it is."""
    return int(size * (holders / total_nodes))


def image_score(total: int, n_containers: int) -> int:
    """Map an ImageLocality sum onto 0..100 (clamped; see the module docstring)."""
    ceiling = IMAGE_MAX_PER_CONTAINER * max(n_containers, 1)
    total = min(max(total, IMAGE_MIN_THRESHOLD), ceiling)
    return MAX_SCORE * (total - IMAGE_MIN_THRESHOLD) // (ceiling - IMAGE_MIN_THRESHOLD)


def local_scores(
    info: NodeInfo, pod: PodView, image_nodes: Mapping[str, int], total_nodes: int
) -> LocalScores:
    """Node-local scores: (weighted fit + balanced + image locality, untolerated
    PreferNoSchedule count, preferred node-affinity weight); the last two are raw because
    they are normalised across the feasible nodes."""
    return (
        WEIGHT_FIT * least_allocated(info, pod)
        + WEIGHT_BALANCED * balanced_allocation(info, pod)
        + WEIGHT_IMAGE * image_locality(info, pod, image_nodes, total_nodes),
        prefer_no_schedule_count(info, pod) if info.taints else 0,
        preferred_node_affinity(info, pod) if pod.preferred_node_terms else 0,
    )


def default_normalize(scores: list[int], reverse: bool = False) -> list[int]:
    """Upstream's DefaultNormalizeScore: scale to 0..100 by the maximum (optionally reversed)."""
    highest = max(scores, default=0)
    if highest == 0:
        return [MAX_SCORE if reverse else 0 for _ in scores]
    if reverse:
        return [MAX_SCORE - MAX_SCORE * s // highest for s in scores]
    return [MAX_SCORE * s // highest for s in scores]
