"""``kubectl cordon``, ``uncordon`` and ``drain``."""

from __future__ import annotations

from typing import Any

from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation
from k8stui.kubectl.commands.resources import resolve

Obj = dict[str, Any]
_MIRROR = "kubernetes.io/config.mirror"


def _node(inv: Invocation, verb: str) -> Obj:
    if len(inv.args) != 1:
        raise inv.usage_error(f"USAGE: {verb} NODE [flags]")
    return inv.lookup(resolve("nodes"), inv.args[0])


def _set_unschedulable(inv: Invocation, node: Obj, value: bool) -> None:
    name = node["metadata"]["name"]
    current = bool((node.get("spec") or {}).get("unschedulable"))
    word = "cordoned" if value else "uncordoned"
    if current == value:
        inv.out.out(f"node/{name} already {word}")
        return
    inv.cluster.patch("Node", name, {"spec": {"unschedulable": True if value else None}}, "")
    inv.out.out(f"node/{name} {word}")


def run_cordon(inv: Invocation) -> None:
    """Run ``kubectl cordon NODE``."""
    _set_unschedulable(inv, _node(inv, "cordon"), True)


def run_uncordon(inv: Invocation) -> None:
    """Run ``kubectl uncordon NODE``."""
    _set_unschedulable(inv, _node(inv, "uncordon"), False)


def _controller(pod: Obj) -> Obj | None:
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return dict(ref)
    return None


def _refusals(inv: Invocation, pods: list[Obj]) -> tuple[list[str], list[str]]:
    """(errors, warnings) as kubectl's drain filters report them.

    The filters run in kubectl's order (DaemonSet, mirror, local storage, unreplicated) and a
    pod is reported by the first one that refuses or skips it.
    """
    daemons = [p for p in pods if (_controller(p) or {}).get("kind") == "DaemonSet"]
    rest = [p for p in pods if p not in daemons]
    bare = [p for p in rest if _controller(p) is None]
    local = [
        p for p in rest if any("emptyDir" in v for v in (p.get("spec") or {}).get("volumes") or [])
    ]
    errors: list[str] = []
    warnings: list[str] = []

    def names(group: list[Obj]) -> str:
        return ", ".join(
            f"{p['metadata'].get('namespace', 'default')}/{p['metadata']['name']}" for p in group
        )

    if daemons and not inv.flag("ignore-daemonsets"):
        errors.append(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
            f"{names(daemons)}"
        )
    elif daemons:
        warnings.append(f"ignoring DaemonSet-managed Pods: {names(daemons)}")
    if bare and not inv.flag("force"):
        errors.append(
            f"cannot delete Pods that declare no controller (use --force to override): {names(bare)}"
        )
    elif bare:
        warnings.append(f"deleting Pods that declare no controller: {names(bare)}")
    if local and not inv.flag("delete-emptydir-data"):
        errors.append(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): "
            f"{names(local)}"
        )
    return errors, warnings


def run_drain(inv: Invocation) -> None:
    """Run ``kubectl drain NODE``: cordon, then evict every pod and wait for them to go."""
    node = _node(inv, "drain")
    name = node["metadata"]["name"]
    _set_unschedulable(inv, node, True)
    pods = sorted(
        (
            p
            for p in inv.cluster.list("Pod", None)
            if (p.get("spec") or {}).get("nodeName") == name
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
        ),
        key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]),
    )
    # Mirror pods (static pods) are skipped silently: only their kubelet can remove them.
    pods = [p for p in pods if _MIRROR not in (p["metadata"].get("annotations") or {})]
    errors, warnings = _refusals(inv, pods)
    daemons = {
        p["metadata"]["uid"] for p in pods if (_controller(p) or {}).get("kind") == "DaemonSet"
    }
    pods = [p for p in pods if p["metadata"]["uid"] not in daemons]
    if errors:
        inv.out.fail(
            f'error: unable to drain node "{name}" due to error: {", ".join(errors)}, '
            "continuing command...\nThere are pending nodes to be drained:\n "
            f"{name}\n" + "\n".join(errors)
        )
        return
    if warnings:  # kubectl joins every filter's warning into one line
        inv.out.err(f"Warning: {'; '.join(warnings)}")
    grace = int(inv.flag("grace-period"))
    for pod in pods:
        meta = pod["metadata"]
        inv.out.out(f"evicting pod {meta.get('namespace', 'default')}/{meta['name']}")
        try:
            inv.cluster.delete(
                "Pod",
                meta["name"],
                meta.get("namespace", "default"),
                grace_period=None if grace < 0 else grace,
            )
        except ApiError as exc:
            inv.out.fail(
                f'error when evicting pods/"{meta["name"]}" -n "{meta.get("namespace")}": {exc.message}'
            )
    # kubectl waits until every evicted pod is gone; so does the simulated one (time passes).
    uids = {p["metadata"]["uid"] for p in pods}

    def gone(cluster: Any) -> bool:
        return not any(p["metadata"]["uid"] in uids for p in cluster.list("Pod", None))

    limit = float(inv.flag("timeout") or 600)
    if not inv.cluster.run_until(gone, limit):
        inv.out.fail(
            f'error: unable to drain node "{name}" due to error: global timeout reached: {limit:g}s'
        )
        return
    for pod in pods:
        inv.out.out(f"pod/{pod['metadata']['name']} evicted")
    inv.out.out(f"node/{name} drained")


_NODE_FLAGS: tuple[Flag, ...] = ()

CORDON = Command(
    name="cordon",
    summary="Mark node as unschedulable",
    usage="kubectl cordon NODE [options]",
    flags=_NODE_FLAGS,
    handler=run_cordon,
    examples='  # Mark node "foo" as unschedulable\n  kubectl cordon foo',
)
UNCORDON = Command(
    name="uncordon",
    summary="Mark node as schedulable",
    usage="kubectl uncordon NODE [options]",
    flags=_NODE_FLAGS,
    handler=run_uncordon,
    examples='  # Mark node "foo" as schedulable\n  kubectl uncordon foo',
)
DRAIN = Command(
    name="drain",
    summary="Drain node in preparation for maintenance",
    usage="kubectl drain NODE [options]",
    flags=(
        Flag(
            "force",
            kind="bool",
            default=False,
            help="Continue even if there are pods that do not declare a controller.",
        ),
        Flag(
            "ignore-daemonsets", kind="bool", default=False, help="Ignore DaemonSet-managed pods."
        ),
        Flag(
            "delete-emptydir-data",
            kind="bool",
            default=False,
            help="Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).",
        ),
        Flag(
            "grace-period",
            kind="int",
            default=-1,
            help="Period of time in seconds given to each pod to terminate gracefully.",
        ),
        Flag(
            "timeout",
            kind="duration",
            default=0.0,
            help="The length of time to wait before giving up (e.g. 60s), zero means infinite",
        ),
    ),
    handler=run_drain,
    examples='  # Drain node "foo", even if there are pods not managed by a controller\n  kubectl drain foo --force',
)
