"""How the catalog's images are assembled: layers in ``docker history`` shape on a base."""

from __future__ import annotations

from typing import Any

from k8stui.engine.images.model import Image, Layer, layer_id, sha256_id

DAY = 86_400_000
"""One day in sim milliseconds: image creation times are days before the cluster starts."""


def rootfs(name: str, size: int) -> tuple[str, int]:
    """An OS layer: the root filesystem added from a tarball."""
    return (f"/bin/sh -c #(nop) ADD file:{sha256_id(name)[7:]} in / ", size)


def copy_layer(path: str, dest: str, size: int) -> tuple[str, int]:
    """A ``COPY`` layer of ``size`` bytes."""
    return (f"/bin/sh -c #(nop) COPY file:{sha256_id(path)[7:]} in {dest} ", size)


def nop(text: str) -> tuple[str, int]:
    """A 0-byte metadata step (``CMD``, ``ENV``, ``EXPOSE``...)."""
    return (f"/bin/sh -c #(nop)  {text}", 0)


def stack(
    repository: str,
    tag: str,
    base: Image | None,
    steps: list[tuple[str, int]],
    created: int,
    **config: Any,
) -> Image:
    """An image made of ``base``'s layers plus ``steps``; config inherits from ``base``."""
    parent = base.id if base else ""
    layers = list(base.layers) if base else []
    for created_by, size in steps:
        parent = layer_id(parent, created_by)
        empty = "#(nop)" in created_by and " ADD " not in created_by and " COPY " not in created_by
        layers.append(
            Layer(id=parent, created_by=created_by, size=size, created=created, empty_layer=empty)
        )
    inherited: dict[str, Any] = {}
    if base is not None:
        inherited = base.model_dump(
            include={"env", "workdir", "cmd", "entrypoint", "files", "behavior", "exposed_ports"}
        )
    fields = {**inherited, **config}
    return Image.model_validate(
        {"repository": repository, "tag": tag, "id": parent, "layers": layers, "created": created}
        | fields
    )
