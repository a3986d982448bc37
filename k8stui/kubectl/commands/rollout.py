"""``kubectl rollout status|history|undo|restart`` for Deployments."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.clock import to_timestamp
from k8stui.engine.cluster import Cluster
from k8stui.engine.controllers.deployment import rollback_template
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands import rollout_statefulset
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve
from k8stui.kubectl.describe_common import DescribeWriter
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.tabwriter import align

Obj = dict[str, Any]
_REVISION = "deployment.kubernetes.io/revision"
_CHANGE_CAUSE = "kubernetes.io/change-cause"
_HASH = "pod-template-hash"


def _deployment(inv: Invocation) -> Obj:
    if not inv.args:
        raise inv.usage_error("required resource not specified")
    word = inv.args[0]
    type_word, _, name = word.partition("/")
    if not name:
        if len(inv.args) < 2:
            raise inv.usage_error("required resource not specified")
        name = inv.args[1]
    try:
        res = resolve(type_word)
    except UnknownResource as exc:
        raise KubectlError(f"error: {exc}") from None
    if res.kind not in ("Deployment", "StatefulSet"):
        raise KubectlError(
            f'error: no {_verb(inv)} has been implemented for "{res.kind}" '
            "(the simulator rolls out Deployments and StatefulSets)"
        )
    return inv.lookup(res, name)


def _verb(inv: Invocation) -> str:
    return inv.command.split()[-1]


def status_message(dep: Obj) -> tuple[str, bool]:
    """kubectl's rollout status line for a Deployment, and whether the rollout is done."""
    name = dep["metadata"]["name"]
    spec = dep.get("spec") or {}
    status = dep.get("status") or {}
    if int(dep["metadata"].get("generation", 0)) > int(status.get("observedGeneration", 0)):
        return "Waiting for deployment spec update to be observed...", False
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
            raise KubectlError(f'error: deployment "{name}" exceeded its progress deadline')
    desired = int(spec.get("replicas", 1))
    updated = int(status.get("updatedReplicas", 0))
    total = int(status.get("replicas", 0))
    available = int(status.get("availableReplicas", 0))
    prefix = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < desired:
        return f"{prefix}{updated} out of {desired} new replicas have been updated...", False
    if total > updated:
        return f"{prefix}{total - updated} old replicas are pending termination...", False
    if available < updated:
        return f"{prefix}{available} of {updated} updated replicas are available...", False
    return f'deployment "{name}" successfully rolled out', True


def run_status(inv: Invocation) -> None:
    """``rollout status``: like kubectl, it watches (sim time passes) until the rollout ends."""
    dep = _deployment(inv)
    if dep["kind"] == "StatefulSet":
        return rollout_statefulset.run_status(inv, dep)
    key = (dep["metadata"]["name"], dep["metadata"].get("namespace", "default"))
    message, done = status_message(dep)
    inv.out.out(message)
    if done or not inv.flag("watch"):
        return
    seen = message
    # Unbounded in kubectl; the controller's 600s progress deadline ends a stuck rollout there.
    limit_ms = inv.cluster.now_ms + int(1000 * (inv.flag("timeout") or 600))

    def current(cluster: Cluster) -> Obj:
        live = cluster.get("Deployment", *key)
        if live is None:
            raise KubectlError(
                f"Error from server (NotFound): deployments.apps {go_quote(key[0])} not found"
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


def _history(inv: Invocation, dep: Obj) -> dict[int, Obj]:
    uid = dep["metadata"]["uid"]
    found: dict[int, Obj] = {}
    for rs in inv.cluster.list("ReplicaSet", dep["metadata"].get("namespace", "default")):
        if not any(r.get("uid") == uid for r in rs["metadata"].get("ownerReferences") or []):
            continue
        revision = ((rs["metadata"].get("annotations") or {}).get(_REVISION)) or ""
        if revision.isdigit():
            found[int(revision)] = rs
    return dict(sorted(found.items()))


def run_history(inv: Invocation) -> None:
    """``rollout history``: the revisions kept in the Deployment's ReplicaSets."""
    dep = _deployment(inv)
    if dep["kind"] == "StatefulSet":
        return rollout_statefulset.run_history(inv, dep)
    history = _history(inv, dep)
    name = dep["metadata"]["name"]
    wanted = int(inv.flag("revision"))
    if wanted > 0:
        if wanted not in history:
            raise KubectlError("error: unable to find the specified revision")
        template = history[wanted]["spec"]["template"]
        writer = DescribeWriter()
        describe_pod_template(writer, template)
        inv.out.out(f"deployment.apps/{name} with revision #{wanted}\n{writer.result()}")
        return
    if not history:
        inv.out.out(f'No rollout history found in deployment "{name}"')
        return
    rows = [["REVISION", "CHANGE-CAUSE"]]
    for revision, rs in history.items():
        cause = (rs["metadata"].get("annotations") or {}).get(_CHANGE_CAUSE) or "<none>"
        rows.append([str(revision), cause])
    # kubectl's history printer writes the object name followed by a space.
    inv.out.out(f"deployment.apps/{name} \n" + align(rows, minwidth=0, padding=2) + "\n")


def run_undo(inv: Invocation) -> None:
    """``rollout undo [--to-revision=N]``: put an old ReplicaSet's template back."""
    dep = _deployment(inv)
    if dep["kind"] == "StatefulSet":
        return rollout_statefulset.run_undo(inv, dep)
    name = dep["metadata"]["name"]
    history = _history(inv, dep)
    wanted = int(inv.flag("to-revision"))
    if wanted == 0:
        previous = [r for r in history if r != max(history, default=0)]
        if not previous:
            raise KubectlError(f'error: no rollout history found for deployment "{name}"')
        wanted = max(previous)
    if wanted not in history:
        raise KubectlError(f"error: unable to find specified revision {wanted} in history")
    template = rollback_template(history[wanted])
    current = dict(dep["spec"]["template"])
    if _strip_hash(current) == template:
        inv.out.out(
            f"deployment.apps/{name} skipped rollback (current template already matches "
            f"revision {wanted})"
        )
        return
    updated = {**dep, "spec": {**dep["spec"], "template": template}}
    try:
        inv.cluster.replace(updated)
    except ApiError as exc:
        raise KubectlError(exc.kubectl_text()) from None
    inv.out.out(f"deployment.apps/{name} rolled back")


def _strip_hash(template: Obj) -> Obj:
    labels = {
        k: v
        for k, v in ((template.get("metadata") or {}).get("labels") or {}).items()
        if k != _HASH
    }
    return {**template, "metadata": {**(template.get("metadata") or {}), "labels": labels}}


def run_restart(inv: Invocation) -> None:
    """``rollout restart``: a new template annotation starts a fresh rollout."""
    dep = _deployment(inv)
    if dep["kind"] == "StatefulSet":
        return rollout_statefulset.run_restart(inv, dep)
    stamp = to_timestamp(inv.cluster.now_ms)
    patch = {
        "spec": {
            "template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}
        }
    }
    inv.cluster.patch(
        "Deployment", dep["metadata"]["name"], patch, dep["metadata"].get("namespace", "default")
    )
    inv.out.out(f"deployment.apps/{dep['metadata']['name']} restarted")


_ROLLOUT_HELP = """Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  statefulsets"""

COMMAND = Command(
    name="rollout",
    summary="Manage the rollout of a resource",
    usage="kubectl rollout SUBCOMMAND [options]",
    flags=(),
    long_help=_ROLLOUT_HELP,
    examples="""  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc

  # Check the rollout status of a deployment
  kubectl rollout status deployment/abc""",
    subcommands=(
        Command(
            name="status",
            summary="Show the status of the rollout",
            usage="kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
            flags=(
                Flag(
                    "watch",
                    "w",
                    "bool",
                    True,
                    "Watch the status of the rollout until it's done (sim time passes).",
                ),
                Flag(
                    "timeout",
                    kind="duration",
                    default=0.0,
                    help="The length of time to wait before ending watch (e.g. 30s), zero means never.",
                ),
            ),
            handler=run_status,
            examples="  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx",
        ),
        Command(
            name="history",
            summary="View rollout history",
            usage="kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
            flags=(
                Flag(
                    "revision",
                    kind="int",
                    default=0,
                    help="See the details, including podTemplate of the revision specified",
                ),
            ),
            handler=run_history,
            examples="  # View the rollout history of a deployment\n  kubectl rollout history deployment/abc",
        ),
        Command(
            name="undo",
            summary="Undo a previous rollout",
            usage="kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
            flags=(
                Flag(
                    "to-revision",
                    kind="int",
                    default=0,
                    help="The revision to rollback to. Default to 0 (last revision).",
                ),
            ),
            handler=run_undo,
            examples="  # Roll back to the previous deployment\n  kubectl rollout undo deployment/abc\n\n  # Roll back to deployment revision 3\n  kubectl rollout undo deployment/abc --to-revision=3",
        ),
        Command(
            name="restart",
            summary="Restart a resource",
            usage="kubectl rollout restart RESOURCE [options]",
            flags=(),
            handler=run_restart,
            examples="  # Restart a deployment\n  kubectl rollout restart deployment/nginx",
        ),
    ),
)
