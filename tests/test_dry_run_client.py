"""``--dry-run=client`` shows the object as kubectl holds it and sends nothing (issue 12, fix 5).

Expected texts are the real kubectl 1.32's against ``k8stui serve``: no server defaults, no
``AlreadyExists``/``NotFound`` from a write that never happens, ``(dry run)`` after the
operation word and ``(server dry run)`` for ``--dry-run=server``.
"""

from __future__ import annotations

from tests.console_helpers import session

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fp\nspec:\n  containers:\n  - name: main\n    image: nginx\n"
AS_READ = """apiVersion: v1
kind: Pod
metadata:
  name: fp
  namespace: {ns}
spec:
  containers:
  - image: nginx
    name: main
"""
LAST_APPLIED = (
    '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"fp",'
    '"namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"main"}]}}'
)


def _out(line: str, *setup: str) -> tuple[str, str, int]:
    s = session({"pod.yaml": POD})
    for before in setup:
        assert s.run(before).exit_code == 0, before
    result = s.run(line)
    return result.stdout, result.stderr, result.exit_code


def test_create_file_prints_the_object_as_read() -> None:
    assert _out("kubectl create -f pod.yaml --dry-run=client -o yaml") == (
        AS_READ.format(ns="default"),
        "",
        0,
    )
    # the namespace does not have to exist: nothing is sent
    assert _out("kubectl create -f pod.yaml -n team --dry-run=client -o yaml")[0] == (
        AS_READ.format(ns="team")
    )


def test_create_file_does_not_meet_the_existing_object() -> None:
    assert _out("kubectl create -f pod.yaml --dry-run=client", "kubectl create -f pod.yaml") == (
        "pod/fp created (dry run)\n",
        "",
        0,
    )


def test_replace_file_prints_the_object_as_read() -> None:
    out = _out("kubectl replace -f pod.yaml --dry-run=client -o yaml", "kubectl create -f pod.yaml")
    assert out == (AS_READ.format(ns="default"), "", 0)


def test_apply_new_object_shows_the_annotation_it_would_get() -> None:
    out, err, code = _out("kubectl apply -f pod.yaml --dry-run=client -o yaml")
    assert out == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: |\n"
        f"      {LAST_APPLIED}\n  name: fp\n  namespace: default\n"
        "spec:\n  containers:\n  - image: nginx\n    name: main\n"
    )
    assert (err, code) == ("", 0)


def test_apply_existing_object_is_configured_without_warning_or_write() -> None:
    s = session({"pod.yaml": POD})
    s.run("kubectl create -f pod.yaml")
    before = s.cluster.get("Pod", "fp")
    result = s.run("kubectl apply -f pod.yaml --dry-run=client")
    assert (result.stdout, result.stderr) == ("pod/fp configured (dry run)\n", "")
    assert s.cluster.get("Pod", "fp") == before


def test_delete_dry_runs() -> None:
    setup = ("kubectl create -f pod.yaml",)
    assert _out("kubectl delete pod fp nope --dry-run=client", *setup)[0] == (
        'pod "fp" deleted (dry run)\npod "nope" deleted (dry run)\n'
    )
    assert _out("kubectl delete pod fp --dry-run=server", *setup)[0] == (
        'pod "fp" deleted (server dry run)\n'
    )
    assert _out("kubectl delete pod fp --dry-run=client -o name", *setup)[0] == "pod/fp\n"
    assert _out("kubectl delete pod fp --force --grace-period=0 --dry-run=client", *setup)[:2] == (
        'pod "fp" force deleted (dry run)\n',
        "Warning: Immediate deletion does not wait for confirmation that the running resource "
        "has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    )
    s = session({"pod.yaml": POD})
    s.run("kubectl create -f pod.yaml")
    s.run("kubectl delete pod fp --dry-run=client")
    assert s.cluster.get("Pod", "fp") is not None


def test_label_and_annotate_dry_runs() -> None:
    setup = ("kubectl create -f pod.yaml",)
    assert _out("kubectl label pod fp a=b --dry-run=client", *setup)[0] == (
        "pod/fp labeled (dry run)\n"
    )
    assert _out("kubectl label pod fp a=b --dry-run=server", *setup)[0] == (
        "pod/fp labeled (server dry run)\n"
    )
    assert _out("kubectl annotate pod fp a=b --dry-run=client", *setup)[0] == (
        "pod/fp annotated (dry run)\n"
    )
    assert _out("kubectl label pod nope a=b --dry-run=client") == (
        "",
        'Error from server (NotFound): pods "nope" not found\n',
        1,
    )
    s = session({"pod.yaml": POD})
    s.run("kubectl create -f pod.yaml")
    shown = s.run("kubectl label pod fp a=b --dry-run=client -o yaml").stdout
    assert "  labels:\n    a: b\n" in shown
    assert "labels" not in s.cluster.get("Pod", "fp")["metadata"]


def test_scale_dry_run() -> None:
    setup = ("kubectl create deployment web --image=nginx",)
    assert _out("kubectl scale deployment web --replicas=3 --dry-run=client", *setup)[0] == (
        "deployment.apps/web scaled (dry run)\n"
    )
    assert _out("kubectl scale deployment/web rs/nope --replicas=3 --dry-run=client", *setup) == (
        "deployment.apps/web scaled (dry run)\n",
        'Error from server (NotFound): replicasets.apps "nope" not found\n',
        1,
    )
    s = session()
    s.run(setup[0])
    s.run("kubectl scale deployment web --replicas=3 --dry-run=client")
    assert s.cluster.get("Deployment", "web")["spec"]["replicas"] == 1
