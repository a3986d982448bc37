"""``kubectl wait``: the simulated clock moves until the condition holds or time runs out."""

from __future__ import annotations

from tests.console_helpers import ok, session


def test_conditions_are_met_as_time_passes() -> None:
    s = session()
    ok(s, "kubectl create deployment web --image=luksa/kubia --replicas=2")
    out = ok(s, "kubectl wait --for=condition=Available deployment/web --timeout=60s").stdout
    assert out == "deployment.apps/web condition met\n"
    assert s.cluster.now_ms > 0
    pods = ok(s, "kubectl wait --for=condition=Ready pod -l app=web").stdout.splitlines()
    assert len(pods) == 2 and all(line.endswith(" condition met") for line in pods)


def test_jsonpath_and_delete() -> None:
    s = session()
    ok(s, "kubectl run p --image=nginx")
    assert ok(s, "kubectl wait --for=jsonpath={.status.phase}=Running pod/p").stdout == (
        "pod/p condition met\n"
    )
    ok(s, "kubectl delete pod p --wait=false")
    assert ok(s, "kubectl wait --for=delete pod/p --timeout=60s").stdout == "pod/p condition met\n"
    assert s.cluster.get("Pod", "p", "default") is None


def test_timeouts_and_missing_objects() -> None:
    s = session()
    ok(s, "kubectl run slow --image=nope:1")
    start = s.cluster.now_ms
    late = s.run("kubectl wait --for=condition=Ready pod/slow --timeout=5s")
    assert (late.exit_code, late.stderr) == (
        1,
        "error: timed out waiting for the condition on pods/slow\n",
    )
    assert s.cluster.now_ms - start == 5000
    missing = s.run("kubectl wait --for=condition=Ready pod/none")
    assert missing.stderr == 'Error from server (NotFound): pods "none" not found\n'
    assert s.run("kubectl wait pod/x").stderr == "error: --for must be specified\n"
