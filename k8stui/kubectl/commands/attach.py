"""``kubectl attach POD [-c C] [-i -t]``: a running container's output from now on.

Like the real one, it shows only what the container writes after attaching, until the
container ends. The output comes as simulated time passes (an :class:`AttachStream`, polled
by the console like ``get -w``); a script lets up to five simulated minutes pass for it.
``-t`` on a container without ``tty: true`` gets kubectl's warning. There is nothing to type
into: the simulated images end a bare shell at once, ``stdin: true`` or not (an interactive
shell is ``kubectl exec -it POD -- sh``).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.cluster import Cluster
from k8stui.engine.kubelet.status import RUNNING
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.attachable import attachable_pod
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.run_attach import RUN_LIMIT_S

Obj = dict[str, Any]
Chunk = tuple[int, str]
PROMPT_HINT = "If you don't see a command prompt, try pressing enter."


class AttachStream:
    """The output one container writes from the moment of attaching until it ends."""

    def __init__(self, cluster: Cluster, pod: Obj, container: str) -> None:
        self.cluster = cluster
        meta = pod["metadata"]
        self._name = str(meta["name"])
        self._namespace = str(meta.get("namespace") or "default")
        self._uid = meta.get("uid")
        self._container = container
        self._restarts = self._restart_count(pod)
        self._seen = len(cluster.kubelets.timed_logs(pod, container) or [])
        self._finished = False
        self.deadline_ms: int | None = cluster.now_ms + RUN_LIMIT_S * 1000

    @property
    def finished(self) -> bool:
        """Whether the container (or the pod) has ended."""
        return self._finished

    def stop(self) -> None:
        """Detach (Ctrl+C)."""
        self._finished = True

    def poll(self) -> list[Chunk]:
        """Lines written since the last poll; the stream ends with the container's run."""
        if self._finished:
            return []
        pod = self.cluster.get("Pod", self._name, self._namespace)
        if pod is None or pod["metadata"].get("uid") != self._uid:
            self._finished = True
            return []
        restarted = self._restart_count(pod) != self._restarts
        lines = self.cluster.kubelets.timed_logs(pod, self._container, previous=restarted) or []
        fresh = lines[self._seen :]
        self._seen = len(lines)
        prt = self.cluster.kubelets.pod_runtime(pod) or {}
        crt = prt.get("containers", {}).get(self._container) or {}
        if restarted or crt.get("stage") != RUNNING:
            self._finished = True
        return [(1, text + "\n") for _, text in fresh]

    def _restart_count(self, pod: Obj) -> int:
        for status in (pod.get("status") or {}).get("containerStatuses") or []:
            if status.get("name") == self._container:
                return int(status.get("restartCount") or 0)
        return 0


def _container(pod: Obj, wanted: str) -> Obj:
    containers = (pod.get("spec") or {}).get("containers") or []
    if not wanted:
        return dict(containers[0])
    for container in containers:
        if container.get("name") == wanted:
            return dict(container)
    raise KubectlError(
        f"error: cannot attach to the container: container {wanted} not found in pod "
        f"{pod['metadata']['name']}"
    )


def run(inv: Invocation) -> None:
    """Run ``kubectl attach``."""
    if not inv.args:
        raise KubectlError("error: at least 1 argument is required for attach")
    word = "/".join(inv.args[:2]) if len(inv.args) > 1 else inv.args[0]
    _, pod = attachable_pod(inv, word)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(
            f"error: cannot attach a container in a completed pod; current phase is {phase}"
        )
    container = _container(pod, str(inv.flag("container") or ""))
    name = str(container["name"])
    prt = inv.cluster.kubelets.pod_runtime(pod) or {}
    crt = prt.get("containers", {}).get(name) or {}
    if inv.flag("tty") and not container.get("tty"):
        inv.out.err(f"error: Unable to use a TTY - container {name} did not allocate one")
    if not inv.flag("quiet"):
        inv.out.err(PROMPT_HINT)
    if crt.get("stage") != RUNNING:
        raise KubectlError(f'error: unable to upgrade connection: container not found ("{name}")')
    inv.out.stream = AttachStream(inv.cluster, pod, name)


COMMAND = Command(
    name="attach",
    summary="Attach to a running container",
    usage="kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]",
    flags=(
        Flag(
            "container",
            "c",
            help="Container name. If omitted, use the kubectl.kubernetes.io/default-container "
            "annotation or the first container in the pod.",
        ),
        Flag("stdin", "i", "bool", False, "Pass stdin to the container"),
        Flag("tty", "t", "bool", False, "Stdin is a TTY"),
        Flag("quiet", "q", "bool", False, "Only print output from the remote session"),
        Flag(
            "pod-running-timeout",
            kind="duration",
            default=60.0,
            help="The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at "
            "least one pod is running",
        ),
    ),
    handler=run,
    long_help="Attach to a process that is already running inside an existing container.\n\n"
    " The console shows what the container writes as simulated time passes.",
    examples="""  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation
  # for selecting the container to be attached or the first container in the pod will be chosen
  kubectl attach mypod

  # Get output from ruby-container from pod mypod
  kubectl attach mypod -c ruby-container

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  kubectl attach mypod -c ruby-container -i -t""",
)
