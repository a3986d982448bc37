"""``kubectl rollout status|history|undo`` for StatefulSets: their status line and ControllerRevisions."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.rollout_common import (
    print_history,
    roll_back,
    undo_revision,
    watch_status,
)

Obj = dict[str, Any]


def status_message(sts: Obj) -> tuple[str, bool]:
    """kubectl's ``StatefulSetStatusViewer``: the status line and whether it is done."""
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise KubectlError(
            "error: rollout status is only available for RollingUpdate strategy type"
        )
    observed = int(status.get("observedGeneration") or 0)
    if observed == 0 or int(sts["metadata"].get("generation", 0)) > observed:
        return "Waiting for statefulset spec update to be observed...", False
    replicas = int(spec.get("replicas", 1))
    ready = int(status.get("readyReplicas") or 0)
    if ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...", False
    updated = int(status.get("updatedReplicas") or 0)
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict):
        partition = rolling.get("partition")
        if partition is not None and updated < replicas - int(partition):
            return (
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {replicas - int(partition)} new pods have been updated...",
                False,
            )
        return f"partitioned roll out complete: {updated} new pods have been updated...", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{status.get('updateRevision')}...",
            False,
        )
    return (
        f"statefulset rolling update complete {int(status.get('currentReplicas') or 0)} pods at "
        f"revision {status.get('currentRevision')}...",
        True,
    )


def run_status(inv: Invocation, sts: Obj) -> None:
    """Watch the StatefulSet (sim time passes) until its rollout completes."""
    watch_status(inv, sts, status_message)


def _history(inv: Invocation, sts: Obj) -> dict[int, Obj]:
    uid = sts["metadata"]["uid"]
    found = {}
    for revision in inv.cluster.list(
        "ControllerRevision", sts["metadata"].get("namespace", "default")
    ):
        if any(r.get("uid") == uid for r in revision["metadata"].get("ownerReferences") or []):
            found[int(revision.get("revision", 0))] = revision
    return dict(sorted(found.items()))


def _template(revision: Obj) -> Obj:
    template = dict(revision["data"]["spec"]["template"])
    template.pop("$patch", None)
    return template


def run_history(inv: Invocation, sts: Obj) -> None:
    """The revisions kept as ControllerRevisions."""
    print_history(inv, sts, _history(inv, sts), _template)


def run_undo(inv: Invocation, sts: Obj) -> None:
    """Put an earlier revision's template back."""
    history = _history(inv, sts)
    wanted = undo_revision(inv, history, "error: no last revision to roll back to")
    template = _template(history[wanted])
    roll_back(inv, sts, template, wanted, template == sts["spec"].get("template"))
