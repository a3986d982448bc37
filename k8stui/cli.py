"""Command-line entry point: ``k8stui`` (play) and its sub-commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from k8stui import __version__


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser (sub-commands register here)."""
    parser = argparse.ArgumentParser(
        prog="k8stui",
        description="Learn Kubernetes by playing it: a simulated cluster in your terminal.",
    )
    parser.add_argument("--version", action="version", version=f"k8stui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = sub.add_parser("play", help="start the game (the default)")
    play.add_argument(
        "--pack",
        action="append",
        type=Path,
        default=[],
        help="also offer this pack (folder or .zip)",
    )
    shot = sub.add_parser("screenshot", help="export a screen of the game as SVG")
    shot.add_argument("out", metavar="OUT.svg")
    shot.add_argument("--level", default=None, help="level id (default: the first)")
    shot.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    shot.add_argument(
        "--screen", default="play", choices=["select", "briefing", "play", "result", "help"]
    )
    # `k8stui shell` has its own parser (k8stui.shell); this entry only lists it in --help.
    sub.add_parser("shell", help="run kubectl/docker/curl/sim commands on a simulated cluster")
    from k8stui.game.cli_commands import add_parsers

    add_parsers(sub)
    from k8stui.game.exam_cli import add_parser as add_exam_parser

    add_exam_parser(sub)
    from k8stui.web.cli import add_parser as add_web_parser

    add_web_parser(sub)
    from k8stui.server.cli_args import add_parsers as add_server_parsers

    add_server_parsers(sub)
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
    if command == "play":
        from k8stui.tui.app import make_app

        app = make_app(extra_packs=getattr(args, "pack", []))
        app.run()
        return app.return_code or 0
    if command == "exam":
        from k8stui.game.exam_cli import prepare
        from k8stui.tui.app import make_app

        plan = prepare(args, sys.stdout, sys.stderr)
        if isinstance(plan, int):
            return plan
        app = make_app(exam=plan)
        app.run()
        if app.exam_grade is not None:
            # The breakdown stays on the terminal after the screen is gone.
            print(app.exam_grade.render())
        return app.return_code or 0
    if command == "screenshot":
        from k8stui.tui.screenshot import screenshot

        return screenshot(args.out, level=args.level, size=args.size, screen=args.screen)
    if command in ("serve", "sim"):
        from k8stui.server import cli as server_cli
        from k8stui.shell import level_session

        if command == "sim":
            return server_cli.run_sim(args)
        return server_cli.run_serve(args, level_host=level_session)
    if command == "web":
        from k8stui.web.cli import run as run_web

        return run_web(args, sys.stdout, sys.stderr)
    if command in ("check", "pack", "progress", "grade"):
        from k8stui.game.cli_commands import dispatch

        return dispatch(args)
    parser.print_help()
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
