"""The official ``kubernetes`` Python client against a served cluster on 127.0.0.1:0."""

from __future__ import annotations

import json
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api_helpers import Served, served

kubernetes = pytest.importorskip("kubernetes", reason="the kubernetes client is in the test extra")
from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Any]]:
    tmp = tmp_path_factory.mktemp("api")
    with served(tmp) as srv:
        api_client = config.new_client_from_config(config_file=str(srv.kubeconfig))
        yield srv, api_client
        api_client.close()


def _pod(name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {"app": name}},
        "spec": {"containers": [{"name": "main", "image": "nginx"}]},
    }


def test_create_and_list_with_selectors(api: tuple[Served, Any]) -> None:
    srv, api_client = api
    core = client.CoreV1Api(api_client)
    core.create_namespaced_pod("default", _pod("alpha", {"app": "a", "tier": "web"}))
    core.create_namespaced_pod("default", _pod("beta", {"app": "b", "tier": "web"}))
    srv.advance(30)
    by_label = core.list_namespaced_pod("default", label_selector="tier=web,app!=b")
    assert [p.metadata.name for p in by_label.items] == ["alpha"]
    by_field = core.list_namespaced_pod("default", field_selector="metadata.name=beta")
    assert [p.metadata.name for p in by_field.items] == ["beta"]
    running = core.list_pod_for_all_namespaces(field_selector="status.phase=Running")
    assert {"alpha", "beta"} <= {p.metadata.name for p in running.items}
    node = core.read_namespaced_pod("alpha", "default").spec.node_name
    on_node = core.list_pod_for_all_namespaces(field_selector=f"spec.nodeName={node}")
    assert all(p.spec.node_name == node for p in on_node.items) and on_node.items


def test_pages_with_limit_and_continue(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    core = client.CoreV1Api(api_client)
    first = core.list_pod_for_all_namespaces(limit=3)
    assert len(first.items) == 3 and first.metadata._continue
    rest = core.list_pod_for_all_namespaces(limit=500, _continue=first.metadata._continue)
    everything = core.list_pod_for_all_namespaces()
    names = [p.metadata.name for p in first.items + rest.items]
    assert names == [p.metadata.name for p in everything.items]


def test_create_twice_is_already_exists(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    core = client.CoreV1Api(api_client)
    core.create_namespaced_pod("default", _pod("twice"))
    with pytest.raises(ApiException) as info:
        core.create_namespaced_pod("default", _pod("twice"))
    assert info.value.status == 409
    body = json.loads(info.value.body)
    assert body["reason"] == "AlreadyExists"
    assert body["message"] == 'pods "twice" already exists'


def test_stale_resource_version_conflicts(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    core = client.CoreV1Api(api_client)
    pod = core.create_namespaced_pod("default", _pod("stale"))
    core.patch_namespaced_pod("stale", "default", {"metadata": {"labels": {"x": "1"}}})
    pod.metadata.labels = {"x": "2"}
    with pytest.raises(ApiException) as info:
        core.replace_namespaced_pod("stale", "default", pod)
    assert info.value.status == 409
    assert json.loads(info.value.body)["message"] == (
        'Operation cannot be fulfilled on pods "stale": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_watch_sees_added_modified_deleted(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    core = client.CoreV1Api(api_client)
    start = core.list_namespaced_pod("default").metadata.resource_version
    core.create_namespaced_pod("default", _pod("watched"))
    core.patch_namespaced_pod("watched", "default", {"metadata": {"labels": {"seen": "yes"}}})
    core.delete_namespaced_pod("watched", "default", grace_period_seconds=0)
    seen = []
    stream = watch.Watch().stream(
        core.list_namespaced_pod,
        "default",
        field_selector="metadata.name=watched",
        resource_version=start,
        timeout_seconds=2,
    )
    for event in stream:
        seen.append(event["type"])
        if event["type"] == "DELETED":
            break
    assert seen[0] == "ADDED" and "MODIFIED" in seen and seen[-1] == "DELETED"


def test_patch_types(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    apps = client.AppsV1Api(api_client)
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "patched"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "patched"}},
            "template": {
                "metadata": {"labels": {"app": "patched"}},
                "spec": {
                    "containers": [
                        {"name": "a", "image": "nginx"},
                        {"name": "b", "image": "busybox", "command": ["sleep", "9999"]},
                    ]
                },
            },
        },
    }
    apps.create_namespaced_deployment("default", deployment)
    # Strategic merge (the client's default for dicts): containers merge by name.
    apps.patch_namespaced_deployment(
        "patched",
        "default",
        {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx:1.27"}]}}}},
    )
    live = apps.read_namespaced_deployment("patched", "default")
    assert [(c.name, c.image) for c in live.spec.template.spec.containers] == [
        ("a", "nginx:1.27"),
        ("b", "busybox"),
    ]
    # JSON patch (a list body).
    apps.patch_namespaced_deployment(
        "patched", "default", [{"op": "replace", "path": "/spec/replicas", "value": 2}]
    )
    assert apps.read_namespaced_deployment("patched", "default").spec.replicas == 2
    # JSON merge patch: lists are replaced whole.
    apps.patch_namespaced_deployment(
        "patched",
        "default",
        {"metadata": {"labels": {"merged": "yes"}}},
        _content_type="application/merge-patch+json",
    )
    assert apps.read_namespaced_deployment("patched", "default").metadata.labels == {
        "merged": "yes"
    }


def test_scale_subresource(api: tuple[Served, Any]) -> None:
    srv, api_client = api
    apps = client.AppsV1Api(api_client)
    apps.create_namespaced_deployment(
        "default",
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "scaled"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "scaled"}},
                "template": {
                    "metadata": {"labels": {"app": "scaled"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                },
            },
        },
    )
    scale = apps.patch_namespaced_deployment_scale("scaled", "default", {"spec": {"replicas": 3}})
    assert scale.spec.replicas == 3
    srv.advance(30)
    read = apps.read_namespaced_deployment_scale("scaled", "default")
    assert read.status.replicas == 3 and read.status.selector == "app=scaled"


def test_log_and_eviction_and_delete(api: tuple[Served, Any]) -> None:
    srv, api_client = api
    core = client.CoreV1Api(api_client)
    core.create_namespaced_pod("default", _pod("logged"))
    srv.advance(30)
    text = core.read_namespaced_pod_log("logged", "default")
    assert "nginx" in text or text == "" or "start" in text.lower()
    with pytest.raises(ApiException) as info:
        core.read_namespaced_pod_log("logged", "default", container="nope")
    assert info.value.status == 400
    core.create_namespaced_pod_eviction(
        "logged",
        "default",
        {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "logged"}},
    )
    terminating = core.read_namespaced_pod("logged", "default")
    assert terminating.metadata.deletion_timestamp is not None
    srv.advance(60)
    with pytest.raises(ApiException) as gone:
        core.read_namespaced_pod("logged", "default")
    assert gone.value.status == 404
    assert json.loads(gone.value.body)["message"] == 'pods "logged" not found'


def test_invalid_object_has_causes(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    core = client.CoreV1Api(api_client)
    bad = _pod("bad")
    bad["spec"]["containers"][0]["image"] = ""
    with pytest.raises(ApiException) as info:
        core.create_namespaced_pod("default", bad)
    body = json.loads(info.value.body)
    assert info.value.status == 422 and body["reason"] == "Invalid"
    assert body["details"]["causes"][0]["field"] == "spec.containers[0].image"


def _raw(srv: Served, path: str, token: str | None) -> tuple[int, dict[str, Any]]:
    cfg = srv.kubeconfig.read_text()
    import base64

    import yaml

    data = yaml.safe_load(cfg)
    ca = base64.b64decode(data["clusters"][0]["cluster"]["certificate-authority-data"])
    ca_file = srv.kubeconfig.parent / "ca.crt"
    ca_file.write_bytes(ca)
    context = ssl.create_default_context(cafile=str(ca_file))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = data["clusters"][0]["cluster"]["server"] + path
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_requests_without_the_token_get_401(api: tuple[Served, Any]) -> None:
    srv, _ = api
    for token in (None, "wrong"):
        code, body = _raw(srv, "/api/v1/namespaces/default/pods", token)
        assert code == 401
        assert body == {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": "Unauthorized",
            "reason": "Unauthorized",
            "code": 401,
        }


def test_listens_on_loopback_only(api: tuple[Served, Any]) -> None:
    srv, _ = api
    port = srv.server.port
    addresses = {
        s.getsockname()[0]
        for site in srv.server.runner._runner.sites  # type: ignore[union-attr]
        for s in [site._sock]  # type: ignore[attr-defined]
    }
    assert addresses <= {"127.0.0.1", "::1"} and "127.0.0.1" in addresses
    outside = _outside_address()
    if outside is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    with pytest.raises(OSError):
        socket.create_connection((outside, port), timeout=2).close()


def _outside_address() -> str | None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent for a UDP connect
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_kubeconfig_has_context_and_ca(api: tuple[Served, Any], tmp_path: Path) -> None:
    srv, _ = api
    text = srv.kubeconfig.read_text()
    assert "current-context: k8stui" in text and "certificate-authority-data" in text


def test_server_side_apply_conflict_and_force(api: tuple[Served, Any]) -> None:
    _srv, api_client = api
    apps = client.AppsV1Api(api_client)
    manifest = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "owned", "labels": {"app": "owned"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "owned"}},
            "template": {
                "metadata": {"labels": {"app": "owned"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }
    apps.patch_namespaced_deployment(
        "owned",
        "default",
        manifest,
        field_manager="alice",
        _content_type="application/apply-patch+yaml",
    )
    other = {**manifest, "spec": {**manifest["spec"], "replicas": 3}}
    with pytest.raises(ApiException) as info:
        apps.patch_namespaced_deployment(
            "owned",
            "default",
            other,
            field_manager="bob",
            _content_type="application/apply-patch+yaml",
        )
    body = json.loads(info.value.body)
    assert info.value.status == 409 and body["reason"] == "Conflict"
    assert body["message"].startswith('Apply failed with 1 conflict: conflict with "alice"')
    forced = apps.patch_namespaced_deployment(
        "owned",
        "default",
        other,
        field_manager="bob",
        force=True,
        _content_type="application/apply-patch+yaml",
    )
    assert forced.spec.replicas == 3
    managers = {entry.manager for entry in forced.metadata.managed_fields}
    assert managers == {"alice", "bob"}
