"""``kubectl port-forward`` to a simulated pod: SPDY/3.1, tunnelled in a WebSocket or plain.

The real kubectl listens on a local port; an HTTP client on that port gets the simulated
container's answer. The SPDY framing is also driven directly, as a client would.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from k8stui.server import spdy
from k8stui.server.portforward import ForwardSession
from tests.api_helpers import KUBECTL, Served, new_session, served
from tests.spdy_client import SpdyClient

needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
_FORWARDING = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)")


def _session() -> object:
    session = new_session()
    assert session.run("kubectl run web --image=luksa/kubia --port=8080").exit_code == 0
    session.cluster.advance(30)
    return session


def test_dictionary_is_the_specs() -> None:
    assert len(spdy.DICTIONARY) == 1423
    digest = hashlib.sha256(spdy.DICTIONARY).hexdigest()
    assert digest == "51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02"


def test_a_forwarded_request_gets_the_containers_answer() -> None:
    session = _session()
    forward = ForwardSession(lambda: session.cluster, "default", "web")  # type: ignore[attr-defined]
    client = SpdyClient()
    headers = {"streamtype": "error", "port": "8080", "requestid": "0"}
    sent = client.syn_stream(1, headers, fin=True)
    sent += client.syn_stream(3, {**headers, "streamtype": "data"})
    request = spdy.data_frame(3, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    # a frame split across two reads is put back together
    replies = forward.receive(sent + request[:5]) + forward.receive(request[5:])
    frames = client.codec.feed(b"".join(replies))
    assert [(f.kind, f.stream_id) for f in frames] == [
        (spdy.SYN_REPLY, 1),
        (spdy.SYN_REPLY, 3),
        (0, 3),
        (0, 1),
    ]
    answer = frames[2]
    assert answer.fin and answer.data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.data.endswith(b"You've hit web\n")
    assert frames[3].fin and frames[3].data == b""


def test_refused_port_ping_and_bad_frames() -> None:
    session = _session()
    forward = ForwardSession(lambda: session.cluster, "default", "web")  # type: ignore[attr-defined]
    client = SpdyClient()
    headers = {"streamtype": "error", "port": "9999", "requestid": "7"}
    sent = client.syn_stream(1, headers) + client.syn_stream(3, {**headers, "streamtype": "data"})
    sent += spdy.data_frame(3, b"GET / HTTP/1.1\r\n\r\n")
    frames = client.codec.feed(b"".join(forward.receive(sent)))
    error = next(f for f in frames if f.kind == 0 and f.stream_id == 1)
    assert error.fin and b"connect: connection refused" in error.data
    ping = b"\x80\x03\x00\x06\x00\x00\x00\x04" + b"\x00\x00\x00\x2a"
    (pong,) = client.codec.feed(b"".join(forward.receive(ping)))
    assert (pong.kind, pong.data) == (spdy.PING, b"\x00\x00\x00\x2a")
    refused = forward.receive(client.syn_stream(5, {"streamtype": "bogus", "port": "1"}))
    (reset,) = client.codec.feed(b"".join(refused))
    assert reset.kind == spdy.RST_STREAM and reset.stream_id == 5
    with pytest.raises(spdy.SpdyError):
        forward.receive(b"\x80\x02\x00\x01\x00\x00\x00\x00")  # SPDY/2
    with pytest.raises(spdy.SpdyError):  # a frame claiming 16 MiB is not buffered
        spdy.Codec().feed(b"\x00\x00\x00\x01\x00\xff\xff\xff")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("pf"), _session()) as running:  # type: ignore[arg-type]
        yield running


def _forward(srv: Served, target: str, websockets: bool) -> tuple[subprocess.Popen[str], int]:
    env = {**srv.kubectl_env(), "KUBECTL_PORT_FORWARD_WEBSOCKETS": str(websockets).lower()}
    proc = subprocess.Popen(
        [str(KUBECTL), "port-forward", "pod/web", target],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = _FORWARDING.match(line)
    assert match is not None, line + proc.stderr.read() if proc.stderr else line
    return proc, int(match.group(1))


@needs_kubectl
@pytest.mark.parametrize("websockets", [True, False], ids=["websocket-tunnel", "plain-spdy"])
def test_real_port_forward_reaches_the_pod(srv: Served, websockets: bool) -> None:
    proc, port = _forward(srv, ":8080", websockets)
    try:
        for _ in range(2):  # two connections over the one session
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                assert answer.read() == b"You've hit web\n"
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


@needs_kubectl
def test_real_port_forward_to_a_closed_port_reports_the_kubelet_error(srv: Served) -> None:
    proc, port = _forward(srv, ":9999", True)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert "connect: connection refused" in err
    assert err.endswith("error: lost connection to pod\n")


@needs_kubectl
def test_old_kubectl_uses_plain_spdy(tmp_path: Path) -> None:
    with served(tmp_path, _session(), kube_version="1.28") as running:  # type: ignore[arg-type]
        env = {k: v for k, v in running.kubectl_env().items() if "WEBSOCKETS" not in k}
        proc = subprocess.Popen(
            [str(KUBECTL), "port-forward", "pod/web", ":8080"],
            env={**env, "PATH": os.environ.get("PATH", "")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        match = _FORWARDING.match(proc.stdout.readline())
        assert match is not None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/", timeout=10) as r:
                assert r.read() == b"You've hit web\n"
        finally:
            proc.terminate()
            proc.communicate(timeout=10)
