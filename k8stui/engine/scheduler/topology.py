"""Cross-node plugins: InterPodAffinity and PodTopologySpread (filters and scores).

Both need to know where *other* pods run, per topology domain (a node label value such as
a hostname or a zone). For each incoming pod the counts are built once (upstream's
PreFilter / PreScore) from the :class:`PodIndex` label groups, and the per-node checks
are then dictionary lookups.

Simplifications (documented gaps): ``minDomains`` is ignored; a ``namespaceSelector`` is
evaluated against the namespace's ``kubernetes.io/metadata.name`` label only (the engine
passes no Namespace objects); pod priorities do not exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from k8stui.engine.apimachinery.selectors import Selector
from k8stui.engine.scheduler.filters import Failure, node_affinity_matches
from k8stui.engine.scheduler.node_info import HOSTNAME_KEY, ZONE_KEY, NodeInfo
from k8stui.engine.scheduler.pod_index import PodGroup, PodIndex
from k8stui.engine.scheduler.podspec import (
    AffinityTerm,
    PodView,
    SpreadConstraint,
    tolerated,
)
from k8stui.engine.scheduler.scores import MAX_SCORE

REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
REASON_SPREAD = "node(s) didn't match pod topology spread constraints"
REASON_SPREAD_LABEL = REASON_SPREAD + " (missing required label)"

# An existing pod's *required* affinity term that matches the incoming pod attracts it
# with this weight (upstream's hardPodAffinityWeight default).
HARD_POD_AFFINITY_WEIGHT = 1

Pair = tuple[str, str]


def _present(nodes: Mapping[str, NodeInfo], name: str) -> NodeInfo | None:
    info = nodes.get(name)
    return info if info is not None and info.present else None


def _groups_for_term(index: PodIndex, term: AffinityTerm) -> list[PodGroup]:
    return index.matching(("term", term), term.matches)


# --------------------------------------------------------------------------- affinity


def existing_anti_affinity(
    pod: PodView, nodes: Mapping[str, NodeInfo], affinity_pods: Iterable[PodView]
) -> dict[Pair, int]:
    """Symmetry: topology domains forbidden to ``pod`` by existing pods' required
    anti-affinity terms that match it. Depends only on the pod's namespace and labels."""
    forbidden: dict[Pair, int] = {}
    for other in affinity_pods:
        if not other.anti_required:
            continue
        info = _present(nodes, other.node_name)
        if info is None:
            continue
        for term in other.anti_required:
            value = info.labels.get(term.topology_key)
            if value is not None and term.matches(pod.namespace, pod.labels):
                pair = (term.topology_key, value)
                forbidden[pair] = forbidden.get(pair, 0) + 1
    return forbidden


class InterPodAffinityFilter:
    """Upstream's InterPodAffinity PreFilter state plus its Filter."""

    __slots__ = ("affinity_counts", "anti_counts", "existing_anti", "pod", "self_match")

    def __init__(
        self,
        pod: PodView,
        nodes: Mapping[str, NodeInfo],
        index: PodIndex,
        existing_anti: dict[Pair, int],
    ) -> None:
        self.pod = pod
        self.existing_anti = existing_anti

        # Required affinity: an existing pod counts only if it matches *all* terms.
        self.affinity_counts: dict[Pair, int] = {}
        terms = pod.affinity_required
        if terms:
            groups = index.matching(
                ("all", terms), lambda ns, labels: all(t.matches(ns, labels) for t in terms)
            )
            for group in groups:
                for node, count in group.total.items():
                    info = _present(nodes, node)
                    if info is None:
                        continue
                    for term in terms:
                        value = info.labels.get(term.topology_key)
                        if value is not None:
                            pair = (term.topology_key, value)
                            self.affinity_counts[pair] = self.affinity_counts.get(pair, 0) + count
        self.self_match = bool(terms) and all(t.matches(pod.namespace, pod.labels) for t in terms)

        self.anti_counts: dict[Pair, int] = {}
        for term in pod.anti_required:
            for group in _groups_for_term(index, term):
                for node, count in group.total.items():
                    info = _present(nodes, node)
                    value = None if info is None else info.labels.get(term.topology_key)
                    if value is not None:
                        pair = (term.topology_key, value)
                        self.anti_counts[pair] = self.anti_counts.get(pair, 0) + count

    @property
    def active(self) -> bool:
        """False when the filter can reject no node (the common case: skip it)."""
        return bool(self.pod.affinity_required or self.anti_counts or self.existing_anti)

    def check(self, info: NodeInfo) -> Failure | None:
        """InterPodAffinity filter for one node."""
        labels = info.labels
        terms = self.pod.affinity_required
        if terms:
            all_found = True
            for term in terms:
                value = labels.get(term.topology_key)
                if value is None:
                    # Every topology key of the terms must exist on the node.
                    return (REASON_AFFINITY,), False
                if self.affinity_counts.get((term.topology_key, value), 0) <= 0:
                    all_found = False
            # The first pod of a group with affinity to itself may go anywhere the
            # topology keys exist, as long as no pod in the cluster matches yet.
            if not all_found and not (not self.affinity_counts and self.self_match):
                return (REASON_AFFINITY,), False
        if self.anti_counts:
            for term in self.pod.anti_required:
                value = labels.get(term.topology_key)
                if value is not None and self.anti_counts.get((term.topology_key, value), 0) > 0:
                    return (REASON_ANTI_AFFINITY,), True
        existing = self.existing_anti
        if existing:
            # A node has few labels while many pods may forbid domains: walk the labels.
            for pair in labels.items():
                if existing.get(pair, 0) > 0:
                    return (REASON_EXISTING_ANTI_AFFINITY,), True
        return None


def inter_pod_affinity_scores(
    pod: PodView,
    feasible: Sequence[NodeInfo],
    nodes: Mapping[str, NodeInfo],
    index: PodIndex,
    affinity_pods: Iterable[PodView],
) -> list[int] | None:
    """InterPodAffinity score (preferred terms, both directions), normalised to 0..100.

    ``None`` means the plugin is skipped (nothing to prefer anywhere).
    """
    topo: dict[str, dict[str, int]] = {}

    def credit(term: AffinityTerm, info: NodeInfo, amount: int) -> None:
        value = info.labels.get(term.topology_key)
        if value is not None:
            domain = topo.setdefault(term.topology_key, {})
            domain[value] = domain.get(value, 0) + amount

    for terms, sign in ((pod.affinity_preferred, 1), (pod.anti_preferred, -1)):
        for term in terms:
            for group in _groups_for_term(index, term):
                for node, count in group.total.items():
                    info = _present(nodes, node)
                    if info is not None:
                        credit(term, info, sign * term.weight * count)
    for other in affinity_pods:
        info = _present(nodes, other.node_name)
        if info is None:
            continue
        for term in other.affinity_required:
            if term.matches(pod.namespace, pod.labels):
                credit(term, info, HARD_POD_AFFINITY_WEIGHT)
        for term in other.affinity_preferred:
            if term.matches(pod.namespace, pod.labels):
                credit(term, info, term.weight)
        for term in other.anti_preferred:
            if term.matches(pod.namespace, pod.labels):
                credit(term, info, -term.weight)
    if not topo:
        return None
    raw: list[int] = []
    for info in feasible:
        total = 0
        for key, domains in topo.items():
            value = info.labels.get(key)
            if value is not None:
                total += domains.get(value, 0)
        raw.append(total)
    low, high = min(raw), max(raw)
    if high == low:
        return [0] * len(raw)
    return [int(MAX_SCORE * ((s - low) / (high - low))) for s in raw]


# ----------------------------------------------------------------------- spreading


def _eligible(constraint: SpreadConstraint, pod: PodView, info: NodeInfo) -> bool:
    """nodeAffinityPolicy / nodeTaintsPolicy: may this node's pods count for the domain?"""
    if constraint.honor_node_affinity and not node_affinity_matches(info, pod):
        return False
    if constraint.honor_taints:
        for key, value, effect in info.taints:
            if effect in ("NoSchedule", "NoExecute") and not tolerated(
                pod.tolerations, key, value, effect
            ):
                return False
    return True


def spread_groups(index: PodIndex, pod: PodView, selector: Selector | None) -> list[PodGroup]:
    if selector is None:
        return []
    namespace = pod.namespace
    return index.matching(
        ("spread", namespace, selector),
        lambda ns, labels: ns == namespace and selector.matches(labels),
        _pinned_label(selector),
    )


def _pinned_label(selector: Selector) -> tuple[str, str] | None:
    """A (key, value) label that every pod matching ``selector`` must carry, if any."""
    for requirement in selector.requirements:
        if requirement.operator == "In" and len(requirement.values) == 1:
            return requirement.key, requirement.values[0]
    return None


class TopologySpreadFilter:
    """Upstream's PodTopologySpread PreFilter state plus its Filter (DoNotSchedule only)."""

    __slots__ = ("constraints", "counts", "minimum", "self_match")

    def __init__(
        self,
        pod: PodView,
        order: Sequence[NodeInfo],
        index: PodIndex,
    ) -> None:
        self.constraints = tuple(c for c in pod.spread if c.hard)
        keys = [c.topology_key for c in self.constraints]
        self.counts: list[dict[str, int]] = []
        self.minimum: list[int] = []
        self.self_match = [
            c.selector is not None and c.selector.matches(pod.labels) for c in self.constraints
        ]
        domain_of: list[dict[str, str]] = [{} for _ in self.constraints]
        for info in order:
            labels = info.labels
            if not all(k in labels for k in keys):
                continue
            for i, constraint in enumerate(self.constraints):
                if _eligible(constraint, pod, info):
                    domain_of[i][info.name] = labels[constraint.topology_key]
        for i, constraint in enumerate(self.constraints):
            counts = dict.fromkeys(domain_of[i].values(), 0)
            for group in spread_groups(index, pod, constraint.selector):
                for node, count in group.live.items():
                    value = domain_of[i].get(node)
                    if value is not None:
                        counts[value] += count
            self.counts.append(counts)
            self.minimum.append(min(counts.values(), default=0))

    @property
    def active(self) -> bool:
        """False when the pod has no DoNotSchedule constraint."""
        return bool(self.constraints)

    def check(self, info: NodeInfo) -> Failure | None:
        """PodTopologySpread filter for one node."""
        labels = info.labels
        for i, constraint in enumerate(self.constraints):
            value = labels.get(constraint.topology_key)
            if value is None:
                return (REASON_SPREAD_LABEL,), False
            skew = self.counts[i].get(value, 0) + self.self_match[i] - self.minimum[i]
            if skew > constraint.max_skew:
                return (REASON_SPREAD,), True
        return None


def system_default_constraints(selectors: Sequence[Selector]) -> tuple[SpreadConstraint, ...]:
    """The built-in soft constraints for pods selected by Services/RCs/RSs."""
    requirements = tuple(r for s in selectors for r in s.requirements)
    if not requirements:
        return ()
    merged = Selector(requirements)
    return (
        SpreadConstraint(3, HOSTNAME_KEY, False, merged),
        SpreadConstraint(5, ZONE_KEY, False, merged),
    )


def default_spread_plan(
    pod: PodView, spread_selectors: Sequence[Selector]
) -> tuple[Selector, tuple[int, int]] | None:
    """(merged selector, hostname and zone maxSkew - 1) when the system-default constraints
    apply and every node counts: then ``default_spread.add_default_spread`` gives the same
    scores as :func:`topology_spread_scores`, faster. None otherwise."""
    if pod.has_spread_field:
        return None
    constraints = system_default_constraints(spread_selectors)
    if not constraints or _node_filtered(pod, constraints):
        return None
    host, zone = constraints
    assert host.topology_key == HOSTNAME_KEY and zone.topology_key == ZONE_KEY
    assert host.selector is not None
    return host.selector, (host.max_skew - 1, zone.max_skew - 1)


def topology_spread_scores(
    pod: PodView,
    feasible: Sequence[NodeInfo],
    nodes: Mapping[str, NodeInfo],
    node_labels: Mapping[str, Mapping[str, str]],
    index: PodIndex,
    spread_selectors: Sequence[Selector],
) -> list[int] | None:
    """PodTopologySpread score (ScheduleAnyway constraints or system defaults), 0..100.

    Fewer matching pods in a node's domains scores higher. ``None``: plugin skipped.
    ``node_labels`` holds the labels of present nodes (for the incremental domain counts).
    """
    if pod.has_spread_field:
        constraints = tuple(c for c in pod.spread if not c.hard)
        require_all = True
    else:
        constraints = system_default_constraints(spread_selectors)
        require_all = False  # system defaults: nodes lacking a key are simply not scored on it
    if not constraints or not feasible:
        return None
    keys = [c.topology_key for c in constraints]

    def has_all(info: NodeInfo) -> bool:
        return all(k in info.labels for k in keys)

    ignored = [not has_all(info) for info in feasible] if require_all else []
    scored = (
        feasible
        if not any(ignored)
        else [n for n, i in zip(feasible, ignored, strict=True) if not i]
    )
    # Each constraint's contribution per node (0 where the node lacks the key); they are
    # summed in float, in constraint order, as upstream does.
    contributions: list[list[float]] = []
    for constraint in constraints:
        key = constraint.topology_key
        groups = spread_groups(index, pod, constraint.selector)
        offset = constraint.max_skew - 1
        if key == HOSTNAME_KEY:
            weight = math.log(len(scored) + 2)
            live = groups[0].live if len(groups) == 1 else _merged_live(groups)
            contributions.append(
                [
                    live.get(info.name, 0) * weight + offset if key in info.labels else 0.0
                    for info in feasible
                ]
            )
        else:
            domains = {info.labels.get(key, "") for info in scored}
            weight = math.log(len(domains) + 2)
            per_domain = _domain_counts(
                pod, constraint, groups, domains, nodes, node_labels, keys if require_all else ()
            )
            contributions.append(
                [
                    per_domain.get(value, 0) * weight + offset
                    if (value := info.labels.get(key)) is not None
                    else 0.0
                    for info in feasible
                ]
            )
    if len(contributions) == 2:
        first, second = contributions
        sums = [a + b for a, b in zip(first, second, strict=True)]
    else:
        sums = [_ordered_sum(parts) for parts in zip(*contributions, strict=True)]
    raw: list[int | None] = [math.floor(total + 0.5) for total in sums]  # Go's math.Round
    if require_all:
        raw = [None if skip else r for r, skip in zip(raw, ignored, strict=True)]
    valid = [r for r in raw if r is not None]
    if not valid:
        return [0] * len(raw)
    low, high = min(valid), max(valid)
    if high == 0:
        return [0 if r is None else MAX_SCORE for r in raw]
    return [0 if r is None else MAX_SCORE * (high + low - r) // high for r in raw]


def _ordered_sum(parts: tuple[float, ...]) -> float:
    total = 0.0
    for part in parts:
        total += part
    return total


def _merged_live(groups: list[PodGroup]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for group in groups:
        for node, count in group.live.items():
            merged[node] = merged.get(node, 0) + count
    return merged


def _node_filtered(pod: PodView, constraints: Sequence[SpreadConstraint]) -> bool:
    """Whether nodeAffinityPolicy / nodeTaintsPolicy may exclude nodes from the counts."""
    return any(
        (c.honor_node_affinity and (pod.node_selector or pod.required_node_terms is not None))
        or c.honor_taints
        for c in constraints
    )


def _domain_counts(
    pod: PodView,
    constraint: SpreadConstraint,
    groups: list[PodGroup],
    domains: set[str],
    nodes: Mapping[str, NodeInfo],
    node_labels: Mapping[str, Mapping[str, str]],
    required_keys: Sequence[str],
) -> dict[str, int]:
    """Matching live pods per domain of the constraint's key, over eligible nodes."""
    key = constraint.topology_key
    filtered = bool(required_keys) or (
        (
            constraint.honor_node_affinity
            and (pod.node_selector or pod.required_node_terms is not None)
        )
        or constraint.honor_taints
    )
    counts: dict[str, int] = {}
    if not filtered:
        # Common case: every node counts, so the incrementally kept totals answer directly.
        for group in groups:
            for value, count in group.domain_counts(key, node_labels).items():
                if value in domains:
                    counts[value] = counts.get(value, 0) + count
        return counts
    for group in groups:
        for node, count in group.live.items():
            holder = _present(nodes, node)
            if holder is None or not all(k in holder.labels for k in required_keys):
                continue
            if not _eligible(constraint, pod, holder):
                continue
            value = holder.labels.get(key, "")
            if value in domains:
                counts[value] = counts.get(value, 0) + count
    return counts
