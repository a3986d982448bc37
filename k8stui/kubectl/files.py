"""Where the console reads ``-f`` manifests and Docker build contexts from (and saves snapshots).

``k8stui shell`` works on the real working directory; a level works on its own virtual folder,
so the same commands run identically in both.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from pathlib import Path
from typing import Protocol


class Files(Protocol):
    """A small file system: paths are relative to a working directory (or absolute)."""

    def read(self, path: str) -> str:
        """The text of a file; FileNotFoundError when there is none, IsADirectoryError for a
        directory."""
        ...

    def write(self, path: str, text: str) -> None:
        """Create or replace a file."""
        ...

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` names a directory."""
        ...

    def exists(self, path: str) -> bool:
        """Whether ``path`` names a file or a directory."""
        ...

    def walk(self, path: str) -> list[str]:
        """Every file below directory ``path``, as sorted paths relative to it."""
        ...

    def read_capped(self, path: str, limit: int) -> bytes:
        """At most ``limit`` bytes of a regular file, never holding more than that in memory:
        FileTooLarge past it, NotRegularFile for devices, FIFOs and sockets."""
        ...

    def list_dir(self, path: str) -> list[str]:
        """The names of the regular files directly inside directory ``path``, sorted."""
        ...

    def entries(self, path: str) -> list[str]:
        """The names of everything directly inside directory ``path`` (folders too), sorted."""
        ...


class FileTooLarge(OSError):
    """A file longer than the reader's cap (``limit`` is that cap in bytes)."""

    def __init__(self, path: str, limit: int) -> None:
        super().__init__(f"{path} is larger than {limit} bytes")
        self.path = path
        self.limit = limit


class NotRegularFile(OSError):
    """A path that is a device, a FIFO or a socket: reading it could block or never end."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} is not a regular file")
        self.path = path


def _is_a_directory(path: str) -> IsADirectoryError:
    """The error the system gives for reading a directory (with its errno and words)."""
    return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)


class RealFiles:
    """The host file system, relative to ``cwd``."""

    def __init__(self, cwd: str | Path = ".") -> None:
        self.cwd = Path(cwd)

    def _path(self, path: str) -> Path:
        return self.cwd / path

    def read(self, path: str) -> str:
        """The text of a file (UTF-8)."""
        return self._path(path).read_text(encoding="utf-8")

    def write(self, path: str, text: str) -> None:
        """Write a file (UTF-8) atomically: a failed write leaves the old file whole."""
        target = self._path(path)
        if target.is_dir():
            raise _is_a_directory(path)
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            temp.write_text(text, encoding="utf-8")
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` is a directory."""
        return self._path(path).is_dir()

    def exists(self, path: str) -> bool:
        """Whether ``path`` exists."""
        return self._path(path).exists()

    def walk(self, path: str) -> list[str]:
        """Files below ``path`` (relative, ``/``-separated, sorted)."""
        root = self._path(path)
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    def read_capped(self, path: str, limit: int) -> bytes:
        """Read a regular file up to ``limit`` bytes (see :class:`Files`)."""
        target = self._path(path)
        if target.is_dir():
            raise _is_a_directory(path)
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below refuses it.
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NotRegularFile(path)
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise FileTooLarge(path, limit)
        return data

    def list_dir(self, path: str) -> list[str]:
        """Regular files directly in ``path`` (nothing below it is visited)."""
        with os.scandir(self._path(path)) as entries:
            return sorted(e.name for e in entries if e.is_file())

    def entries(self, path: str) -> list[str]:
        """Everything directly in ``path``."""
        return sorted(os.listdir(self._path(path)))


class VirtualFiles:
    """An in-memory folder (a level's files): ``{relative path: text}``."""

    def __init__(self, files: dict[str, str] | None = None) -> None:
        self.files = {self._norm(k): v for k, v in (files or {}).items()}

    @staticmethod
    def _norm(path: str) -> str:
        normal = posixpath.normpath(path.lstrip("/"))
        return "" if normal == "." else normal

    def read(self, path: str) -> str:
        """The text of a file."""
        key = self._norm(path)
        if key in self.files:
            return self.files[key]
        if self.is_dir(path):
            raise _is_a_directory(path)
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)

    def write(self, path: str, text: str) -> None:
        """Create or replace a file."""
        self.files[self._norm(path)] = text

    def is_dir(self, path: str) -> bool:
        """A directory exists when some file lies below it ("." always exists)."""
        key = self._norm(path)
        return key == "" or any(name.startswith(key + "/") for name in self.files)

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or a directory."""
        return self._norm(path) in self.files or self.is_dir(path)

    def walk(self, path: str) -> list[str]:
        """Files below ``path``, relative to it."""
        key = self._norm(path)
        prefix = key + "/" if key else ""
        return sorted(name[len(prefix) :] for name in self.files if name.startswith(prefix))

    def read_capped(self, path: str, limit: int) -> bytes:
        """The file's UTF-8 bytes, FileTooLarge past ``limit``."""
        data = self.read(path).encode("utf-8", "surrogateescape")
        if len(data) > limit:
            raise FileTooLarge(path, limit)
        return data

    def list_dir(self, path: str) -> list[str]:
        """Files directly in ``path``."""
        return [name for name in self.walk(path) if "/" not in name]

    def entries(self, path: str) -> list[str]:
        """Files and folders directly in ``path`` (a folder is a first part of a file's path)."""
        return sorted({name.split("/", 1)[0] for name in self.walk(path)})


class OverlayFiles:
    """Real files first, then a level's starting files (``k8stui shell --level``).

    Writes go to the real folder, so nothing of the player's is kept only in memory.
    """

    def __init__(self, real: RealFiles, level: VirtualFiles) -> None:
        self.real = real
        self.level = level

    def read(self, path: str) -> str:
        """Content of a file, from the working folder or else the level."""
        if self.real.exists(path) and not self.real.is_dir(path):
            return self.real.read(path)
        return self.level.read(path)

    def write(self, path: str, text: str) -> None:
        """Write to the working folder."""
        self.real.write(path, text)

    def is_dir(self, path: str) -> bool:
        """A folder in either place."""
        return self.real.is_dir(path) or self.level.is_dir(path)

    def exists(self, path: str) -> bool:
        """A file or folder in either place."""
        return self.real.exists(path) or self.level.exists(path)

    def read_capped(self, path: str, limit: int) -> bytes:
        """From the working folder, else the level (as :meth:`read`)."""
        if self.real.exists(path) and not self.real.is_dir(path):
            return self.real.read_capped(path, limit)
        return self.level.read_capped(path, limit)

    def list_dir(self, path: str) -> list[str]:
        """Files directly in ``path`` in both places."""
        found = set(self.level.list_dir(path)) if self.level.exists(path) else set()
        if self.real.is_dir(path):
            found |= set(self.real.list_dir(path))
        return sorted(found)

    def entries(self, path: str) -> list[str]:
        """Everything directly in ``path`` in both places."""
        found = set(self.level.entries(path)) if self.level.is_dir(path) else set()
        if self.real.is_dir(path):
            found |= set(self.real.entries(path))
        return sorted(found)

    def walk(self, path: str) -> list[str]:
        """Files under ``path`` in both places, without duplicates."""
        found = set(self.level.walk(path)) if self.level.exists(path) else set()
        if self.real.exists(path):
            found |= set(self.real.walk(path))
        return sorted(found)
