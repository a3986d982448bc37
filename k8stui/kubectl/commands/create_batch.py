"""``kubectl create job`` (also ``--from=cronjob/NAME``) and ``kubectl create cronjob``."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import (
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
    exact_output,
    format_object,
    resource_name,
)
from k8stui.kubectl.commands.resources import UnknownResource, resolve
from k8stui.kubectl.commands.writes import dry_run_mode, report

Obj = dict[str, Any]


def _name_and_command(inv: Invocation) -> tuple[str, list[str]]:
    dash = inv.parsed.dash_at
    names = inv.args if dash < 0 else inv.args[:dash]
    if len(names) != 1:
        raise inv.usage_error(f"exactly one NAME is required, got {len(names)}")
    return names[0], ([] if dash < 0 else inv.args[dash:])


def _container(name: str, image: str, command: list[str]) -> Obj:
    container: Obj = {"image": image, "name": name, "resources": {}}
    return {"command": command, **container} if command else container


def _without_null_stamps(value: Any) -> Any:
    """What kubectl sends: the ``creationTimestamp: null`` entries only show in dry-run YAML."""
    if isinstance(value, dict):
        return {
            k: _without_null_stamps(v)
            for k, v in value.items()
            if not (k == "creationTimestamp" and v is None) and not (k == "status" and v == {})
        }
    if isinstance(value, list):
        return [_without_null_stamps(v) for v in value]
    return value


def _emit(inv: Invocation, obj: Obj) -> None:
    # kubectl wraps the server's error: "failed to create job: ...", "... cronjob: ...".
    failure = f"failed to create {str(obj['kind']).lower()}: "
    dry_run = dry_run_mode(inv)
    if inv.namespace != "default" or inv.given("namespace"):
        obj["metadata"]["namespace"] = inv.namespace
    fmt = inv.flag("output")
    if dry_run == "server":
        sent = _without_null_stamps(obj)
        report(
            inv,
            lambda: inv.cluster.create(sent, dry_run=True),
            op="created",
            typed=True,
            dry_run="server",
            failure=failure,
        )
    elif dry_run and fmt:
        inv.out.out(format_object(obj, fmt, typed=True), newline=not exact_output(fmt))
    elif dry_run:
        inv.out.out(f"{resource_name(obj)} created (dry run)")
    else:
        sent = _without_null_stamps(obj)
        report(inv, lambda: inv.cluster.create(sent), op="created", typed=True, failure=failure)


def _job_from_cron_job(inv: Invocation, name: str, source: str) -> Obj:
    kind_word, _, target = source.partition("/")
    try:
        res = resolve(kind_word)
    except UnknownResource as exc:
        raise KubectlError(f"error: {exc}") from exc
    if res.kind != "CronJob" or not target:
        raise KubectlError(f"error: from must be an existing cronjob: {source}")
    cron_job = inv.lookup(res, target)
    template = (cron_job.get("spec") or {}).get("jobTemplate") or {}
    tmeta = template.get("metadata") or {}
    annotations = {
        "cronjob.kubernetes.io/instantiate": "manual",
        **(tmeta.get("annotations") or {}),
    }
    meta: Obj = {"annotations": annotations, "creationTimestamp": None}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    meta["name"] = name
    meta["ownerReferences"] = [
        {
            "apiVersion": "batch/v1",
            "controller": True,
            "kind": "CronJob",
            "name": cron_job["metadata"]["name"],
            "uid": cron_job["metadata"]["uid"],
        }
    ]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": dict(template.get("spec") or {}),
        "status": {},
    }


def run_job(inv: Invocation) -> None:
    """``kubectl create job NAME --image=IMAGE [-- COMMAND]`` or ``--from=cronjob/NAME``."""
    name, command = _name_and_command(inv)
    image, source = inv.flag("image"), inv.flag("from")
    if bool(image) == bool(source):
        raise KubectlError("error: either --image or --from must be specified")
    if command and source:
        raise KubectlError("error: cannot specify --from and command")
    if source:
        obj = _job_from_cron_job(inv, name, source)
    else:
        obj = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"creationTimestamp": None, "name": name},
            "spec": {
                "template": {
                    "metadata": {"creationTimestamp": None},
                    "spec": {
                        "containers": [_container(name, image, command)],
                        "restartPolicy": "Never",
                    },
                }
            },
            "status": {},
        }
    _emit(inv, obj)


def run_cron_job(inv: Invocation) -> None:
    """``kubectl create cronjob NAME --image=IMAGE --schedule='*/1 * * * *' [-- COMMAND]``."""
    name, command = _name_and_command(inv)
    image, schedule = inv.flag("image"), inv.flag("schedule")
    if not image:
        raise KubectlError('error: required flag(s) "image" not set')
    if not schedule:
        raise KubectlError('error: required flag(s) "schedule" not set')
    restart = inv.flag("restart") or "OnFailure"
    if restart not in ("OnFailure", "Never"):
        raise KubectlError(f"error: invalid restart policy: {restart}")
    obj: Obj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"creationTimestamp": None, "name": name},
        "spec": {
            "jobTemplate": {
                "metadata": {"creationTimestamp": None, "name": name},
                "spec": {
                    "template": {
                        "metadata": {"creationTimestamp": None},
                        "spec": {
                            "containers": [_container(name, image, command)],
                            "restartPolicy": restart,
                        },
                    }
                },
            },
            "schedule": schedule,
        },
        "status": {},
    }
    _emit(inv, obj)


_WRITE_FLAGS = (OUTPUT_FLAG, DRY_RUN_FLAG)

JOB_COMMAND = Command(
    name="job",
    summary="Create a job with the specified name",
    usage="kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]",
    flags=(
        *_WRITE_FLAGS,
        Flag("image", default="", help="Image name to run."),
        Flag(
            "from",
            default="",
            help="The name of the resource to create a Job from (only cronjob is supported).",
        ),
    ),
    handler=run_job,
    examples="""  # Create a job
  kubectl create job my-job --image=busybox

  # Create a job with a command
  kubectl create job my-job --image=busybox -- date

  # Create a job from a cron job named "a-cronjob"
  kubectl create job test-job --from=cronjob/a-cronjob""",
)

CRON_JOB_COMMAND = Command(
    name="cronjob",
    summary="Create a cron job with the specified name",
    usage="kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
    flags=(
        *_WRITE_FLAGS,
        Flag("image", default="", help="Image name to run."),
        Flag(
            "schedule", default="", help="A schedule in the Cron format the job should be run with."
        ),
        Flag(
            "restart",
            default="",
            help="job's restart policy. supported values: OnFailure, Never",
        ),
    ),
    handler=run_cron_job,
    aliases=("cj",),
    examples="""  # Create a cron job
  kubectl create cronjob my-job --image=busybox --schedule="*/1 * * * *"

  # Create a cron job with a command
  kubectl create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date""",
)
