"""``k8stui pack check --watch``: prove the pack again each time one of its files changes.

Polling the files' sizes and modification times once a second is enough for an author saving
in an editor, works the same on every platform, and needs no extra dependency.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from k8stui.game.proving import check_pack

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """Size and mtime of every visible file under ``root`` (or of ``root`` itself)."""
    if root.is_file():
        info = root.stat()
        return {root.name: (info.st_size, info.st_mtime_ns)}
    found: Snapshot = {}
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or name.endswith("~"):
                continue
            path = Path(folder) / name
            try:
                info = path.stat()
            except OSError:
                continue  # removed between listing and looking: the next poll sees it
            found[path.relative_to(root).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def watch(
    path: Path,
    out: TextIO,
    *,
    interval: float = 1.0,
    max_checks: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Check now, then again after every change; returns whether the last check passed.

    Runs until interrupted, or until ``max_checks`` checks have been made.
    """
    checks = 0
    ok = False
    seen: Snapshot | None = None
    while max_checks is None or checks < max_checks:
        current = snapshot(path)
        if current != seen:
            seen = current
            stamp = time.strftime("%H:%M:%S")
            out.write(f"--- {stamp} checking {path}\n")
            report = check_pack(path)
            out.write(report.render() + "\n")
            out.flush()
            ok = report.ok
            checks += 1
            continue
        sleep(interval)
    return ok
