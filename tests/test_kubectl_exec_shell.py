"""``kubectl exec -it POD -- sh``: later lines go to the container's shell until ``exit``."""

from __future__ import annotations

from k8stui.console.session import Session
from tests.console_helpers import ok, session


def _attached() -> Session:
    s = session()
    ok(s, "kubectl run w --image=nginx")
    s.cluster.advance(20)
    result = ok(s, "kubectl exec -it w -- sh")
    assert (result.stdout, result.stderr) == ("", "")
    assert s.prompt == "/ # "
    return s


def test_lines_run_in_the_container_until_exit() -> None:
    s = _attached()
    assert ok(s, "hostname").stdout == "w\n"
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in ok(s, "env").stdout.splitlines()
    missing = s.run("kubectl get pods")  # no kubectl inside the container
    assert (missing.stderr, missing.exit_code) == ("sh: kubectl: not found\n", 127)
    assert s.run("exit").exit_code == 0
    assert s.prompt is None and s.stream is None
    assert ok(s, "kubectl get pods -o name").stdout == "pod/w\n"  # the console again


def test_exit_with_a_status_is_reported_as_kubectl_does() -> None:
    s = _attached()
    result = s.run("exit 3")
    assert (result.stderr, result.exit_code) == ("command terminated with exit code 3\n", 3)
    assert s.shell is None


def test_bash_prompt_and_stop() -> None:
    s = session()
    ok(s, "kubectl run w --image=nginx")
    s.cluster.advance(20)
    ok(s, "kubectl exec -it w -- bash")
    assert s.prompt == "root@w:/# "
    s.stop_stream()  # Esc / Ctrl+C in the console
    assert s.prompt is None


def test_without_stdin_sh_is_still_a_one_shot_exec() -> None:
    s = session()
    ok(s, "kubectl run w --image=nginx")
    s.cluster.advance(20)
    ok(s, "kubectl exec w -- sh -c hostname")
    assert s.shell is None


def test_in_a_script_the_lines_after_exec_it_go_to_the_shell() -> None:
    s = session()
    ok(s, "kubectl run w --image=nginx")
    s.cluster.advance(20)
    script = "kubectl exec -it w -- sh\nhostname\nexit\nkubectl get pods -o name\n"
    outputs = [result.stdout for _, result in s.run_script(script)]
    assert outputs == ["", "w\n", "", "pod/w\n"]
