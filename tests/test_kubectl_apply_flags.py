"""``kubectl apply`` flags: ``--validate`` values, ``--field-manager``, ``-f`` with URLs and lists."""

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


Q_YAML = POD_YAML.replace("name: kubia", "name: other")


def test_one_f_value_may_name_several_files_as_kubectl_reads_it() -> None:
    s = session({"pod.yaml": POD_YAML, "q.yaml": Q_YAML})
    assert ok(s, "kubectl apply -f pod.yaml,q.yaml").stdout == (
        "pod/kubia created\npod/other created\n"
    )
    assert ok(s, "kubectl delete -f q.yaml,pod.yaml --wait=false").stdout == (
        'pod "other" deleted\npod "kubia" deleted\n'
    )
    # CSV: a quoted name keeps its comma; an empty value names no file at all.
    quoted = s.run("kubectl apply -f '\"a,b.yaml\"'")
    assert quoted.stderr == 'error: the path "a,b.yaml" does not exist\n'
    assert s.run("kubectl apply -f ''").stderr == "error: must specify one of -f and -k\n"
