"""``kubectl rollout status|history|undo|restart`` for Deployments."""

from __future__ import annotations

from typing import Any

from k8stui.engine.controllers.deployment import rollback_template
from k8stui.kubectl.commands import rollout_statefulset
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve
from k8stui.kubectl.commands.rollout_common import (
    print_history,
    restart,
    roll_back,
    undo_revision,
    watch_status,
)

Obj = dict[str, Any]
_REVISION = "deployment.kubernetes.io/revision"
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
    watch_status(inv, dep, status_message)


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
    print_history(inv, dep, _history(inv, dep), lambda rs: rs["spec"]["template"])


def run_undo(inv: Invocation) -> None:
    """``rollout undo [--to-revision=N]``: put an old ReplicaSet's template back."""
    dep = _deployment(inv)
    if dep["kind"] == "StatefulSet":
        return rollout_statefulset.run_undo(inv, dep)
    history = _history(inv, dep)
    none_left = f'error: no rollout history found for deployment "{dep["metadata"]["name"]}"'
    wanted = undo_revision(inv, history, none_left)
    template = rollback_template(history[wanted])
    unchanged = _strip_hash(dict(dep["spec"]["template"])) == template
    roll_back(inv, dep, template, wanted, unchanged)


def _strip_hash(template: Obj) -> Obj:
    labels = {
        k: v
        for k, v in ((template.get("metadata") or {}).get("labels") or {}).items()
        if k != _HASH
    }
    return {**template, "metadata": {**(template.get("metadata") or {}), "labels": labels}}


def run_restart(inv: Invocation) -> None:
    """``rollout restart``: a new template annotation starts a fresh rollout."""
    restart(inv, _deployment(inv))


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
