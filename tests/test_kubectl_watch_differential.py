"""``get -w`` and ``events -w``: the real kubectl on our API vs the built-in kubectl's watch.

Every watch line runs at once, both as the real kubectl against the served cluster and as a
built-in watch on a twin cluster (same seed, same setup); then the same changes and the same
one-second clock steps happen on both, and each built-in watch is polled where the served
one sends (after each change and each step). At the end the real kubectls are stopped and
their output must equal what the built-in watches printed, byte for byte once absolute times
are masked.
"""

from __future__ import annotations

import difflib
import subprocess
import time
from pathlib import Path

import pytest

from k8stui.console.session import Session
from tests.api_helpers import KUBECTL, new_session, served
from tests.test_api_differential import normalise

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")

SETUP = (
    "kubectl create deployment web --image=nginx --replicas=2",
    "kubectl create deployment api --image=nginx",
)
WATCHES = (
    "get pods -w",
    "get pods --watch-only",
    "get pods -w --output-watch-events",
    "get pods -w -o wide -L app --no-headers",
    "get pods -A -w -l app=web",
    "get deploy -w",
    "get deploy web -w -o name",
    "get rs -w --show-kind",
    "get pods -w -o custom-columns=NAME:.metadata.name,PHASE:.status.phase",
    "get pods --watch-only -o json --output-watch-events",
    "get deploy api -w -o yaml",
    "get pods -w --field-selector status.phase=Running",
    "get events -w",
    "get pods -w --output-watch-events -o jsonpath={.type},",
    "get cm -l k=v -w",
    "get cm -w --output-watch-events -o custom-columns=T:.type,N:.object.metadata.name",
    "events -w --for deployment/web",
)
CHANGES = (
    "kubectl scale deploy web --replicas=3",
    4,
    "kubectl delete pod -l app=web --wait=false",
    3,
    "kubectl set image deploy/api nginx=nginx:1.27",
    6,
    "kubectl delete deploy api",
    "kubectl create configmap c --from-literal=a=b",
    "kubectl label cm c k=v",
    32,
)
SEND_PAUSE = 0.25
"""Wall seconds for the served watches to send what a change or a step produced."""
FINAL_PAUSE = 1.0
"""Wall seconds for the real kubectls to print the last events before they are stopped."""


def test_watch_output_matches_the_real_kubectl(tmp_path: Path) -> None:
    assert KUBECTL is not None
    twin = new_session()
    with served(tmp_path) as srv:
        for line in SETUP:
            twin.run(line)
            srv.server.call(lambda line=line: srv.session.run(line))
        twin.cluster.advance(30)
        srv.advance(30)
        state = srv.server.runner.state
        assert state is not None
        # Files, not pipes: a watch printing JSON would fill a pipe nobody reads yet and stall.
        outputs = [(tmp_path / f"out{i}", tmp_path / f"err{i}") for i in range(len(WATCHES))]
        procs = []
        for line, (out_path, err_path) in zip(WATCHES, outputs, strict=True):
            with out_path.open("w") as out_file, err_path.open("w") as err_file:
                procs.append(
                    subprocess.Popen(
                        [KUBECTL, *line.split()],
                        env=srv.kubectl_env(),
                        stdout=out_file,
                        stderr=err_file,
                    )
                )
        watchers = [Session(twin.cluster, twin.files) for _ in WATCHES]
        printed = [
            watcher.run(f"kubectl {line}").stdout
            for watcher, line in zip(watchers, WATCHES, strict=True)
        ]

        def poll() -> None:
            time.sleep(SEND_PAUSE)
            for index, watcher in enumerate(watchers):
                printed[index] += "".join(text for _, text in watcher.poll_stream())

        deadline = time.monotonic() + 60
        while srv.server.call(lambda: state.hub.active) < len(WATCHES):
            assert time.monotonic() < deadline, "the real kubectl watches did not start"
            time.sleep(0.1)
        time.sleep(SEND_PAUSE)
        for change in CHANGES:
            if isinstance(change, str):
                twin.run(change)
                srv.server.call(lambda change=change: srv.session.run(change))
                poll()
                continue
            for _ in range(change):
                twin.cluster.advance(1.0)
                srv.advance(1.0)
                poll()
        time.sleep(FINAL_PAUSE)
        differences = []
        for line, proc, ours, (out_path, err_path) in zip(
            WATCHES, procs, printed, outputs, strict=True
        ):
            proc.terminate()
            proc.wait(timeout=20)
            out, err = out_path.read_text(), err_path.read_text()
            if normalise(ours) != normalise(out) or err:
                diff = difflib.unified_diff(
                    normalise(ours).splitlines(), normalise(out).splitlines(), lineterm=""
                )
                differences.append(f"$ kubectl {line}\n" + "\n".join(list(diff)[2:]) + err)
    assert not differences, "\n".join(differences)
