"""What ``kubectl rollout`` does the same way for Deployments and StatefulSets.

Watching the status line while sim time passes, printing a revision history, choosing and
applying the revision ``undo`` goes back to, and the ``restart`` annotation. The kind-specific
parts (the status line, where revisions live, the template of a revision) stay with each kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apiserver.resources import resource_for
from k8stui.engine.clock import to_timestamp
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.describe_common import DescribeWriter
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.tabwriter import align

Obj = dict[str, Any]
_CHANGE_CAUSE = "kubernetes.io/change-cause"


def _ref(obj: Obj) -> str:
    """``deployment.apps/web``."""
    return f"{resource_for(obj['kind']).singular_qualified}/{obj['metadata']['name']}"


def watch_status(inv: Invocation, obj: Obj, message_of: Callable[[Obj], tuple[str, bool]]) -> None:
    """Print the status line, then each new one as sim time passes, until the rollout is done."""
    res = resource_for(obj["kind"])
    name, namespace = obj["metadata"]["name"], obj["metadata"].get("namespace", "default")
    message, done = message_of(obj)
    inv.out.out(message)
    if done or not inv.flag("watch"):
        return
    seen = message
    # Unbounded in kubectl; the controller's 600s progress deadline ends a stuck rollout there.
    limit_ms = inv.cluster.now_ms + int(1000 * (inv.flag("timeout") or 600))
    while inv.cluster.now_ms < limit_ms:
        if not inv.cluster.step():
            break
        live = inv.cluster.get(res.kind, name, namespace)
        if live is None:
            raise KubectlError(
                f"Error from server (NotFound): {res.qualified} {go_quote(name)} not found"
            )
        message, done = message_of(live)
        if message != seen:
            inv.out.out(message)
            seen = message
        if done:
            return
    raise KubectlError("error: timed out waiting for the condition")


def print_history(
    inv: Invocation, obj: Obj, history: dict[int, Obj], template_of: Callable[[Obj], Obj]
) -> None:
    """``rollout history``: the table of revisions, or one revision's pod template."""
    wanted = int(inv.flag("revision"))
    if wanted > 0:
        if wanted not in history:
            raise KubectlError("error: unable to find the specified revision")
        writer = DescribeWriter()
        describe_pod_template(writer, template_of(history[wanted]))
        inv.out.out(f"{_ref(obj)} with revision #{wanted}\n{writer.result()}")
        return
    if not history:
        kind = obj["kind"].lower()
        inv.out.out(f'No rollout history found in {kind} "{obj["metadata"]["name"]}"')
        return
    rows = [["REVISION", "CHANGE-CAUSE"]]
    for number, revision in history.items():
        cause = (revision["metadata"].get("annotations") or {}).get(_CHANGE_CAUSE) or "<none>"
        rows.append([str(number), cause])
    # kubectl's history printer writes the object name followed by a space.
    inv.out.out(f"{_ref(obj)} \n" + align(rows, minwidth=0, padding=2) + "\n")


def undo_revision(inv: Invocation, history: dict[int, Obj], none_left: str) -> int:
    """The revision ``undo`` goes back to: ``--to-revision``, else the one before the last."""
    wanted = int(inv.flag("to-revision"))
    if wanted == 0:
        previous = [r for r in history if r != max(history, default=0)]
        if not previous:
            raise KubectlError(none_left)
        wanted = max(previous)
    if wanted not in history:
        raise KubectlError(f"error: unable to find specified revision {wanted} in history")
    return wanted


def roll_back(inv: Invocation, obj: Obj, template: Obj, wanted: int, unchanged: bool) -> None:
    """Put ``template`` back (``unchanged``: the current one already matches it)."""
    if unchanged:
        inv.out.out(
            f"{_ref(obj)} skipped rollback (current template already matches revision {wanted})"
        )
        return
    try:
        inv.cluster.replace({**obj, "spec": {**obj["spec"], "template": template}})
    except ApiError as exc:
        raise KubectlError(exc.kubectl_text()) from None
    inv.out.out(f"{_ref(obj)} rolled back")


def restart(inv: Invocation, obj: Obj) -> None:
    """``rollout restart``: a new template annotation makes the controller roll every pod."""
    stamp = to_timestamp(inv.cluster.now_ms)
    patch = {
        "spec": {
            "template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}
        }
    }
    meta = obj["metadata"]
    inv.cluster.patch(obj["kind"], meta["name"], patch, meta.get("namespace", "default"))
    inv.out.out(f"{_ref(obj)} restarted")
