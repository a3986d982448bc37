"""``kubectl exec`` over SPDY/3.1, as kubectl 1.27-1.29 send it (no WebSocket exec there)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from k8stui.server import channels, spdy
from k8stui.server.spdy_exec import AttachOverSpdy, ExecOverSpdy, expected_streams
from tests.api_helpers import KUBECTL, Served, new_session, served
from tests.spdy_client import SpdyClient

needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")


def _session() -> object:
    session = new_session()
    assert session.run("kubectl run web --image=luksa/kubia --port=8080").exit_code == 0
    session.cluster.advance(30)
    return session


def test_expected_streams_follow_the_query() -> None:
    assert expected_streams({"stdout": "true", "stderr": "true"}) == {"error", "stdout", "stderr"}
    tty = {"stdin": "true", "stdout": "true", "stderr": "true", "tty": "true"}
    assert expected_streams(tty) == {"error", "stdin", "stdout", "resize"}


def test_the_command_runs_once_every_stream_is_open() -> None:
    session = _session()
    cluster = session.cluster  # type: ignore[attr-defined]
    run = channels.ExecSession.start(cluster, "default", "web", None, ["ls", "/nope"], channels.V4)
    spdy_exec = ExecOverSpdy(run, {"error", "stdout", "stderr"})
    client = SpdyClient()
    replies = spdy_exec.receive(client.syn_stream(1, {"streamtype": "error"}, fin=True))
    replies += spdy_exec.receive(client.syn_stream(3, {"streamtype": "stdout"}, fin=True))
    assert not spdy_exec.closed  # stderr is still to come
    replies += spdy_exec.receive(client.syn_stream(5, {"streamtype": "stderr"}, fin=True))
    assert spdy_exec.closed
    frames = client.codec.feed(b"".join(replies))
    assert [f.kind for f in frames[:3]] == [spdy.SYN_REPLY] * 3
    data = {f.stream_id: f.data for f in frames if f.kind == 0 and f.data}
    assert b"No such file or directory" in data[5]
    status = json.loads(data[1])
    assert status["reason"] == "NonZeroExitCode"
    assert {f.stream_id for f in frames if f.kind == 0 and f.fin} == {1, 3, 5}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("exec"), _session(), kube_version="1.28") as running:  # type: ignore[arg-type]
        yield running


@needs_kubectl
@pytest.mark.parametrize(
    ("words", "code", "stdout", "stderr"),
    [
        (["exec", "web", "--", "hostname"], 0, "web\n", ""),
        (["exec", "-i", "web", "--", "hostname"], 0, "web\n", ""),
        (
            ["exec", "web", "--", "ls", "/nope"],
            2,
            "",
            "ls: cannot access '/nope': No such file or directory\n"
            "command terminated with exit code 2\n",
        ),
    ],
)
def test_old_kubectl_exec(
    srv: Served, words: list[str], code: int, stdout: str, stderr: str
) -> None:
    result = srv.kubectl(*words, stdin="")
    assert (result.returncode, result.stdout, result.stderr) == (code, stdout, stderr)


def test_attach_sends_output_once_the_streams_are_open_and_ends_with_success() -> None:
    polls = iter([(b"one\n", True), (b"", True), (b"two\n", False)])
    attach = AttachOverSpdy(lambda: next(polls), {"error", "stdout", "stderr"})
    client = SpdyClient()
    assert attach.tick() == []  # nothing before the streams exist
    opened = b"".join(
        client.syn_stream(sid, {"streamtype": kind}, fin=True)
        for sid, kind in ((1, "error"), (3, "stdout"), (5, "stderr"))
    )
    replies = attach.receive(opened)
    replies += attach.tick() + attach.tick() + attach.tick()
    assert attach.closed
    frames = client.codec.feed(b"".join(replies))
    output = [f.data for f in frames if f.kind == 0 and f.stream_id == 3 and f.data]
    assert output == [b"one\n", b"two\n"]
    (status,) = [f.data for f in frames if f.kind == 0 and f.stream_id == 1 and f.data]
    assert json.loads(status)["status"] == "Success"
