"""``kubectl apply -f``: create what is new, three-way merge what exists."""

from __future__ import annotations

from functools import partial
from typing import Any

from k8stui.engine.apiserver.merge import LAST_APPLIED, last_applied_json
from k8stui.engine.apiserver.resources import Resource
from k8stui.kubectl.commands import (
    apply_prune,
    apply_server_side,
    apply_validation,
    kustomize_cmd,
)
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    Sourced,
    read_objects,
    resource_of,
)
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG
from k8stui.kubectl.commands.targets import label_selector
from k8stui.kubectl.commands.writes import dry_run_mode, print_unsent, report

Obj = dict[str, Any]

FLAGS = (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag(
        "validate",
        default="strict",
        no_value="strict",
        help='Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will '
        "use a schema to validate the input and fail the request if invalid.",
    ),
    Flag(
        "field-manager",
        default="kubectl-client-side-apply",
        help="Name of the manager used to track field ownership.",
    ),
    Flag(
        "selector",
        "l",
        help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l "
        "key1=value1,key2=value2). Matching objects must satisfy all of the specified label "
        "constraints.",
    ),
    *apply_server_side.FLAGS,
    *apply_prune.FLAGS,
    Flag(
        "kustomize",
        "k",
        help="Process a kustomization directory. This flag can't be used together with -f or -R.",
    ),
)


def _check_flags(inv: Invocation) -> None:
    """Refuse what kubectl refuses, and URLs (the simulated cluster is offline)."""
    apply_validation.mode(str(inv.flag("validate")))
    for path in inv.flag("filename"):
        if str(path).startswith(("http://", "https://")):
            raise KubectlError(
                f"error: cannot read {path}: the simulated cluster has no network; save the "
                "manifest to a file and use -f FILE"
            )


def run(inv: Invocation) -> None:
    """Run ``kubectl apply``."""
    mode = dry_run_mode(inv)
    if inv.args:
        raise inv.usage_error("Unexpected args: " + str(inv.args).replace("'", ""))
    _check_flags(inv)
    apply_server_side.check(inv, mode)
    apply_prune.check(inv)
    selector = label_selector(inv.flag("selector"))
    validate = apply_validation.mode(str(inv.flag("validate")))
    applied = []
    for item in _objects(inv):
        labels = (item.obj.get("metadata") or {}).get("labels")
        if selector is not None and not selector.matches(labels):
            continue  # -l applies only the objects it selects
        warnings = apply_validation.relax(item, validate)
        try:
            res = resource_of(item)
        except KubectlError as exc:  # report it and go on with the other objects
            inv.out.fail(exc.text)
            continue
        applied.append(item.obj)
        if inv.flag("server-side"):
            apply_server_side.apply(inv, item, res, mode)
        else:
            _client_side(inv, item, res, mode)
        for warning in warnings:
            inv.out.err(f"Warning: {warning}")
    if selector is not None and not applied and inv.out.code == 0:
        raise KubectlError("error: no objects passed to apply")
    if inv.flag("prune"):
        apply_prune.prune(inv, applied, selector, mode)


def _objects(inv: Invocation) -> list[Sourced]:
    folder = inv.flag("kustomize")
    if not folder:
        return read_objects(inv, "apply")
    if inv.flag("filename"):
        raise KubectlError("error: only one of -f or -k can be specified")
    return kustomize_cmd.objects(inv, str(folder))


def _client_side(inv: Invocation, item: Sourced, res: Resource, mode: str) -> None:
    """Create, or three-way merge into the live object (``--dry-run=client``: print it)."""
    ns = str((item.obj.get("metadata") or {}).get("namespace") or "")
    live = inv.cluster.get(res.kind, item.name, ns)
    exists = live is not None
    annotations = ((live or {}).get("metadata") or {}).get("annotations") or {}
    if mode == "client":
        # kubectl sends nothing: a new object is shown with the annotation it would get,
        # an existing one as the server has it.
        print_unsent(inv, live or _annotated(item.obj), "configured" if live else "created")
        return
    if exists and LAST_APPLIED not in annotations:
        inv.out.err(
            f"Warning: resource {res.plural}/{item.name} is missing the {LAST_APPLIED} "
            "annotation which is required by kubectl apply. kubectl apply should only be "
            "used on resources created declaratively by either kubectl create --save-config "
            "or kubectl apply. The missing annotation will be patched automatically."
        )
    report(
        inv,
        partial(inv.cluster.apply, item.obj, dry_run=bool(mode)),
        source=item.source,
        verb="patching" if exists else "creating",
        dry_run=mode,
    )


def _annotated(obj: Obj) -> Obj:
    """``obj`` with the last-applied-configuration annotation kubectl apply adds."""
    meta = dict(obj.get("metadata") or {})
    meta["annotations"] = {**(meta.get("annotations") or {}), LAST_APPLIED: last_applied_json(obj)}
    return {**obj, "metadata": meta}


COMMAND = Command(
    name="apply",
    summary="Apply a configuration to a resource by file name or stdin",
    usage="kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # Apply the configuration in pod.yaml to a pod
  kubectl apply -f ./pod.yaml

  # Apply every manifest in a directory
  kubectl apply -f ./manifests/

  # Apply the manifest typed on the following lines (end it with a line EOF)
  kubectl apply -f -""",
)
