"""The WebSocket channel protocol of exec, attach and port-forward, as pure functions.

Wiring (server; the HTTP upgrade and WebSocket framing stay in the server):

exec (``GET|POST .../pods/NAME/exec?command=..&container=..&stdin=..&stdout=..``):
 1. Before upgrading, ``protocol = pick_protocol(offered)`` on the client's
    ``Sec-WebSocket-Protocol`` list (``v5.channel.k8s.io`` preferred, then
    ``v4.channel.k8s.io``), then, whatever the protocol,
    ``session = ExecSession.start(cluster, namespace, pod, container, command, protocol or V5)``.
    An error from it is the answer *instead of* the upgrade: ``UpgradeRefused`` (container not
    running) as a ``text/plain`` body, any other ``ApiError`` (pod not found, container not in
    the pod, no node) as a Status. kubectl retries a failed WebSocket upgrade over SPDY, so
    the second request must get the same answer; only then refuse a request that offered no
    WebSocket protocol (it is kubectl's SPDY fallback, which is not served).
 2. Upgrade with ``protocol`` as the chosen subprotocol. If the request had ``stdin=true``,
    pass each binary message the client sends to ``session.feed(message)`` until it returns
    True (v5 close of stdin, or the client closed); otherwise skip this step.
 3. Send every ``bytes`` in ``session.finish()`` as one binary WebSocket message, in order
    (stdout on channel 1, stderr on channel 2, then the ``Status`` on channel 3), then close.
``handle_exec(...)`` does 1-3 in one call for a client that sends no stdin.
attach checks its target with ``running_container`` (the same answers before the upgrade)
and then streams the container's new output (``server/attach.py``).

port-forward (``.../pods/NAME/portforward?ports=8080``, subprotocol ``v4.channel.k8s.io`` or
``portforward.k8s.io``): send ``portforward_preamble(ports)`` right after the upgrade; for each
data message from the client, ``portforward_reply(cluster, namespace, pod, ports, message)``
gives the messages to send back (the container's HTTP answer on the data channel, or the
error on the error channel). This is the framing of WebSocket clients such as browsers.
The real kubectl speaks SPDY/3.1 instead (tunnelled in a WebSocket with subprotocol
``SPDY/3.1+portforward.k8s.io`` from 1.31, or a plain ``Upgrade: SPDY/3.1``): that is
``portforward`` and ``spdy_upgrade``, over ``forward_request`` here.

Channels: 0 stdin, 1 stdout, 2 stderr, 3 error (a ``Status`` JSON in v4/v5), 4 resize
(``{"Width":W,"Height":H}``), 255 close (v5: ``[255, channel]`` half-closes a stream). The
simulated programs read no stdin and take no terminal size; both are accepted and ignored.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8stui.console.session import Session
from k8stui.engine.errors import ApiError, bad_request, not_found
from k8stui.kubectl.files import VirtualFiles

if TYPE_CHECKING:
    from k8stui.engine.cluster import Cluster

V5 = "v5.channel.k8s.io"
V4 = "v4.channel.k8s.io"
PROTOCOLS = (V5, V4)
STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
MAX_STDIN = 1 << 20  # bytes of stdin kept; the simulated programs never read it
_EXIT_LINE = "command terminated with exit code "


class ChannelError(ValueError):
    """A WebSocket message that is not a channel frame."""


class UpgradeRefused(ApiError):
    """The kubelet refusing the stream: answer ``code`` with ``message`` as plain text."""

    def __init__(self, message: str) -> None:
        super().__init__(500, "InternalError", message)


def pick_protocol(offered: list[str]) -> str | None:
    """The subprotocol to answer with: v5 when offered, else v4, else None (no upgrade)."""
    for protocol in PROTOCOLS:
        if protocol in offered:
            return protocol
    return None


def frame(channel: int, data: bytes) -> bytes:
    """One binary WebSocket message: the channel byte, then the payload."""
    if not 0 <= channel <= 255:
        raise ChannelError(f"channel {channel} is not a byte")
    return bytes([channel]) + data


def parse_frame(message: bytes) -> tuple[int, bytes]:
    """(channel, payload) of one binary message from the client."""
    if not message:
        raise ChannelError("empty WebSocket message: no channel byte")
    return message[0], message[1:]


def status_frame(status: dict[str, Any]) -> bytes:
    """The error-channel message carrying a ``Status`` (compact JSON, as the kubelet writes)."""
    return frame(ERROR, json.dumps(status, separators=(",", ":")).encode())


def success_status() -> dict[str, Any]:
    """The Status the kubelet writes when the command exited 0."""
    return {"metadata": {}, "status": "Success"}


def exit_status(command: list[str], code: int) -> dict[str, Any]:
    """The Status for a non-zero exit; kubectl prints ``command terminated with exit code N``."""
    return {
        "metadata": {},
        "status": "Failure",
        "message": (
            "command terminated with non-zero exit code: error executing command "
            f"[{' '.join(command)}], exit code {code}"
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def error_status(message: str) -> dict[str, Any]:
    """The Status for a command that could not start (kubectl prints ``error: <message>``)."""
    return {
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "InternalError",
        "code": 500,
    }


def running_container(cluster: Cluster, namespace: str, pod: str, container: str | None) -> str:
    """The container an exec or attach means, checked as the API server and kubelet check it.

    An ApiError (pod not found, container not in the pod, no node) is a Status answer;
    ``UpgradeRefused`` is the kubelet's refusal of a container that is not running.
    """
    obj = cluster.get("Pod", pod, namespace)
    if obj is None:
        raise not_found("Pod", pod)
    spec = obj.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    others = [
        c["name"] for k in ("initContainers", "ephemeralContainers") for c in spec.get(k) or []
    ]
    if container is None:
        if len(names) != 1:
            choices = " ".join(names)
            raise bad_request(
                f"a container name must be specified for pod {pod}, choose one of: [{choices}]"
            )
        container = names[0]
    elif container not in names + others:
        raise bad_request(f"container {container} is not valid for pod {pod}")
    if not spec.get("nodeName"):
        raise bad_request(f"pod {pod} does not have a host assigned")
    status = obj.get("status") or {}
    statuses = [
        *(status.get("containerStatuses") or []),
        *(status.get("initContainerStatuses") or []),
        *(status.get("ephemeralContainerStatuses") or []),
    ]
    running = any(
        s.get("name") == container and "running" in (s.get("state") or {}) for s in statuses
    )
    if not running:
        raise UpgradeRefused(f'container not found ("{container}")')
    return container


@dataclass
class ExecSession:
    """One exec: what to run, the stdin received so far, and the frames it answers with."""

    cluster: Cluster
    namespace: str
    pod: str
    container: str
    command: list[str]
    protocol: str = V5
    stdin: bytearray = field(default_factory=bytearray)
    stdin_closed: bool = False

    @classmethod
    def start(
        cls,
        cluster: Cluster,
        namespace: str,
        pod: str,
        container: str | None,
        command: list[str],
        protocol: str = V5,
    ) -> ExecSession:
        """Check the target before the upgrade; an ApiError is the answer instead.

        ``UpgradeRefused`` (the kubelet's refusal) goes out as a ``text/plain`` body with its
        code, so kubectl prints ``error: unable to upgrade connection: <text>``; every other
        ApiError is a Status, as the API server sends it.
        """
        container = running_container(cluster, namespace, pod, container)
        if not command:
            raise bad_request("you must specify at least one command for the container")
        return cls(cluster, namespace, pod, container, list(command), protocol)

    def feed(self, message: bytes) -> bool:
        """Take one client message; True once stdin is closed (v5 close frame for channel 0)."""
        channel, payload = parse_frame(message)
        if channel == STDIN and len(self.stdin) < MAX_STDIN:
            self.stdin += payload[: MAX_STDIN - len(self.stdin)]
        elif channel == CLOSE and self.protocol == V5 and payload[:1] == bytes([STDIN]):
            self.stdin_closed = True
        return self.stdin_closed

    def finish(self) -> list[bytes]:
        """Run the command in the simulated container: stdout, stderr, then the Status.

        It runs through the built-in ``kubectl exec``, so the programs, their output and their
        errors are exactly the console's.
        """
        line = shlex.join(
            [
                "kubectl",
                "exec",
                self.pod,
                "-n",
                self.namespace,
                "-c",
                self.container,
                "--",
                *self.command,
            ]
        )
        result = Session(self.cluster, VirtualFiles()).run(line)
        stderr = result.stderr
        frames: list[bytes] = []
        if result.stdout:
            frames.append(frame(STDOUT, result.stdout.encode()))
        if result.exit_code == 0:
            if stderr:
                frames.append(frame(STDERR, stderr.encode()))
            return [*frames, status_frame(success_status())]
        lines = stderr.splitlines(keepends=True)
        if lines and lines[-1].startswith(_EXIT_LINE):
            rest = "".join(lines[:-1])
            if rest:
                frames.append(frame(STDERR, rest.encode()))
            return [*frames, status_frame(exit_status(self.command, result.exit_code))]
        message = stderr.strip().removeprefix("error: ")
        return [*frames, status_frame(error_status(message))]


def handle_exec(
    cluster: Cluster,
    namespace: str,
    pod: str,
    container: str | None,
    command: list[str],
    stdin_bytes: bytes = b"",
    protocol: str = V5,
) -> list[bytes]:
    """Frames answering one exec (ApiError before any frame if the target cannot exec)."""
    session = ExecSession.start(cluster, namespace, pod, container, command, protocol)
    if stdin_bytes:
        session.feed(frame(STDIN, stdin_bytes))
    return session.finish()


def portforward_preamble(ports: list[int]) -> list[bytes]:
    """The first message on each channel: the port, 2 bytes little-endian (data 2i, error 2i+1)."""
    out: list[bytes] = []
    for index, port in enumerate(ports):
        prefix = int(port).to_bytes(2, "little")
        out += [frame(2 * index, prefix), frame(2 * index + 1, prefix)]
    return out


def portforward_reply(
    cluster: Cluster, namespace: str, pod: str, ports: list[int], message: bytes
) -> list[bytes]:
    """Answer one client data message (an HTTP request) with the container's answer."""
    channel, payload = parse_frame(message)
    if channel % 2 or channel // 2 >= len(ports):
        raise ChannelError(f"channel {channel} is not a data channel of this port-forward")
    port = ports[channel // 2]
    ok, data = forward_request(cluster, namespace, pod, port, payload)
    return [frame(channel if ok else channel + 1, data)]


def forward_request(
    cluster: Cluster, namespace: str, pod: str, port: int, payload: bytes
) -> tuple[bool, bytes]:
    """One HTTP request forwarded to ``pod``'s ``port``: (True, response) or (False, error)."""
    obj = cluster.get("Pod", pod, namespace)
    ip = ((obj or {}).get("status") or {}).get("podIP")
    path = _request_path(payload)
    if obj is None or not ip:
        return False, f"pod {pod} has no IP address".encode()
    answer = cluster.request(ip, port, path, namespace=namespace)
    if not answer.ok:
        text = (
            f"error forwarding port {port} to pod {pod}: failed to connect to localhost:{port} "
            f"inside the pod: {answer.error}"
        )
        return False, text.encode()
    return True, _http_response(answer.status, answer.body)


def _request_path(payload: bytes) -> str:
    first = payload.split(b"\r\n", 1)[0].decode("latin-1").split()
    return first[1] if len(first) >= 2 and first[1].startswith("/") else "/"


_REASONS = {200: "OK", 404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


def _http_response(status: int, body: str) -> bytes:
    data = body.encode()
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'OK')}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(data)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + data
