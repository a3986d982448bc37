"""The exec/attach/port-forward channel protocol: framing, exec sessions, port-forward replies."""

from __future__ import annotations

import json
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.server.channels import (
    CLOSE,
    STDIN,
    V4,
    V5,
    ChannelError,
    ExecSession,
    UpgradeRefused,
    frame,
    handle_exec,
    parse_frame,
    pick_protocol,
    portforward_preamble,
    portforward_reply,
)
from tests.channels_probe import run_kubectl, serve
from tests.helpers import container, pod
from tests.protobuf_probe import kubectl


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster(seed=1)
    c.create(pod("web", container("app", "luksa/kubia", ports=[{"containerPort": 8080}])))
    c.create(pod("two", container("a", "luksa/kubia"), container("b", "luksa/kubia")))
    c.create(pod("pending", container("a", "luksa/kubia"), nodeSelector={"nope": "x"}))
    c.create(pod("crashing", container("a", "luksa/kubia", command=["false"])))
    c.advance(60)
    return c


def test_protocol_negotiation_prefers_v5() -> None:
    assert pick_protocol([V4, V5]) == V5
    assert pick_protocol(["channel.k8s.io", V4]) == V4
    assert pick_protocol(["base64.channel.k8s.io"]) is None


def test_frames_round_trip_and_bad_messages() -> None:
    assert frame(1, b"hi") == b"\x01hi"
    assert parse_frame(b"\x02err") == (2, b"err")
    with pytest.raises(ChannelError, match="no channel byte"):
        parse_frame(b"")
    with pytest.raises(ChannelError):
        frame(256, b"")


@given(st.integers(0, 255), st.binary(max_size=64))
def test_frame_parse_is_inverse(channel: int, data: bytes) -> None:
    assert parse_frame(frame(channel, data)) == (channel, data)


def test_exec_hostname_gives_stdout_and_success(cluster: Cluster) -> None:
    frames = handle_exec(cluster, "default", "web", None, ["hostname"])
    assert frames == [b"\x01web\n", b'\x03{"metadata":{},"status":"Success"}']


def test_exec_non_zero_exit_carries_the_exit_code_cause(cluster: Cluster) -> None:
    frames = handle_exec(cluster, "default", "web", "app", ["cat", "/nonexistent"])
    assert frames[0] == b"\x02cat: /nonexistent: No such file or directory\n"
    status = json.loads(frames[1][1:])
    assert frames[1][0] == 3
    assert status == {
        "metadata": {},
        "status": "Failure",
        "message": "command terminated with non-zero exit code: error executing command "
        "[cat /nonexistent], exit code 1",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": "1"}]},
    }


def test_exec_of_an_unknown_program_is_an_internal_error(cluster: Cluster) -> None:
    frames = handle_exec(cluster, "default", "web", None, ["vim"])
    status = json.loads(frames[-1][1:])
    assert status["reason"] == "InternalError"
    assert status["message"].startswith(
        "Internal error occurred: error executing command in container: failed to exec in "
        "container: failed to start exec: OCI runtime exec failed: exec failed: unable to start "
        'container process: exec: "vim": executable file not found in $PATH: unknown'
    )


def test_exec_targets_that_cannot_upgrade(cluster: Cluster) -> None:
    with pytest.raises(ApiError) as err:
        handle_exec(cluster, "default", "ghost", None, ["hostname"])
    assert (err.value.code, err.value.message) == (404, 'pods "ghost" not found')
    with pytest.raises(ApiError) as err:
        handle_exec(cluster, "default", "web", "nope", ["hostname"])
    assert (err.value.code, err.value.message) == (400, "container nope is not valid for pod web")
    with pytest.raises(ApiError) as err:
        handle_exec(cluster, "default", "two", None, ["hostname"])
    assert err.value.message == (
        "a container name must be specified for pod two, choose one of: [a b]"
    )
    with pytest.raises(ApiError) as err:
        handle_exec(cluster, "default", "pending", None, ["hostname"])
    assert err.value.message == "pod pending does not have a host assigned"
    with pytest.raises(UpgradeRefused) as refused:
        handle_exec(cluster, "default", "crashing", None, ["hostname"])
    assert refused.value.message == 'container not found ("a")'


def test_session_collects_stdin_until_the_v5_close(cluster: Cluster) -> None:
    session = ExecSession.start(cluster, "default", "web", None, ["echo", "x"], V5)
    assert session.feed(frame(STDIN, b"abc")) is False
    assert session.feed(frame(4, b'{"Width":80,"Height":24}')) is False
    assert session.feed(bytes([CLOSE, STDIN])) is True
    assert bytes(session.stdin) == b"abc"
    assert session.finish()[0] == b"\x01x\n"


def test_portforward_preamble_and_http_answer(cluster: Cluster) -> None:
    assert portforward_preamble([8080, 80]) == [
        b"\x00\x90\x1f",
        b"\x01\x90\x1f",
        b"\x02\x50\x00",
        b"\x03\x50\x00",
    ]
    reply = portforward_reply(
        cluster, "default", "web", [8080], b"\x00GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n"
    )
    assert reply == [
        b"\x00HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: 15\r\nConnection: close\r\n\r\nYou've hit web\n"
    ]


def test_portforward_to_a_closed_port_answers_on_the_error_channel(cluster: Cluster) -> None:
    reply = portforward_reply(cluster, "default", "web", [81], b"\x00GET / HTTP/1.1\r\n\r\n")
    assert reply[0][0] == 1
    assert reply[0][1:].startswith(b"error forwarding port 81 to pod web: ")
    with pytest.raises(ChannelError):
        portforward_reply(cluster, "default", "web", [81], b"\x01x")


@pytest.mark.skipif(kubectl() is None, reason="the real kubectl is not installed")
def test_the_real_kubectl_execs_through_the_channels(cluster: Cluster) -> None:
    # A probe server wired exactly as the module docstring says; kubectl 1.32 speaks v5.
    with serve(cluster) as port, tempfile.TemporaryDirectory() as cache:
        results = {
            name: run_kubectl(port, cache, "exec", *args)
            for name, args in {
                "hostname": ["web", "--", "hostname"],
                "exit": ["web", "--", "cat", "/nope"],
                "stdin": ["-i", "web", "--", "echo", "hi"],
                "not-valid": ["web", "-c", "zz", "--", "hostname"],
                "not-running": ["crashing", "--", "hostname"],
            }.items()
        }
    outcome = {k: (r.returncode, r.stdout, r.stderr) for k, r in results.items()}
    assert outcome == {
        "hostname": (0, "web\n", ""),
        "exit": (
            1,
            "",
            "cat: /nope: No such file or directory\ncommand terminated with exit code 1\n",
        ),
        "stdin": (0, "hi\n", ""),
        "not-valid": (
            1,
            "",
            "Error from server (BadRequest): container zz is not valid for pod web\n",
        ),
        "not-running": (1, "", 'error: unable to upgrade connection: container not found ("a")\n'),
    }
