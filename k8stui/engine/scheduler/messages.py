"""The FailedScheduling message (upstream ``FitError.Error()`` plus the preemption part).

Format: ``0/N nodes are available: <histogram>.`` then `` preemption: 0/N nodes are
available: <histogram>.`` and a final ``.`` -- the preemption text is itself a nested fit
error, which is why real events end in a double period. Each histogram entry is
``"<count> <reason>"`` and entries are sorted as plain strings (so ``"10 Insufficient cpu"``
sorts before ``"2 node(s) ..."``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from k8stui.engine.scheduler.filters import Failure

NO_NODES = "no nodes available to schedule pods"
# Nodes a PreFilter (e.g. a matchFields node-name pin) ruled out before filtering.
PREFILTER_ABSENT = "node is filtered out by the prefilter result"
PREEMPTION_NO_VICTIMS = "No preemption victims found for incoming pod"
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"


def histogram(reasons: Iterable[str]) -> str:
    """Count equal reasons and render them sorted: ``"3 Insufficient cpu, 5 node(s) ..."``."""
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(sorted(f"{n} {reason}" for reason, n in counts.items()))


def fit_error(total_nodes: int, failures: Mapping[str, Failure]) -> str:
    """The full FailedScheduling text for a pod no node accepted."""
    if total_nodes == 0:
        return NO_NODES
    filtered = histogram(r for reasons, _ in failures.values() for r in reasons)
    preemption = histogram(
        PREEMPTION_NO_VICTIMS if resolvable else PREEMPTION_NOT_HELPFUL
        for _, resolvable in failures.values()
    )
    available = f"0/{total_nodes} nodes are available:"
    return f"{available} {filtered}. preemption: {available} {preemption}.."
