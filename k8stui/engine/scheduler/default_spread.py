"""Fast path of the PodTopologySpread score for the system-default constraints.

Nearly every pod of a Deployment, ReplicaSet or Service gets the built-in soft constraints
(hostname, maxSkew 3; zone, maxSkew 5), scored over hundreds of feasible nodes per pod.
A node's raw score depends only on the matching pods on it and its *spread class*: whether
it has the hostname label, whether it has a zone label, and the zone value. There are few
classes, and few nodes hold a matching pod (a ReplicaSet has tens of pods, the cluster
hundreds of nodes). So the float arithmetic, rounding and normalisation run once per class
plus once per node holding matching pods, and the per-node work is C-level slicing and
``map``. When no other plugin scored (plain pods), not even a sum per node is needed: the
best node of each class is one ``max`` over its cached keys (:func:`best_default_spread`).
The arithmetic is exactly that of the general
:func:`~k8stui.engine.scheduler.topology.topology_spread_scores`, so results are equal.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import filterfalse, repeat
from operator import add, attrgetter, itemgetter, mul
from typing import cast

from k8stui.engine.scheduler.feasible import Feasible
from k8stui.engine.scheduler.node_info import ZONE_KEY, NodeInfo, SpreadKey
from k8stui.engine.scheduler.pod_index import PodGroup
from k8stui.engine.scheduler.scores import MAX_SCORE

_CLASS = attrgetter("spread_class")
_NAME = attrgetter("name")
# Above one node holding matching pods in this many feasible nodes, a C-level pass over
# all nodes beats patching the holders one by one in Python.
DENSE_RATIO = 4


class SpreadClasses:
    """Interns each node's ``spread_key`` as a small int, also kept in a rank-aligned list."""

    def __init__(self) -> None:
        self.keys: list[SpreadKey] = []
        self._ids: dict[SpreadKey, int] = {}
        self.by_rank: list[int] = []
        self._ranks_of: list[list[int]] | None = None

    def assign(self, info: NodeInfo) -> bool:
        """Set ``info.spread_class`` from its labels; True when it changed."""
        found = self._ids.get(info.spread_key)
        if found is None:
            found = self._ids[info.spread_key] = len(self.keys)
            self.keys.append(info.spread_key)
        changed = found != info.spread_class
        info.spread_class = found
        return changed

    def rebuild(self, order: Sequence[NodeInfo]) -> None:
        """Ranks changed: realign ``by_rank`` with ``order``."""
        self.by_rank = list(map(_CLASS, order))
        self._ranks_of = None

    def set_class(self, rank: int, spread_class: int) -> None:
        """The node at ``rank`` changed class (its labels changed)."""
        self.by_rank[rank] = spread_class
        self._ranks_of = None

    def ranks_of(self) -> list[list[int]]:
        """The ranks of each class's nodes, ascending (indexed by class)."""
        if self._ranks_of is None:
            self._ranks_of = [[] for _ in self.keys]
            for rank, spread_class in enumerate(self.by_rank):
                self._ranks_of[spread_class].append(rank)
        return self._ranks_of


def add_default_spread(
    totals: list[int],
    factor: int,
    feasible: Feasible,
    classes: SpreadClasses,
    groups: Sequence[PodGroup],
    nodes: Mapping[str, NodeInfo],
    node_labels: Mapping[str, Mapping[str, str]],
    offsets: tuple[int, int],
) -> list[int]:
    """``totals`` plus ``factor`` times the normalised (0..100) system-default spread score.

    ``groups``: pod groups matching the merged selector; ``offsets``: maxSkew - 1 of the
    hostname and zone constraints. Only valid when every node counts (no
    nodeAffinityPolicy / nodeTaintsPolicy filtering).
    """
    live, per_zone = _live(groups, node_labels)
    size = feasible.size
    of_node = _window_classes(feasible, classes.by_rank)
    present = set(of_node)
    raw = _raw_scorer(classes, per_zone, offsets, size, present)
    if len(live) * DENSE_RATIO >= size:
        return _dense(totals, factor, feasible.nodes, of_node, live, len(classes.keys), raw)
    # Sparse: few nodes hold matching pods; score the classes, then patch those nodes.
    where = _positions(feasible, live, nodes, len(classes.by_rank))
    special = {at: (of_node[at], raw(count, of_node[at])) for at, count in where}
    weighted, base = _class_weights(factor, raw, present, of_node.count, special.values())
    by_class = {c: weighted(r) for c, r in base.items()}
    out = list(map(add, totals, map(by_class.__getitem__, of_node)))
    for at, (_, r) in special.items():
        out[at] = totals[at] + weighted(r)
    return out


def best_default_spread(
    keys: list[int | None],
    factor: int,
    feasible: Feasible,
    classes: SpreadClasses,
    groups: Sequence[PodGroup],
    nodes: Mapping[str, NodeInfo],
    node_labels: Mapping[str, Mapping[str, str]],
    offsets: tuple[int, int],
) -> int | None:
    """The highest total :func:`add_default_spread` would give when the totals are the
    window's cached keys (``keys`` is rank-aligned: ``keys[rank]``), or None when this way
    does not apply (a window with gaps, or many nodes holding matching pods).

    Keys are distinct (their low bits are the rank), so the best total names its node. The
    nodes of one class holding no matching pod all get the class's score: their best is one
    C-level ``max`` over the class's ranks in the window, instead of a sum per node.
    """
    start = feasible.first_rank
    if start is None:
        return None
    live, per_zone = _live(groups, node_labels)
    size = feasible.size
    if len(live) * DENSE_RATIO >= size:
        return None
    total = len(classes.by_rank)
    end = start + size
    spans = [(start, min(end, total))] + ([(0, end - total)] if end > total else [])
    in_window: dict[int, list[int]] = {}
    for spread_class, ranks in enumerate(classes.ranks_of()):
        inside = [ranks[bisect_left(ranks, a) : bisect_left(ranks, b)] for a, b in spans]
        joined = inside[0] + inside[1] if len(inside) > 1 else inside[0]
        if joined:
            in_window[spread_class] = joined
    raw = _raw_scorer(classes, per_zone, offsets, size, in_window)
    by_rank = classes.by_rank
    window_keys = cast(list[int], keys)  # (the window's ranks all hold keys)
    # One pass over the nodes holding matching pods: per class how many, their keys, and
    # per raw score the best key among them (a holder's total is its key plus the weighted
    # raw score, so a raw score's best holder is the one with the highest key).
    raws: dict[tuple[int, int], int] = {}  # (most holders hold one pod: few distinct)
    holders: dict[int, int] = {}
    held: set[int] = set()
    top_by_raw: dict[int, int] = {}
    for name, count in live.items():
        info = nodes.get(name)
        if info is None or not info.present or (info.rank - start) % total >= size:
            continue
        facts = (count, by_rank[info.rank])
        r = raws.get(facts)
        if r is None:
            r = raws[facts] = raw(*facts)
        holders[facts[1]] = holders.get(facts[1], 0) + 1
        key = window_keys[info.rank]
        held.add(key)
        prev = top_by_raw.get(r)
        if prev is None or key > prev:
            top_by_raw[r] = key
    base = {c: raw(0, c) for c in in_window}
    weighted = _weights(factor, base, holders, lambda c: len(in_window[c]), top_by_raw)
    best = max((key + weighted(r) for r, key in top_by_raw.items()), default=None)
    for spread_class, ranks in in_window.items():
        values: tuple[int, ...] = (
            itemgetter(*ranks)(window_keys) if len(ranks) > 1 else (window_keys[ranks[0]],)
        )
        top = max(values)
        if top in held:  # a holder of matching pods: the best of the others, if any
            found = max(filterfalse(held.__contains__, values), default=None)
            if found is None:
                continue
            top = found
        score = top + weighted(base[spread_class])
        if best is None or score > best:
            best = score
    assert best is not None
    return best


def _live(
    groups: Sequence[PodGroup], node_labels: Mapping[str, Mapping[str, str]]
) -> tuple[Mapping[str, int], Mapping[str, int]]:
    """Matching pods per node and per zone."""
    if len(groups) == 1:
        return groups[0].live, groups[0].domain_counts(ZONE_KEY, node_labels)
    return _merged(groups, node_labels)


def _raw_scorer(
    classes: SpreadClasses,
    per_zone: Mapping[str, int],
    offsets: tuple[int, int],
    size: int,
    present: Iterable[int],
) -> Callable[[int, int], int]:
    """Upstream's raw score of a node from its matching pods and its spread class."""
    host_weight = math.log(size + 2)
    zone_weight = math.log(len({classes.keys[c][2] for c in present}) + 2)

    def raw(count: int, spread_class: int) -> int:
        has_host, has_zone, zone = classes.keys[spread_class]
        # Same expressions, same order as the general path: float sum, then Go's Round.
        host = count * host_weight + offsets[0] if has_host else 0.0
        zone_part = per_zone.get(zone, 0) * zone_weight + offsets[1] if has_zone else 0.0
        return math.floor(host + zone_part + 0.5)

    return raw


def _class_weights(
    factor: int,
    raw: Callable[[int, int], int],
    present: Iterable[int],
    nodes_of_class: Callable[[int], int],
    special: Iterable[tuple[int, int]],
) -> tuple[Callable[[int], int], dict[int, int]]:
    """The normaliser, and the raw score of each present class's nodes holding no matching
    pod. ``special``: (class, raw score) of each node holding some."""
    special = list(special)
    holders: dict[int, int] = {}
    for spread_class, _ in special:
        holders[spread_class] = holders.get(spread_class, 0) + 1
    base = {c: raw(0, c) for c in present}
    return _weights(factor, base, holders, nodes_of_class, (r for _, r in special)), base


def _weights(
    factor: int,
    base: Mapping[int, int],
    holders: Mapping[int, int],
    nodes_of_class: Callable[[int], int],
    held_raws: Iterable[int],
) -> Callable[[int], int]:
    """The normaliser over the raw scores that really occur: those of the nodes holding
    matching pods (``held_raws``; repeats do not matter), and a class's zero-count score
    (``base``) only if some node of the class (``holders`` of them hold some) holds none."""
    seen = [r for c, r in base.items() if c not in holders or nodes_of_class(c) > holders[c]]
    seen += held_raws
    return _normalizer(factor, min(seen), max(seen))


def _dense(
    totals: list[int],
    factor: int,
    window: list[NodeInfo],
    of_node: list[int],
    live: Mapping[str, int],
    stride: int,
    raw: Callable[[int, int], int],
) -> list[int]:
    """Many nodes hold matching pods: encode (count, class) per node as one int, in C."""
    counts = map(live.get, map(_NAME, window), repeat(0))
    codes = list(map(add, map(mul, counts, repeat(stride)), of_node))
    raws = {code: raw(*divmod(code, stride)) for code in set(codes)}
    weighted = _normalizer(factor, min(raws.values()), max(raws.values()))
    scores = {code: weighted(r) for code, r in raws.items()}
    return list(map(add, totals, map(scores.__getitem__, codes)))


def _normalizer(factor: int, low: int, high: int) -> Callable[[int], int]:
    """Raw score -> ``factor`` times upstream's normalised score (fewer pods: higher)."""

    def weighted(r: int) -> int:
        return factor * (MAX_SCORE * (high + low - r) // high if high else MAX_SCORE)

    return weighted


def _window_classes(feasible: Feasible, by_rank: list[int]) -> list[int]:
    if feasible.first_rank is None:
        return list(map(_CLASS, feasible.nodes))
    return feasible.of_window(by_rank)


def _positions(
    feasible: Feasible, live: Mapping[str, int], nodes: Mapping[str, NodeInfo], total: int
) -> list[tuple[int, int]]:
    """(position in the feasible list, matching pods) of feasible nodes holding any."""
    if not live:
        return []
    found: list[tuple[int, int]] = []
    start, size = feasible.first_rank, feasible.size
    if start is None:
        window = feasible.nodes
        where = dict(zip(window, range(len(window)), strict=True))
        for name, count in live.items():
            at = where.get(nodes[name]) if name in nodes else None
            if at is not None:
                found.append((at, count))
        return found
    for name, count in live.items():
        info = nodes.get(name)
        if info is None or not info.present:
            continue
        at = info.rank - start
        if at < 0:
            at += total
        if at < size and feasible.node(at) is info:
            found.append((at, count))
    return found


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
