"""``kubectl version``: the client's version and the simulated server's."""

from __future__ import annotations

import json
from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.output import to_yaml

KUSTOMIZE = "v5.5.0"
CLIENT = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.0",
    "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53",
    "gitTreeState": "clean",
    "buildDate": "2024-12-11T18:05:36Z",
    "goVersion": "go1.23.3",
    "compiler": "gc",
    "platform": "linux/amd64",
}
"""The built-in kubectl presents itself as kubectl 1.32.0, the version it reimplements."""


def server_info(minor: int = 32) -> dict[str, Any]:
    """What the simulated API server answers on ``/version``."""
    return {**CLIENT, "minor": str(minor), "gitVersion": f"v1.{minor}.0"}


def _run(inv: Invocation) -> None:
    fmt = inv.flag("output") or ""
    if fmt not in ("", "yaml", "json"):
        raise KubectlError("error: --output must be 'yaml' or 'json'")
    client_only = bool(inv.flag("client"))
    unreachable = None if client_only else inv.cluster.control_plane.api_error()
    info: dict[str, Any] = {"clientVersion": CLIENT, "kustomizeVersion": KUSTOMIZE}
    if not client_only and unreachable is None:
        info["serverVersion"] = server_info()
    if fmt == "json":
        inv.out.out(json.dumps(info, indent=2))
    elif fmt == "yaml":
        inv.out.out(to_yaml(info))
    else:
        lines = [f"Client Version: {CLIENT['gitVersion']}", f"Kustomize Version: {KUSTOMIZE}"]
        if "serverVersion" in info:
            lines.append(f"Server Version: {info['serverVersion']['gitVersion']}")
        inv.out.out("\n".join(lines))
    if unreachable is not None:
        inv.out.fail(unreachable)


COMMAND = Command(
    name="version",
    summary="Print the client and server version information",
    usage="kubectl version [flags] [options]",
    flags=(
        Flag(
            "client",
            kind="bool",
            default=False,
            help="If true, shows client version only (no server required).",
        ),
        Flag("output", "o", help="One of 'yaml' or 'json'."),
    ),
    handler=_run,
    long_help="Print the client and server version information for the current context.",
    examples="""  # Print the client and server versions for the current context
  kubectl version""",
)
