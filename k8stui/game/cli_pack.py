"""``k8stui pack check PATH`` and ``k8stui pack schema`` for level authors."""

from __future__ import annotations

import argparse
import contextlib
import json
from typing import Any, TextIO

from k8stui.game.models import Level, PackManifest
from k8stui.game.proving import check_pack, default_jobs


def schema(which: str = "level") -> dict[str, Any]:
    """The JSON Schema of level files or of ``pack.yaml``."""
    model = Level if which == "level" else PackManifest
    data = model.model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return data


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui pack ...``."""
    if args.pack_command == "schema":
        json.dump(schema(args.which), out, indent=2)
        out.write("\n")
        return 0
    if args.pack_command == "new":
        return new(args, out, err)
    if args.pack_command == "record":
        return record(args, out, err)
    if not args.path.exists():
        print(f"{args.path}: no such file or folder", file=err)
        return 2
    if args.watch:
        from k8stui.game.pack_watch import watch

        print("watching for changes; Ctrl+C stops", file=err)
        with contextlib.suppress(KeyboardInterrupt):
            watch(args.path, out)
        return 0
    jobs = args.jobs if args.jobs is not None else default_jobs()
    report = check_pack(args.path, jobs=jobs)
    out.write(report.render() + "\n")
    return 0 if report.ok else 1


def new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui pack new NAME``."""
    from k8stui.game.pack_scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(args.name, title=args.title, author=args.author)
    except (ScaffoldError, OSError) as exc:
        print(f"k8stui pack new: {exc}", file=err)
        return 2
    for path in written:
        print(f"created {path}", file=out)
    print(f"next: k8stui pack check {args.name} --watch", file=out)
    return 0


def record(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui pack record --level ID TRANSCRIPT``: print the solution and its run."""
    from k8stui.game import pack_record
    from k8stui.game.pack import builtin_pack, load_pack
    from k8stui.game.pack_source import PackError

    try:
        pack = load_pack(args.pack) if args.pack else builtin_pack()
        level = pack.level(args.level)
        text = args.transcript.read_text(encoding="utf-8")
        recording = pack_record.record(text, args.dir)
    except PackError as exc:
        print(exc, file=err)
        return 2
    except KeyError:
        known = ", ".join(level.id for level in pack.levels)
        print(f"no level {args.level!r} in pack {pack.id} (levels: {known})", file=err)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.transcript}: {exc}", file=err)
        return 2
    except pack_record.RecordError as exc:
        print(f"{args.transcript}: {exc}", file=err)
        return 2
    out.write(pack_record.as_yaml(recording))
    for line in recording.dropped:
        print(f"left out (not a player's command): {line}", file=err)
    played = pack_record.try_solution(pack, level, recording)
    result = played.result
    par = level.par
    if result.won and result.score is not None:
        print(
            f"this solution wins at {result.time:g}s with {result.commands} command(s) "
            f"(par {par.time:g}s, {par.commands} commands): {result.score.stars} stars",
            file=err,
        )
        return 0
    print(f"this solution does NOT win (after {result.time:g}s):", file=err)
    for goal in result.goals:
        if not goal.passed:
            print(f"  ✗ {goal.title} — {goal.explanation}", file=err)
    return 1
