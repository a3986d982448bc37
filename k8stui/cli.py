"""Command-line entry point: ``k8stui`` (play), ``k8stui shell``, ``check``, ``pack``, ``progress``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from k8stui import __version__


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser (sub-commands register here)."""
    parser = argparse.ArgumentParser(
        prog="k8stui",
        description="Learn Kubernetes by playing it: a simulated cluster in your terminal.",
    )
    parser.add_argument("--version", action="version", version=f"k8stui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("play", help="start the game (the default)")
    sub.add_parser(
        "shell",
        help="a headless sandbox: kubectl, docker, curl and sim commands (see shell --help)",
    )
    demo = sub.add_parser("demo", help="run a short scripted scenario on a simulated cluster")
    demo.add_argument("--seed", type=int, default=0)
    from k8stui.game.cli_commands import add_parsers

    add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["shell"]:
        from k8stui.shell import main as shell_main

        return shell_main(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    command = args.command or "play"
    if command in ("check", "pack", "progress"):
        from k8stui.game.cli_commands import dispatch

        return dispatch(args)
    from k8stui.demo import run_demo

    return run_demo(seed=getattr(args, "seed", 0), out=sys.stdout)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
