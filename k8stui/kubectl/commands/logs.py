"""``kubectl logs``: a container's output, current or ``--previous``, of one pod or by ``-l``.

Lines are read as the kubelet reads them (``engine.kubelet.log_reader``): ``--tail`` then
``--since``/``--since-time``, ``--timestamps`` in the kubelet's format, ``--limit-bytes``.
``-f`` prints what the container has written so far and returns: the console cannot stream
while simulated time waits for the next command (the API's ``follow`` does stream).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from k8stui.engine.clock import SIM_EPOCH
from k8stui.engine.kubelet.log_reader import LogQuery, render, select
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.pods import (
    check_target,
    container_status,
    find_pod,
    pick_container,
)
from k8stui.kubectl.commands.targets import label_selector

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
        help="Lines of recent log file to display. Defaults to -1 with no selector, showing all "
        "log lines otherwise 10, if a selector is provided.",
    ),
    Flag(
        "follow",
        "f",
        "bool",
        False,
        "Specify if the logs should be streamed. (The console prints what is there and returns.)",
    ),
    Flag(
        "all-containers", kind="bool", default=False, help="Get all containers' logs in the pod(s)."
    ),
    Flag("timestamps", kind="bool", default=False, help="Include timestamps on each line."),
    Flag(
        "since",
        kind="duration",
        default=0.0,
        help="Only return logs newer than a relative duration like 5s, 2m, or 3h.",
    ),
    Flag(
        "since-time",
        help="Only return logs after a specific date (RFC3339). Only one of since-time / since "
        "may be used.",
    ),
    Flag("limit-bytes", kind="int", default=0, help="Maximum bytes of logs to return."),
    Flag(
        "prefix",
        kind="bool",
        default=False,
        help="Prefix each log line with the log source (pod name and container name)",
    ),
    Flag("selector", "l", help="Selector (label query) to filter on."),
    Flag(
        "max-log-requests",
        kind="int",
        default=5,
        help="Specify maximum number of concurrent logs to follow when using by a selector.",
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


def _print(inv: Invocation, pod: Obj, name: str, query: LogQuery) -> None:
    pod_name = pod["metadata"]["name"]
    previous = bool(inv.flag("previous"))
    lines = inv.cluster.kubelets.timed_logs(pod, name, previous=previous)
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
    data = render(select(lines, query), query.timestamps)
    if query.limit_bytes is not None:
        data = data[: query.limit_bytes]
    text = data.decode(errors="replace")
    if inv.flag("prefix"):
        # kubectl prefixes each line it reads (a cut last line too) with its source.
        tag = f"[pod/{pod_name}/{name}] "
        text = "".join(tag + line for line in text.splitlines(keepends=True))
    inv.out.out(text, newline=False)


def _query(inv: Invocation, selected: bool) -> LogQuery:
    tail = int(inv.flag("tail"))
    if tail < -1:
        raise KubectlError("error: --tail must be greater than or equal to -1")
    if tail == -1 and selected:
        tail = 10  # kubectl's default for a selector
    limit = int(inv.flag("limit-bytes"))
    if limit < 0:
        raise KubectlError("error: --limit-bytes must be greater than 0")
    since_s = float(inv.flag("since"))
    since_time = str(inv.flag("since-time") or "")
    if since_s and since_time:
        raise KubectlError("error: at most one of `sinceTime` or `sinceSeconds` may be specified")
    since_ms = None
    if since_s:
        # kubectl sends whole seconds, rounded (a Go time.Duration rounded to the second).
        seconds = max(1, math.floor(since_s + 0.5))
        since_ms = inv.cluster.now_ms - seconds * 1000
    elif since_time:
        since_ms = _parse_since_time(since_time)
    return LogQuery(
        tail=tail if tail >= 0 else None,
        since_ms=since_ms,
        timestamps=bool(inv.flag("timestamps")),
        limit_bytes=limit or None,
    )


def _parse_since_time(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None or "T" not in text:
            raise ValueError(text)
    except ValueError:
        raise KubectlError(
            f'error: parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse '
            f'"{text}" as "2006"'
        ) from None
    # The API sends whole seconds (metav1.Time in a query).
    return int((moment - SIM_EPOCH).total_seconds()) * 1000


def _containers(inv: Invocation, pod: Obj, inline: str) -> list[str]:
    if inv.flag("all-containers"):
        spec = pod["spec"]
        every = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
        return [str(c["name"]) for c in every]
    if inline:
        names = [c["name"] for c in pod["spec"]["containers"]]
        names += [c["name"] for c in pod["spec"].get("initContainers") or []]
        if inline not in names:
            raise KubectlError(
                f"error: container {inline} is not valid for pod {pod['metadata']['name']}"
            )
        return [inline]
    return [str(pick_container(inv, pod)["name"])]


def _find(inv: Invocation, word: str, inline: str) -> Obj:
    try:
        # kubectl has the object before it checks --all-containers, and only then a pod.
        check_target(inv, word)
        _check_all_containers(inv, inline)
        return find_pod(inv, word, for_logs=True)
    except KubectlError as exc:
        # kubectl logs wraps the lookup error: lower-case "error from server", namespace added.
        prefix = "Error from server (NotFound): "
        if exc.text.startswith(prefix) and exc.text.endswith(" not found"):
            detail = exc.text[len(prefix) :]
            raise KubectlError(
                f'error: error from server (NotFound): {detail} in namespace "{inv.namespace}"'
            ) from None
        raise


def _check_all_containers(inv: Invocation, inline: str) -> None:
    # kubectl checks this once it has the pods (after "not found" or "No resources found").
    named = inline or inv.flag("container")
    if named and inv.flag("all-containers"):
        raise KubectlError(
            f"error: --all-containers=true should not be specified with container name {named}"
        )


def run(inv: Invocation) -> None:
    """Run ``kubectl logs``."""
    selector_text = str(inv.flag("selector") or "")
    if selector_text and inv.args:
        raise KubectlError(
            "error: only a selector (-l) or a POD name is allowed\n"
            "See 'kubectl logs -h' for help and examples"
        )
    if not selector_text and len(inv.args) not in (1, 2):
        raise KubectlError(_USAGE)
    inline = inv.args[1] if len(inv.args) == 2 else ""
    if inline and inv.flag("container"):
        raise KubectlError("error: only one of -c or an inline [CONTAINER] arg is allowed")
    query = _query(inv, bool(selector_text))
    if not selector_text:
        pod = _find(inv, inv.args[0], inline)
        for name in _containers(inv, pod, inline):
            _print(inv, pod, name, query)
        return
    selector = label_selector(selector_text)
    pods = sorted(
        (
            p
            for p in inv.cluster.list("Pod", inv.namespace)
            if selector is not None and selector.matches(p["metadata"].get("labels"))
        ),
        key=lambda p: p["metadata"]["name"],
    )
    if not pods:
        inv.out.err(f"No resources found in {inv.namespace} namespace.")
    _check_all_containers(inv, inline)
    if not pods:
        return
    # The real kubectl reads the pods in no fixed order (a Go map); ours go by name.
    streams = [(pod, name) for pod in pods for name in _containers(inv, pod, "")]
    limit = int(inv.flag("max-log-requests"))
    if inv.flag("follow") and len(streams) > 1 and len(streams) > limit:
        raise KubectlError(
            f"error: you are attempting to follow {len(streams)} log streams, but maximum "
            f"allowed concurrency is {limit}, use --max-log-requests to increase the limit"
        )
    for pod, name in streams:
        _print(inv, pod, name, query)


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
