"""Random argv and random command lines never escape as exceptions or internal errors."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.commands.main import run_kubectl
from k8stui.kubectl.files import VirtualFiles
from tests.console_helpers import POD_YAML

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
