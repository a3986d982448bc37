"""The level-pack format, version 1: pydantic models for ``pack.yaml`` and level files.

Everything here is data. A level describes the cluster to build, the files the player gets,
the goals (from the fixed library in :mod:`k8stui.game.goals`), waves of faults, hints, a
reference solution and par. ``k8stui pack schema`` prints the JSON Schema of these models.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from k8stui.engine.images.model import Behavior, ImageRef, ImageRefError
from k8stui.engine.nodes import NodeSpec
from k8stui.engine.timings import Timings
from k8stui.game import patterns
from k8stui.game.chaos_models import Chaos
from k8stui.game.goals import Check
from k8stui.game.strict_model import Strict
from k8stui.game.wave_models import Wave

FORMAT_VERSION = 1
CONCEPTS = tuple(f"C{i}" for i in range(1, 26))
ConceptKey = Literal[
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14",
    "C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22", "C23", "C24", "C25",
]  # fmt: skip
SLUG = r"^[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?$"
# Bounded digit runs: a version of 5,000 digits cannot be compared as integers by Python.
VERSION = r"^\d{1,9}(\.\d{1,9}){0,2}$"
MAX_FILE_CHARS = 64_000
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.\-]*(/[A-Za-z0-9_.][A-Za-z0-9_.\-]*)*$")


def check_relative_path(text: str, *, folder: bool = False) -> str:
    """A path inside the pack or the player's folder: relative, no ``..``, plain characters.

    ``.`` names a folder (the level's own, for a build context), never a file; a ``.`` inside a
    path would give one file two names.
    """
    parts = text.split("/")
    if text.startswith("/") or "\\" in text or ".." in parts or not _SAFE_PATH.match(text):
        raise ValueError(f"{text!r} must be a relative path inside the pack (no '..', no '/')")
    if "." in parts and not (folder and text == "."):
        raise ValueError(f"{text!r} must name a file: '.' is not allowed as a path component")
    return text


# --- pack.yaml --------------------------------------------------------------------------------


class ExamTask(Strict):
    """One task of an exam: a level of the pack, and what it weighs in the total."""

    level: str = Field(pattern=SLUG, description="the id of a level of this pack")
    weight: int = Field(1, ge=1, le=100, description="share of the total (default 1)")


class ExamSet(Strict):
    """A timed exam: tasks drawn from the pack's levels, graded together at the end."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=120)
    minutes: float = Field(30, gt=0, le=600, description="default duration (wall-clock)")
    pass_mark: float = Field(66, ge=0, le=100, description="percent needed to pass")
    tasks: list[str | ExamTask] = Field(
        min_length=1,
        max_length=40,
        description="level ids (or {level, weight}); levels with waves or chaos cannot be tasks",
    )

    def weighted(self) -> list[ExamTask]:
        """Every task in the long form."""
        return [ExamTask(level=t) if isinstance(t, str) else t for t in self.tasks]

    @field_validator("tasks")
    @classmethod
    def _unique(cls, value: list[str | ExamTask]) -> list[str | ExamTask]:
        for task in value:
            if isinstance(task, str) and not re.match(SLUG, task):
                raise ValueError(f"{task!r} is not a level id")
        names = [t if isinstance(t, str) else t.level for t in value]
        if len(set(names)) != len(names):
            raise ValueError("a level is listed twice")
        return value


class PackManifest(Strict):
    """``pack.yaml``: what the pack is and its levels in play order."""

    format: Literal[1] = Field(description="Format version of the pack files; 1.")
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=120)
    version: str = Field(pattern=VERSION)
    author: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    min_k8stui: str = Field("0.1.0", pattern=VERSION)
    levels: list[str] = Field(min_length=1, max_length=200, description="level files, in order")
    exams: list[ExamSet] = Field(
        default_factory=list,
        max_length=20,
        description="timed exams drawn from the pack's levels (k8stui exam); the first is the "
        "default",
    )

    @field_validator("levels")
    @classmethod
    def _paths(cls, value: list[str]) -> list[str]:
        for item in value:
            check_relative_path(item)
        if len(set(value)) != len(value):
            raise ValueError("a level file is listed twice")
        return value

    @field_validator("exams")
    @classmethod
    def _exam_ids(cls, value: list[ExamSet]) -> list[ExamSet]:
        ids = [exam.id for exam in value]
        if len(set(ids)) != len(ids):
            raise ValueError("two exams share an id")
        return value


# --- cluster setup ----------------------------------------------------------------------------


class FileRef(Strict):
    """File content taken from another file of the pack (path relative to the level file)."""

    from_: str = Field(alias="from")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("from_")
    @classmethod
    def _inside(cls, value: str) -> str:
        return check_relative_path(value)


FileContent = str | FileRef


def _check_files(files: dict[str, FileContent]) -> dict[str, FileContent]:
    if len(files) > 50:
        raise ValueError("at most 50 files")
    for path, content in files.items():
        check_relative_path(path)
        if isinstance(content, str) and len(content) > MAX_FILE_CHARS:
            raise ValueError(f"{path}: longer than {MAX_FILE_CHARS} characters")
    return files


class ImageSetup(Strict):
    """An image the level provides: a behaviour on top of a known image, or a pack folder built
    with its Dockerfile."""

    name: str = Field(description="repository[:tag]")
    from_: str | None = Field(None, alias="from", description="built-in or earlier image")
    behavior: Behavior | None = None
    context: str | None = Field(None, description="pack folder holding a Dockerfile")
    where: Literal["registry", "local", "both"] = Field(
        "registry", description="registry: nodes can pull it; local: only in the player's docker"
    )
    private: bool = Field(False, description="the registry refuses pulls (needs credentials)")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("name", "from_")
    @classmethod
    def _ref(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ImageRef.parse(value)
            except ImageRefError as exc:
                raise ValueError(f"{value!r}: {exc}") from None
        return value

    @field_validator("context")
    @classmethod
    def _context(cls, value: str | None) -> str | None:
        return None if value is None else check_relative_path(value, folder=True)

    @model_validator(mode="after")
    def _one_source(self) -> ImageSetup:
        if self.context is not None and (self.from_ is not None):
            raise ValueError("give either 'from' (with a behavior) or 'context', not both")
        if self.context is None and self.from_ is None and self.behavior is None:
            raise ValueError("give 'from', 'behavior' or 'context'")
        return self


class Setup(Strict):
    """The cluster the player finds when the level starts."""

    seed: int = Field(0, ge=0, le=2**32)
    nodes: list[NodeSpec] | None = Field(
        None, description="machines; default: a control-plane node and worker-1..3"
    )
    timings: Timings = Field(default_factory=Timings)
    images: list[ImageSetup] = Field(default_factory=list, max_length=30)
    objects: list[dict[str, Any]] = Field(
        default_factory=list, max_length=50, description="manifests that already exist"
    )
    settle: float = Field(0, ge=0, le=3600, description="sim seconds to run before play starts")
    stopped: list[Literal["scheduler", "controller-manager"]] = Field(
        default_factory=list,
        description="control-plane components that are down when the player arrives "
        "(after settle); the player starts them with sim start-component",
    )

    @field_validator("nodes")
    @classmethod
    def _unique_nodes(cls, nodes: list[NodeSpec] | None) -> list[NodeSpec] | None:
        if nodes is None:
            return None
        if not nodes or len(nodes) > 50:
            raise ValueError("between 1 and 50 nodes")
        names = [n.name for n in nodes]
        if len(set(names)) != len(names):
            raise ValueError("node names must be unique")
        return nodes


# --- limits, hints, par -----------------------------------------------------------------------


class CommandRule(Strict):
    """A command the level refuses, by prefix or regular expression."""

    prefix: str | None = None
    regex: str | None = Field(None, max_length=200)
    message: str = Field("that command is not available in this level", max_length=300)

    @model_validator(mode="after")
    def _one(self) -> CommandRule:
        if (self.prefix is None) == (self.regex is None):
            raise ValueError("give exactly one of prefix or regex")
        return self

    @field_validator("regex")
    @classmethod
    def _linear(cls, value: str | None) -> str | None:
        return patterns.checked(value)

    def blocks(self, line: str) -> bool:
        """True when ``line`` is refused by this rule."""
        text = " ".join(line.split())
        if self.prefix is not None:
            return text.startswith(" ".join(self.prefix.split()))
        return patterns.search(str(self.regex), text)


class Limits(Strict):
    """What the player may use."""

    tools: list[Literal["kubectl", "docker", "curl"]] | None = Field(
        None, description="allowed programs (first word); all when omitted"
    )
    forbid: list[CommandRule] = Field(default_factory=list)


class Par(Strict):
    """What a good run looks like; stars are earned against these."""

    time: float = Field(gt=0, description="sim seconds until the win")
    commands: int = Field(ge=0)
    hints: int = Field(0, ge=0, le=3)
    availability: float | None = Field(None, ge=0, le=100, description="percent during waves")


# --- solution steps ---------------------------------------------------------------------------


class RunStep(Strict):
    """A console command, exactly as the player would type it."""

    run: str = Field(min_length=1, max_length=2000)


class ApplyStep(Strict):
    """``kubectl apply -f FILE`` for a file of the player's folder."""

    apply: str

    @field_validator("apply")
    @classmethod
    def _path(cls, value: str) -> str:
        return check_relative_path(value)


class WriteStep(Strict):
    """Edit a file of the player's folder (as in the editor)."""

    write: str
    text: str = Field(max_length=MAX_FILE_CHARS)

    @field_validator("write")
    @classmethod
    def _path(cls, value: str) -> str:
        return check_relative_path(value)


class ScaleStep(Strict):
    """``kubectl scale KIND/NAME --replicas=N``."""

    scale: str = Field(pattern=r"^(rc|replicationcontroller|rs|replicaset|deployment|deploy)/\S+$")
    replicas: int = Field(ge=0, le=1000)


class DeleteStep(Strict):
    """``kubectl delete KIND/NAME``, or the first pod matching ``labels``."""

    delete: str = Field(description="pod/NAME, or 'pod' with labels")
    labels: dict[str, str] = Field(default_factory=dict)


class BuildStep(Strict):
    """``docker build -t TAG CONTEXT`` over a folder of the player's files."""

    build: str
    context: str = "."


class PushStep(Strict):
    """``docker push REF``."""

    push: str


class TagStep(Strict):
    """``docker tag SOURCE TARGET``."""

    tag: str
    as_: str = Field(alias="as")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class WaitStep(Strict):
    """Let sim time pass."""

    wait: float = Field(gt=0, le=86_400)


class WaveStartStep(Strict):
    """Start the next wave."""

    wave: Literal["start"]


_STEP_KEYS = ("run", "apply", "write", "scale", "delete", "build", "push", "tag", "wait", "wave")


def _step_key(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [k for k in _STEP_KEYS if k in value]
        return keys[0] if len(keys) == 1 else None
    for key in _STEP_KEYS:
        if key in type(value).model_fields:
            return key
    return None


Step = Annotated[
    Annotated[RunStep, Tag("run")]
    | Annotated[ApplyStep, Tag("apply")]
    | Annotated[WriteStep, Tag("write")]
    | Annotated[ScaleStep, Tag("scale")]
    | Annotated[DeleteStep, Tag("delete")]
    | Annotated[BuildStep, Tag("build")]
    | Annotated[PushStep, Tag("push")]
    | Annotated[TagStep, Tag("tag")]
    | Annotated[WaitStep, Tag("wait")]
    | Annotated[WaveStartStep, Tag("wave")],
    Discriminator(
        _step_key,
        custom_error_type="step_kind",
        custom_error_message="a step needs exactly one of: " + ", ".join(_STEP_KEYS),
    ),
]


class Solution(Strict):
    """The reference answer: files to put in the folder, then steps in order."""

    files: dict[str, FileContent] = Field(default_factory=dict)
    steps: list[Step] = Field(default_factory=list, max_length=200)

    @field_validator("files")
    @classmethod
    def _files(cls, files: dict[str, FileContent]) -> dict[str, FileContent]:
        return _check_files(files)


# --- the level --------------------------------------------------------------------------------


class Level(Strict):
    """One level file."""

    format: Literal[1]
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1, max_length=300)
    concepts: list[ConceptKey] = Field(min_length=1)
    track: str | None = Field(
        None, max_length=60, description="the part of the curriculum the level belongs to"
    )
    briefing: str = Field(min_length=1, max_length=20_000, description="Markdown")
    setup: Setup = Field(default_factory=Setup)
    files: dict[str, FileContent] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)
    goals: list[Check] = Field(min_length=1, max_length=30)
    waves: list[Wave] = Field(default_factory=list, max_length=5)
    chaos: Chaos | None = Field(
        None, description="a chaos level: a seeded stream of incidents, started as the last wave"
    )
    hints: list[str] = Field(min_length=3, max_length=3, description="three tiers")
    solution: Solution
    par: Par
    time_limit: float = Field(900, gt=0, le=86_400, description="checker gives up after this")
    probe_every: float = Field(2, ge=0.5, le=60, description="availability probe period (s)")

    @field_validator("files")
    @classmethod
    def _files(cls, files: dict[str, FileContent]) -> dict[str, FileContent]:
        return _check_files(files)

    @model_validator(mode="after")
    def _holds(self) -> Level:
        from k8stui.game.goals import walk

        for index, goal in enumerate(self.goals):
            for key, check in walk(goal, str(index)):
                if key != str(index) and check.hold != "now":
                    raise ValueError("'hold: wave' is only allowed on top-level goals")
            if goal.hold == "wave" and not self.waves:
                raise ValueError(f"goal {index + 1} holds during the wave but there is no wave")
        return self
