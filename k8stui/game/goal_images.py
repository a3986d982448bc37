"""Goal: the player built an image (with the expected layers) and pushed it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from k8stui.engine.images.model import Image
from k8stui.game.goal_base import CheckBase, GoalView, Verdict


class ImageCheck(CheckBase):
    """An image exists in the player's Docker host, has the expected layers, maybe pushed.

    ``layers`` lists texts that must appear, in this order, in the image's history (the
    ``CREATED BY`` column of ``docker history``); ``base`` names an image whose layers must be
    the bottom of this one (it was built ``FROM`` it).
    """

    type: Literal["image"]
    name: str = Field(description="repository[:tag] as given to docker build -t")
    pushed: bool = Field(False, description="also in the registry, same image id")
    base: str | None = None
    layers: list[str] = Field(default_factory=list)

    def default_title(self) -> str:
        return f"image {self.name} built" + (" and pushed" if self.pushed else "")

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        images = view.cluster.images
        local = images.docker.get(self.name)
        if local is None:
            return Verdict(False, f"no local image {self.name}: build it with docker build -t")
        problem = self._layers_problem(local) or self._base_problem(view, local)
        if problem:
            return Verdict(False, problem)
        if self.pushed:
            remote = images.registry.resolve(self.name)
            if remote is None:
                return Verdict(False, f"{self.name} is built but not in the registry: push it")
            if remote.id != local.id:
                return Verdict(
                    False,
                    f"the registry holds an older {self.name} ({remote.short_id}); "
                    f"push the new build ({local.short_id})",
                )
            return Verdict(True, f"{self.name} ({local.short_id}) built and pushed")
        return Verdict(True, f"{self.name} ({local.short_id}) built, {len(local.layers)} layers")

    def _layers_problem(self, image: Image) -> str:
        history = [layer.created_by for layer in image.layers]
        position = 0
        for wanted in self.layers:
            while position < len(history) and wanted not in history[position]:
                position += 1
            if position == len(history):
                return f"{self.name} has no layer made by {wanted!r} (after the ones before it)"
            position += 1
        return ""

    def _base_problem(self, view: GoalView, image: Image) -> str:
        if self.base is None:
            return ""
        base = view.cluster.images.registry.resolve(self.base) or view.cluster.images.docker.get(
            self.base
        )
        if base is None:
            return f"base image {self.base} is unknown"
        own = [layer.id for layer in image.layers[: len(base.layers)]]
        if own != [layer.id for layer in base.layers]:
            return f"{self.name} is not built FROM {self.base}"
        return ""
