"""NodeAffinity's PreFilter for pods pinned to one node by name (DaemonSet pods).

A required term that is exactly ``matchFields metadata.name In [node]`` leaves one candidate:
the filters run on that node only and every other node is reported as "filtered out by the
prefilter result", as upstream's ``findNodesThatFitPod`` does.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.scheduler.filters import Failure, run_local_filters
from k8stui.engine.scheduler.messages import PREFILTER_ABSENT, fit_error
from k8stui.engine.scheduler.node_info import NodeInfo
from k8stui.engine.scheduler.podspec import PodView


def pinned_node(view: PodView) -> str | None:
    """The one node a pod's required node affinity names by ``metadata.name``, if so."""
    terms = view.required_node_terms
    if not terms or len(terms) != 1 or terms[0].get("matchExpressions"):
        return None
    fields = terms[0].get("matchFields") or []
    if len(fields) != 1:
        return None
    expr = fields[0]
    values = expr.get("values") or []
    if expr.get("key") != "metadata.name" or expr.get("operator") != "In" or len(values) != 1:
        return None
    return str(values[0])


def schedule_pinned(
    view: PodView,
    name: str,
    info: NodeInfo | None,
    order: list[NodeInfo],
    checks: tuple[Any, Any] | None,
) -> tuple[str | None, str, dict[str, list[str]]]:
    """(node, FailedScheduling message, reasons) for a pod pinned to ``name``.

    ``checks`` are the cross-node filters (topology spread, inter-pod affinity) or None.
    """
    failure: Failure | None = None
    if info is not None and info.present:
        failure = run_local_filters(info, view)
        for check in checks or ():
            if failure is None and check is not None:
                failure = check.check(info)
        if failure is None:
            return name, "", {}
    # Only a failure needs the other nodes' entries (every DaemonSet pod would pay for them).
    failed: dict[str, Failure] = {
        n.name: ((PREFILTER_ABSENT,), False) for n in order if n.name != name
    }
    if failure is not None:
        failed[name] = failure
    reasons = {n: list(f[0]) for n, f in failed.items()}
    return None, fit_error(len(order), failed), reasons
