"""Read the real kubectl's commands and flags from its ``--help`` (offline), as data.

``k8stui/kubectl/data/upstream_flags.json`` holds the result for kubectl 1.32, so the
built-in kubectl can tell a flag that kubectl has but k8stui does not simulate from one that
does not exist at all. ``tests/test_kubectl_upstream_flags.py`` checks the file is current
and rewrites it under ``K8STUI_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import re
import subprocess

_COMMAND = re.compile(r"^  ([a-z][a-z0-9-]*)\s{2,}\S")
_OPTION = re.compile(r"^    (?:-([A-Za-z]), )?--([a-z0-9-]+)=")


def _help(kubectl: str, path: list[str]) -> str:
    return subprocess.run(
        [kubectl, *path, "--help"], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    if title not in lines:
        return []
    out = []
    for line in lines[lines.index(title) + 1 :]:
        if line and not line.startswith(" ") and not line.startswith("\t"):
            break
        out.append(line)
    return out


def collect(kubectl: str) -> dict[str, dict[str, list[str]]]:
    """``{"get": {"long": [...], "short": [...], "subcommands": [...]}, ...}`` for every command."""
    root = _help(kubectl, [])
    top = [
        m.group(1)
        for line in root.splitlines()
        if (m := _COMMAND.match(line)) and m.group(1) not in ("completion", "plugin")
    ]
    found: dict[str, dict[str, list[str]]] = {}
    queue = [[name] for name in top]
    while queue:
        path = queue.pop(0)
        text = _help(kubectl, path)
        subs = [
            m.group(1)
            for line in _section(text, "Available Commands:")
            if (m := _COMMAND.match(line))
        ]
        options = [m for line in _section(text, "Options:") if (m := _OPTION.match(line))]
        found[" ".join(path)] = {
            "long": sorted({m.group(2) for m in options}),
            "short": sorted({m.group(1) for m in options if m.group(1)}),
            "subcommands": subs,
        }
        queue.extend([*path, sub] for sub in subs)
    options_text = subprocess.run(
        [kubectl, "options"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    globals_ = [m for line in options_text.splitlines() if (m := _OPTION.match(line))]
    found["options"] = {
        "long": sorted({m.group(2) for m in globals_}),
        "short": sorted({m.group(1) for m in globals_ if m.group(1)}),
        "subcommands": [],
    }
    return found
