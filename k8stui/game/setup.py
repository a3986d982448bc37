"""Building a level's starting cluster: machines, timings, images and existing objects."""

from __future__ import annotations

import copy
from collections.abc import Callable

from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.collection import thaw
from k8stui.engine.errors import ApiError
from k8stui.engine.images.docker_host import DockerError, DockerHost
from k8stui.engine.images.model import Image, ImageRef, Layer, layer_id
from k8stui.engine.nodes import default_nodes
from k8stui.game.models import ImageSetup, Level

ContextReader = Callable[[str], dict[str, str]]
"""Gives the text files of a pack folder (a build context) by its path in the level."""

LEVEL_IMAGE_DATE = -86_400_000
"""Level images were "published" a day before the cluster started."""


class SetupError(Exception):
    """A level whose setup cannot be built (a defect of the level, reported by pack check)."""


def build_cluster(level: Level, read_context: ContextReader | None = None) -> Cluster:
    """A fresh cluster exactly as the level describes, settled for ``setup.settle`` seconds."""
    # An earlier level's cluster that a large bulk run froze can only be freed once thawed
    # (grading, proving and exams build one cluster after another in one process).
    thaw()
    setup = level.setup
    config = ClusterConfig(
        seed=setup.seed, nodes=setup.nodes or default_nodes(), timings=setup.timings
    )
    cluster = Cluster(config)
    for index, image in enumerate(setup.images):
        try:
            _provide_image(cluster, image, read_context)
        except (DockerError, SetupError, ValueError) as exc:
            raise SetupError(f"setup.images[{index}] ({image.name}): {exc}") from None
    for index, obj in enumerate(setup.objects):
        try:
            cluster.create(copy.deepcopy(obj))
        except ApiError as exc:
            raise SetupError(f"setup.objects[{index}]: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise SetupError(f"setup.objects[{index}]: not a valid object ({exc})") from None
    if setup.settle:
        cluster.advance(setup.settle)
    for component in setup.stopped:
        cluster.stop_component(component)
    return cluster


def _provide_image(cluster: Cluster, spec: ImageSetup, read_context: ContextReader | None) -> None:
    registry = cluster.images.registry
    ref = ImageRef.parse(spec.name)
    if spec.context is not None:
        if read_context is None:
            raise SetupError("a build context needs the pack it comes from")
        context = read_context(spec.context)
        # Registry-only images are built on a throwaway daemon so the player's stays empty.
        host = cluster.images.docker if spec.where != "registry" else DockerHost(registry)
        result = host.build(spec.name, context, now_ms=LEVEL_IMAGE_DATE)
        if result.image is None:
            raise SetupError(f"docker build failed: {result.error}")
        image = result.image
    else:
        image = _derived_image(cluster, spec, ref)
    if spec.where == "local":
        if spec.context is None:
            # The player's daemon only gains images by build or pull: publish, pull, withdraw.
            registry.publish(image)
            cluster.images.docker.pull(image.name)
            registry.remove(image.name)
        return
    registry.publish(image, private=spec.private)
    if spec.where == "both" and spec.context is None:
        cluster.images.docker.pull(image.name)


def _derived_image(cluster: Cluster, spec: ImageSetup, ref: ImageRef) -> Image:
    base: Image | None = None
    if spec.from_ is not None:
        base = cluster.images.registry.resolve(spec.from_) or cluster.images.docker.get(spec.from_)
        if base is None:
            raise SetupError(f"base image {spec.from_!r} is not in the registry")
    if base is not None and spec.behavior is None:
        return base.named(ref.repository, ref.tag)
    # A behaviour of its own means a program of its own: one more layer, so a new image id.
    created_by = f"/bin/sh -c #(nop) COPY dir:level-app-{ref.name} in /app "
    parent = base.id if base else ""
    layer = Layer(
        id=layer_id(parent, created_by),
        created_by=created_by,
        size=2_400_000,
        created=LEVEL_IMAGE_DATE,
    )
    fields = base.model_dump() if base else {"layers": []}
    fields.update(
        repository=ref.repository,
        tag=ref.tag,
        id=layer.id,
        layers=[*(base.layers if base else []), layer],
        behavior=spec.behavior,
        created=LEVEL_IMAGE_DATE,
    )
    if spec.behavior is not None and spec.behavior.ports:
        fields["exposed_ports"] = list(spec.behavior.ports)
    return Image.model_validate(fields)
