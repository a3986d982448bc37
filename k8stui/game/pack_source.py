"""Reading a pack's bytes safely from a folder or a ``.zip``, into memory.

Packs are untrusted. Before any file is parsed the whole pack is copied into a dict of
``relative/posix/path -> bytes`` under hard limits, refusing anything that could reach outside
it: absolute names, ``..`` components, symlinks (in folders and in zips), and archives that
claim or inflate to more than the limits allow. Everything later reads from that dict, so no
path from a pack file is ever handed to the file system.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILES = 400
MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
# Methods every Python build reads; bzip2/lzma depend on optional modules, others never work.
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


@dataclass(frozen=True)
class Issue:
    """One defect, located as precisely as we can (line/column 0 = the whole file)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; ``issues`` lists every defect found, ``pack_id`` names the
    pack when its ``pack.yaml`` could be read."""

    def __init__(self, issues: list[Issue], pack_id: str | None = None) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues
        self.pack_id = pack_id


@dataclass
class PackSource:
    """A pack's files, in memory, by relative posix path."""

    origin: str
    files: dict[str, bytes] = field(default_factory=dict)

    def text(self, path: str) -> str | None:
        """A file as UTF-8 text, or None when absent or not text."""
        data = self.files.get(path)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def not_text(self, path: str) -> Issue | None:
        """Why a file present in the pack cannot be read as UTF-8 text (None when it can, or is
        absent), located at the first bad byte."""
        data = self.files.get(path)
        if data is None:
            return None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before) - (before.rfind(b"\n") + 1) + 1
            return Issue(
                path, line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at this place)"
            )
        return None

    def folder(self, prefix: str) -> dict[str, str]:
        """Text files under ``prefix/`` with paths relative to it (a build context)."""
        base = prefix.rstrip("/") + "/" if prefix not in ("", ".") else ""
        found = {}
        for path in sorted(self.files):
            if path.startswith(base):
                text = self.text(path)
                if text is not None:
                    found[path[len(base) :]] = text
        return found


def unsafe_name(name: str) -> str | None:
    """Why an archive member name may not be used, or None when it is fine."""
    if not name:
        return "empty name"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "absolute path"
    if "\\" in name:
        return "backslash in path"
    if ".." in name.split("/"):
        return "path leaves the pack ('..')"
    if "\x00" in name:
        return "NUL in path"
    return None


def read_source(path: Path) -> PackSource:
    """Copy a pack folder or zip into memory; raise :class:`PackError` on any violation."""
    if path.is_symlink():
        raise PackError([Issue(str(path), 0, 0, "the pack itself is a symlink")])
    if path.is_dir():
        return _from_folder(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return _from_zip(path)
    if path.is_file() and path.name == "pack.yaml":
        return _from_folder(path.parent)
    raise PackError([Issue(str(path), 0, 0, "not a pack folder or .zip file")])


class _Budget:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.total = 0
        self.count = 0
        self.issues: list[Issue] = []

    def take(self, name: str, size: int) -> bool:
        self.count += 1
        if self.count > MAX_FILES:
            if self.count == MAX_FILES + 1:
                self.issues.append(Issue(self.origin, 0, 0, f"more than {MAX_FILES} files"))
            return False
        if size > MAX_FILE_BYTES:
            self.issues.append(
                Issue(name, 0, 0, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
            )
            return False
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            self.issues.append(
                Issue(self.origin, 0, 0, f"pack is larger than {MAX_TOTAL_BYTES} bytes")
            )
            return False
        return True


def _from_folder(root: Path) -> PackSource:
    source = PackSource(str(root))
    budget = _Budget(str(root))
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        # Hidden entries (.git, .DS_Store) are not part of a pack.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for dirname in list(dirnames):
            if (here / dirname).is_symlink():
                rel = (here / dirname).relative_to(root).as_posix()
                budget.issues.append(Issue(rel, 0, 0, "symlinks are not allowed in a pack"))
                dirnames.remove(dirname)
        for filename in sorted(f for f in filenames if not f.startswith(".")):
            full = here / filename
            rel = full.relative_to(root).as_posix()
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                budget.issues.append(Issue(rel, 0, 0, "symlinks are not allowed in a pack"))
                continue
            if not stat.S_ISREG(info.st_mode):
                budget.issues.append(Issue(rel, 0, 0, "not a regular file"))
                continue
            if budget.take(rel, info.st_size):
                with full.open("rb") as handle:
                    source.files[rel] = handle.read(MAX_FILE_BYTES + 1)
    if budget.issues:
        raise PackError(budget.issues)
    return source


def _from_zip(path: Path) -> PackSource:
    source = PackSource(str(path))
    budget = _Budget(path.name)
    try:
        archive = zipfile.ZipFile(path)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        struct.error,
    ) as exc:
        raise PackError([Issue(path.name, 0, 0, f"not a readable zip file: {exc}")]) from None
    with archive:
        for info in archive.infolist():
            name = info.filename
            why = unsafe_name(name)
            if why:
                budget.issues.append(Issue(f"{path.name}!{name}", 0, 0, why))
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                budget.issues.append(Issue(f"{path.name}!{name}", 0, 0, "symlinks not allowed"))
                continue
            if info.is_dir() or any(p.startswith(".") for p in name.split("/") if p):
                continue
            if not budget.take(f"{path.name}!{name}", info.file_size):
                continue
            data = _read_member(archive, info, f"{path.name}!{name}", budget)
            if data is None:
                continue
            if len(data) > MAX_FILE_BYTES:
                budget.issues.append(
                    Issue(f"{path.name}!{name}", 0, 0, "inflates beyond the file size limit")
                )
                continue
            source.files[name] = data
    if budget.issues:
        raise PackError(budget.issues)
    return _strip_top_folder(source)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: _Budget
) -> bytes | None:
    """A member's bytes, or None (with an issue recorded) when the archive cannot give them."""
    if info.flag_bits & 0x1:
        budget.issues.append(Issue(where, 0, 0, "encrypted zip members are not supported"))
        return None
    if info.compress_type not in _METHODS:
        budget.issues.append(
            Issue(
                where,
                0,
                0,
                f"compression method {info.compress_type} is not supported (use stored or deflate)",
            )
        )
        return None
    try:
        # The declared size may lie: never read more than the limit allows.
        with archive.open(info) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except zipfile.BadZipFile as exc:
        reason = "the data is damaged (bad CRC-32)" if "CRC" in str(exc) else str(exc)
    except (zlib.error, EOFError, OSError) as exc:
        reason = f"the data is damaged ({exc})"
    except (ValueError, struct.error):
        # zipfile raises these for headers that contradict each other (a mangled file name).
        reason = "its header is damaged"
    except (RuntimeError, NotImplementedError) as exc:
        reason = str(exc)
    budget.issues.append(Issue(where, 0, 0, f"cannot be read from the zip: {reason}"))
    return None


def _strip_top_folder(source: PackSource) -> PackSource:
    """A zip of a folder holds ``name/pack.yaml``: make paths relative to that folder."""
    if "pack.yaml" in source.files:
        return source
    tops = {p.split("/", 1)[0] for p in source.files}
    if len(tops) == 1:
        top = next(iter(tops)) + "/"
        if top + "pack.yaml" in source.files:
            source.files = {p[len(top) :]: d for p, d in source.files.items() if p.startswith(top)}
    return source
