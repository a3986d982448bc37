"""An incremental index of bound pods by (namespace, labels), per node.

Inter-pod affinity and topology spreading ask "how many pods matching selector S are in
topology domain D?". Pods of one workload share a label set, so grouping pods by
``(namespace, labels)`` turns that question into: match S against a handful of *groups*
(memoised), then read each matching group's per-node counters. Binding or removing a pod
touches exactly one counter. Groups are also indexed by each of their labels, so a selector
that pins a label (``app=web``) only looks at the groups carrying it: a cluster with a
thousand ReplicaSets does not rescan a thousand groups whenever a new one appears.

Iteration order is insertion order everywhere (dicts), so results are deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from k8stui.engine.scheduler.podspec import PodView

GroupKey = tuple[str, tuple[tuple[str, str], ...]]


class PodGroup:
    """All bound pods sharing one namespace and label set, counted per node."""

    __slots__ = ("domains", "labels", "live", "namespace", "total")

    def __init__(self, namespace: str, labels: dict[str, str]) -> None:
        self.namespace = namespace
        self.labels = labels
        self.total: dict[str, int] = {}  # node -> pods (incl. terminating): affinity counts
        self.live: dict[str, int] = {}  # node -> pods not terminating: spreading counts
        # topology key -> label value ("" when missing) -> live pods on present nodes.
        # Built on first use, then kept current on every add/remove.
        self.domains: dict[str, dict[str, int]] = {}

    def domain_counts(
        self, key: str, node_labels: Mapping[str, Mapping[str, str]]
    ) -> dict[str, int]:
        """Live pods per value of topology ``key``; ``node_labels`` has present nodes only."""
        counts = self.domains.get(key)
        if counts is None:
            counts = self.domains[key] = {}
            for node, count in self.live.items():
                labels = node_labels.get(node)
                if labels is not None:
                    value = labels.get(key, "")
                    counts[value] = counts.get(value, 0) + count
        return counts

    def _shift(self, labels: Mapping[str, str] | None, delta: int) -> None:
        if labels is None:
            return
        for key, counts in self.domains.items():
            value = labels.get(key, "")
            left = counts.get(value, 0) + delta
            if left:
                counts[value] = left
            else:
                counts.pop(value, None)

    @property
    def empty(self) -> bool:
        """True when no pod is left in the group."""
        return not self.total


class PodIndex:
    """Label groups of all bound pods, with memoised selector matching."""

    def __init__(self) -> None:
        self._groups: dict[GroupKey, PodGroup] = {}
        # (label key, value) -> groups carrying it, in the same (creation) order as _groups.
        self._by_label: dict[tuple[str, str], dict[GroupKey, PodGroup]] = {}
        self._match_cache: dict[object, list[PodGroup]] = {}

    @staticmethod
    def _key(pod: PodView) -> GroupKey:
        return pod.namespace, tuple(sorted(pod.labels.items()))

    def add(self, pod: PodView, node: str, labels: Mapping[str, str] | None) -> None:
        """Count a pod bound to ``node`` (``labels``: the node's, None if not present)."""
        key = self._key(pod)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = PodGroup(pod.namespace, dict(pod.labels))
            for pair in key[1]:
                self._by_label.setdefault(pair, {})[key] = group
            self._match_cache.clear()  # a new group may match cached selectors
        group.total[node] = group.total.get(node, 0) + 1
        if not pod.terminating:
            group.live[node] = group.live.get(node, 0) + 1
            group._shift(labels, 1)

    def remove(self, pod: PodView, node: str, labels: Mapping[str, str] | None) -> None:
        """Forget a pod previously added on ``node``."""
        key = self._key(pod)
        group = self._groups.get(key)
        if group is None:
            return
        _decrement(group.total, node)
        if not pod.terminating:
            _decrement(group.live, node)
            group._shift(labels, -1)
        if group.empty:
            del self._groups[key]
            for pair in key[1]:
                holders = self._by_label[pair]
                del holders[key]
                if not holders:
                    del self._by_label[pair]
            self._match_cache.clear()

    def forget_domains(self) -> None:
        """Drop the per-domain counts (a node's labels or presence changed)."""
        for group in self._groups.values():
            group.domains.clear()

    def matching(
        self,
        cache_key: object,
        predicate: Callable[[str, dict[str, str]], bool],
        required: tuple[str, str] | None = None,
    ) -> list[PodGroup]:
        """Groups whose (namespace, labels) satisfy ``predicate``; memoised on ``cache_key``
        until the set of groups changes. ``required``: a (key, value) label every matching
        group must carry (narrows the scan; the result is the same)."""
        found = self._match_cache.get(cache_key)
        if found is None:
            if required is None:
                candidates = self._groups.values()
            else:
                candidates = self._by_label.get(required, {}).values()
            found = [g for g in candidates if predicate(g.namespace, g.labels)]
            if len(self._match_cache) > 4096:
                self._match_cache.clear()
            self._match_cache[cache_key] = found
        return found


def _decrement(counts: dict[str, int], key: str) -> None:
    left = counts.get(key, 0) - 1
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)
