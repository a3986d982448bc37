"""``kubectl logs`` options: the real kubectl on our API against the built-in kubectl.

Both read the same paused cluster (logs are reads), so their outputs must agree once absolute
times are masked; a followed log over the API streams as the served clock moves and ends with
the container.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from k8stui.engine.clock import SIM_EPOCH
from k8stui.engine.kubelet.log_reader import ByteBudget, LogQuery, log_stamp, render, select
from tests.api_helpers import KUBECTL, Served, new_session, served
from tests.test_api_differential import normalise

SETUP = (
    "kubectl run fort --image=luksa/fortune",
    "kubectl run web --image=luksa/kubia",
)
TWO = """apiVersion: v1
kind: Pod
metadata:
  name: two
  labels: {app: two}
spec:
  containers:
  - {name: first, image: busybox, command: [sh, -c, "echo first; sleep 3600"]}
  - {name: second, image: busybox, command: [sh, -c, "echo second; sleep 3600"]}
"""
COMMANDS = (
    "logs fort",
    "logs fort --timestamps --tail=3",
    "logs fort --since=20s",
    "logs fort --since=25s --timestamps",
    "logs fort --limit-bytes=30",
    "logs fort --limit-bytes=0 --tail=1",
    "logs fort --limit-bytes=100 --timestamps",
    "logs fort --prefix --tail=2",
    "logs fort fort --tail=1",
    "logs fort web",
    "logs fort fort -c fort",
    "logs fort --tail=-2",
    "logs fort --tail=0",
    "logs fort --since=1s --since-time=2020-01-01T00:00:00Z",
    "logs fort --since-time=2020-01-01T00:00:00Z --tail=1",
    "logs fort --since-time=bad",
    "logs -l run=fort",
    "logs -l run=fort --prefix --timestamps --tail=2",
    "logs -l run -f --max-log-requests=1",
    "logs -l nope=x",
    "logs -l run fort",
    "logs two",
    "logs two -c second --timestamps",
    "logs -l app=two -f --all-containers --max-log-requests=1",
)

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    session = new_session()
    for line in SETUP:
        assert session.run(line).exit_code == 0
    assert session.run("kubectl apply -f -", stdin=TWO).exit_code == 0
    session.cluster.advance(65)
    with served(tmp_path_factory.mktemp("logs"), session) as running:
        yield running


@pytest.mark.parametrize("line", COMMANDS)
def test_real_kubectl_matches_builtin(srv: Served, line: str) -> None:
    real = srv.kubectl(*line.split())
    mine = srv.server.call(lambda: srv.session.run("kubectl " + line))
    assert (normalise(mine.stdout), normalise(mine.stderr), mine.exit_code) == (
        normalise(real.stdout),
        normalise(real.stderr),
        real.returncode,
    )


@pytest.mark.parametrize(
    "line",
    [
        "logs -l run --tail=1 --prefix",
        "logs -l app=two --all-containers",
        "logs two --all-containers --prefix",
    ],
)
def test_selector_over_streams_in_any_order(srv: Served, line: str) -> None:
    # The real kubectl reads the streams in Go map order, so compare the lines as a set.
    real = srv.kubectl(*line.split())
    mine = srv.server.call(lambda: srv.session.run("kubectl " + line))
    assert real.returncode == mine.exit_code == 0
    assert sorted(real.stdout.splitlines()) == sorted(mine.stdout.splitlines())
    assert len(mine.stdout.splitlines()) == 2


def test_timestamps_are_the_served_clock_on_the_wall(srv: Served) -> None:
    real = srv.kubectl("logs", "fort", "--timestamps", "--tail=1")
    stamp, _, text = real.stdout.partition(" ")
    assert text.startswith("Wed Jan  1 00:01:04 UTC 2025 Writing fortune")
    # nine fraction digits, as the kubelet writes them
    assert len(stamp.split(".")[1]) == len("000000000Z")
    written = datetime.fromisoformat(stamp[:26] + "+00:00")
    # The line was written at sim 64 s, the served clock reads 65 s: one second ago, on the wall.
    age = datetime.now(UTC) - written
    assert timedelta(seconds=0.5) < age < timedelta(seconds=30)  # 1.05 s plus the latency


def test_since_time_on_the_client_clock(srv: Served) -> None:
    # 25 s ago on the wall is sim 40 s: the lines of 44, 54 and 64 s.
    since = (datetime.now(UTC) - timedelta(seconds=25)).strftime("%Y-%m-%dT%H:%M:%SZ")
    real = srv.kubectl("logs", "fort", f"--since-time={since}")
    assert [line[:23] for line in real.stdout.splitlines()] == [
        f"Wed Jan  1 00:00:{second} UTC" for second in ("44", "54")
    ] + ["Wed Jan  1 00:01:04 UTC"]
    sim_since = (SIM_EPOCH + timedelta(seconds=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    mine = srv.server.call(lambda: srv.session.run(f"kubectl logs fort --since-time={sim_since}"))
    assert mine.stdout == real.stdout


def test_follow_streams_until_the_container_ends(tmp_path: Path) -> None:
    session = new_session()
    line = (
        "kubectl run job1 --image=busybox --restart=Never -- "
        "sh -c 'echo one; sleep 5; echo two; sleep 5; echo three'"
    )
    assert session.run(line).exit_code == 0
    session.cluster.advance(3)
    with served(tmp_path, session) as running:
        proc = subprocess.Popen(
            [str(KUBECTL), "logs", "-f", "job1", "--timestamps"],
            env=running.kubectl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.endswith(" one\n")
        for _ in range(40):  # sim seconds, one every 50 ms of wall time
            if proc.poll() is not None:
                break
            running.advance(1)
            time.sleep(0.05)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert [text.split(" ", 1)[1] for text in out.splitlines()] == ["two", "three"]


def test_select_tail_before_since() -> None:
    lines = [(1000, "a"), (2000, "b"), (3000, "c"), (4000, "d")]
    assert select(lines, LogQuery(tail=2)) == [(3000, "c"), (4000, "d")]
    assert select(lines, LogQuery(tail=3, since_ms=3500)) == [(4000, "d")]
    assert select(lines, LogQuery(since_ms=2000)) == lines[1:]
    assert select(lines, LogQuery(tail=0)) == []


def test_stamps_and_byte_budget() -> None:
    assert log_stamp(1586) == "2025-01-01T00:00:01.586000000Z"
    assert log_stamp(0, 0.25) == "2025-01-01T00:00:00.250000000Z"
    assert render([(0, "x")], True) == b"2025-01-01T00:00:00.000000000Z x\n"
    budget = ByteBudget(5)
    assert budget.take(b"abc\n") == b"abc\n"
    assert budget.take(b"def\n") == b"d"
    assert budget.spent
    assert budget.take(b"more") == b""


def test_previous_run_keeps_its_line_times() -> None:
    session = new_session()
    line = "kubectl run crash --image=busybox -- sh -c 'echo up; sleep 2; echo down; exit 1'"
    assert session.run(line).exit_code == 0
    session.cluster.advance(30)
    out = session.run("kubectl logs crash -p --timestamps").stdout.splitlines()
    assert [text.split(" ", 1)[1] for text in out] == ["up", "down"]
    first, second = (datetime.fromisoformat(text[:26] + "+00:00") for text in out)
    assert second - first == timedelta(seconds=2)
