"""The image catalogue covers the tags tutorials use (issue 12, audit fix 11).

Each listed tag is a real upstream tag with the behaviour of its image family and its own
content id; a tag Docker Hub does not have fails with containerd's ``not found`` and the
kubelet's ErrImagePull / ImagePullBackOff events (reference §2.3).
"""

from __future__ import annotations

import pytest

from k8stui.engine.images.catalog import builtin_images, builtin_registry
from tests.console_helpers import session

TUTORIAL_TAGS = [
    "nginx:1.14.2",
    "nginx:1.16.1",
    "nginx:1.19",
    "nginx:1.21.6",
    "nginx:1.25",
    "nginx:1.26",
    "nginx:1.27",
    "nginx:1.27.3",
    "nginx:mainline-alpine",
    "busybox:1.28",
    "busybox:1.36",
    "alpine:3.18",
    "alpine:3.20",
    "ubuntu:22.04",
    "ubuntu:jammy",
    "luksa/kiada:0.1",
    "luksa/kiada:0.2",
    "luksa/kiada:0.3",
]


@pytest.mark.parametrize("ref", TUTORIAL_TAGS)
def test_tutorial_tags_resolve(ref: str) -> None:
    assert builtin_registry().pull_error(ref) is None


def test_versions_are_images_of_their_own() -> None:
    registry = builtin_registry()
    ids = {ref: registry.resolve(ref).id for ref in ("nginx:1.14.2", "nginx:1.25", "nginx:1.27")}
    assert len(set(ids.values())) == 3
    assert registry.resolve("nginx:1.27.3").id == ids["nginx:1.27"]  # one release, two tags
    assert registry.resolve("nginx:1.25").env["NGINX_VERSION"] == "1.25.5"


def test_catalogue_is_deterministic() -> None:
    first = [image.model_dump(mode="json") for image in builtin_images()]
    assert first == [image.model_dump(mode="json") for image in builtin_images()]


@pytest.mark.parametrize("ref", ["nginx:1.99", "busybox:9.9", "luksa/kiada:0.99"])
def test_a_tag_that_does_not_exist_upstream_fails_to_pull(ref: str) -> None:
    s = session()
    s.run(f"kubectl run bad --image={ref}")
    s.cluster.advance(30)
    canonical = ("docker.io/library/" if "/" not in ref else "docker.io/") + ref
    events = s.run("kubectl get events --field-selector involvedObject.name=bad").stdout
    assert (
        f'Failed to pull image "{ref}": rpc error: code = NotFound desc = failed to pull and '
        f'unpack image "{canonical}": failed to resolve reference "{canonical}": {canonical}: '
        "not found"
    ) in events
    assert "Error: ErrImagePull" in events
    assert f'Back-off pulling image "{ref}"' in events
    assert "Error: ImagePullBackOff" in events


def test_old_nginx_serves_its_page_and_busybox_sleeps() -> None:
    s = session()
    s.run("kubectl run web --image=nginx:1.14.2")
    s.run("kubectl run box --image=busybox:1.28 -- sleep 3600")
    s.cluster.advance(30)
    ip = s.cluster.get("Pod", "web")["status"]["podIP"]
    assert "Welcome to nginx!" in s.run(f"kubectl exec box -- wget -qO- {ip}").stdout
    assert s.cluster.get("Pod", "box")["status"]["phase"] == "Running"


def test_kiada_answers_as_the_book_shows() -> None:
    s = session()
    s.run("kubectl run kiada --image=luksa/kiada:0.1 --port=8080")
    s.run("kubectl run client --image=busybox -- sleep 3600")
    s.cluster.advance(30)
    ip = s.cluster.get("Pod", "kiada")["status"]["podIP"]
    client_ip = s.cluster.get("Pod", "client")["status"]["podIP"]
    answer = s.run(f"kubectl exec client -- wget -qO- {ip}:8080").stdout
    assert answer == (
        f'Kiada version 0.1. Request processed by "kiada". Client IP: ::ffff:{client_ip}\n'
    )
    assert s.run("kubectl logs kiada").stdout.splitlines() == [
        "Kiada - Kubernetes in Action Demo Application",
        "---------------------------------------------",
        "Kiada 0.1 starting...",
        "Local hostname is kiada",
        "Listening on port 8080",
        f"Received request for / from ::ffff:{client_ip}",
    ]


@pytest.mark.parametrize(("tag", "seconds"), [("0.1", 30.0), ("0.3", 1.0)])
def test_kiada_before_0_3_ignores_term(tag: str, seconds: float) -> None:
    s = session()
    s.run(f"kubectl run kiada --image=luksa/kiada:{tag}")
    s.cluster.advance(30)
    before = s.cluster.now_ms
    s.run("kubectl delete pod kiada")
    assert (s.cluster.now_ms - before) / 1000 == seconds
