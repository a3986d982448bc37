"""``apply --server-side`` (field managers, conflicts), ``--prune -l``, ``--validate=warn|ignore``
and ``-l`` on apply, through the built-in kubectl (the differential harness has the oracle)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import VirtualFiles
from tests.console_helpers import ok

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {n}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
"""
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    p: 'y'\n"
FILES = {
    "d2.yaml": DEPLOY.format(n=2),
    "d4.yaml": DEPLOY.format(n=4),
    "a.yaml": CM.format(name="a"),
    "b.yaml": CM.format(name="b"),
    "odd.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\n  colour: red\n",
}


def _session() -> Session:
    return Session(Cluster(seed=1), VirtualFiles(dict(FILES)))


def test_server_side_apply_owns_fields_and_reports_conflicts_as_kubectl_does() -> None:
    s = _session()
    assert ok(s, "kubectl apply --server-side -f d2.yaml").stdout == (
        "deployment.apps/web serverside-applied\n"
    )
    live = s.cluster.get("Deployment", "web", "default")
    assert live is not None
    assert [e["manager"] for e in live["metadata"]["managedFields"]] == ["kubectl"]
    clash = s.run("kubectl apply --server-side -f d4.yaml --field-manager=other")
    assert clash.exit_code == 1
    assert clash.stderr.startswith(
        'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n'
        "Please review the fields above--they currently have other managers. Here\n"
    )
    assert clash.stderr.endswith(
        "See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n"
    )
    ok(s, "kubectl apply --server-side -f d4.yaml --field-manager=other --force-conflicts")
    assert ok(s, "kubectl get deploy web -o jsonpath={.spec.replicas}").stdout == "4"
    dry = ok(s, "kubectl apply --server-side -f d2.yaml --force-conflicts --dry-run=server")
    assert dry.stdout == "deployment.apps/web serverside-applied (server dry run)\n"
    assert ok(s, "kubectl get deploy web -o jsonpath={.spec.replicas}").stdout == "4"


def test_client_side_then_server_side_apply_is_no_conflict_with_oneself() -> None:
    s = _session()
    ok(s, "kubectl apply -f d2.yaml")
    assert ok(s, "kubectl apply --server-side -f d4.yaml").stdout.endswith("serverside-applied\n")
    # The last-applied annotation follows, so a later client-side apply sees no change.
    assert ok(s, "kubectl apply -f d4.yaml").stdout == "deployment.apps/web unchanged\n"


def test_server_side_flag_combinations_are_refused() -> None:
    s = _session()
    assert s.run("kubectl apply --force-conflicts -f d2.yaml").stderr == (
        "error: --force-conflicts only works with --server-side\n"
    )
    assert s.run("kubectl apply --server-side --dry-run=client -f d2.yaml").stderr == (
        "error: --dry-run=client doesn't work with --server-side (did you mean "
        "--dry-run=server instead?)\n"
    )


def test_prune_deletes_what_left_the_files() -> None:
    s = _session()
    ok(s, "kubectl apply -f a.yaml")
    ok(s, "kubectl apply -f b.yaml")
    ok(s, "kubectl create configmap manual")  # never applied: never pruned
    dry = ok(s, "kubectl apply -f a.yaml --prune -l p=y --dry-run=server")
    assert (
        dry.stdout
        == "configmap/a unchanged (server dry run)\nconfigmap/b pruned (server dry run)\n"
    )
    assert s.cluster.get("ConfigMap", "b", "default") is not None
    out = ok(s, "kubectl apply -f a.yaml --prune -l p=y --prune-allowlist=core/v1/ConfigMap")
    assert out.stdout == "configmap/a unchanged\nconfigmap/b pruned\n"
    assert s.cluster.get("ConfigMap", "b", "default") is None
    assert s.cluster.get("ConfigMap", "manual", "default") is not None
    assert s.run("kubectl apply -f a.yaml --prune").stderr.startswith(
        "error: all resources selected for prune without explicitly passing --all."
    )
    assert s.run("kubectl apply -f a.yaml --prune -l p=y --prune-allowlist=x").stderr == (
        "error: invalid GroupVersionKind format: x, please follow <group/version/kind>\n"
    )
    assert s.run("kubectl apply -f a.yaml -l p=n").stderr == "error: no objects passed to apply\n"


def test_validate_warn_drops_unknown_fields_with_warnings_and_ignore_is_silent() -> None:
    s = _session()
    strict = s.run("kubectl apply -f odd.yaml")
    assert strict.exit_code == 1 and 'unknown field "metadata.colour"' in strict.stderr
    warn = ok(s, "kubectl apply -f odd.yaml --validate=warn")
    assert (warn.stdout, warn.stderr) == (
        "configmap/odd created\n",
        'Warning: unknown field "metadata.colour"\n',
    )
    live = s.cluster.get("ConfigMap", "odd", "default")
    assert live is not None and "colour" not in live["metadata"]
    quiet = ok(s, "kubectl apply -f odd.yaml --validate=false")
    assert quiet.stderr == ""


APPLY_FLAGS = (
    "--server-side",
    "--force-conflicts",
    "--field-manager=m",
    "--prune",
    "--all",
    "-l p=y",
    "--prune-allowlist=core/v1/ConfigMap",
    "--prune-allowlist=bad",
    "--validate=warn",
    "--validate=ignore",
    "--dry-run=server",
    "--dry-run=client",
    "-o name",
    "-k .",
)


@settings(max_examples=60, deadline=None)
@given(
    files=st.lists(st.sampled_from(sorted(FILES)), min_size=1, max_size=2),
    flags=st.lists(st.sampled_from(APPLY_FLAGS), max_size=4),
)
def test_random_apply_lines_never_raise(files: list[str], flags: list[str]) -> None:
    s = _session()
    ok(s, "kubectl apply -f a.yaml")
    line = "kubectl apply " + " ".join(f"-f {f}" for f in files) + " " + " ".join(flags)
    result = s.run(line)
    assert "internal" not in result.stderr, (line, result)
