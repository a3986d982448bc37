"""The image registry the cluster's nodes pull from (Docker Hub and friends, in one place).

Images are stored once by id and named by ``repository:tag``; several names may point at one
image (``nginx:latest`` and ``nginx:1.27``). Pull errors use the text a containerd 1.7 node
reports through the kubelet. Pull durations are deterministic: only the layers a node lacks
are downloaded, at :data:`PULL_BYTES_PER_SECOND` after a fixed :data:`PULL_LATENCY_MS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from k8stui.engine.images.model import DEFAULT_DOMAIN, Image, ImageRef, ImageRefError

PULL_BYTES_PER_SECOND = 50_000_000
"""Download bandwidth of a node (50 MB/s, a typical cloud VM pulling from Docker Hub)."""
PULL_LATENCY_MS = 500
"""Fixed cost of a pull: token, manifest and config round trips before any layer arrives."""


class Registry:
    """Published images, looked up by reference."""

    def __init__(self, images: Iterable[Image] = ()) -> None:
        self._images: dict[str, Image] = {}
        self._tags: dict[str, str] = {}
        self.generation = 0
        """Bumped on every change, so callers can cache answers about the registry."""
        self.private: set[str] = set()
        """Repositories (familiar names) that need credentials the nodes do not have."""
        for image in images:
            self.publish(image)

    def publish(self, image: Image, *, private: bool = False) -> None:
        """Store ``image`` under ``image.repository:image.tag`` (replacing that tag)."""
        ref = ImageRef.parse(image.name)
        self.generation += 1
        self._images.setdefault(image.id, image)
        self._tags[ref.name] = image.id
        if private:
            self.private.add(ref.repository)

    def resolve(self, ref: str) -> Image | None:
        """The image ``ref`` names (tag defaults to ``latest``), or None."""
        try:
            parsed = ImageRef.parse(ref)
        except ImageRefError:
            return None
        if parsed.digest is not None:
            for name, tagged_id in self._tags.items():
                image = self._images[tagged_id]
                if name.rsplit(":", 1)[0] == parsed.repository and image.digest == parsed.digest:
                    return image.named(parsed.repository, parsed.tag)
            return None
        image_id = self._tags.get(parsed.name)
        if image_id is None:
            return None
        return self._images[image_id].named(parsed.repository, parsed.tag)

    def remove(self, ref: str) -> bool:
        """Delete a tag (fault "image removed from the registry"); True if it existed."""
        try:
            name = ImageRef.parse(ref).name
        except ImageRefError:
            return False
        image_id = self._tags.pop(name, None)
        if image_id is None:
            return False
        self.generation += 1
        if image_id not in self._tags.values():
            del self._images[image_id]
        return True

    def names(self) -> list[str]:
        """Every ``repository:tag``, sorted."""
        return sorted(self._tags)

    def tags(self, repository: str) -> list[str]:
        """Tags of one repository, sorted."""
        return sorted(n.rsplit(":", 1)[1] for n in self._tags if n.rsplit(":", 1)[0] == repository)

    def layer_repository(self, layer_id: str) -> str | None:
        """A repository that already holds blob ``layer_id`` (for push's cross-repo mount).

        The smallest image holding the layer wins, so a base layer is mounted from its base
        image's repository (``library/node``) rather than from an app built on it.
        """
        holders = []
        for name, image_id in self._tags.items():
            image = self._images[image_id]
            if any(layer.id == layer_id for layer in image.fs_layers):
                holders.append((len(image.fs_layers), name.rsplit(":", 1)[0]))
        return min(holders)[1] if holders else None

    def pull_error(self, ref: str) -> str | None:
        """Why a node cannot pull ``ref`` (containerd's text), or None when it can.

        An unparsable reference gives the kubelet's ``InvalidImageName`` message instead.
        """
        try:
            parsed = ImageRef.parse(ref)
        except ImageRefError as exc:
            return (
                f'Failed to apply default image tag "{ref}": couldn\'t parse image name '
                f'"{ref}": {exc}'
            )
        canonical = parsed.canonical
        prefix = (
            f'failed to pull and unpack image "{canonical}": '
            f'failed to resolve reference "{canonical}"'
        )
        known_repo = any(n.rsplit(":", 1)[0] == parsed.repository for n in self._tags)
        if parsed.repository in self.private or (
            parsed.domain == DEFAULT_DOMAIN and not known_repo
        ):
            # Docker Hub answers "unauthorized" for a repository that does not exist, so a typo
            # in the name looks the same as a private repository.
            return (
                f"rpc error: code = Unknown desc = {prefix}: pull access denied, repository does "
                "not exist or may require authorization: server message: insufficient_scope: "
                "authorization failed"
            )
        if parsed.domain != DEFAULT_DOMAIN and not any(
            ImageRef.parse(n).domain == parsed.domain for n in self._tags
        ):
            return (
                f"rpc error: code = Unknown desc = {prefix}: failed to do request: Head "
                f'"https://{parsed.domain}/v2/{parsed.path}/manifests/{parsed.tag}": dial tcp: '
                f"lookup {parsed.domain} on 127.0.0.53:53: no such host"
            )
        if self.resolve(ref) is None:
            return f"rpc error: code = NotFound desc = {prefix}: {canonical}: not found"
        return None

    def pull_duration_ms(
        self,
        image: Image,
        already_have_layers: set[str],
        bytes_per_second: float = PULL_BYTES_PER_SECOND,
    ) -> int:
        """How long a node takes to pull ``image`` when it already has some layers."""
        missing = sum(
            layer.size for layer in image.fs_layers if layer.id not in already_have_layers
        )
        return PULL_LATENCY_MS + math.ceil(missing * 1000 / bytes_per_second)

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON snapshot."""
        return {
            "images": [image.model_dump(mode="json") for image in self._images.values()],
            "tags": dict(self._tags),
            "private": sorted(self.private),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Registry:
        """Restore a snapshot made by :meth:`to_json`."""
        registry = cls()
        for raw in data["images"]:
            image = Image.model_validate(raw)
            registry._images[image.id] = image
        registry._tags = dict(data["tags"])
        registry.private = set(data.get("private", []))
        return registry
