"""Static checks that a level's names point at something: nodes, images, files, services.

These run before a level is played, so a typo in a node name or an image tag is reported at
its line in the level file rather than as a puzzling "reference solution does not win".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from k8stui.engine.images.catalog import builtin_registry
from k8stui.engine.images.model import ImageRef, ImageRefError
from k8stui.engine.images.registry import Registry
from k8stui.engine.nodes import default_nodes
from k8stui.game.goal_base import CheckBase
from k8stui.game.goal_images import ImageCheck
from k8stui.game.goal_pods import PodsCheck
from k8stui.game.goal_traffic import AvailabilityCheck
from k8stui.game.goals import walk
from k8stui.game.models import ApplyStep, BuildStep, RunStep, WriteStep
from k8stui.game.pack import Pack, PackLevel
from k8stui.game.pack_source import Issue
from k8stui.game.wave_models import Target
from k8stui.manifests import load_documents

_BUILD_TAG = re.compile(r"docker\s+(?:image\s+)?build\b.*?(?:-t|--tag)[ =](\S+)")
_DOCKER_TAG = re.compile(r"docker\s+tag\s+\S+\s+(\S+)")
_registry: Registry | None = None


def _builtin() -> Registry:
    global _registry
    if _registry is None:
        _registry = builtin_registry()
    return _registry


def _norm(ref: str) -> str:
    try:
        return ImageRef.parse(ref).name
    except ImageRefError:
        return ref


def check_references(pack: Pack, entry: PackLevel) -> list[Issue]:
    """Every dangling reference of one level, positioned in its file."""
    level = entry.level
    issues: list[Issue] = []

    def report(path: tuple[Any, ...], message: str) -> None:
        line, column = entry.located.position(path)
        issues.append(Issue(entry.path, line, column, message))

    nodes = {n.name for n in (level.setup.nodes or default_nodes())}
    images = {_norm(n) for n in _builtin().names()}
    for index, image in enumerate(level.setup.images):
        if image.from_ is not None and _norm(image.from_) not in images:
            report(("setup", "images", index, "from"), f"unknown base image {image.from_!r}")
        images.add(_norm(image.name))
    for step in level.solution.steps:
        if isinstance(step, BuildStep):
            images.add(_norm(step.build))
        elif isinstance(step, RunStep):
            for pattern in (_BUILD_TAG, _DOCKER_TAG):
                images.update(_norm(m.group(1)) for m in pattern.finditer(step.run))
        elif hasattr(step, "as_"):
            images.add(_norm(step.as_))
    for goal_index, goal in enumerate(level.goals):
        for _key, check in walk(goal, str(goal_index)):
            for message in _goal_problems(check, nodes, images):
                report(("goals", goal_index), message)
    for wave_index, wave in enumerate(level.waves):
        for step_index, wave_step in enumerate(wave.steps):
            if wave_step.fault is None:  # an applied object names no node
                continue
            target = wave_step.fault.target
            name = target if isinstance(target, str) else _node_name(target)
            if name is not None and "node" in wave_step.fault.kind and name not in nodes:
                where = ("waves", wave_index, "steps", step_index, "fault", "target")
                report(where, f"no node named {name!r} in the setup")
    files = set(pack.starting_files(level.id)) | set(pack.solution_files(level.id))
    services = _services(pack, entry, files)
    for step_index, step in enumerate(level.solution.steps):
        step_at: tuple[Any, ...] = ("solution", "steps", step_index)
        if isinstance(step, WriteStep):
            files.add(step.write)
        elif isinstance(step, ApplyStep) and step.apply not in files:
            report(step_at, f"applies {step.apply!r}, which is not among the level's files")
        elif isinstance(step, BuildStep):
            prefix = "" if step.context in (".", "") else step.context.rstrip("/") + "/"
            if prefix + "Dockerfile" not in files:
                report(step_at, f"build context {step.context!r} has no Dockerfile")
    run_text = " ".join(s.run for s in level.solution.steps if isinstance(s, RunStep))
    for goal_index, goal in enumerate(level.goals):
        for _key, check in walk(goal, str(goal_index)):
            if (
                isinstance(check, AvailabilityCheck)
                and check.service not in services
                and "expose" not in run_text
            ):
                report(("goals", goal_index), f"no manifest creates service {check.service!r}")
    issues += _manifest_images(pack, entry, images)
    return issues


def _node_name(target: Target) -> str | None:
    return target.node


def _goal_problems(check: CheckBase, nodes: set[str], images: set[str]) -> Iterator[str]:
    if isinstance(check, PodsCheck):
        for node in [*(check.on_nodes or []), *check.avoid_nodes]:
            if node not in nodes:
                yield f"no node named {node!r} in the setup"
    if isinstance(check, ImageCheck) and check.base is not None and _norm(check.base) not in images:
        yield f"unknown base image {check.base!r}"


def _services(pack: Pack, entry: PackLevel, files: set[str]) -> set[str]:
    names = {
        str(o.get("metadata", {}).get("name"))
        for o in entry.level.setup.objects
        if o.get("kind") == "Service"
    }
    texts = {**pack.starting_files(entry.level.id), **pack.solution_files(entry.level.id)}
    for path, text in texts.items():
        for doc in load_documents(text, path).documents:
            if doc.obj.get("kind") == "Service":
                names.add(str((doc.obj.get("metadata") or {}).get("name")))
    return names


def _manifest_images(pack: Pack, entry: PackLevel, images: set[str]) -> list[Issue]:
    """Images in the reference solution's manifests must exist or be built by the solution."""
    issues = []
    solution = pack.solution_files(entry.level.id)
    applied = {s.apply for s in entry.level.solution.steps if isinstance(s, ApplyStep)}
    texts = {**pack.starting_files(entry.level.id), **solution}
    for path in sorted(applied):
        text = texts.get(path)
        if text is None:
            continue
        for doc in load_documents(text, path).documents:
            for field_path, image in _container_images(doc.obj):
                if _norm(image) not in images:
                    line, column = doc.position(field_path)
                    issues.append(
                        Issue(path, line, column, f"image {image!r} is not in the registry")
                    )
    return issues


def _container_images(obj: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    spec = obj.get("spec") or {}
    prefix: tuple[Any, ...] = ("spec",)
    if isinstance(spec.get("template"), dict):
        spec = spec["template"].get("spec") or {}
        prefix = ("spec", "template", "spec")
    for index, container in enumerate(spec.get("containers") or []):
        if isinstance(container, dict) and isinstance(container.get("image"), str):
            yield (*prefix, "containers", index, "image"), container["image"]
