"""``kubectl apply --prune``: delete what was applied before and is no longer in the files.

After the objects are applied, every object of an allow-listed type in the namespaces the
files touched (cluster-scoped types everywhere) that matches ``-l`` (or any, with ``--all``),
carries the last-applied annotation and was not just applied is deleted and reported as
``configmap/other pruned``. The types are kubectl's default allow-list, or ``--prune-allowlist``
``group/version/kind`` entries (``core`` for the core group).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.selectors import Selector
from k8stui.engine.apiserver.merge import LAST_APPLIED
from k8stui.engine.apiserver.resources import BY_KIND, Resource
from k8stui.engine.errors import ApiError
from k8stui.engine.store import object_key
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.printing import resource_name
from k8stui.kubectl.commands.writes import dry_run_note

Obj = dict[str, Any]

FLAGS = (
    Flag(
        "prune",
        kind="bool",
        default=False,
        help="Automatically delete resource objects, that do not appear in the configs and are "
        "created by either apply or create --save-config. Should be used with either -l or "
        "--all.",
    ),
    Flag(
        "prune-allowlist",
        kind="list",
        default=[],
        help="Overwrite the default allowlist with <group/version/kind> for --prune",
    ),
    Flag(
        "all",
        kind="bool",
        default=False,
        help="Select all resources in the namespace of the specified resource types.",
    ),
)
# kubectl's default prune allow-list, in its order (which is the order of the report).
DEFAULT_ALLOWLIST = (
    *("core/v1/ConfigMap", "core/v1/Endpoints", "core/v1/Namespace"),
    *("core/v1/PersistentVolumeClaim", "core/v1/PersistentVolume", "core/v1/Pod"),
    *("core/v1/ReplicationController", "core/v1/Secret", "core/v1/Service"),
    *("batch/v1/Job", "batch/v1/CronJob", "networking.k8s.io/v1/Ingress"),
    *("apps/v1/DaemonSet", "apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet"),
)


def check(inv: Invocation) -> None:
    """Refuse flag combinations kubectl refuses, before anything is applied."""
    if not inv.flag("prune"):
        return
    if inv.flag("all") and inv.flag("selector"):
        raise KubectlError("error: cannot set --all and --selector at the same time")
    if not inv.flag("all") and not inv.flag("selector"):
        raise KubectlError(
            "error: all resources selected for prune without explicitly passing --all. To "
            "prune all resources, pass the --all flag. If you did not mean to prune all "
            "resources, specify a label selector"
        )
    _resources(inv)


def _resources(inv: Invocation) -> list[Resource]:
    entries = inv.flag("prune-allowlist") or list(DEFAULT_ALLOWLIST)
    found: list[Resource] = []
    for entry in entries:
        parts = str(entry).split("/")
        if len(parts) != 3:
            raise KubectlError(
                f"error: invalid GroupVersionKind format: {entry}, please follow "
                "<group/version/kind>"
            )
        group, version, kind = parts
        res = BY_KIND.get(kind)
        # Types this simulator does not serve (Ingress) have nothing to prune.
        wanted_group = "" if group == "core" else group
        if res is None or (res.group, res.version) != (wanted_group, version):
            continue
        if res not in found:
            found.append(res)
    return found


def prune(inv: Invocation, applied: list[Obj], selector: Selector | None, dry_run: str) -> None:
    """Delete and report the objects ``--prune`` selects (after the apply)."""
    kept = {object_key(obj) for obj in applied}
    namespaces = sorted(
        {
            object_key(obj)[1]
            for obj in applied
            if BY_KIND.get(str(obj.get("kind"))) is not None and object_key(obj)[1]
        }
    )
    for res in _resources(inv):
        scopes: list[str | None] = list(namespaces) if res.namespaced else [None]
        for namespace in scopes:
            for obj in inv.cluster.list(res.kind, namespace):
                meta = obj.get("metadata") or {}
                if object_key(obj) in kept or LAST_APPLIED not in (meta.get("annotations") or {}):
                    continue
                if selector is not None and not selector.matches(meta.get("labels")):
                    continue
                _delete(inv, res, obj, dry_run)


def _delete(inv: Invocation, res: Resource, obj: Obj, dry_run: str) -> None:
    meta = obj.get("metadata") or {}
    if not dry_run:
        try:
            inv.cluster.delete(res.kind, str(meta.get("name")), str(meta.get("namespace") or ""))
        except ApiError as exc:
            inv.out.fail(exc.kubectl_text(None, "deleting"))
            return
    inv.out.out(f"{resource_name(obj)} pruned{dry_run_note(dry_run)}")
