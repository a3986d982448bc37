"""``kubectl apply --server-side``: field ownership through the engine's server-side apply.

The object goes through ``k8stui.engine.apiserver.server_side_apply`` exactly as an
``application/apply-patch+yaml`` PATCH to the HTTP API does; a conflict prints the API's
message followed by kubectl's advice. Like the real kubectl (since 1.26) the applier first
takes over the fields its own client-side apply managed, so moving an object from
``kubectl apply`` to ``kubectl apply --server-side`` causes no conflict with oneself.

Objects the built-in kubectl wrote without a field manager (it records none) get one from
what is known: ``kubectl-client-side-apply`` when they carry the last-applied annotation,
else the API server's ``before-first-apply``.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver import server_side_apply
from k8stui.engine.apiserver.merge import LAST_APPLIED, last_applied_json
from k8stui.engine.apiserver.resources import Resource
from k8stui.engine.apiserver.server import WriteResult
from k8stui.engine.clock import to_timestamp
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.filenames import Sourced
from k8stui.kubectl.commands.writes import report

Obj = dict[str, Any]

FLAGS = (
    Flag(
        "server-side",
        kind="bool",
        default=False,
        help="If true, apply runs in the server instead of the client.",
    ),
    Flag(
        "force-conflicts",
        kind="bool",
        default=False,
        help="If true, server-side apply will force the changes against conflicts.",
    ),
)
CLIENT_SIDE_MANAGER = "kubectl-client-side-apply"
SERVER_SIDE_MANAGER = "kubectl"
CONFLICT_ADVICE = """Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"""


def check(inv: Invocation, dry_run_mode: str) -> None:
    """kubectl's refusals of flag combinations, before anything is sent."""
    if not inv.flag("server-side"):
        if inv.flag("force-conflicts"):
            raise KubectlError("error: --force-conflicts only works with --server-side")
        return
    if dry_run_mode == "client":
        raise KubectlError(
            "error: --dry-run=client doesn't work with --server-side (did you mean "
            "--dry-run=server instead?)"
        )


def manager(inv: Invocation) -> str:
    """The field manager: ``--field-manager``, else ``kubectl`` for server-side apply."""
    return str(inv.flag("field-manager")) if inv.given("field-manager") else SERVER_SIDE_MANAGER


def _owned(live: Obj, kind: str, applier: str) -> Obj:
    """``live`` with managers as the applier sees them (see the module's notes)."""
    meta = live.get("metadata") or {}
    entries = meta.get("managedFields")
    if not entries:
        annotations = meta.get("annotations") or {}
        creator = CLIENT_SIDE_MANAGER if LAST_APPLIED in annotations else "before-first-apply"
        entries = server_side_apply.record_update(None, live, kind, creator)
    upgraded: list[Obj] = []
    taken: Obj | None = None
    for entry in entries:
        if entry.get("manager") == CLIENT_SIDE_MANAGER and entry.get("operation") == "Update":
            taken = entry
            continue
        upgraded.append(entry)
    if taken is not None:
        mine = next(
            (e for e in upgraded if e.get("manager") == applier and e.get("operation") == "Apply"),
            None,
        )
        paths = server_side_apply.from_fields_v1(taken.get("fieldsV1") or {})
        if mine is not None:
            paths |= server_side_apply.from_fields_v1(mine.get("fieldsV1") or {})
            upgraded.remove(mine)
        entry = {**taken, "manager": applier, "operation": "Apply"}
        entry["fieldsV1"] = server_side_apply.to_fields_v1(paths)
        upgraded.append(entry)
    return {**live, "metadata": {**meta, "managedFields": upgraded}}


def apply(inv: Invocation, item: Sourced, res: Resource, dry_run: str) -> Obj | None:
    """Apply one object server-side and report it (``serverside-applied``)."""
    meta = item.obj.get("metadata") or {}
    namespace = str(meta.get("namespace") or "") if res.namespaced else ""
    live = inv.cluster.get(res.kind, item.name, namespace)
    applier = manager(inv)
    try:
        wanted = server_side_apply.apply(
            None if live is None else _owned(live, res.kind, applier),
            item.obj,
            kind=res.kind,
            manager=applier,
            force=bool(inv.flag("force-conflicts")),
            time=to_timestamp(inv.cluster.now_ms),
        )
    except server_side_apply.ApplyConflict as exc:
        inv.out.fail(f"error: {exc.message}\n{CONFLICT_ADVICE}")
        return None
    except ApiError as exc:
        inv.out.fail(exc.kubectl_text(item.source, "patching"))
        return None

    annotations = ((live or {}).get("metadata") or {}).get("annotations") or {}
    if LAST_APPLIED in annotations:
        # The API server keeps an existing last-applied annotation in step with what was
        # applied, so a later client-side apply still sees the right configuration.
        wanted["metadata"].setdefault("annotations", {})[LAST_APPLIED] = last_applied_json(item.obj)

    def write() -> WriteResult:
        if live is None:
            return inv.cluster.create(wanted, dry_run=bool(dry_run))
        return inv.cluster.replace(wanted, dry_run=bool(dry_run))

    return report(
        inv, write, source=item.source, verb="patching", dry_run=dry_run, op="serverside-applied"
    )
