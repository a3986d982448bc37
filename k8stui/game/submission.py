"""A student's submission, read defensively: a folder or a zip, into memory, or a refusal.

Submissions are untrusted, so they are read the way packs are (see pack_source): names that
leave the submission, symlinks, too many or too large files and archives that inflate past
their limits are refused before anything is parsed. Then every YAML file is composed (never
constructed) and refused if it uses a tag other than the plain YAML types (``!!python/object``
and friends look like code and are never honoured) or if its aliases would expand to more
nodes than a manifest can sensibly hold. The refusal names the file and the reason, so the
instructor can tell the student.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from k8stui.game.pack_source import unsafe_name

MAX_FILES = 200
MAX_FILE_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024
MAX_YAML_NODES = 20_000
"""Nodes one YAML file may expand to, aliases counted at each use."""
YAML_SUFFIXES = (".yaml", ".yml")
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "binary")
}


class SubmissionRejected(Exception):
    """A submission that is not graded; the message says which file and why."""


@dataclass
class Submission:
    """A student's files, by relative posix path (a top folder of a zip is removed)."""

    student: str
    files: dict[str, str] = field(default_factory=dict)


def student_name(path: Path) -> str:
    """A student's name: the folder or zip name without its suffix."""
    return path.stem if path.suffix.lower() == ".zip" else path.name


def read_submission(path: Path) -> Submission:
    """Read and vet one student's folder or zip; raise :class:`SubmissionRejected`."""
    submission = Submission(student_name(path))
    if path.is_symlink():
        raise SubmissionRejected("the submission itself is a symlink")
    if path.is_dir():
        raw = _from_folder(path)
    elif path.is_file() and path.suffix.lower() == ".zip":
        raw = _strip_top_folder(_from_zip(path))
    else:
        raise SubmissionRejected("not a folder or a .zip file")
    for name, data in sorted(raw.items()):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SubmissionRejected(f"{name}: not UTF-8 text") from None
        if name.lower().endswith(YAML_SUFFIXES):
            vet_yaml(text, name)
        submission.files[name] = text
    return submission


class _Budget:
    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def take(self, name: str, size: int) -> None:
        self.count += 1
        if self.count > MAX_FILES:
            raise SubmissionRejected(f"more than {MAX_FILES} files")
        if size > MAX_FILE_BYTES:
            raise SubmissionRejected(f"{name}: {size} bytes, over the {MAX_FILE_BYTES} limit")
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            raise SubmissionRejected(f"larger than {MAX_TOTAL_BYTES} bytes in all")


def _from_folder(root: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    budget = _Budget()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in [*dirnames, *sorted(filenames)]:
            full = here / name
            rel = full.relative_to(root).as_posix()
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                raise SubmissionRejected(f"{rel}: symlinks are not accepted")
            if name.startswith(".") or stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                raise SubmissionRejected(f"{rel}: not a regular file")
            budget.take(rel, info.st_size)
            with full.open("rb") as handle:
                found[rel] = handle.read(MAX_FILE_BYTES + 1)
            if len(found[rel]) > MAX_FILE_BYTES:
                raise SubmissionRejected(f"{rel}: grew past the file size limit while read")
    return found


def _from_zip(path: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    budget = _Budget()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionRejected(f"not a readable zip file: {exc}") from None
    with archive:
        for info in archive.infolist():
            name = info.filename
            why = unsafe_name(name)
            if why:
                raise SubmissionRejected(f"{name}: {why.replace('the pack', 'the submission')}")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise SubmissionRejected(f"{name}: symlinks are not accepted")
            if info.is_dir() or any(part.startswith(".") for part in name.split("/") if part):
                continue
            budget.take(name, info.file_size)
            try:
                with archive.open(info) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
                raise SubmissionRejected(f"{name}: cannot be unpacked: {exc}") from None
            # The declared size may lie (a zip bomb): never read more than the limit.
            if len(data) > MAX_FILE_BYTES:
                raise SubmissionRejected(f"{name}: inflates past the file size limit")
            found[name] = data
    return found


def _strip_top_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A zip of a folder holds ``alice/...``: make paths relative to that folder."""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        top = next(iter(tops)) + "/"
        return {name[len(top) :]: data for name, data in files.items()}
    return files


def vet_yaml(text: str, name: str) -> None:
    """Refuse YAML with non-plain tags or aliases that expand too far (nothing is built)."""
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise SubmissionRejected(
            f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    sizes: dict[int, int] = {}
    total = 0
    for document in documents:
        if document is not None:
            total += _expanded(document, sizes, name)
        if total > MAX_YAML_NODES:
            raise SubmissionRejected(
                f"{name}: expands to more than {MAX_YAML_NODES} values (an alias bomb?)"
            )


def _expanded(node: Node, sizes: dict[int, int], name: str) -> int:
    """Nodes ``node`` stands for once every alias is expanded (shared nodes counted once
    each time they are used, computed once each so a bomb costs nothing to measure)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if node.tag not in _PLAIN_TAGS:
        mark = node.start_mark
        raise SubmissionRejected(
            f"{name}:{mark.line + 1}:{mark.column + 1}: the tag {node.tag} is not accepted "
            "(only plain YAML values are)"
        )
    sizes[id(node)] = 1  # a cycle (only possible through aliases) counts once
    size = 1
    children: list[Any] = []
    if isinstance(node, SequenceNode):
        children = list(node.value)
    elif isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    elif not isinstance(node, ScalarNode):  # pragma: no cover - the composer makes three kinds
        raise SubmissionRejected(f"{name}: unsupported YAML node")
    for child in children:
        size += _expanded(child, sizes, name)
        if size > MAX_YAML_NODES:
            break
    sizes[id(node)] = size
    return size
