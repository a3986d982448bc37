"""A pod's files: emptyDir volumes shared by its containers, and files containers write.

Volume contents live in the kubelet's runtime state for the pod (plain data), so they survive
container restarts and vanish with the pod, as emptyDir does. A program that rewrites a file
every N seconds is stored as a writer descriptor and read lazily at a given time, so a running
writer costs nothing until someone reads the file. A service-account token is stored as what
it is derived from and built when read (every pod mounts one; few are ever read).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
from typing import Any

from k8stui.engine.runtime.process import WriteSpec, write_content

Obj = dict[str, Any]


def resolve_mount(container: Obj, path: str) -> tuple[str, str] | None:
    """Map an absolute path in ``container`` to (volume name, path inside the volume)."""
    path = posixpath.normpath(path)
    best: tuple[str, str] | None = None
    best_len = -1
    for mount in container.get("volumeMounts") or []:
        mount_path = posixpath.normpath(str(mount.get("mountPath", "")))
        inside = path == mount_path or path.startswith(mount_path.rstrip("/") + "/")
        if inside and len(mount_path) > best_len:
            rel = posixpath.relpath(path, mount_path)
            best = (str(mount.get("name")), "" if rel == "." else rel)
            best_len = len(mount_path)
    return best


TOKEN_FILE = "serviceAccountToken"
"""The key of a token file's descriptor: ``{TOKEN_FILE: "<namespace>/<name>/<uid>"}``."""


def token_file(pod: Obj) -> dict[str, str]:
    """The projected token file of ``pod``, as the descriptor :func:`read` builds it from."""
    meta = pod.get("metadata") or {}
    return {TOKEN_FILE: f"{meta.get('namespace')}/{meta.get('name')}/{meta.get('uid')}"}


def _token(seed: str) -> str:
    """A bound token's shape (three base64url parts), derived from the pod's identity."""
    parts = [hashlib.sha256(f"{seed}/{i}".encode()).digest() * (i + 2) for i in range(3)]
    return ".".join(base64.urlsafe_b64encode(p).decode().rstrip("=") for p in parts)


def new_volumes(pod: Obj) -> dict[str, Obj]:
    """Fresh, empty storage for each emptyDir volume of ``pod``."""
    out: dict[str, Obj] = {}
    for vol in (pod.get("spec") or {}).get("volumes") or []:
        if "emptyDir" in vol:
            out[str(vol.get("name"))] = {"files": {}}
    return out


def _place(prt: Obj, container: Obj, path: str) -> tuple[dict[str, Any], str]:
    """The dict holding ``path`` (a volume's files or the container's own layer) and its key."""
    where = resolve_mount(container, path)
    if where is not None and where[0] in prt["volumes"]:
        return prt["volumes"][where[0]]["files"], where[1]
    rootfs = prt.setdefault("rootfs", {}).setdefault(str(container.get("name")), {})
    return rootfs, posixpath.normpath(path)


def add_writer(prt: Obj, container: Obj, write: WriteSpec, start_ms: int, hostname: str) -> None:
    """A program starts writing ``write.path`` (once, or again every ``write.every_ms``)."""
    files, key = _place(prt, container, write.path)
    files[key] = {
        "start": start_ms + write.at_ms,
        "every": write.every_ms,
        "content": write.content,
        "choices": list(write.choices),
        "host": hostname,
    }


def write_file(prt: Obj, container: Obj, path: str, content: str) -> None:
    """Write plain content (``echo > file``, ``touch``)."""
    files, key = _place(prt, container, path)
    files[key] = content


def remove_file(prt: Obj, container: Obj, path: str) -> bool:
    """Delete a file; False when it did not exist."""
    files, key = _place(prt, container, path)
    return files.pop(key, None) is not None


def read(prt: Obj, container: Obj, path: str, now_ms: int) -> str | None:
    """Content of ``path`` as ``container`` sees it, or None when there is no such file."""
    files, key = _place(prt, container, path)
    value = files.get(key)
    if value is None or isinstance(value, str):
        return value
    if TOKEN_FILE in value:
        return _token(value[TOKEN_FILE])
    if now_ms < value["start"]:
        return None
    every = value["every"]
    count = 0 if not every else (now_ms - value["start"]) // every
    spec = WriteSpec(
        path=path, content=value["content"], every_ms=every, choices=tuple(value["choices"])
    )
    return write_content(spec, int(count), value["host"], now_ms)


def listdir(prt: Obj, container: Obj, path: str, now_ms: int) -> list[str] | None:
    """Names directly under directory ``path``, or None when nothing is known there."""
    files, key = _place(prt, container, path)
    prefix = "" if key in ("", ".") else key.rstrip("/") + "/"
    names = set()
    for rel, value in files.items():
        if isinstance(value, dict) and now_ms < value.get("start", 0):
            continue
        if rel.startswith(prefix) and rel != key:
            names.add(rel[len(prefix) :].split("/", 1)[0])
    if not names and resolve_mount(container, path) is None:
        return None
    return sorted(names)
