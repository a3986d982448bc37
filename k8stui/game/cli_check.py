"""``k8stui check PACK_OR_LEVEL``: judge an answer (or the reference solution) headlessly.

Exit codes: 0 every checked level is won, 1 some level is not, 2 the input is invalid.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, TextIO

from k8stui.game import report_formats
from k8stui.game.grading import grade_play
from k8stui.game.headless import AnswerError, Play, answer_from, play, reference_answer
from k8stui.game.pack import Pack, load_pack, load_source
from k8stui.game.pack_source import PackError, PackSource

EXIT_WON, EXIT_NOT_WON, EXIT_INVALID = 0, 1, 2


def open_target(path: Path) -> Pack:
    """A pack from a folder/zip, or a one-level pack from a single level file."""
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml") and path.name != "pack.yaml":
        data = path.read_bytes()
        manifest = (
            f"format: 1\nid: single\ntitle: {path.stem}\nversion: '1'\nauthor: local\n"
            f"levels: [{json.dumps(path.name)}]\n"
        )
        source = PackSource(str(path), {"pack.yaml": manifest.encode(), path.name: data})
        return load_source(source)
    return load_pack(path)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui check``."""
    try:
        pack = open_target(args.target)
    except PackError as exc:
        for issue in exc.issues:
            print(issue, file=err)
        return EXIT_INVALID
    except OSError as exc:
        print(f"{args.target}: {exc}", file=err)
        return EXIT_INVALID
    if args.level is None and len(pack.levels) > 1 and (args.solution or args.commands):
        print("an answer is for one level: give --level ID", file=err)
        return EXIT_INVALID
    try:
        levels = [pack.level(args.level)] if args.level else pack.levels
    except KeyError:
        known = ", ".join(level.id for level in pack.levels)
        print(f"no level {args.level!r} in pack {pack.id} (levels: {known})", file=err)
        return EXIT_INVALID
    plays: list[tuple[Play, float]] = []
    for level in levels:
        try:
            if args.solution or args.commands:
                answer = answer_from(args.solution, args.commands)
            else:
                answer = reference_answer(pack, level)
        except AnswerError as exc:
            print(exc, file=err)
            return EXIT_INVALID
        started = time.perf_counter()
        played = play(level, pack, answer)
        plays.append((played, time.perf_counter() - started))
    write_report(args.format or ("json" if args.json else "text"), pack.id, plays, out)
    return EXIT_WON if all(p.result.won for p, _ in plays) else EXIT_NOT_WON


def write_report(form: str, pack_id: str, plays: list[tuple[Play, float]], out: TextIO) -> None:
    """Print the plays as text, JSON, JUnit XML, Gradescope or GitHub Classroom results."""
    if form == "text":
        for played, _ in plays:
            out.write(render(played) + "\n")
        return
    if form == "json":
        data: Any = {"pack": pack_id, "levels": [as_json(p) for p, _ in plays]}
        json.dump(data, out, indent=2)
        out.write("\n")
        return
    grades = [grade_play(played, seconds) for played, seconds in plays]
    if form == "junit":
        out.write(report_formats.as_junit(pack_id, grades) + "\n")
        return
    data = report_formats.as_gradescope(grades) if form == "gradescope" else None
    if form == "github":
        data = report_formats.as_github(grades)
    json.dump(data, out, indent=2)
    out.write("\n")


def render(played: Play) -> str:
    """A play as text: the verdict, then each goal with its explanation."""
    result, level = played.result, played.run.level
    if result.won and result.score is not None:
        head = (
            f"{level.id}: WON at {result.time:g}s — {result.score.stars} star(s), "
            f"{result.commands} command(s)"
        )
    else:
        head = f"{level.id}: NOT WON after {result.time:g}s"
    lines = [head]
    for outcome in played.outcomes:
        if outcome.exit_code != 0:
            lines.append(f"  step failed: {outcome.line}: {outcome.stderr.strip()}")
    for goal in result.goals:
        mark = "✓" if goal.passed else ("…" if goal.pending else "✗")
        lines.append(f"  {mark} {goal.title} — {goal.explanation}")
    for wave in played.run.waves:
        lines += [f"  wave {wave.wave.name}: {entry}" for entry in wave.log]
    if result.score is not None and result.score.missed:
        lines.append("  par missed: " + "; ".join(result.score.missed))
    return "\n".join(lines)


def as_json(played: Play) -> dict[str, Any]:
    """A play as JSON-ready data."""
    result = played.result
    return {
        "level": played.run.level.id,
        "won": result.won,
        "time": result.time,
        "commands": result.commands,
        "availability": result.availability,
        "stars": result.score.stars if result.score else 0,
        "goals": [
            {
                "title": g.title,
                "passed": g.passed,
                "pending": g.pending,
                "explanation": g.explanation,
            }
            for g in result.goals
        ],
        "failed_steps": [
            {"line": o.line, "stderr": o.stderr} for o in played.outcomes if o.exit_code != 0
        ],
        "waves": [{"name": w.wave.name, "log": w.log} for w in played.run.waves],
    }
