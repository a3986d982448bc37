"""The simulated kube-scheduler: filter -> score -> pick, deterministic and incremental.

Flow for one pod (upstream's scheduling cycle, minus queueing and binding):

1. **Filter**, plugin order NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
   NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity. A node stops at its
   first failing plugin, so it contributes that one plugin's reasons to the message.
   Nodes are visited from a rotating start index and the search stops after
   ``numFeasibleNodesToFind`` feasible nodes (upstream's percentageOfNodesToScore: with
   the adaptive default ``50% - nodes/125``, at least 5%, never fewer than 100 nodes;
   clusters under 100 nodes are always searched completely).
2. **Score** the feasible nodes: LeastAllocated (w1), BalancedAllocation (w1),
   TaintToleration PreferNoSchedule (w3), NodeAffinity preferred (w2), InterPodAffinity
   preferred (w2), PodTopologySpread incl. the system defaults (w2), ImageLocality (w1).
   Each plugin is normalised to 0..100 as upstream does, then weighted and summed.
3. **Pick** the highest total. Upstream breaks ties at random; we break them by node
   name in natural order (``worker-2`` before ``worker-10``), so the same inputs always
   give the same node.

Speed (hundreds of candidate nodes per pod) comes from exact caches: node-local results per
pod shape in rank-aligned lists (``local_cache.py``; a node change clears its slot, an
image count change only the holders whose ImageLocality moves), pod groups indexed by
label (``pod_index.py``), and the system-default spreading scored per node class
(``default_spread.py``). Each must give what a freshly built Scheduler gives.

:meth:`Scheduler.schedule` never changes the accounting: the engine binds the pod and then
reports it with :meth:`Scheduler.add_pod` (adding a pod twice is harmless: it is keyed by
uid, else namespace/name).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, mul
from typing import Any

from k8stui.engine.apimachinery.selectors import Selector
from k8stui.engine.scheduler.default_spread import (
    SpreadClasses,
    add_default_spread,
    best_default_spread,
)
from k8stui.engine.scheduler.feasible import Feasible
from k8stui.engine.scheduler.filters import Failure, run_local_filters
from k8stui.engine.scheduler.local_cache import Entry, ImageIndex, LocalCache, ShapeTable
from k8stui.engine.scheduler.messages import fit_error
from k8stui.engine.scheduler.node_info import NodeInfo, natural_key
from k8stui.engine.scheduler.pod_index import PodIndex
from k8stui.engine.scheduler.podspec import PodView, bound_view, is_terminal, pod_key, pod_view
from k8stui.engine.scheduler.prefilter import pinned_node, schedule_pinned
from k8stui.engine.scheduler.scores import (
    WEIGHT_INTER_POD,
    WEIGHT_NODE_AFFINITY,
    WEIGHT_SPREAD,
    WEIGHT_TAINT,
    default_normalize,
    local_scores,
)
from k8stui.engine.scheduler.topology import (
    InterPodAffinityFilter,
    Pair,
    TopologySpreadFilter,
    default_spread_plan,
    existing_anti_affinity,
    inter_pod_affinity_scores,
    spread_groups,
    topology_spread_scores,
)

MIN_FEASIBLE_NODES = 100
MIN_FEASIBLE_PERCENTAGE = 5
# Totals are kept as ``score * TIE - rank`` (rank = natural-order position, < TIE) so the
# highest key is the highest score with ties going to the first node name.
TIE = 1 << 20


@dataclass(slots=True)
class ScheduleResult:
    """Outcome of one scheduling attempt.

    ``node`` is the chosen node or None; ``message`` is the FailedScheduling text when no
    node fits ("" otherwise); ``reasons`` maps each node that was examined and rejected to
    the reasons of its first failing filter plugin.
    """

    node: str | None
    message: str = ""
    reasons: dict[str, list[str]] = field(default_factory=dict)


class Scheduler:
    """Deterministic scheduler over an incrementally maintained cluster snapshot."""

    def __init__(self, percentage_of_nodes_to_score: int | None = None) -> None:
        """``percentage_of_nodes_to_score``: None or 0 selects upstream's adaptive rule."""
        self._percentage = percentage_of_nodes_to_score or 0
        self._nodes: dict[str, NodeInfo] = {}
        self._order: list[NodeInfo] = []  # present nodes, natural name order
        self._order_keys: list[tuple[str | int, ...]] = []
        self._pods: dict[str, PodView] = {}
        self._index = PodIndex()
        self._affinity_pods: dict[str, PodView] = {}
        self._anti_pods = 0  # bound pods with required anti-affinity (symmetry check)
        # Bound pods whose terms can change scores (required/preferred affinity, preferred
        # anti-affinity); required anti-affinity alone only filters.
        self._scoring_pods: dict[str, PodView] = {}
        self._images = ImageIndex()
        self._local = LocalCache()
        self._classes = SpreadClasses()
        self._next_start = 0
        self._node_labels: dict[str, dict[str, str]] = {}  # present nodes only
        # Symmetry answers per (namespace, labels) of incoming pods; reset whenever a pod
        # with required anti-affinity comes or goes, or node labels change.
        self._symmetry: dict[tuple[str, tuple[tuple[str, str], ...]], dict[Pair, int]] = {}
        self._prefer_taint_nodes: dict[str, bool] = {}  # nodes with PreferNoSchedule taints
        self._ranks_stale = False
        # The pod schedule() digested last and its view, which its binding write can reuse.
        self._scheduled: tuple[Mapping[str, Any], PodView] | None = None

    # ------------------------------------------------------------------ nodes

    def upsert_node(self, node: Mapping[str, Any]) -> None:
        """Add a node or take its new labels, taints, cordon state, allocatable, images.

        Cheap when nothing the scheduler uses changed (the engine calls this on every node
        status write).
        """
        name = str((node.get("metadata") or {}).get("name") or "")
        info = self._nodes.get(name)
        if info is None:
            info = self._nodes[name] = NodeInfo(name)
        was_present = info.present
        old_images = info.images if was_present else {}
        old_labels = info.labels
        if not info.set_node(node):
            return
        class_changed = self._classes.assign(info)
        if not was_present or old_labels != info.labels:
            self._node_labels[name] = info.labels
            self._index.forget_domains()
            self._symmetry.clear()
        if any(effect == "PreferNoSchedule" for _, _, effect in info.taints):
            self._prefer_taint_nodes[name] = True
        else:
            self._prefer_taint_nodes.pop(name, None)
        if not was_present:
            key = natural_key(name)
            at = bisect.bisect_left(self._order_keys, key)
            self._order_keys.insert(at, key)
            self._order.insert(at, info)
            self._rerank()
        else:
            self._node_changed(info)
            if class_changed and not self._ranks_stale:
                self._classes.set_class(info.rank, info.spread_class)
        if old_images != info.images:
            self._images_changed(info, old_images, info.images)

    def remove_node(self, name: str) -> None:
        """Forget a node. Pods still bound to it keep their accounting until removed."""
        info = self._nodes.get(name)
        if info is None or not info.present:
            return
        at = self._order.index(info)
        del self._order[at]
        del self._order_keys[at]
        info.present = False
        self._rerank()
        self._images_changed(info, info.images, {})
        del self._node_labels[name]
        self._index.forget_domains()
        self._symmetry.clear()
        self._prefer_taint_nodes.pop(name, None)
        if not info.pods:
            del self._nodes[name]

    def _rerank(self) -> None:
        # Ranks are refreshed lazily, once per batch of node additions/removals.
        self._ranks_stale = True
        if self._order:
            self._next_start %= len(self._order)
        else:
            self._next_start = 0

    def _refresh_ranks(self) -> None:
        # Cached entries are indexed by rank and embed it (tie-break): all stale now.
        self._ranks_stale = False
        for rank, info in enumerate(self._order):
            info.rank = rank
        self._local.reset(len(self._order))
        self._classes.rebuild(self._order)

    def _node_changed(self, info: NodeInfo) -> None:
        # While ranks are stale the whole cache is reset before its next use anyway.
        if info.present and not self._ranks_stale:
            self._local.invalidate(info.rank)

    def _images_changed(
        self, info: NodeInfo, old: Mapping[str, int], new: Mapping[str, int]
    ) -> None:
        # ImageLocality scales by how many nodes hold an image: a cluster-wide input, so
        # other holders of an image whose count moved may need their entries redone.
        for image, before, after in self._images.update(info, old, new):
            if not self._ranks_stale:
                holders = self._images.holders.get(image, {})
                self._local.image_count_changed(image, before, after, holders, len(self._order))

    # ------------------------------------------------------------------- pods

    def add_pod(self, pod: Mapping[str, Any]) -> None:
        """Account a pod bound to a node (``spec.nodeName``), terminating ones included."""
        if is_terminal(pod):
            self.remove_pod(pod)
            return
        last, self._scheduled = self._scheduled, None  # usually the pod just scheduled
        view = (last and bound_view(last[1], last[0], pod)) or pod_view(pod)
        if not view.node_name:
            return
        if view.key in self._pods:
            self._unbind(self._pods[view.key])
        info = self._nodes.get(view.node_name)
        if info is None:
            # Pods may be reported before their node: keep the accounting on a placeholder.
            info = self._nodes[view.node_name] = NodeInfo(view.node_name)
        info.add_pod(view)
        self._node_changed(info)
        self._index.add(view, view.node_name, info.labels if info.present else None)
        if view.has_pod_affinity:
            self._affinity_pods[view.key] = view
            if view.anti_required:
                self._anti_pods += 1
                self._symmetry.clear()
            if view.affinity_required or view.affinity_preferred or view.anti_preferred:
                self._scoring_pods[view.key] = view
        self._pods[view.key] = view

    def remove_pod(self, pod: Mapping[str, Any]) -> None:
        """Free a deleted or finished pod's resources (unknown pods are ignored)."""
        view = self._pods.get(pod_key(pod))
        if view is not None:
            self._unbind(view)

    def update_pod(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """Re-account a bound pod whose labels (or other fields) changed."""
        self.remove_pod(old)
        self.add_pod(new)

    def _unbind(self, view: PodView) -> None:
        del self._pods[view.key]
        info = self._nodes.get(view.node_name)
        labels = None
        if info is not None:
            info.remove_pod(view)
            self._node_changed(info)
            labels = info.labels if info.present else None
            if not info.present and not info.pods:
                del self._nodes[view.node_name]
        self._index.remove(view, view.node_name, labels)
        self._scoring_pods.pop(view.key, None)
        if self._affinity_pods.pop(view.key, None) is not None and view.anti_required:
            self._anti_pods -= 1
            self._symmetry.clear()

    # ------------------------------------------------------------- scheduling

    def num_feasible_nodes_to_find(self, total: int) -> int:
        """How many feasible nodes to collect before scoring (upstream's adaptive rule)."""
        if total < MIN_FEASIBLE_NODES:
            return total
        percentage = self._percentage
        if percentage <= 0:
            percentage = max(50 - total // 125, MIN_FEASIBLE_PERCENTAGE)
        if percentage >= 100:
            return total
        return max(total * percentage // 100, MIN_FEASIBLE_NODES)

    def _entry(self, info: NodeInfo, view: PodView, table: ShapeTable) -> Entry:
        """Node-local filters and scores of ``view``'s shape on ``info``, cached in ``table``.

        A passing node yields ``(key, prefer_no_schedule_count, node_affinity_weight)``
        where ``key = score * TIE - rank``: one ``max()`` then applies the tie-break. A
        failing node yields ``(None, failure)``.
        """
        rank = info.rank
        entry = table.entries[rank]
        if entry is None:
            failure = run_local_filters(info, view)
            if failure is not None:
                entry = (None, failure)
            else:
                score, taints, node_affinity = local_scores(
                    info, view, self._images.counts, len(self._order)
                )
                entry = (score * TIE - rank, taints, node_affinity)
            table.set(rank, entry)
        return entry

    def _cross_node_filters(
        self, view: PodView
    ) -> tuple[TopologySpreadFilter | None, InterPodAffinityFilter | None]:
        spread = None
        if any(c.hard for c in view.spread):
            spread = TopologySpreadFilter(view, self._order, self._index)
        affinity = None
        if view.affinity_required or view.anti_required or self._anti_pods:
            forbidden: dict[Pair, int] = {}
            if self._anti_pods:
                group = (view.namespace, tuple(sorted(view.labels.items())))
                cached = self._symmetry.get(group)
                if cached is None:
                    cached = existing_anti_affinity(view, self._nodes, self._affinity_pods.values())
                    if len(self._symmetry) > 1024:
                        self._symmetry.clear()
                    self._symmetry[group] = cached
                forbidden = cached
            affinity = InterPodAffinityFilter(view, self._nodes, self._index, forbidden)
            if not affinity.active:
                affinity = None
        return spread, affinity

    def schedule(
        self, pod: Mapping[str, Any], spread_selectors: Sequence[Selector] = ()
    ) -> ScheduleResult:
        """Pick a node for an unbound pod (does not bind it).

        ``spread_selectors``: selectors of the Services/RCs/RSs selecting the pod, for the
        system-default topology spreading.
        """
        total = len(self._order)
        if total == 0:
            return ScheduleResult(None, fit_error(0, {}))
        if self._ranks_stale:
            self._refresh_ranks()
        view = pod_view(pod)
        self._scheduled = (pod, view)
        pinned = pinned_node(view)
        if pinned is not None:  # NodeAffinity's PreFilter leaves one node (DaemonSet pods)
            info = self._nodes.get(pinned)
            checks = self._cross_node_filters(view) if info is not None and info.present else None
            node, message, reasons = schedule_pinned(view, pinned, info, self._order, checks)
            return ScheduleResult(node, message, reasons)
        table = self._local.table(view)
        spread, affinity = self._cross_node_filters(view)
        start = self._next_start
        order = self._order
        cached, cached_keys = table.entries, table.keys

        feasible: list[NodeInfo] = []
        entries: list[Entry] = []
        keys: list[int] = []
        failed: dict[str, Failure] = {}
        # Until a node is taken alone, whole runs are kept as ranks (see Feasible.of_ranks).
        whole: list[tuple[int, int]] = []
        alone = False
        need = self.num_feasible_nodes_to_find(total)
        visited = 0
        # Walk the nodes from ``start`` (wrapping around) in runs just long enough to
        # complete the feasible set if every node passes. The shape table is rank-aligned,
        # so a run is list slices: an unchanged node costs next to nothing, and only cache
        # misses (usually the node bound last) run Python.
        while need > 0 and visited < total:
            at = (start + visited) % total
            end = at + min(need, total - visited, total - at)
            visited += end - at
            if table.n_missing:
                self._fill(table, view, at, end)
            heads = cached_keys[at:end]
            if spread is None and affinity is None and not table.fails_in(at, end):
                keys += heads  # type: ignore[arg-type]
                need -= end - at
                if alone:
                    feasible += order[at:end]
                    entries += cached[at:end]  # type: ignore[arg-type]
                else:
                    whole.append((at, end))
                continue
            if not alone:
                alone = True
                for run_at, run_end in whole:
                    feasible += order[run_at:run_end]
                    entries += cached[run_at:run_end]  # type: ignore[arg-type]
            for info, entry, head in zip(order[at:end], cached[at:end], heads, strict=True):
                assert entry is not None
                failure = entry[1] if head is None else None
                if failure is None and spread is not None:
                    failure = spread.check(info)
                if failure is None and affinity is not None:
                    failure = affinity.check(info)
                if failure is not None:
                    failed[info.name] = failure
                else:
                    feasible.append(info)
                    entries.append(entry)
                    keys.append(entry[0])
                    need -= 1
        self._next_start = (start + visited) % total
        reasons = {name: list(failure[0]) for name, failure in failed.items()}
        if alone:
            # Without failures the feasible nodes are consecutive ranks from ``start``.
            window = Feasible(feasible, None if failed else start, entries)
        else:
            window = Feasible.of_ranks(order, start, len(keys), cached)
        if not window.size:
            return ScheduleResult(None, fit_error(total, failed), reasons)
        if window.size == 1:
            return ScheduleResult(window.node(0).name, "", reasons)
        best = self._best_total(view, window, keys, table.keys, spread_selectors)
        return ScheduleResult(order[-best % TIE].name, "", reasons)

    def _fill(self, table: ShapeTable, view: PodView, at: int, end: int) -> None:
        """Compute the cache misses among ranks ``at..end`` (usually the node bound last)."""
        for rank in table.missing_in(at, end):
            self._entry(self._order[rank], view, table)

    def _best_total(
        self,
        view: PodView,
        window: Feasible,
        keys: list[int],
        ranked_keys: list[int | None],
        spread_selectors: Sequence[Selector],
    ) -> int:
        """The window's highest total (its low bits are its node's rank: see TIE)."""
        totals = keys
        # Plugins whose normalised score is the same on every node cannot change the pick;
        # they are skipped (TaintToleration without PreferNoSchedule taints, NodeAffinity
        # without preferred terms, ...). That is the fast path for plain pods.
        if self._prefer_taint_nodes and any(e[1] for e in window.entries):
            taint = default_normalize([e[1] for e in window.entries], reverse=True)
            totals = _weighted(totals, taint, WEIGHT_TAINT)
        if view.preferred_node_terms and any(e[2] for e in window.entries):
            node_aff = default_normalize([e[2] for e in window.entries])
            totals = _weighted(totals, node_aff, WEIGHT_NODE_AFFINITY)
        if view.affinity_preferred or view.anti_preferred or self._scoring_pods:
            inter = inter_pod_affinity_scores(
                view, window.nodes, self._nodes, self._index, self._scoring_pods.values()
            )
            if inter is not None:
                totals = _weighted(totals, inter, WEIGHT_INTER_POD)
        plan = default_spread_plan(view, spread_selectors)
        if plan is not None:
            selector, offsets = plan
            groups = spread_groups(self._index, view, selector)
            facts = (window, self._classes, groups, self._nodes, self._node_labels, offsets)
            if totals is keys:  # no other plugin scored: they are ranked_keys at the ranks
                best = best_default_spread(ranked_keys, WEIGHT_SPREAD * TIE, *facts)
                if best is not None:
                    return best
            totals = add_default_spread(totals, WEIGHT_SPREAD * TIE, *facts)
        elif view.spread or spread_selectors:
            spread = topology_spread_scores(
                view, window.nodes, self._nodes, self._node_labels, self._index, spread_selectors
            )
            if spread is not None:
                totals = _weighted(totals, spread, WEIGHT_SPREAD)
        return max(totals)

    def explain(self, pod: Mapping[str, Any]) -> dict[str, list[str]]:
        """Per-node filter reasons for a pod, every node in natural order ([] = fits).

        Changes nothing (not even the rotating start index).
        """
        if self._ranks_stale:
            self._refresh_ranks()
        view = pod_view(pod)
        table = self._local.table(view)
        spread, affinity = self._cross_node_filters(view)
        out: dict[str, list[str]] = {}
        for info in self._order:
            entry = self._entry(info, view, table)
            failure: Failure | None = entry[1] if entry[0] is None else None
            if failure is None and spread is not None:
                failure = spread.check(info)
            if failure is None and affinity is not None:
                failure = affinity.check(info)
            out[info.name] = list(failure[0]) if failure is not None else []
        return out

    # ------------------------------------------------------------ inspection

    def node_names(self) -> list[str]:
        """Known nodes in natural name order."""
        return [info.name for info in self._order]

    def requested(self, name: str) -> dict[str, int]:
        """Summed requests on a node (cpu in millicores, memory in bytes, pods)."""
        info = self._nodes.get(name)
        if info is None:
            return {"cpu": 0, "memory": 0, "pods": 0}
        return {"cpu": info.req_cpu, "memory": info.req_memory, "pods": info.pod_count}


def _weighted(totals: list[int], scores: list[int], weight: int) -> list[int]:
    """Add a normalised plugin score, weighted, to the tie-break keys."""
    assert len(totals) == len(scores)
    # map() over operator functions: one pass at C speed (hundreds of nodes per pod).
    return list(map(add, totals, map(mul, scores, repeat(weight * TIE))))
