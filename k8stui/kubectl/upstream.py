"""What the real kubectl 1.32 has: its commands, sub-commands and flags (read from its help).

The built-in kubectl simulates a part of kubectl. When a learner types a command or flag
that kubectl has and k8stui does not simulate, the answer must say exactly that, never
"unknown flag", which would teach that kubectl lacks it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

# Kinds that a `kubectl create SUB` makes, for the "not simulated" message.
CREATE_KINDS = {
    "clusterrole": "ClusterRole",
    "clusterrolebinding": "ClusterRoleBinding",
    "ingress": "Ingress",
    "poddisruptionbudget": "PodDisruptionBudget",
    "priorityclass": "PriorityClass",
    "quota": "ResourceQuota",
    "role": "Role",
    "rolebinding": "RoleBinding",
    "token": "TokenRequest",
}
COMMAND_KINDS = {"autoscale": "HorizontalPodAutoscaler", "certificate": "CertificateSigningRequest"}

_UNKNOWN_LONG = re.compile(r"^unknown flag: --([A-Za-z0-9-]+)")
_UNKNOWN_SHORT = re.compile(r"^unknown shorthand flag: '(.)' in ")


@cache
def _table() -> dict[str, dict[str, list[str]]]:
    text = resources.files("k8stui.kubectl").joinpath("data/upstream_flags.json").read_text()
    data: dict[str, dict[str, list[str]]] = json.loads(text)
    return data


def has_subcommand(path: str, word: str) -> bool:
    """Whether ``kubectl PATH WORD`` is a real kubectl command (``path`` "" for the top)."""
    if not path:
        return word in _table() and word != "options"
    entry = _table().get(path)
    return entry is not None and word in entry["subcommands"]


def unsimulated_flag(path: str, error: str) -> str | None:
    """The flag named by an "unknown flag" parse error, when the real kubectl has it."""
    entries = [_table().get(path), _table().get("options")]
    long = _UNKNOWN_LONG.match(error)
    short = _UNKNOWN_SHORT.match(error)
    for entry in entries:
        if entry is None:
            continue
        if long and long.group(1) in entry["long"]:
            return f"--{long.group(1)}"
        if short and short.group(1) in entry["short"]:
            return f"-{short.group(1)}"
    return None


def not_simulated(path: str) -> str:
    """The one line for a real kubectl command that k8stui does not simulate."""
    words = path.split()
    kind = CREATE_KINDS.get(words[-1]) if words[0] == "create" else COMMAND_KINDS.get(words[0])
    detail = f" ({kind} objects are not simulated)" if kind else ""
    return f'error: "kubectl {path}" is not simulated by k8stui{detail}'
