"""``kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...``: a forward the console keeps running.

The real kubectl blocks while it forwards. The console cannot block, so the command prints
kubectl's ``Forwarding from`` lines and leaves a :class:`PortForward` as its output stream; the
console turns it into a background job (``jobs``, ``kill %N``) that ``curl localhost:LOCAL``
goes through. A Service or controller resolves to one pod when the command runs, as kubectl
does, and the forward ends (``error: lost connection to pod``) once that pod is gone.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.cluster import Cluster
from k8stui.engine.network.traffic import Response
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.attachable import attachable_pod
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.klog import klog_line

Obj = dict[str, Any]
Chunk = tuple[int, str]
LOCAL_ADDRESSES = ("localhost", "127.0.0.1")
FIRST_RANDOM_PORT = 41000
"""Where ``:REMOTE`` (a port of kubectl's choosing) starts: fixed, so runs are repeatable."""


class PortForward:
    """A running forward: local ports to one pod's ports, until the pod goes or it is killed."""

    deadline_ms: int | None = None

    def __init__(
        self,
        cluster: Cluster,
        pod: Obj,
        ports: list[tuple[int, int]],
        *,
        ipv6: bool = True,
        chosen: frozenset[int] = frozenset(),
    ) -> None:
        self.cluster = cluster
        meta = pod["metadata"]
        self.namespace = str(meta.get("namespace") or "default")
        self.pod = str(meta["name"])
        self.uid = meta.get("uid")
        self.ports = ports
        self._ipv6 = ipv6
        self._chosen = chosen  # indexes of the ports given as ":REMOTE"
        self.rebind(set())
        self.command = "kubectl port-forward"
        """The command line, as ``jobs`` lists it (the console sets it)."""
        self.exit_code = 0
        self._finished = False
        self._pending: list[Chunk] = []

    def banner(self) -> str:
        """kubectl's ``Forwarding from`` lines, one per address and port."""
        lines = []
        for local, remote in self.ports:
            lines.append(f"Forwarding from 127.0.0.1:{local} -> {remote}\n")
            if self._ipv6:
                lines.append(f"Forwarding from [::1]:{local} -> {remote}\n")
        return "".join(lines)

    def rebind(self, taken: set[int]) -> None:
        """Give the ports kubectl chooses (``:REMOTE``) the first free ones outside ``taken``."""
        used = taken | {p[0] for i, p in enumerate(self.ports) if i not in self._chosen}
        local = FIRST_RANDOM_PORT
        for index in sorted(self._chosen):
            while local in used:
                local += 1
            used.add(local)
            self.ports[index] = (local, self.ports[index][1])

    @property
    def finished(self) -> bool:
        """Whether the forward has ended (killed, or its pod is gone)."""
        return self._finished

    def poll(self) -> list[Chunk]:
        """What the forward printed since the last poll (it notices a lost pod here)."""
        if not self._finished and self._live_pod() is None:
            self._lose()
        return self.printed()

    def printed(self) -> list[Chunk]:
        """What the forward printed since last asked, without looking at the pod."""
        chunks, self._pending = self._pending, []
        return chunks

    def stop(self) -> None:
        """End the forward quietly (``kill %N``: kubectl says nothing on SIGTERM)."""
        self._finished = True

    def listens_on(self, port: int | None) -> bool:
        """Whether this forward listens on local ``port`` (curl's default port is 80)."""
        return not self._finished and any(local == (port or 80) for local, _ in self.ports)

    def connect(self, port: int | None, path: str) -> Response:
        """One connection to local ``port``: the pod's answer, or curl's error as it sees it."""
        remote = next(r for local, r in self.ports if local == (port or 80))
        pod = self._live_pod()
        if pod is None:
            self._lose()
            return _refused(port or 80)
        self._pending.append((1, f"Handling connection for {port or 80}\n"))
        ip = str((pod.get("status") or {}).get("podIP") or "")
        answer = self.cluster.request(ip, remote, path, namespace=self.namespace)
        if answer.ok:
            return answer
        # kubectl logs the kubelet's refusal, then gives up on the whole forward.
        detail = (
            f"an error occurred forwarding {port or 80} -> {remote}: error forwarding port "
            f"{remote} to pod {self.pod}, uid : failed to connect to localhost:{remote} inside "
            f"the pod: dial tcp4 127.0.0.1:{remote}: connect: connection refused"
        )
        line = klog_line("E", self.cluster.now_ms, "portforward.go:424", "")
        self._pending.append((2, f'{line}"Unhandled Error" err="{detail}"\n'))
        self._lose()
        return Response(ok=False, error="Empty reply from server", exit_code=52)

    def _live_pod(self) -> Obj | None:
        pod = self.cluster.get("Pod", self.pod, self.namespace)
        if pod is None or pod["metadata"].get("uid") != self.uid:
            return None
        return pod if (pod.get("status") or {}).get("phase") == "Running" else None

    def _lose(self) -> None:
        self._finished = True
        self.exit_code = 1
        self._pending.append((2, "error: lost connection to pod\n"))


def _refused(port: int) -> Response:
    return Response(
        ok=False,
        error=f"Failed to connect to localhost port {port} after 0 ms: Couldn't connect to server",
        exit_code=7,
    )


def _parse_port(text: str, which: str) -> int:
    # kubectl parses ports as unsigned 16-bit numbers (strconv.ParseUint(s, 10, 16)).
    if not text.isdigit() or not text.isascii():
        raise KubectlError(
            f"error: error parsing {which} port '{text}': strconv.ParseUint: parsing "
            f'"{text}": invalid syntax'
        )
    if int(text) > 65535:
        raise KubectlError(
            f"error: error parsing {which} port '{text}': strconv.ParseUint: parsing "
            f'"{text}": value out of range'
        )
    return int(text)


def _container_port(pod: Obj, name: str) -> int | None:
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == name:
                return int(port["containerPort"])
    return None


def _remote(svc: Obj | None, pod: Obj, remote: str) -> str | int:
    """The pod port a REMOTE names: as typed when a number, else looked up."""
    if svc is not None:
        return _service_port(svc, pod, remote)
    return remote if remote.isdigit() and remote.isascii() else _pod_port(pod, remote)


def _pod_port(pod: Obj, remote: str) -> int:
    found = _container_port(pod, remote)
    if found is None:
        raise KubectlError(
            f"error: Pod '{pod['metadata']['name']}' does not have a named port '{remote}'"
        )
    return found


def _service_port(svc: Obj, pod: Obj, remote: str) -> int:
    # kubectl turns a Service port (number or name) into the pod port it targets.
    for port in (svc.get("spec") or {}).get("ports") or []:
        if str(port.get("port")) == remote or (port.get("name") and port.get("name") == remote):
            target = port.get("targetPort", port.get("port"))
            if isinstance(target, int) or str(target).isdigit():
                return int(target)
            return _pod_port(pod, str(target))
    raise KubectlError(
        f"error: Service {svc['metadata']['name']} does not have a service port {remote}"
    )


def _addresses(inv: Invocation) -> list[str]:
    addresses: list[str] = []
    for address in inv.flag("address") or ["localhost"]:
        if address not in LOCAL_ADDRESSES:
            raise KubectlError(
                f"error: --address {address}: k8stui forwards only from 127.0.0.1 or "
                "localhost (the console's own machine)"
            )
        if address not in addresses:
            addresses.append(address)
    return addresses


def run(inv: Invocation) -> None:
    """Run ``kubectl port-forward``."""
    if len(inv.args) < 2:
        raise inv.usage_error("TYPE/NAME and list of ports are required for port-forward")
    addresses = _addresses(inv)
    svc, pod = attachable_pod(inv, inv.args[0])
    ports: list[tuple[int, int]] = []
    chosen: set[int] = set()
    for spec in inv.args[1:]:
        local_text, colon, remote_text = spec.rpartition(":")
        if not remote_text:
            raise KubectlError("error: remote port cannot be empty")
        remote_text = str(_remote(svc, pod, remote_text))
        if not colon:
            local_text = remote_text  # "8080" (or a named port) listens on the same number
        local = _parse_port(local_text, "local") if local_text else 0
        remote = _parse_port(remote_text, "remote")
        if remote == 0:
            raise KubectlError("error: remote port must be > 0")
        if local == 0:  # ":8080": a free port of kubectl's choosing (see PortForward.rebind)
            chosen.add(len(ports))
        ports.append((local, remote))
    phase = (pod.get("status") or {}).get("phase") or "Pending"
    if phase != "Running":
        raise KubectlError(
            f"error: unable to forward port because pod is not running. Current status={phase}"
        )
    forward = PortForward(
        inv.cluster, pod, ports, ipv6="localhost" in addresses, chosen=frozenset(chosen)
    )
    inv.out.out(forward.banner(), newline=False)
    inv.out.stream = forward


COMMAND = Command(
    name="port-forward",
    summary="Forward one or more local ports to a pod",
    usage="kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
    flags=(
        Flag(
            "address",
            kind="list",
            default=["localhost"],
            split=True,
            help="Addresses to listen on (comma separated). Only accepts IP addresses or localhost "
            "as a value.",
        ),
        Flag(
            "pod-running-timeout",
            kind="duration",
            default=60.0,
            help="The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least "
            "one pod is running",
        ),
    ),
    handler=run,
    long_help="Forward one or more local ports to a pod.\n\n The console keeps the forward as a "
    "background job (see 'jobs' and 'kill %N'); curl localhost:LOCAL_PORT reaches the pod.",
    examples="""  # Listen on port 8888 locally, forwarding to 5000 in the pod
  kubectl port-forward pod/mypod 8888:5000

  # Listen on a random port locally, forwarding to 5000 in the pod
  kubectl port-forward pod/mypod :5000

  # Listen on port 8443 locally, forwarding to the targetPort of the service's port named "https"
  kubectl port-forward service/myservice 8443:https""",
)
