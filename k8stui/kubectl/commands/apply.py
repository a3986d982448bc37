"""``kubectl apply -f``: create what is new, three-way merge what exists."""

from __future__ import annotations

from functools import partial

from k8stui.engine.apiserver.merge import LAST_APPLIED
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    read_objects,
    resource_of,
)
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG, check_dry_run
from k8stui.kubectl.commands.writes import report

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
)
_VALIDATE = ("strict", "true", "warn", "ignore", "false")


def _check_flags(inv: Invocation) -> None:
    """Refuse what the simulator cannot do (URLs, lenient validation) with one clear line."""
    validate = str(inv.flag("validate"))
    if validate not in _VALIDATE:
        raise KubectlError(
            f'error: invalid - validate option "{validate}"; must be one of: strict (or true), '
            "warn, ignore (or false)"
        )
    if validate not in ("strict", "true"):
        raise KubectlError(
            f'error: --validate={validate} of "kubectl apply" is not simulated by k8stui'
        )
    for path in inv.flag("filename"):
        if str(path).startswith(("http://", "https://")):
            raise KubectlError(
                f"error: cannot read {path}: the simulated cluster has no network; save the "
                "manifest to a file and use -f FILE"
            )


def run(inv: Invocation) -> None:
    """Run ``kubectl apply``."""
    dry_run, warning = check_dry_run(inv.flag("dry-run"))
    if warning:
        inv.out.err(f"Warning: {warning}")
    if inv.args:
        raise inv.usage_error("Unexpected args: " + str(inv.args).replace("'", ""))
    _check_flags(inv)
    for item in read_objects(inv, "apply"):
        try:
            res = resource_of(item)
        except KubectlError as exc:  # report it and go on with the other objects
            inv.out.fail(exc.text)
            continue
        ns = str((item.obj.get("metadata") or {}).get("namespace") or "")
        live = inv.cluster.get(res.kind, item.name, ns)
        exists = live is not None
        annotations = ((live or {}).get("metadata") or {}).get("annotations") or {}
        if exists and LAST_APPLIED not in annotations:
            inv.out.err(
                f"Warning: resource {res.plural}/{item.name} is missing the {LAST_APPLIED} "
                "annotation which is required by kubectl apply. kubectl apply should only be "
                "used on resources created declaratively by either kubectl create --save-config "
                "or kubectl apply. The missing annotation will be patched automatically."
            )
        report(
            inv,
            partial(inv.cluster.apply, item.obj, dry_run=dry_run),
            source=item.source,
            verb="patching" if exists else "creating",
            dry_run=dry_run,
        )


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
