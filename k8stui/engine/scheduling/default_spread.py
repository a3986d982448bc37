"""Fast path of the PodTopologySpread score for the system-default constraints.

Nearly every pod of a Deployment, ReplicaSet or Service gets the built-in soft constraints
(hostname, maxSkew 3; zone, maxSkew 5), and the score is computed over hundreds of
feasible nodes per pod. A node's raw score depends only on (matching pods on the node,
whether it has the hostname label, whether it has a zone label, the zone value); there are
few distinct such tuples (most nodes hold no matching pod), so the float arithmetic,
rounding and normalisation run once per distinct tuple, and the per-node work is a few
C-level ``map`` passes. The arithmetic is exactly that of
:func:`~k8stui.engine.scheduling.topology.topology_spread_scores`, so results are equal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import repeat
from operator import attrgetter

from k8stui.engine.scheduling.node_info import ZONE_KEY, NodeInfo
from k8stui.engine.scheduling.pod_index import PodGroup
from k8stui.engine.scheduling.scores import MAX_SCORE

_NAME = attrgetter("name")
_SPREAD_KEY = attrgetter("spread_key")

SpreadPoint = tuple[int, tuple[bool, bool, str]]  # (matching pods on node, spread_key)


def default_spread_scores(
    feasible: Sequence[NodeInfo],
    groups: Sequence[PodGroup],
    node_labels: Mapping[str, Mapping[str, str]],
    host_offset: int,
    zone_offset: int,
) -> list[int]:
    """Normalised (0..100) scores of the hostname + zone constraints, per feasible node.

    ``groups``: the pod groups matching the merged selector; ``*_offset``: maxSkew - 1.
    Only valid when every node counts (no nodeAffinityPolicy / nodeTaintsPolicy filter).
    """
    if len(groups) == 1:
        live = groups[0].live
        per_zone = groups[0].domain_counts(ZONE_KEY, node_labels)
    else:
        live, per_zone = _merged(groups, node_labels)
    counts = map(live.get, map(_NAME, feasible), repeat(0))
    points: list[SpreadPoint] = list(zip(counts, map(_SPREAD_KEY, feasible), strict=True))
    distinct = set(points)
    host_weight = math.log(len(feasible) + 2)
    zone_weight = math.log(len({key[2] for _, key in distinct}) + 2)
    raw: dict[SpreadPoint, int] = {}
    for point in distinct:
        count, (has_host, has_zone, zone) = point
        # Same expressions, same order as the general path: float sum, then Go's Round.
        host = count * host_weight + host_offset if has_host else 0.0
        zone_part = per_zone.get(zone, 0) * zone_weight + zone_offset if has_zone else 0.0
        raw[point] = math.floor(host + zone_part + 0.5)
    low, high = min(raw.values()), max(raw.values())
    if high == 0:
        return [MAX_SCORE] * len(points)
    score = {point: MAX_SCORE * (high + low - r) // high for point, r in raw.items()}
    return list(map(score.__getitem__, points))


def _merged(
    groups: Sequence[PodGroup], node_labels: Mapping[str, Mapping[str, str]]
) -> tuple[dict[str, int], dict[str, int]]:
    live: dict[str, int] = {}
    per_zone: dict[str, int] = {}
    for group in groups:
        for node, count in group.live.items():
            live[node] = live.get(node, 0) + count
        for value, count in group.domain_counts(ZONE_KEY, node_labels).items():
            per_zone[value] = per_zone.get(value, 0) + count
    return live, per_zone
