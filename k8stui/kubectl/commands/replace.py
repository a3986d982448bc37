"""``kubectl replace -f``: put the whole object back (``--force``: delete it, then create it)."""

from __future__ import annotations

from functools import partial

from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import FILENAME_FLAG, read_objects, resource_of
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG
from k8stui.kubectl.commands.writes import dry_run_mode, print_unsent, report

FLAGS = (
    FILENAME_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag(
        "force",
        kind="bool",
        default=False,
        help="If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.",
    ),
    Flag(
        "grace-period",
        kind="int",
        default=-1,
        help="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative.",
    ),
)


def run(inv: Invocation) -> None:
    """Run ``kubectl replace``."""
    mode = dry_run_mode(inv)
    dry_run = bool(mode)
    if inv.args:
        raise inv.usage_error("Unexpected args: " + str(inv.args).replace("'", ""))
    force = bool(inv.flag("force"))
    for item in read_objects(inv, "replace"):
        try:
            res = resource_of(item)
        except KubectlError as exc:
            inv.out.fail(exc.text)
            continue
        namespace = str((item.obj.get("metadata") or {}).get("namespace") or "")
        if mode == "client":  # kubectl prints the file's object and sends nothing
            print_unsent(inv, item.obj, "replaced")
            continue
        if force and not dry_run:
            try:
                inv.cluster.delete(res.kind, item.name, namespace, grace_period=0, force=True)
            except ApiError as exc:
                if exc.reason != "NotFound":
                    inv.out.fail(exc.kubectl_text(item.source, "deleting"))
                    continue
            else:
                inv.out.out(f'{res.singular_qualified.split(".")[0]} "{item.name}" deleted')
            report(inv, partial(inv.cluster.create, item.obj), source=item.source, op="replaced")
            continue
        report(
            inv,
            partial(inv.cluster.replace, item.obj, dry_run=dry_run),
            source=item.source,
            verb="replacing",
            dry_run=mode,
            op="replaced",
        )


COMMAND = Command(
    name="replace",
    summary="Replace a resource by file name or stdin",
    usage="kubectl replace -f FILENAME [options]",
    flags=FLAGS,
    handler=run,
    long_help="Replace a resource by file name or stdin.\n\n JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided.",
    examples="""  # Replace a pod using the data in pod.json
  kubectl replace -f ./pod.json

  # Force replace, delete and then re-create the resource
  kubectl replace --force -f ./pod.json""",
)
