"""The ``serve`` and ``sim`` command lines, kept apart from the server so that building the
CLI's parser (for every sub-command) loads no HTTP stack."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from k8stui.server.kubeconfig import default_path

KUBE_VERSIONS = {
    "1.27": "v1.27.16",
    "1.28": "v1.28.15",
    "1.29": "v1.29.15",
    "1.30": "v1.30.14",
    "1.31": "v1.31.9",
    "1.32": "v1.32.4",
    "1.33": "v1.33.1",
}
"""The kubectl minor versions ``/version`` can report, with the patch release it names."""


def add_parsers(sub: Any) -> None:
    """Register ``serve`` and ``sim`` on the top-level sub-parsers."""
    serve = sub.add_parser("serve", help="serve a simulated cluster to your own kubectl")
    serve.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    serve.add_argument("--nodes", type=int, default=3, help="worker nodes (default 3)")
    serve.add_argument("--level", help="serve a level's starting cluster")
    serve.add_argument("--pack", type=Path, help="the pack to find --level in")
    serve.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = any free)")
    serve.add_argument(
        "--speed", type=float, default=1.0, help="sim seconds per second (default 1)"
    )
    serve.add_argument(
        "--paused", action="store_true", help="keep the clock still (k8stui sim advance)"
    )
    serve.add_argument(
        "--kube-version",
        default="1.32",
        choices=sorted(KUBE_VERSIONS),
        help="version /version reports (default 1.32)",
    )
    serve.add_argument(
        "--kubeconfig", type=Path, help=f"where to write it (default {default_path()})"
    )
    sim = sub.add_parser("sim", help="sim commands for a running k8stui serve (sim help)")
    sim.add_argument("--kubeconfig", type=Path, help="the server's kubeconfig (default: as serve)")
    sim.add_argument("words", nargs=argparse.REMAINDER, help="advance 90s, crash-node NODE, ...")
