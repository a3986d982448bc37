"""``kubectl port-forward`` over SPDY/3.1 tunnelled in a WebSocket (kubectl 1.31 and newer).

kubectl asks for the WebSocket subprotocol ``SPDY/3.1+portforward.k8s.io`` and then speaks
SPDY inside the binary messages (a byte stream: a frame may span messages). For each local
connection it opens two streams carrying the headers ``streamtype`` (``error`` then
``data``), ``port`` and ``requestid``, and waits for a SYN_REPLY to each. What it writes on
the data stream is the local client's request; here that is an HTTP request, answered by
the simulated container (``channels.forward_request``) on the data stream, after which both
streams are closed (FIN), as a container closing the connection would. A refused port
sends the kubelet's message on the error stream instead. PINGs are answered; GOAWAY or the
WebSocket closing ends the session. The pure framing is in ``spdy``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from k8stui.engine.cluster import Cluster
from k8stui.server import spdy
from k8stui.server.channels import forward_request

SUBPROTOCOL = "SPDY/3.1+portforward.k8s.io"
MAX_STREAMS = 256
"""Streams open at once on one session; more are refused."""
MAX_REQUEST = 64 * 1024
"""Bytes of one request kept before it is answered anyway."""


@dataclass
class _Stream:
    kind: str
    port: int
    request_id: str
    received: bytearray = field(default_factory=bytearray)
    answered: bool = False


@dataclass
class _Pair:
    error: int | None = None
    data: int | None = None


class ForwardSession:
    """One tunnelled SPDY session: bytes from kubectl in, bytes to send back out."""

    def __init__(self, cluster: Callable[[], Cluster], namespace: str, pod: str) -> None:
        self._cluster = cluster
        self.namespace = namespace
        self.pod = pod
        self._codec = spdy.Codec()
        self._streams: dict[int, _Stream] = {}
        self._pairs: dict[str, _Pair] = {}
        self.closed = False

    def receive(self, data: bytes) -> list[bytes]:
        """Take bytes from the client; the frames to send back (SpdyError on bad bytes)."""
        out: list[bytes] = []
        for frame in self._codec.feed(data):
            out += self._on_frame(frame)
        return out

    def tick(self) -> list[bytes]:
        """Nothing to send unasked: a forward only answers what the client sends."""
        return []

    def _on_frame(self, frame: spdy.Frame) -> list[bytes]:
        if frame.kind == spdy.SYN_STREAM:
            return self._open(frame)
        if frame.kind == 0:
            return self._data(frame)
        if frame.kind == spdy.PING:
            return [spdy.ping(frame.data[:4])]
        if frame.kind == spdy.RST_STREAM:
            self._drop(frame.stream_id)
        elif frame.kind == spdy.GOAWAY:
            self.closed = True
        return []  # SETTINGS, WINDOW_UPDATE, HEADERS: nothing to answer

    def _open(self, frame: spdy.Frame) -> list[bytes]:
        headers = frame.headers
        kind = headers.get("streamtype", "")
        request_id = headers.get("requestid", "")
        try:
            port = int(headers.get("port", ""))
        except ValueError:
            port = 0
        if (
            len(self._streams) >= MAX_STREAMS
            or kind not in ("error", "data")
            or not 0 < port < 65536
        ):
            return [spdy.rst_stream(frame.stream_id, spdy.RST_REFUSED_STREAM)]
        self._streams[frame.stream_id] = _Stream(kind, port, request_id)
        pair = self._pairs.setdefault(request_id, _Pair())
        setattr(pair, kind, frame.stream_id)
        out = [self._codec.syn_reply(frame.stream_id)]
        if frame.fin:
            out += self._data(spdy.Frame(0, spdy.FLAG_FIN, frame.stream_id))
        return out

    def _data(self, frame: spdy.Frame) -> list[bytes]:
        stream = self._streams.get(frame.stream_id)
        if stream is None or stream.kind != "data" or stream.answered:
            return []  # the error stream's (empty) half-close, or a stream already done
        room = MAX_REQUEST - len(stream.received)
        stream.received += frame.data[: max(room, 0)]
        complete = b"\r\n\r\n" in stream.received or len(stream.received) >= MAX_REQUEST
        if not (complete or frame.fin):
            return []
        return self._answer(frame.stream_id, stream)

    def _answer(self, stream_id: int, stream: _Stream) -> list[bytes]:
        stream.answered = True
        ok, payload = forward_request(
            self._cluster(), self.namespace, self.pod, stream.port, bytes(stream.received)
        )
        error_id = self._pairs.get(stream.request_id, _Pair()).error
        out = []
        if ok:
            out.append(spdy.data_frame(stream_id, payload, fin=True))
            if error_id is not None:
                out.append(spdy.data_frame(error_id, b"", fin=True))
        else:
            if error_id is not None:
                out.append(spdy.data_frame(error_id, self._refusal(stream.port), fin=True))
            out.append(spdy.data_frame(stream_id, b"", fin=True))
        self._forget(stream.request_id)
        return out

    def _refusal(self, port: int) -> bytes:
        # The kubelet's words for a port nothing listens on (kubectl prints them as given).
        return (
            f"error forwarding port {port} to pod {self.pod}, uid : failed to connect to "
            f"localhost:{port} inside the pod: dial tcp4 127.0.0.1:{port}: connect: "
            "connection refused"
        ).encode()

    def _forget(self, request_id: str) -> None:
        pair = self._pairs.pop(request_id, None)
        if pair is not None:
            for stream_id in (pair.error, pair.data):
                self._streams.pop(stream_id or 0, None)

    def _drop(self, stream_id: int) -> None:
        stream = self._streams.pop(stream_id, None)
        if stream is not None:
            self._pairs.pop(stream.request_id, None)
