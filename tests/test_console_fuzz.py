"""Random argv and random command lines never escape as exceptions or internal errors."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8stui.console.session import Session
from k8stui.engine.clock import MAX_MS
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.commands.main import run_kubectl
from k8stui.kubectl.files import VirtualFiles
from tests.console_helpers import POD_YAML

# K8STUI_FUZZ=1 runs the extreme-number campaign with 10,000 examples; the default is quick.
FUZZ = settings(
    max_examples=10_000 if os.environ.get("K8STUI_FUZZ") == "1" else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# One cluster for all examples: commands may change it, which only widens what is explored.
CLUSTER = Cluster(seed=5)
FILES = VirtualFiles({"pod.yaml": POD_YAML, "bad.yaml": "a: [", "dir/x.yaml": POD_YAML})
SESSION = Session(CLUSTER, FILES)
SESSION.run("kubectl apply -f pod.yaml; kubectl create deployment web --image=nginx; sleep 20")

WORDS = st.sampled_from(
    [
        "get", "describe", "create", "apply", "delete", "run", "scale", "expose", "label",
        "annotate", "logs", "exec", "edit", "cordon", "uncordon", "drain", "rollout", "top",
        "status", "history", "undo", "deployment", "service", "clusterip", "nodeport",
        "namespace", "pods", "po", "svc", "deploy", "rs", "rc", "no", "nodes", "ns", "ev", "ep",
        "all", "kubia", "web", "worker-1", "pod/kubia", "deploy/web", "-f", "pod.yaml",
        "bad.yaml", "dir", "-", "-o", "yaml", "json", "wide", "name", "jsonpath={.items[*]}",
        "-l", "app=web", "app in (a,b)", "!x", "-n", "default", "kube-system", "-A", "--all",
        "--force", "--grace-period=0", "--replicas=2", "--replicas", "-1", "--image=nginx",
        "--port=80", "--tcp=80:8080", "--dry-run=client", "--", "ls", "cat", "/x", "hostname",
        "--sort-by=.metadata.name", "--field-selector", "status.phase=Running", "-c", "x",
        "--previous", "--tail=1", "a=b", "a-", "--overwrite", "--to-revision=1", "-h", "=",
        "", "--watch=false", "--timeout=1s", "-it", "--show-labels", "--no-headers",
    ]
)  # fmt: skip
ARGV = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=7)
LINE = st.text(
    alphabet=st.sampled_from(list("kubectl get pods -o;|'\"#=/{}[]().,$\\ \tsimdockercurl")),
    max_size=40,
)


@given(ARGV)
def test_random_kubectl_argv_never_raises(argv: list[str]) -> None:
    output = run_kubectl(CLUSTER, FILES, argv, stdin=POD_YAML)
    text = "".join(output.stderr)
    assert "internal" not in text, (argv, text)
    assert isinstance(output.code, int)


@given(
    st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=6),
    st.sampled_from(["kubectl", "docker", "curl", "sim", "sleep", "echo"]),
)
def test_random_command_lines_never_raise(words: list[str], program: str) -> None:
    import shlex

    result = SESSION.run(program + " " + shlex.join(words))
    assert "error: internal" not in result.stderr, (program, words, result.stderr)


@given(LINE)
def test_random_text_lines_never_raise(line: str) -> None:
    result = SESSION.run(line)
    assert "error: internal" not in result.stderr, (line, result.stderr)


EXTREME_NUMBERS = st.sampled_from(
    [
        "inf", "-inf", "nan", "1e400", "1e309", "-1", "0", "-0", "2147483647", "2147483648",
        "-2147483649", "9223372036854775807", "9223372036854775808", "9" * 30, "9" * 5000,
        "0x10", "0x" + "f" * 40, "010", "1_0", "1.5", ".5", "1e3", "+5", " 5", "０", "",
    ]
)  # fmt: skip
UNITS = st.sampled_from(["", "s", "ms", "m", "h", "h30m", "us", "ns", "d", "y"])
EXTREME_COMMANDS = st.sampled_from(
    [
        "sim advance {n}{u}", "sleep {n}{u}", "kubectl scale deploy web --replicas={n}",
        "kubectl create deployment x{n} --image=nginx --replicas={n}",
        "kubectl delete pod nope --grace-period={n}", "kubectl delete pod nope --timeout={n}{u}",
        "kubectl logs nope --tail={n}", "kubectl rollout undo deploy/web --to-revision={n}",
        "kubectl create service nodeport s --tcp={n}:80 --node-port={n}",
        "kubectl run r --image=nginx --port={n}", "curl -m {n} web",
    ]
)  # fmt: skip


_EXTREME: list[Session] = []


@settings(FUZZ)
@given(EXTREME_COMMANDS, EXTREME_NUMBERS, UNITS)
def test_extreme_numbers_and_durations_give_clean_answers(
    template: str, number: str, unit: str
) -> None:
    line = template.format(n=number, u=unit)
    if not _EXTREME or _EXTREME[0].cluster.now_ms > MAX_MS // 2:
        # Shared for speed; replaced before absurd advances could use up the clock.
        _EXTREME[:] = [Session(Cluster(seed=2), VirtualFiles({}))]
        _EXTREME[0].run("kubectl create deployment web --image=nginx")
    result = _EXTREME[0].run(line)
    assert "internal" not in result.stderr, (line, result.stderr)
    assert "Traceback" not in result.combined
    assert "set_int_max_str_digits" not in result.combined
