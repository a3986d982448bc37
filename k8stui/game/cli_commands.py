"""The game's sub-commands for ``k8stui`` (check, pack, progress), registered by cli.py.

Registration is kept light (argparse only); a handler's imports happen when it runs, so
``k8stui play`` does not pay for the checker.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("check", "pack", "progress", "grade")


def add_parsers(sub: Any) -> None:
    """Register ``check``, ``pack`` and ``progress`` on the top-level sub-parsers."""
    check = sub.add_parser("check", help="check an answer to a level (or its reference solution)")
    check.add_argument("target", type=Path, help="a pack folder or .zip, or one level file")
    check.add_argument("--level", help="level id (default: every level of the pack)")
    check.add_argument("--solution", type=Path, help="answer files: a manifest or a folder")
    check.add_argument("--commands", type=Path, help="answer commands, one per line")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument(
        "--format",
        choices=["text", "json", "junit", "gradescope", "github"],
        help="output format: JUnit XML, Gradescope results.json, GitHub Classroom result",
    )

    pack = sub.add_parser("pack", help="tools for level-pack authors")
    actions = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    pack_check = actions.add_parser("check", help="validate and prove every level of a pack")
    pack_check.add_argument("path", type=Path, help="pack folder or .zip")
    pack_check.add_argument("--watch", action="store_true", help="check again on every save")
    pack_check.add_argument(
        "--jobs",
        type=_jobs,
        help="levels proved at once, in worker processes (default: one per core)",
    )
    new = actions.add_parser("new", help="start a pack: an example level, schemas, a README")
    new.add_argument("name", type=Path, help="the new pack's folder")
    new.add_argument("--title", help="the pack's title (default: from the folder name)")
    new.add_argument("--author", default="me", help="the pack's author")
    rec = actions.add_parser("record", help="turn a k8stui shell session into a solution")
    rec.add_argument("transcript", type=Path, help="the session: commands, or --echo output")
    rec.add_argument("--level", required=True, help="the level the session played")
    rec.add_argument("--pack", type=Path, help="the pack of the level (default: built-in)")
    rec.add_argument(
        "--dir", type=Path, default=Path("."), help="where the applied files are (default .)"
    )
    schema = actions.add_parser("schema", help="print the JSON Schema of the level format")
    schema.add_argument(
        "which",
        nargs="?",
        choices=["level", "pack"],
        default="level",
        help="level files (default) or pack.yaml",
    )

    from k8stui.game.cli_grade import add_parser as add_grade_parser

    add_grade_parser(sub)

    progress = sub.add_parser("progress", help="export or import your progress (JSON)")
    steps = progress.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    steps.add_parser("export", help="write all progress to a JSON file").add_argument(
        "file", type=Path
    )
    steps.add_parser("import", help="merge progress from a JSON export").add_argument(
        "file", type=Path
    )


def _jobs(text: str) -> int:
    """``--jobs``: a count from 1 to 64."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"between 1 and 64 (got {value})")
    return value


def dispatch(args: argparse.Namespace) -> int:
    """Run the handler of a game sub-command; returns the exit code."""
    if args.command == "check":
        from k8stui.game import cli_check

        return cli_check.run(args, sys.stdout, sys.stderr)
    if args.command == "grade":
        from k8stui.game import cli_grade

        return cli_grade.run(args, sys.stdout, sys.stderr)
    if args.command == "pack":
        from k8stui.game import cli_pack

        return cli_pack.run(args, sys.stdout, sys.stderr)
    from k8stui.game import cli_progress

    return cli_progress.run(args, sys.stdout, sys.stderr)
