"""``get -L``, ``--show-kind``, ``-o custom-columns`` and ``custom-columns-file``."""

from __future__ import annotations

import pytest

from k8stui.console.session import Session
from k8stui.kubectl.custom_columns import CustomColumnsError, parse_spec, relaxed_template
from tests.console_helpers import ok, session

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: web, app.kubernetes.io/tier: {tier}}}
spec:
  containers:
  - {{name: a, image: nginx}}
  - {{name: b, image: redis}}
"""


def _two_pods() -> Session:
    s = session(
        {
            "a.yaml": POD.format(name="one", tier="front"),
            "b.yaml": POD.format(name="two", tier="back"),
        }
    )
    ok(s, "kubectl apply -f a.yaml")
    ok(s, "kubectl apply -f b.yaml")
    return s


def test_label_columns_use_the_last_key_segment_as_header() -> None:
    out = ok(_two_pods(), "kubectl get pods -L app.kubernetes.io/tier -L app,missing").stdout
    lines = out.splitlines()
    assert lines[0].split() == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "TIER",
        "APP",
        "MISSING",
    ]
    assert lines[1].split()[-2:] == ["front", "web"]
    assert lines[2].split()[-2:] == ["back", "web"]


def test_label_columns_come_before_show_labels() -> None:
    header = ok(_two_pods(), "kubectl get pods -L app --show-labels").stdout.splitlines()[0]
    assert header.split()[-2:] == ["APP", "LABELS"]


def test_show_kind_prefixes_names() -> None:
    out = ok(_two_pods(), "kubectl get pods --show-kind --no-headers").stdout
    assert [line.split()[0] for line in out.splitlines()] == ["pod/one", "pod/two"]


def test_custom_columns_join_matches_and_mark_missing() -> None:
    line = "kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,X:status.nothere"
    out = ok(_two_pods(), line).stdout
    assert out.splitlines() == [
        "NAME   IMAGES        X",
        "one    nginx,redis   <none>",
        "two    nginx,redis   <none>",
    ]


def test_custom_columns_file_and_no_headers() -> None:
    s = _two_pods()
    s.files.write("cols.txt", "NAME  FIRST\n.metadata.name {.spec.containers[0].name}\n")
    out = ok(s, "kubectl get pods -o custom-columns-file=cols.txt --no-headers").stdout
    assert out.splitlines() == ["one   a", "two   a"]


def test_custom_columns_print_maps_as_go_does() -> None:
    out = ok(_two_pods(), "kubectl get pod one -o custom-columns=L:.metadata.labels").stdout
    assert out.splitlines()[1] == "map[app:web app.kubernetes.io/tier:front]"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "error: custom-columns format specified but no custom columns given"),
        ("NAME", "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
    ],
)
def test_bad_specs_are_refused_as_kubectl_words_them(spec: str, message: str) -> None:
    result = _two_pods().run(f"kubectl get pods -o custom-columns={spec}")
    assert (result.exit_code, result.stderr.strip()) == (1, message)


def test_relaxed_expressions() -> None:
    assert relaxed_template("metadata.name") == "{.metadata.name}"
    assert relaxed_template(".metadata.name") == "{.metadata.name}"
    assert relaxed_template("{.metadata.name}") == "{.metadata.name}"
    with pytest.raises(CustomColumnsError):
        parse_spec("A:{.a}}")
