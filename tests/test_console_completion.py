"""complete(session, line): candidates for the TUI's tab completion."""

from __future__ import annotations

from k8stui.console.completion import complete
from tests.console_helpers import ok, session


def test_programs_commands_types_and_names() -> None:
    s = session()
    ok(s, "kubectl run kubia --image=luksa/kubia")
    assert complete(s, "") == [
        "kubectl",
        "docker",
        "curl",
        "sim",
        "sleep",
        "echo",
        "jobs",
        "kill",
        "help",
    ]
    assert complete(s, "kub") == ["kubectl"]
    assert "get" in complete(s, "kubectl ")
    assert complete(s, "kubectl ro") == ["rollout"]
    assert complete(s, "kubectl rollout ")[:4] == ["status", "history", "undo", "restart"]
    assert complete(s, "kubectl create s") == ["service", "secret", "serviceaccount"]
    assert "pods" in complete(s, "kubectl get ")
    assert complete(s, "kubectl get pods k") == ["kubia"]
    assert complete(s, "kubectl logs ")[:1] == ["kubia"]
    assert complete(s, "kubectl get pods --sh") == ["--show-labels", "--show-kind"]
    assert complete(s, "kubectl get pods -n ") == sorted(
        ["default", "kube-node-lease", "kube-public", "kube-system"]
    )
    assert complete(s, "kubectl cordon w") == ["worker-1", "worker-2", "worker-3"]
    assert complete(s, "sim cr") == ["crash-node"]
    assert complete(s, "sim crash-node worker-") == ["worker-1", "worker-2", "worker-3"]
    assert complete(s, "docker b") == ["build"]
    assert complete(s, "echo a; kubectl des") == ["describe"]
    assert complete(s, "kubectl get 'unterminated") == []


def test_new_commands_complete_their_words() -> None:
    s = session()
    ok(s, "kubectl create deployment web --image=nginx")
    assert complete(s, "kubectl config ") == [
        "current-context",
        "get-contexts",
        "set-context",
        "use-context",
        "view",
    ]
    assert complete(s, "kubectl config use-context ")[0] == "k8stui"
    assert complete(s, "kubectl set ") == ["env", "image", "resources"]
    assert complete(s, "kubectl set image deploy w") == ["web"]
    assert complete(s, "kubectl create se") == ["service", "secret", "serviceaccount"]
    assert complete(s, "kubectl get pods --show-k") == ["--show-kind"]


def test_forward_attach_explain_and_kill_complete_their_words() -> None:
    s = session()
    ok(s, "kubectl run kubia --image=luksa/kubia")
    ok(s, "sleep 30")
    assert complete(s, "kubectl attach k") == ["kubia"]
    assert complete(s, "kubectl port-forward k") == ["kubia"]
    assert complete(s, "kubectl explain deploy") == ["deploy", "deployments"]
    assert complete(s, "kill %") == []
    ok(s, "kubectl port-forward kubia 8080:8080")
    assert complete(s, "kill %") == ["%1"]
