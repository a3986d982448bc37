"""``kubectl logs``: a container's output, current or ``--previous``."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.pods import container_status, find_pod, pick_container

FLAGS = (
    Flag("container", "c", help="Print the logs of this container"),
    Flag(
        "previous",
        "p",
        "bool",
        False,
        "If true, print the logs for the previous instance of the container in a pod if it exists.",
    ),
    Flag(
        "tail",
        kind="int",
        default=-1,
        help="Lines of recent log file to display. Defaults to -1 (all lines).",
    ),
    Flag("follow", "f", "bool", False, "Accepted; the simulator prints what is there and returns."),
    Flag(
        "all-containers", kind="bool", default=False, help="Get all containers' logs in the pod(s)."
    ),
    Flag(
        "timestamps", kind="bool", default=False, help="Not simulated; accepted for compatibility."
    ),
)

_USAGE = """error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.
POD or TYPE/NAME is a required argument for the logs command
See 'kubectl logs -h' for help and examples"""


Obj = dict[str, Any]


def _waiting_reason(status: Obj) -> str:
    waiting = (status.get("state") or {}).get("waiting")
    reason = str((waiting or {}).get("reason") or "ContainerCreating")
    if reason in ("ErrImagePull", "ImagePullBackOff"):
        return "trying and failing to pull image"
    return reason


def _print(inv: Invocation, pod: Obj, name: str) -> None:
    pod_name = pod["metadata"]["name"]
    previous = bool(inv.flag("previous"))
    lines = inv.cluster.kubelets.logs(pod, name, previous=previous)
    if lines is None:
        if previous:
            raise KubectlError(
                f'Error from server (BadRequest): previous terminated container "{name}" in pod '
                f'"{pod_name}" not found'
            )
        reason = _waiting_reason(container_status(pod, name))
        raise KubectlError(
            f'Error from server (BadRequest): container "{name}" in pod "{pod_name}" is waiting '
            f"to start: {reason}"
        )
    tail = int(inv.flag("tail"))
    if tail >= 0:
        lines = lines[len(lines) - tail :] if tail else []
    inv.out.out("".join(line + "\n" for line in lines))


def run(inv: Invocation) -> None:
    """Run ``kubectl logs``."""
    if len(inv.args) != 1:
        raise KubectlError(_USAGE)
    try:
        pod = find_pod(inv, inv.args[0])
    except KubectlError as exc:
        # kubectl logs wraps the lookup error: lower-case "error from server", namespace added.
        prefix = "Error from server (NotFound): "
        if exc.text.startswith(prefix) and exc.text.endswith(" not found"):
            detail = exc.text[len(prefix) :]
            raise KubectlError(
                f'error: error from server (NotFound): {detail} in namespace "{inv.namespace}"'
            ) from None
        raise
    if inv.flag("all-containers"):
        for container in pod["spec"]["containers"]:
            _print(inv, pod, container["name"])
        return
    _print(inv, pod, pick_container(inv, pod)["name"])


COMMAND = Command(
    name="logs",
    summary="Print the logs for a container in a pod",
    usage="kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # Return snapshot logs from pod nginx with only one container
  kubectl logs nginx

  # Return snapshot of previous terminated ruby container logs from pod web-1
  kubectl logs -p -c ruby web-1

  # Display only the most recent 20 lines of output in pod nginx
  kubectl logs --tail=20 nginx

  # Return snapshot logs from first container of a deployment named nginx
  kubectl logs deployment/nginx""",
)
