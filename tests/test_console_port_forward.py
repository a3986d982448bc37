"""``kubectl port-forward`` and ``kubectl attach`` in the console: jobs, curl, errors.

The texts are the real kubectl's (checked against ``k8stui serve``; the byte comparison with
the real kubectl is in the second half and skips where kubectl is absent).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from k8stui.console.session import Session
from tests.api_helpers import KUBECTL, Served, new_session, served

SETUP = (
    "kubectl run web --image=luksa/kubia --port=8080",
    "kubectl create deployment dep --image=luksa/kubia --port=8080",
    "kubectl expose deployment dep --port=80 --target-port=8080",
    "sleep 40",
    "kubectl run pend --image=nope/nope",
)


def _session() -> Session:
    session = new_session()
    for line in SETUP:
        assert session.run(line).exit_code == 0, line
    return session


def test_forward_prints_kubectls_lines_and_curl_reaches_the_pod() -> None:
    s = _session()
    started = s.run("kubectl port-forward pod/web 18080:8080")
    assert (started.stdout, started.exit_code) == (
        "Forwarding from 127.0.0.1:18080 -> 8080\nForwarding from [::1]:18080 -> 8080\n",
        0,
    )
    answer = s.run("curl localhost:18080")
    assert answer.stdout == "Handling connection for 18080\nYou've hit web\n"
    assert s.run("curl -s 127.0.0.1:18080/x").exit_code == 0
    assert (
        s.run("jobs").stdout
        == "[1]+  Running                 kubectl port-forward pod/web 18080:8080 &\n"
    )


def test_service_and_deployment_resolve_to_a_pod_and_address_flag() -> None:
    s = _session()
    svc = s.run("kubectl port-forward svc/dep 18082:80 &")
    assert svc.stdout.splitlines()[0] == "Forwarding from 127.0.0.1:18082 -> 8080"
    assert s.run("curl -s localhost:18082").stdout.startswith(
        "Handling connection for 18082\nYou've hit dep-"
    )
    only_v4 = s.run("kubectl port-forward --address 127.0.0.1 deploy/dep :8080")
    assert only_v4.stdout == "Forwarding from 127.0.0.1:41000 -> 8080\n"
    refused = s.run("kubectl port-forward --address 0.0.0.0 web 9000")
    assert refused.exit_code == 1 and "only from 127.0.0.1 or localhost" in refused.stderr
    assert s.run("jobs").stdout.count("Running") == 2


def test_kill_busy_port_and_lost_pod() -> None:
    s = _session()
    s.run("kubectl port-forward web 8080")
    s.run("kubectl port-forward web :8080")
    other = s.run("kubectl port-forward web :8080 41001:8080 :8080")
    assert other.stdout.splitlines()[::2] == [
        "Forwarding from 127.0.0.1:41002 -> 8080",
        "Forwarding from 127.0.0.1:41001 -> 8080",
        "Forwarding from 127.0.0.1:41003 -> 8080",
    ]
    assert s.run("kill %3").stdout.startswith("[3]+  Terminated")
    busy = s.run("kubectl port-forward web 8080:8080")
    assert busy.exit_code == 1
    assert busy.stderr.endswith(
        "error: unable to listen on any of the requested ports: [{8080 8080}]\n"
    )
    killed = s.run("kill %1")
    assert killed.stdout == "[1]-  Terminated              kubectl port-forward web 8080 &\n"
    assert s.run("kill %1").stderr == "k8stui: kill: %1: no such job\n"
    assert s.run("curl localhost:8080").stderr == (
        "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n"
    )
    gone = s.run("kubectl delete pod web")
    assert gone.combined == (
        'pod "web" deleted\nerror: lost connection to pod\n'
        "[2]+  Exit 1                  kubectl port-forward web :8080 &\n"
    )
    assert s.run("jobs").stdout == ""
    s.run("kubectl port-forward tty 18093:8080")  # (no such pod)
    s.run("kubectl run other --image=luksa/kubia; sleep 20")
    s.run("kubectl port-forward other 18092:8080")
    s.run("kubectl delete pod other --wait=false")  # terminating: it still answers
    assert s.run("curl -s localhost:18092").stdout.endswith("You've hit other\n")
    listed = s.run("kubectl delete pod other; jobs; jobs")
    assert listed.combined == (
        'pod "other" deleted\nerror: lost connection to pod\n'
        "[1]+  Exit 1                  kubectl port-forward other 18092:8080 &\n"
    )


def test_a_refused_port_ends_the_forward_as_kubectl_does() -> None:
    s = _session()
    s.run("kubectl port-forward web 9999")
    answer = s.run("curl localhost:9999")
    assert answer.exit_code == 52
    lines = answer.combined.splitlines()
    assert lines[0] == "Handling connection for 9999"
    assert lines[1].endswith(
        'err="an error occurred forwarding 9999 -> 9999: error forwarding port 9999 to pod web, '
        "uid : failed to connect to localhost:9999 inside the pod: dial tcp4 127.0.0.1:9999: "
        'connect: connection refused"'
    )
    assert lines[2:] == [
        "error: lost connection to pod",
        "curl: (52) Empty reply from server",
        "[1]+  Exit 1                  kubectl port-forward web 9999 &",
    ]


def test_attach_prints_new_output_until_the_container_ends() -> None:
    s = _session()
    line = (
        "kubectl run job1 --image=busybox --restart=Never -- "
        "sh -c 'echo one; sleep 5; echo two; sleep 5; echo three'"
    )
    assert s.run(line).exit_code == 0
    s.run("sleep 3")
    script = "\n".join(["kubectl attach job1", "kubectl attach job1"])
    (_, first), (_, second) = list(s.run_script(script))
    assert first.stdout == "two\nthree\n"
    assert first.stderr == "If you don't see a command prompt, try pressing enter.\n"
    assert second.stderr == (
        "error: cannot attach a container in a completed pod; current phase is Succeeded\n"
    )


TTY_POD = """apiVersion: v1
kind: Pod
metadata: {name: tty}
spec:
  containers:
  - {name: app, image: luksa/kubia, stdin: true, tty: true}
"""


def test_attach_tty_warning_quiet_and_following_in_the_console() -> None:
    s = _session()
    no_tty = s.run("kubectl attach -it web")
    assert no_tty.stderr == (
        "error: Unable to use a TTY - container web did not allocate one\n"
        "If you don't see a command prompt, try pressing enter.\n"
    )
    assert no_tty.stream is not None  # it goes on streaming, as kubectl does
    assert s.run("kubectl apply -f -", stdin=TTY_POD).exit_code == 0
    s.run("sleep 20")
    with_tty = s.run("kubectl attach -t tty")
    assert with_tty.stderr == "If you don't see a command prompt, try pressing enter.\n"
    quiet = s.run("kubectl attach -q web")
    assert (quiet.stdout, quiet.stderr) == ("", "")
    s.run("kubectl run ticker --image=luksa/fortune")
    s.run("sleep 15")
    assert s.run("kubectl attach ticker").stream is not None
    s.cluster.advance(25)
    printed = "".join(text for _, text in s.poll_stream())
    assert printed.count("Writing fortune to /var/htdocs/index.html") == 2
    assert s.stream is not None
    s.run("kubectl delete pod ticker --wait=false")  # the next line ends the attach
    assert s.stream is None


def test_a_deployment_forwards_to_the_pod_ready_longest() -> None:
    s = _session()
    s.run("kubectl scale deployment dep --replicas=3")
    s.run("sleep 30")

    def ready_since(pod: dict[str, Any]) -> str:
        ready = [c for c in pod["status"]["conditions"] if c["type"] == "Ready"]
        return str(ready[0]["lastTransitionTime"]) + pod["metadata"]["name"]

    pods = [p for p in s.cluster.list("Pod", "default") if p["metadata"]["name"].startswith("dep-")]
    expected = min(pods, key=ready_since)["metadata"]["name"]
    assert s.run("kubectl port-forward deploy/dep 18090:8080").exit_code == 0
    assert s.run("curl -s localhost:18090").stdout.endswith(f"You've hit {expected}\n")


def test_jobs_and_kill_usage() -> None:
    s = _session()
    assert s.run("jobs").stdout == ""
    assert s.run("kill").exit_code == 2
    assert s.run("kill 1234").stderr == "k8stui: kill: 1234: no such job\n"
    s.run("kubectl port-forward web 18091:8080 &")
    assert s.run("kill %%").stdout.startswith("[1]+  Terminated")


# (the real kubectl as the oracle: errors are whole outputs; a forward's first lines)
ERRORS = (
    "port-forward",
    "port-forward pod/web",
    "port-forward pod/nope 8080",
    "port-forward pend 8080",
    "port-forward svc/dep 9999",
    "port-forward pod/web abc",
    "port-forward pod/web 8080:http",
    "port-forward pod/web 0",
    "port-forward pod/web 70000",
    "port-forward pod/web a:80",
    "port-forward cm/x 8080",
    "port-forward deploy/nope 8080",
    "attach",
    "attach nope",
    "attach web -c x",
    "attach deploy/dep -c zz",
    "attach a b",
    "attach pend",
    "attach svc/nope",
    "port-forward svc/nope 80",
    "port-forward web :",
    "port-forward web http:8080",
    "port-forward cm/kube-root-ca.crt 80",
)
FORWARDS = (
    "port-forward pod/web 18180:8080 18181:8080",
    "port-forward svc/dep 18182:80",
    "port-forward --address 127.0.0.1 web 18183:8080",
    "port-forward --address localhost,127.0.0.1 web 18184:8080",
)
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("pfc"), _session()) as running:
        yield running


@needs_kubectl
@pytest.mark.parametrize("line", ERRORS)
def test_errors_match_the_real_kubectl(srv: Served, line: str) -> None:
    real = srv.kubectl(*line.split(), timeout=20)
    mine = srv.server.call(lambda: srv.session.run("kubectl " + line))
    assert (mine.stdout, mine.stderr, mine.exit_code) == (real.stdout, real.stderr, real.returncode)


@needs_kubectl
@pytest.mark.parametrize("line", FORWARDS)
def test_forwarding_lines_match_the_real_kubectl(srv: Served, line: str) -> None:
    assert KUBECTL is not None
    mine = srv.server.call(
        lambda: Session(srv.session.cluster, srv.session.files).run("kubectl " + line)
    )
    expected = mine.stdout.splitlines(keepends=True)
    proc = subprocess.Popen(
        [KUBECTL, *line.split()], env=srv.kubectl_env(), stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    try:
        got = [proc.stdout.readline() for _ in expected]
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert got == expected
