"""``kubectl rollout status|history|undo|restart`` for StatefulSets (ControllerRevisions)."""

from __future__ import annotations

from typing import Any

from k8stui.engine.clock import to_timestamp
from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.describe_common import DescribeWriter
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.tabwriter import align

Obj = dict[str, Any]
_CHANGE_CAUSE = "kubernetes.io/change-cause"


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
    key = (sts["metadata"]["name"], sts["metadata"].get("namespace", "default"))
    message, done = status_message(sts)
    inv.out.out(message)
    if done or not inv.flag("watch"):
        return
    seen = message
    limit_ms = inv.cluster.now_ms + int(1000 * (inv.flag("timeout") or 600))

    def current(cluster: Cluster) -> Obj:
        live = cluster.get("StatefulSet", *key)
        if live is None:
            raise KubectlError(
                f'Error from server (NotFound): statefulsets.apps "{key[0]}" not found'
            )
        return live

    while inv.cluster.now_ms < limit_ms:
        if not inv.cluster.step():
            break
        message, done = status_message(current(inv.cluster))
        if message != seen:
            inv.out.out(message)
            seen = message
        if done:
            return
    raise KubectlError("error: timed out waiting for the condition")


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
    name = sts["metadata"]["name"]
    history = _history(inv, sts)
    wanted = int(inv.flag("revision"))
    if wanted > 0:
        if wanted not in history:
            raise KubectlError("error: unable to find the specified revision")
        writer = DescribeWriter()
        describe_pod_template(writer, _template(history[wanted]))
        inv.out.out(f"statefulset.apps/{name} with revision #{wanted}\n{writer.result()}")
        return
    if not history:
        inv.out.out(f'No rollout history found in statefulset "{name}"')
        return
    rows = [["REVISION", "CHANGE-CAUSE"]]
    for number, revision in history.items():
        cause = (revision["metadata"].get("annotations") or {}).get(_CHANGE_CAUSE) or "<none>"
        rows.append([str(number), cause])
    inv.out.out(f"statefulset.apps/{name} \n" + align(rows, minwidth=0, padding=2) + "\n")


def run_undo(inv: Invocation, sts: Obj) -> None:
    """Put an earlier revision's template back."""
    name = sts["metadata"]["name"]
    history = _history(inv, sts)
    wanted = int(inv.flag("to-revision"))
    if wanted == 0:
        previous = [r for r in history if r != max(history, default=0)]
        if not previous:
            raise KubectlError("error: no last revision to roll back to")
        wanted = max(previous)
    if wanted not in history:
        raise KubectlError(f"error: unable to find specified revision {wanted} in history")
    template = _template(history[wanted])
    if template == sts["spec"].get("template"):
        inv.out.out(
            f"statefulset.apps/{name} skipped rollback (current template already matches "
            f"revision {wanted})"
        )
        return
    try:
        inv.cluster.replace({**sts, "spec": {**sts["spec"], "template": template}})
    except ApiError as exc:
        raise KubectlError(exc.kubectl_text()) from None
    inv.out.out(f"statefulset.apps/{name} rolled back")


def run_restart(inv: Invocation, sts: Obj) -> None:
    """A new template annotation rolls every pod."""
    stamp = to_timestamp(inv.cluster.now_ms)
    patch = {
        "spec": {
            "template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}
        }
    }
    inv.cluster.patch(
        "StatefulSet", sts["metadata"]["name"], patch, sts["metadata"].get("namespace", "default")
    )
    inv.out.out(f"statefulset.apps/{sts['metadata']['name']} restarted")
