"""Image references, the catalog, the registry: lookups, pull errors, pull durations."""

from __future__ import annotations

import json

import pytest

from k8stui.engine.apimachinery.go_duration import go_duration
from k8stui.engine.images.catalog import builtin_images, builtin_registry
from k8stui.engine.images.model import Behavior, ImageRef, ImageRefError
from k8stui.engine.images.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return builtin_registry()


@pytest.mark.parametrize(
    ("text", "repository", "tag", "canonical"),
    [
        ("nginx", "nginx", "latest", "docker.io/library/nginx:latest"),
        ("nginx:1.27", "nginx", "1.27", "docker.io/library/nginx:1.27"),
        ("docker.io/library/nginx", "nginx", "latest", "docker.io/library/nginx:latest"),
        ("library/nginx:alpine", "nginx", "alpine", "docker.io/library/nginx:alpine"),
        ("docker.io/luksa/kubia", "luksa/kubia", "latest", "docker.io/luksa/kubia:latest"),
        ("luksa/kubia:v2", "luksa/kubia", "v2", "docker.io/luksa/kubia:v2"),
        ("quay.io/org/app:1", "quay.io/org/app", "1", "quay.io/org/app:1"),
        ("localhost:5000/app", "localhost:5000/app", "latest", "localhost:5000/app:latest"),
    ],
)
def test_reference_normalisation(text: str, repository: str, tag: str, canonical: str) -> None:
    ref = ImageRef.parse(text)
    assert (ref.repository, ref.tag, ref.canonical) == (repository, tag, canonical)
    assert str(ref) == f"{repository}:{tag}"
    assert ref.display == text


def test_digest_reference() -> None:
    digest = "sha256:" + "a" * 64
    ref = ImageRef.parse(f"nginx@{digest}")
    assert ref.digest == digest and ref.repository == "nginx"


@pytest.mark.parametrize("text", ["", "nginx:", "ngi nx", "-nginx", "nginx::1", "a//b", " nginx"])
def test_invalid_references(text: str) -> None:
    with pytest.raises(ImageRefError, match="invalid reference format"):
        ImageRef.parse(text)


def test_uppercase_reference_names_the_rule() -> None:
    with pytest.raises(ImageRefError, match=r"repository name \(library/Nginx\) must be lowercase"):
        ImageRef.parse("Nginx")


def test_catalog_images_resolve(registry: Registry) -> None:
    for name in [
        "luksa/kubia",
        "luksa/kubia:v1",
        "luksa/kubia:v2",
        "luksa/kubia:v3",
        "luksa/kubia-unhealthy",
        "luksa/fortune",
        "luksa/fortune:args",
        "luksa/fortune:env",
        "nginx",
        "nginx:alpine",
        "nginx:1.27",
        "docker.io/library/busybox",
        "redis",
        "node:7",
        "alpine",
        "k8stui/memhog",
        "k8stui/crasher",
    ]:
        image = registry.resolve(name)
        assert image is not None, name
        assert image.name == str(ImageRef.parse(name))
        assert image.id.startswith("sha256:") and len(image.id) == 71


def test_catalog_is_deterministic_and_realistic(registry: Registry) -> None:
    first = [image.model_dump(mode="json") for image in builtin_images()]
    second = [image.model_dump(mode="json") for image in builtin_images()]
    assert first == second
    nginx = registry.resolve("nginx:1.27")
    busybox = registry.resolve("busybox")
    assert nginx is not None and busybox is not None
    assert len(nginx.fs_layers) == 7 and nginx.size == 72_099_410
    assert len(busybox.fs_layers) == 1 and 4_000_000 < busybox.size < 4_500_000
    assert registry.resolve("nginx:latest").id == nginx.id  # type: ignore[union-attr]


def test_catalog_behaviours(registry: Registry) -> None:
    kubia = registry.resolve("luksa/kubia")
    v2 = registry.resolve("luksa/kubia:v2")
    v3 = registry.resolve("luksa/kubia:v3")
    assert kubia and v2 and v3
    assert kubia.behavior.response == "You've hit {hostname}\n"
    assert kubia.behavior.ports == [8080]
    assert kubia.behavior.logs == ["Kubia server starting..."]
    assert v2.behavior.response == "This is v2 running in pod {hostname}\n"
    assert v3.behavior.failing_after_requests == 5 and v3.behavior.failing_status == 500


def test_behavior_forbids_unknown_fields() -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        Behavior.model_validate({"portz": [80]})


def test_missing_tag_is_not_found(registry: Registry) -> None:
    assert registry.resolve("nginx:9.99") is None
    assert registry.pull_error("nginx:9.99") == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/'
        'nginx:9.99": failed to resolve reference "docker.io/library/nginx:9.99": '
        "docker.io/library/nginx:9.99: not found"
    )


def test_unknown_or_private_repository_is_access_denied(registry: Registry) -> None:
    error = registry.pull_error("nginxx")
    assert error is not None
    assert 'failed to pull and unpack image "docker.io/library/nginxx:latest"' in error
    assert "pull access denied, repository does not exist or may require authorization" in error
    registry_with_private = Registry(builtin_images())
    image = registry.resolve("luksa/kubia")
    assert image is not None
    registry_with_private.publish(image.named("username/private", "tag"), private=True)
    denied = registry_with_private.pull_error("username/private:tag")
    assert denied is not None and "pull access denied" in denied


def test_unknown_registry_host_and_invalid_name(registry: Registry) -> None:
    error = registry.pull_error("myregistry.local/app:1")
    assert error is not None and "lookup myregistry.local" in error and "no such host" in error
    invalid = registry.pull_error("Nginx")
    assert invalid is not None and invalid.startswith('Failed to apply default image tag "Nginx"')
    assert registry.pull_error("nginx") is None


def test_pull_duration_is_deterministic_and_shared_layers_are_skipped(registry: Registry) -> None:
    nginx = registry.resolve("nginx")
    redis = registry.resolve("redis")
    assert nginx and redis
    full = registry.pull_duration_ms(nginx, set())
    assert full == registry.pull_duration_ms(nginx, set())
    assert 1_500 < full < 3_000  # 72 MB at 50 MB/s plus latency
    have = {layer.id for layer in nginx.layers}
    assert registry.pull_duration_ms(redis, have) < registry.pull_duration_ms(redis, set())
    assert registry.pull_duration_ms(nginx, have) == 500


def test_remove_and_publish(registry: Registry) -> None:
    local = Registry.from_json(registry.to_json())
    assert local.remove("nginx:1.27") is True
    assert local.resolve("nginx:1.27") is None
    assert local.resolve("nginx:latest") is not None  # same image, other tag survives
    assert local.remove("nginx:1.27") is False
    assert local.pull_error("nginx:1.27") is not None


def test_registry_json_round_trip(registry: Registry) -> None:
    data = registry.to_json()
    text = json.dumps(data)
    restored = Registry.from_json(json.loads(text))
    assert restored.to_json() == data
    assert restored.resolve("luksa/kubia:v3") == registry.resolve("luksa/kubia:v3")


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0s"),
        (500, "500ms"),
        (512, "512ms"),
        (1000, "1s"),
        (1043, "1.043s"),
        (2100, "2.1s"),
        (2126, "2.126s"),
        (40_000, "40s"),
        (64_500, "1m4.5s"),
        (80_000, "1m20s"),
        (300_000, "5m0s"),
        (3_600_000, "1h0m0s"),
    ],
)
def test_go_duration(ms: int, text: str) -> None:
    assert go_duration(ms) == text
