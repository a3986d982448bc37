"""``kubectl run -i/-t/--rm``: the pod runs to its end while simulated time passes."""

from __future__ import annotations

from tests.console_helpers import session


def test_a_one_shot_pod_prints_and_is_removed() -> None:
    s = session()
    result = s.run("kubectl run t --image=busybox -i --rm --restart=Never -- echo hello")
    assert (result.stdout, result.stderr, result.exit_code) == ('hello\npod "t" deleted\n', "", 0)
    assert s.cluster.get("Pod", "t", "default") is None
    assert s.cluster.now_ms > 0  # the clock moved while kubectl waited


def test_a_failing_command_fails_the_run() -> None:
    result = session().run(
        "kubectl run u --image=busybox -it --restart=Never -- sh -c 'echo out; exit 3'"
    )
    assert result.stdout == "out\n"
    assert result.stderr == (
        "If you don't see a command prompt, try pressing enter.\npod default/u terminated (Error)\n"
    )
    assert result.exit_code == 1


def test_rm_needs_an_attached_run_and_dry_run_cannot_attach() -> None:
    rm = session().run("kubectl run v --image=busybox --rm -- echo x")
    assert (rm.exit_code, rm.stderr) == (
        1,
        "error: --rm should only be used for attached containers\n",
    )
    dry = session().run("kubectl run v --image=busybox -i --dry-run=client -- echo x")
    assert dry.stderr.startswith("error: --dry-run=[server|client] can't be used with attached")


def test_a_process_that_never_ends_is_left_running_with_a_message() -> None:
    s = session()
    result = s.run("kubectl run w --image=busybox -i --rm --restart=Never -- sleep 99999")
    assert result.exit_code == 1
    assert "is still running after 5m of simulated time" in result.stderr
    assert s.cluster.get("Pod", "w", "default") is not None
