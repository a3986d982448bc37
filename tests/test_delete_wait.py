"""``kubectl delete`` waits for the object to be gone (issue 12, audit fix 10).

``--wait=true`` is kubectl's default: it returns once the object is gone, and the simulated
clock runs meanwhile. ``luksa/kubia`` runs ``node app.js`` as PID 1 with no TERM handler, so
TERM does nothing and the kubelet KILLs it when the grace period (30 s) ends; nginx exits on
TERM at once. Texts are the real kubectl's.
"""

from __future__ import annotations

from tests.console_helpers import session

FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has "
    "been terminated. The resource may continue to run on the cluster indefinitely.\n"
)


def _deleting(image: str, line: str) -> tuple[str, str, float, object]:
    """Run ``line`` on a running pod ``k``: stdout, stderr, sim seconds it took, the pod after."""
    s = session()
    assert s.run(f"kubectl run k --image={image}").exit_code == 0
    s.cluster.advance(30)
    assert s.cluster.get("Pod", "k")["status"]["phase"] == "Running"
    before = s.cluster.now_ms
    result = s.run(line)
    return (
        result.stdout,
        result.stderr,
        (s.cluster.now_ms - before) / 1000,
        s.cluster.get("Pod", "k"),
    )


def test_kubia_ignores_term_so_delete_takes_the_grace_period() -> None:
    assert _deleting("luksa/kubia", "kubectl delete pod k") == ('pod "k" deleted\n', "", 30.0, None)


def test_an_app_that_exits_on_term_is_gone_quickly() -> None:
    out, err, took, after = _deleting("nginx", "kubectl delete pod k")
    assert (out, err, after) == ('pod "k" deleted\n', "", None)
    assert took < 5


def test_wait_false_returns_at_once_and_leaves_the_pod_terminating() -> None:
    out, _, took, after = _deleting("luksa/kubia", "kubectl delete pod k --wait=false")
    assert (out, took) == ('pod "k" deleted\n', 0.0)
    assert isinstance(after, dict)
    assert after["metadata"]["deletionGracePeriodSeconds"] == 30


def test_grace_period_and_now_shorten_the_wait() -> None:
    assert _deleting("luksa/kubia", "kubectl delete pod k --grace-period=5")[2] == 5.0
    assert _deleting("luksa/kubia", "kubectl delete pod k --now")[2] == 1.0


def test_force_deletes_at_once_with_the_warning() -> None:
    line = "kubectl delete pod k --grace-period=0 --force"
    assert _deleting("luksa/kubia", line) == ('pod "k" force deleted\n', FORCE_WARNING, 0.0, None)


def test_the_kubelet_kills_the_container_when_the_grace_period_ends() -> None:
    s = session()
    s.run("kubectl run k --image=luksa/kubia")
    s.cluster.advance(30)
    s.run("kubectl delete pod k --wait=false")
    s.cluster.advance(29)
    assert s.cluster.get("Pod", "k") is not None
    s.cluster.advance(1)
    assert s.cluster.get("Pod", "k") is None
