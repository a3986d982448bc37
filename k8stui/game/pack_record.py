"""``k8stui pack record --level ID TRANSCRIPT``: a reference solution from a shell session.

An author plays the level in ``k8stui shell --level ID`` (time passes with ``sleep 15`` or
``sim advance 15s``) and keeps the session: either the commands they typed, or the shell's
``--echo`` output, where each command follows a ``$`` prompt. Recording turns it into the
``solution:`` block of the level file:

* ``sleep D`` / ``sim advance D`` become ``wait`` steps;
* ``kubectl apply -f FILE`` of a file in the working folder becomes an ``apply`` step, and
  the file's text goes into ``solution.files``;
* ``kubectl apply -f -`` with its lines up to ``EOF`` becomes a ``write`` of a new file
  followed by its ``apply``;
* read-only ``sim`` commands (``sim time``, ``sim events``) and ``echo`` are dropped, and so
  are faults (``sim crash-node`` ...), which are the level's business, not the player's;
* every other line is a ``run`` step, exactly as typed.

The result is then played headlessly, so the author sees at once whether it wins and how it
scores against par.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from k8stui.console.sim_cmd import SimError, parse_duration
from k8stui.game.headless import Answer, Play, play
from k8stui.game.models import ApplyStep, Level, RunStep, Step, WaitStep, WriteStep
from k8stui.game.pack import Pack

HEREDOC_END = "EOF"
MAX_FILE_BYTES = 256 * 1024
_READ_ONLY_SIM = {"time", "events"}


class RecordError(ValueError):
    """A transcript that cannot become a solution (line number and reason)."""


@dataclass
class Recording:
    """The recorded solution and what was left out of it."""

    files: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def transcript_commands(text: str) -> list[str]:
    """The command lines of a transcript (``$``-prompted lines when there are any)."""
    lines = text.splitlines()
    prompted = [line for line in lines if line.startswith("$ ")]
    if prompted:
        # An --echo transcript: commands follow "$ "; a heredoc's body is not echoed, so only
        # plain command lines can be recovered from it.
        return [line[2:] for line in prompted]
    return lines


def record(text: str, folder: Path) -> Recording:
    """Turn a transcript into solution files and steps; files are read from ``folder``."""
    found = Recording()
    lines = transcript_commands(text)
    index = 0
    written = 0
    while index < len(lines):
        number, line = index + 1, lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise RecordError(f"line {number}: {exc}") from None
        if words[0] == "sleep" or words[:2] == ["sim", "advance"]:
            found.steps.append(WaitStep(wait=_seconds(words, number)))
        elif words[0] == "sim" or words[0] == "echo":
            if len(words) < 2 or words[1] not in _READ_ONLY_SIM:
                found.dropped.append(line)
        elif words[:2] == ["kubectl", "apply"] and _file_arg(words) == "-":
            body = []
            while index < len(lines) and lines[index].strip() != HEREDOC_END:
                body.append(lines[index])
                index += 1
            index += 1
            written += 1
            name = f"recorded-{written}.yaml"
            text_body = "\n".join(body) + "\n"
            found.steps += [WriteStep(write=name, text=text_body), ApplyStep(apply=name)]
        elif words[:2] == ["kubectl", "apply"] and _file_arg(words) is not None and len(words) == 4:
            name = str(_file_arg(words))
            found.files[name] = _read(folder, name, number)
            found.steps.append(ApplyStep(apply=name))
        else:
            found.steps.append(RunStep(run=line))
    return found


def _seconds(words: list[str], number: int) -> float:
    value = words[-1] if len(words) > 1 else ""
    try:
        return parse_duration(value)
    except (SimError, ValueError) as exc:
        raise RecordError(f"line {number}: {exc}") from None


def _file_arg(words: list[str]) -> str | None:
    for position, word in enumerate(words):
        if word in ("-f", "--filename") and position + 1 < len(words):
            return words[position + 1]
        if word.startswith("--filename="):
            return word.split("=", 1)[1]
    return None


def _read(folder: Path, name: str, number: int) -> str:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise RecordError(f"line {number}: {name} is outside the working folder")
    if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
        raise RecordError(
            f"line {number}: {name}: no readable file of at most {MAX_FILE_BYTES} bytes"
        )
    return path.read_text(encoding="utf-8")


def as_yaml(recording: Recording) -> str:
    """The ``solution:`` block, ready to paste into the level file."""
    steps = [
        _plain(step.model_dump(by_alias=True, exclude_defaults=True)) for step in recording.steps
    ]
    solution: dict[str, Any] = {"steps": steps}
    if recording.files:
        solution = {"files": dict(recording.files), **solution}
    return yaml.dump(
        {"solution": solution}, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True
    )


def _plain(step: dict[str, Any]) -> dict[str, Any]:
    """``wait: 15`` rather than ``wait: 15.0``."""
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in step.items()}


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as ``|`` blocks, as an author would write them."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)


def try_solution(pack: Pack, level: Level, recording: Recording) -> Play:
    """Play the recorded solution headlessly."""
    return play(level, pack, Answer(dict(recording.files), list(recording.steps)))
