"""deploy/ and the Dockerfile: our own simulator accepts the manifests it simulates, the
Kubernetes 1.32 schema accepts all of them, and what they start is what ``k8stui web`` serves."""

from __future__ import annotations

import shlex
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from k8stui.cli import build_parser
from k8stui.shell import main as shell_main

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]


def deployment() -> dict:
    (found,) = [d for d in documents(DEPLOY / "k8stui-web.yaml") if d["kind"] == "Deployment"]
    return found


def test_the_simulator_accepts_deploy_on_a_server_dry_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = f"kubectl apply --dry-run=server -f {shlex.quote(str(DEPLOY))}"
    assert shell_main(["--strict", "-c", command]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [
        "deployment.apps/k8stui-web created (server dry run)",
        "service/k8stui-web created (server dry run)",
    ]


def test_the_deployment_becomes_four_pods_behind_an_affine_service(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = (
        f"kubectl apply -f {shlex.quote(str(DEPLOY))}; sleep 5; "
        "kubectl get pods -l app=k8stui-web --no-headers; "
        "kubectl get svc k8stui-web -o jsonpath={.spec.sessionAffinity}"
    )
    assert shell_main(["--strict", "-c", command]) == 0
    lines = capsys.readouterr().out.splitlines()
    pods = [line for line in lines if line.startswith("k8stui-web-")]
    assert len(pods) == 4
    assert lines[-1].strip() == "ClientIP"


@pytest.mark.parametrize("path", sorted(DEPLOY.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_manifest_is_valid_kubernetes_1_32(path: Path) -> None:
    for doc in documents(path):
        kubernetes_validate.validate(doc, "1.32.0", strict=True)


def test_probes_ask_for_paths_the_server_answers() -> None:
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    from k8stui.web.server import GameServer, WebSettings

    app = GameServer(WebSettings()).make_app()
    served = {resource.canonical for resource in app.router.resources()}
    (container,) = deployment()["spec"]["template"]["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] in served
        assert container[probe]["httpGet"]["port"] == "http"
    assert container["ports"][0]["containerPort"] == 8000


def test_the_container_arguments_are_ones_k8stui_web_takes() -> None:
    (container,) = deployment()["spec"]["template"]["spec"]["containers"]
    args = build_parser().parse_args(container["args"])
    assert (args.command, args.host, args.port, args.max_sessions) == ("web", "0.0.0.0", 8000, 8)
    env = {item["name"] for item in container["env"]}
    assert "K8STUI_WEB_PASSWORD" in env


def test_the_dockerfile_runs_k8stui_web_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text("utf-8").splitlines()]
    assert next(x for x in lines if x.startswith("FROM")).endswith("-slim")
    assert "USER 10001:10001" in lines
    assert any('pip install ".[web]"' in line for line in lines)
    cmd = next(line for line in lines if line.startswith("CMD ["))
    entry = next(line for line in lines if line.startswith("ENTRYPOINT"))
    assert yaml.safe_load(entry.removeprefix("ENTRYPOINT")) == ["k8stui"]
    args = build_parser().parse_args(yaml.safe_load(cmd.removeprefix("CMD")))
    assert (args.command, args.host, args.port) == ("web", "0.0.0.0", 8000)
