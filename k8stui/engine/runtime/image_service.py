"""The container runtime's view of images: node image caches, pulls, and what processes do.

This joins the registry (what can be pulled), the per-node caches kept in the kubelets'
runtime state (what each node already has), and ``process.resolve`` (what a container built
from an image and a container spec will do). Resolutions are pure, so they are cached by
their inputs instead of being stored in snapshots.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.images.catalog import builtin_registry
from k8stui.engine.images.docker_host import DockerHost
from k8stui.engine.images.model import Image, ImageRef, ImageRefError
from k8stui.engine.images.registry import Registry
from k8stui.engine.runtime import process

Obj = dict[str, Any]


def normalized(ref: str) -> str:
    """The cache key of an image reference (``nginx`` -> ``nginx:latest``)."""
    try:
        return str(ImageRef.parse(ref))
    except ImageRefError:
        return ref


class ImageService:
    """Registry + image library + the player's Docker host, shared by every node."""

    def __init__(self, pull_bandwidth_mb: float = 50.0) -> None:
        self.pull_bandwidth = pull_bandwidth_mb * 1_000_000
        self.registry = builtin_registry()
        self.docker = DockerHost(self.registry)
        self.library: dict[str, Image] = {}
        self._process_cache: dict[str, process.ProcessSpec] = {}
        # Digests hash a manifest: compute each once per image id.
        self._image_ids: dict[str, str] = {}
        self._digests: dict[str, str] = {}
        self._node_lists: dict[tuple[tuple[str, str], ...], list[Obj]] = {}
        self._pull_errors: dict[tuple[int, str], str | None] = {}

    # -- pulls ------------------------------------------------------------------------------
    def on_node(self, nrt: Obj, ref: str) -> str | None:
        """Image id the node holds for ``ref``, or None."""
        image_id: str | None = nrt["images"].get(normalized(ref))
        return image_id

    def pull_error(self, ref: str) -> str | None:
        """Why the registry will not serve ``ref`` (containerd's text), or None."""
        key = (self.registry.generation, ref)
        if key not in self._pull_errors:
            if len(self._pull_errors) > 4096:
                self._pull_errors.clear()
            self._pull_errors[key] = self.registry.pull_error(ref)
        return self._pull_errors[key]

    def pull_ms(self, nrt: Obj, ref: str) -> int:
        """How long this node needs to pull ``ref`` given the layers it already has."""
        image = self.registry.resolve(ref)
        if image is None:
            return 0
        have = set(nrt.setdefault("layers", []))
        return self.registry.pull_duration_ms(image, have, self.pull_bandwidth)

    def store_on_node(self, nrt: Obj, ref: str) -> tuple[str, int]:
        """Record a finished pull on the node; returns (image id, size in bytes)."""
        image = self.registry.resolve(ref)
        assert image is not None, "pull_error() is checked first"
        self.library.setdefault(image.id, image)
        nrt["images"][normalized(ref)] = image.id
        layers = nrt.setdefault("layers", [])
        for layer in image.fs_layers:
            if layer.id not in layers:
                layers.append(layer.id)
        return image.id, image.size

    def node_image_list(self, nrt: Obj) -> list[Obj]:
        """``status.images`` of a node, as the kubelet reports it (ImageLocality reads it)."""
        cache_key = tuple(nrt["images"].items())
        cached = self._node_lists.get(cache_key)
        if cached is not None:
            return cached
        by_id: dict[str, list[str]] = {}
        for name, image_id in nrt["images"].items():
            by_id.setdefault(image_id, []).append(name)
        listed = []
        for image_id, names in by_id.items():
            image = self.library[image_id]
            ref = ImageRef.parse(names[0])
            full = [f"{ref.canonical_name}@{self._digest(image)}"] + [
                ImageRef.parse(n).canonical for n in sorted(names)
            ]
            listed.append({"names": full, "sizeBytes": image.size})
        self._node_lists[cache_key] = listed
        return listed

    def _digest(self, image: Image) -> str:
        digest = self._digests.get(image.id)
        if digest is None:
            digest = self._digests[image.id] = image.digest
        return digest

    def image_ids(self) -> dict[str, str]:
        """Image id -> the ``imageID`` a container status shows (``repo@sha256:...``)."""
        if len(self._image_ids) != len(self.library):
            self._image_ids = {
                i: f"{ImageRef.parse(img.name).canonical_name}@{self._digest(img)}"
                for i, img in self.library.items()
            }
        return self._image_ids

    # -- processes --------------------------------------------------------------------------
    def process(self, image_id: str, container: Obj, pod: Obj) -> process.ProcessSpec:
        """What the container's main process does (cached by image, command, args and env)."""
        env: dict[str, str] = {}
        for var in container.get("env") or []:
            if "value" in var:
                env[str(var["name"])] = str(var["value"])
        command = container.get("command")
        args = container.get("args")
        # (repr, not json.dumps: the key is made for every container that starts)
        cache_key = repr((image_id, command, args, sorted(env.items())))
        # The pod name only matters where the spec itself uses $HOSTNAME; elsewhere it stays a
        # {hostname} placeholder that logs and answers fill in, so one resolution serves every
        # replica of a template.
        if "HOSTNAME" in cache_key:
            env["HOSTNAME"] = pod["metadata"]["name"]
            cache_key = repr((image_id, command, args, sorted(env.items())))
        else:
            env["HOSTNAME"] = "{hostname}"
        spec = self._process_cache.get(cache_key)
        if spec is None:
            spec = process.resolve(self.library[image_id], command, args, env)
            self._process_cache[cache_key] = spec
        return spec

    # -- snapshot ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Registry, Docker host and pulled images."""
        return {
            "registry": self.registry.to_json(),
            "docker": self.docker.to_json(),
            "library": [image.model_dump(mode="json") for image in self.library.values()],
        }

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.registry = Registry.from_json(data["registry"])
        self.docker = DockerHost.from_json(data["docker"], self.registry)
        self.library = {}
        for raw in data["library"]:
            image = Image.model_validate(raw)
            self.library[image.id] = image
        self._process_cache = {}
        self._image_ids = {}
        self._node_lists = {}
        self._pull_errors = {}
