"""``kubectl exec`` and ``attach`` over SPDY/3.1 (``v4.channel.k8s.io``): kubectl 1.27-1.29.

After the upgrade the client opens one stream per channel, each named by its
``streamtype`` header: ``error`` first, then ``stdin`` (with ``-i``), ``stdout``,
``stderr`` (not with a tty) and ``resize`` (with a tty), and waits for a SYN_REPLY to each.
Once every stream the query asked for is open (for exec also stdin closed: the simulated
programs read no input), an exec runs the command in the simulated container
(``ExecSession``): its output goes out on the stdout and stderr streams, the ``Status`` on
the error stream, and all streams close (FIN). An attach instead sends the container's new
output on the stdout stream as it is written, until the container stops.
"""

from __future__ import annotations

from collections.abc import Callable

from k8stui.server import channels, spdy

PROTOCOL = channels.V4
_CHANNEL_STREAMS = {channels.STDOUT: "stdout", channels.STDERR: "stderr", channels.ERROR: "error"}
Poll = Callable[[], tuple[bytes, bool]]
"""An attach's source: the output written since the last call, and whether it goes on."""


def expected_streams(query: dict[str, str]) -> set[str]:
    """The streams kubectl opens for an exec or attach with these query flags."""
    wanted = {"error"}
    tty = query.get("tty") == "true"
    for name in ("stdin", "stdout", "stderr"):
        if query.get(name) == "true" and not (name == "stderr" and tty):
            wanted.add(name)
    if tty:
        wanted.add("resize")
    return wanted


class _RemoteCommand:
    """The streams of one remote command on a switched connection."""

    def __init__(self, expected: set[str]) -> None:
        self._expected = expected
        self._codec = spdy.Codec()
        self._streams: dict[str, int] = {}
        self._stdin_open = "stdin" in expected
        self.closed = False

    @property
    def _ready(self) -> bool:
        return not self.closed and self._expected <= set(self._streams)

    def _on_frame(self, frame: spdy.Frame) -> list[bytes]:
        if frame.kind == spdy.SYN_STREAM:
            kind = frame.headers.get("streamtype", "")
            if kind not in self._expected or kind in self._streams:
                return [spdy.rst_stream(frame.stream_id, spdy.RST_REFUSED_STREAM)]
            self._streams[kind] = frame.stream_id
            if kind == "stdin" and frame.fin:
                self._stdin_open = False
            return [self._codec.syn_reply(frame.stream_id)]
        if frame.kind == 0 and frame.stream_id == self._streams.get("stdin"):
            self._stdin(frame.data)
            if frame.fin:
                self._stdin_open = False
        elif frame.kind == spdy.PING:
            return [spdy.ping(frame.data[:4])]
        elif frame.kind == spdy.GOAWAY:
            self.closed = True
        return []  # resize data, SETTINGS, WINDOW_UPDATE: nothing to answer

    def _stdin(self, data: bytes) -> None:
        """Input from the client (the simulated programs read none)."""

    def _send(self, channel: int, payload: bytes) -> list[bytes]:
        kind = _CHANNEL_STREAMS.get(channel, "")
        if kind == "stderr" and kind not in self._streams:
            kind = "stdout"  # a tty has one output stream
        stream = self._streams.get(kind)
        return [spdy.data_frame(stream, payload)] if stream is not None and payload else []

    def _close(self) -> list[bytes]:
        self.closed = True
        kinds = ("stdout", "stderr", "error")
        return [
            spdy.data_frame(self._streams[k], b"", fin=True) for k in kinds if k in self._streams
        ]


class ExecOverSpdy(_RemoteCommand):
    """One exec: bytes from kubectl in, frames out."""

    def __init__(self, session: channels.ExecSession, expected: set[str]) -> None:
        super().__init__(expected)
        self._session = session

    def receive(self, data: bytes) -> list[bytes]:
        """Take bytes from the client; the frames to send back."""
        out: list[bytes] = []
        for frame in self._codec.feed(data):
            out += self._on_frame(frame)
        if self._ready and not self._stdin_open:
            for message in self._session.finish():
                out += self._send(*channels.parse_frame(message))
            out += self._close()
        return out

    def tick(self) -> list[bytes]:
        """An exec only answers what the client sends."""
        return []

    def _stdin(self, data: bytes) -> None:
        self._session.feed(channels.frame(channels.STDIN, data))


class AttachOverSpdy(_RemoteCommand):
    """One attach: the container's output as ``poll`` reports it, once the streams are open."""

    def __init__(self, poll: Poll, expected: set[str]) -> None:
        super().__init__(expected)
        self._poll = poll

    def receive(self, data: bytes) -> list[bytes]:
        """Take bytes from the client; the frames to send back."""
        out: list[bytes] = []
        for frame in self._codec.feed(data):
            out += self._on_frame(frame)
        return out

    def tick(self) -> list[bytes]:
        """New output, and the end (a success Status, all streams closed) once it stops."""
        if not self._ready:
            return []
        data, going = self._poll()
        out = self._send(channels.STDOUT, data)
        if not going:
            status = channels.status_frame(channels.success_status())
            out += self._send(*channels.parse_frame(status))
            out += self._close()
        return out
