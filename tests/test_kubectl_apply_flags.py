"""``kubectl apply`` flags: ``--validate`` values, ``--field-manager``, ``-f`` with URLs."""

from __future__ import annotations

from tests.console_helpers import POD_YAML, ok, session


def test_validate_values_as_kubectl_checks_them() -> None:
    s = session({"pod.yaml": POD_YAML})
    bad = s.run("kubectl apply -f pod.yaml --validate=foo")
    assert (bad.exit_code, bad.stderr) == (
        1,
        'error: invalid - validate option "foo"; must be one of: strict (or true), warn, '
        "ignore (or false)\n",
    )
    assert s.cluster.get("Pod", "kubia", "default") is None
    assert ok(s, "kubectl apply -f pod.yaml --validate=true --field-manager me").stdout == (
        "pod/kubia created\n"
    )
    # --validate=warn|ignore drop unknown fields instead: tests/test_kubectl_apply_server_side.py
    assert ok(s, "kubectl apply -f pod.yaml --validate=ignore").stdout == "pod/kubia unchanged\n"


def test_urls_are_refused_with_one_offline_line() -> None:
    result = session().run("kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot read https://k8s.io/examples/pods/simple-pod.yaml: the simulated "
        "cluster has no network; save the manifest to a file and use -f FILE\n"
    )
