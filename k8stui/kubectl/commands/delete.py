"""``kubectl delete``: by name, by file, by selector or ``--all``."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.resources import Resource
from k8stui.engine.errors import ApiError, not_found
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    read_objects,
    resource_of,
)
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG
from k8stui.kubectl.commands.targets import label_selector, parse_targets, select
from k8stui.kubectl.commands.writes import dry_run_mode, dry_run_note

Obj = dict[str, Any]

_NOTHING = """error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'"""
_FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has "
    "been terminated. The resource may continue to run on the cluster indefinitely."
)

FLAGS = (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag(
        "all",
        kind="bool",
        default=False,
        help="Delete all resources, in the namespace of the specified resource types.",
    ),
    Flag(
        "all-namespaces",
        "A",
        "bool",
        False,
        "If present, list the requested object(s) across all namespaces.",
    ),
    Flag(
        "grace-period",
        kind="int",
        default=-1,
        help="Period of time in seconds given to the resource to terminate gracefully.",
    ),
    Flag(
        "force",
        kind="bool",
        default=False,
        help="If true, immediately remove resources from API and bypass graceful deletion.",
    ),
    Flag(
        "now",
        kind="bool",
        default=False,
        help="If true, resources are signaled for immediate shutdown (same as --grace-period=1).",
    ),
    Flag(
        "wait",
        kind="bool",
        default=True,
        help="If true, wait for resources to be gone before returning. This waits for finalizers.",
    ),
    Flag(
        "ignore-not-found",
        kind="bool",
        default=False,
        help='Treat "resource not found" as a successful delete.',
    ),
    Flag(
        "cascade",
        default="background",
        no_value="background",
        help='Must be "background", "orphan", or "foreground".',
    ),
)


def _grace(inv: Invocation) -> tuple[int | None, bool]:
    grace = int(inv.flag("grace-period"))
    force = bool(inv.flag("force"))
    if inv.flag("now"):
        if grace >= 0:
            raise KubectlError("error: --now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        # kubectl turns --grace-period=0 into 1 unless --force says it means it.
        grace = 1
    if force and grace < 0:
        grace = 0
    return (None if grace < 0 else grace), force


Gone = tuple[str, str, str, str]
"""What ``--wait`` waits for: kind, namespace, name and the uid that was deleted."""


def _delete(
    inv: Invocation, res: Resource, obj: Obj, source: str | None = None, mode: str = ""
) -> Gone | None:
    meta = obj.get("metadata") or {}
    name = str(meta.get("name") or "")
    namespace = str(meta.get("namespace") or inv.namespace) if res.namespaced else ""
    grace, force = _grace(inv)
    cascade = str(inv.flag("cascade")).lower()
    propagation = {"orphan": "Orphan", "foreground": "Foreground"}.get(cascade, "Background")
    if mode == "server" and inv.cluster.get(res.kind, name, namespace) is None:
        if not inv.flag("ignore-not-found"):
            inv.out.fail(not_found(res.kind, name).kubectl_text(source, "deleting"))
        return None
    if mode:  # a client dry run asks the server nothing about a named object
        if inv.flag("output") == "name":
            inv.out.out(f"{res.singular_qualified}/{name}")
        else:
            word = "force deleted" if force and grace == 0 else "deleted"
            inv.out.out(f'{res.singular_qualified} "{name}" {word}{dry_run_note(mode)}')
        return None
    try:
        deleted = inv.cluster.delete(
            res.kind, name, namespace, grace_period=grace, force=force, propagation=propagation
        )
    except ApiError as exc:
        if exc.reason == "NotFound" and inv.flag("ignore-not-found"):
            return None
        inv.out.fail(exc.kubectl_text(source, "deleting"))
        return None
    if inv.flag("output") == "name":
        inv.out.out(f"{res.singular_qualified}/{name}")
    else:
        word = "force deleted" if force and grace == 0 else "deleted"
        inv.out.out(f'{res.singular_qualified} "{name}" {word}')
    uid = str(((deleted or {}).get("metadata") or {}).get("uid") or "")
    return res.kind, namespace, name, uid


def _wait(inv: Invocation, gone: list[Gone]) -> None:
    """``--wait`` (the default): the simulated clock runs until every object is gone.

    Gone means absent, or present under a new uid (a StatefulSet pod made again), as
    kubectl's wait decides. A real kubectl would wait for days on a pod its node will never
    stop; the simulated one gives up after the longest grace period plus a minute, silently,
    as if the player had pressed Ctrl-C.
    """
    if not gone or not inv.flag("wait"):
        return
    longest = 30  # the API's default grace period; a pod states its own below
    for kind, namespace, name, _uid in gone:
        live = inv.cluster.get(kind, name, namespace) or {}
        longest = max(
            longest, int((live.get("metadata") or {}).get("deletionGracePeriodSeconds") or 0)
        )

    def done(cluster: Any) -> bool:
        for kind, namespace, name, uid in gone:
            live = cluster.get(kind, name, namespace)
            if live is not None and (live.get("metadata") or {}).get("uid") == uid:
                return False
        return True

    inv.cluster.run_until(done, float(longest + 60))


def run(inv: Invocation) -> None:
    """Run ``kubectl delete``."""
    if inv.flag("cascade") not in ("background", "orphan", "foreground", "true", "false"):
        raise KubectlError(
            f'error: invalid cascade value ({inv.flag("cascade")}). Must be "background", '
            '"foreground", or "orphan".'
        )
    _, force = _grace(inv)
    mode = dry_run_mode(inv)
    if force:
        inv.out.err(_FORCE_WARNING)
    gone: list[Gone | None] = []
    if inv.flag("filename"):
        if inv.args:
            raise KubectlError(
                "error: when paths, URLs, or stdin is provided as input, you may not specify "
                "resource arguments as well"
            )
        for item in read_objects(inv, "delete"):
            try:
                gone.append(_delete(inv, resource_of(item), item.obj, item.source, mode))
            except KubectlError as exc:
                inv.out.fail(exc.text)
        _wait(inv, [g for g in gone if g])
        return
    if not inv.args:
        raise KubectlError(_NOTHING)
    targets = parse_targets(inv.args)
    selector_text = inv.flag("selector")
    everything = bool(inv.flag("all"))
    named = any(t.names is not None for t in targets)
    if selector_text and named:
        raise KubectlError("error: name cannot be provided when a selector is specified")
    if everything and named:
        raise KubectlError(
            "error: selectors and the all flag cannot be used when passing resource/name arguments"
        )
    if selector_text and everything:
        raise KubectlError("error: setting 'all' parameter but found a non empty selector. ")
    if not selector_text and not everything and any(t.names is None for t in targets):
        raise KubectlError("error: resource(s) were provided, but no name was specified")
    selector = label_selector(selector_text)
    all_ns = bool(inv.flag("all-namespaces"))
    deleted = 0
    for target in targets:
        if target.names is not None:
            for name in target.names:
                gone.append(_delete(inv, target.res, {"metadata": {"name": name}}, mode=mode))
            continue
        for obj in select(inv, target.res, all_namespaces=all_ns, selector=selector):
            gone.append(_delete(inv, target.res, obj, mode=mode))
            deleted += 1
    if deleted == 0 and all(t.names is None for t in targets):
        inv.out.out("No resources found")
    _wait(inv, [g for g in gone if g])


COMMAND = Command(
    name="delete",
    summary="Delete resources by file names, stdin, resources and names, or by resources and label selector",
    usage="kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # Delete a pod using the type and name specified in pod.json
  kubectl delete -f ./pod.json

  # Delete pods and services with same names "baz" and "foo"
  kubectl delete pod,service baz foo

  # Delete pods and services with label name=myLabel
  kubectl delete pods,services -l name=myLabel

  # Delete a pod with minimal delay
  kubectl delete pod foo --now

  # Force delete a pod on a dead node
  kubectl delete pod foo --force --grace-period=0""",
)
