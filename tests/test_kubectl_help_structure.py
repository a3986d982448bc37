"""``kubectl CMD --help``: every simulated command's help has the real kubectl 1.32 layout.

Compared with the real kubectl's help (offline; skipped without it): the order of the
sections (description, Aliases, Examples, Available Commands, Options, Usage), the aliases,
the usage line, and each flag we list (its shorthand and its default as pflag prints it).
The prose is the simulator's own; we list only the flags we simulate, so a command whose
simulated flags are all global shows no ``Options:`` section, and sub-commands that are not
simulated are not listed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

import pytest

from k8stui.kubectl.commands.help import go_duration_text
from k8stui.kubectl.commands.main import COMMANDS
from tests.console_helpers import session

KUBECTL = shutil.which("kubectl")
_HEAD = re.compile(r"^(Aliases|Examples|Available Commands|Options|Usage):$", re.MULTILINE)
_FLAG = re.compile(r"^    (?:-(\w), )?--([\w-]+)=(.*):$", re.MULTILINE)

PATHS = [
    path
    for command in COMMANDS.values()
    for path in (command.name, *(f"{command.name} {sub.name}" for sub in command.subcommands))
]
KNOWN: dict[tuple[str, str], str] = {
    # (path, what): why it still differs on purpose.
    ("edit", "flags"): "--from-file is k8stui's: the game's editor hands edit its file",
}


def _sections(text: str) -> dict[str, str]:
    parts = _HEAD.split(text)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _flags(body: str) -> dict[str, tuple[str, str]]:
    return {m.group(2): (m.group(1) or "", m.group(3)) for m in _FLAG.finditer(body)}


@cache
def _real(path: str) -> str:
    assert KUBECTL is not None
    words = [KUBECTL, *path.split(), "--help"]
    return subprocess.run(words, capture_output=True, text=True, timeout=60, check=True).stdout


def _problems(path: str, ours: str, real: str) -> dict[str, str]:
    mine, theirs = _sections(ours), _sections(real)
    problems: dict[str, str] = {}
    expected = [
        title
        for title in theirs
        if not (title == "Options" and "Options" not in mine)
        and not (title == "Available Commands" and "Available Commands" not in mine)
    ]
    if list(mine) != expected:
        problems["sections"] = f"{list(mine)} != {list(theirs)}"
    if mine.get("Aliases", "").split() != theirs.get("Aliases", "").split():
        problems["aliases"] = f"{mine.get('Aliases')!r} != {theirs.get('Aliases')!r}"
    usage = [s.strip().splitlines()[0] for s in (mine["Usage"], theirs["Usage"])]
    if usage[0] != usage[1]:
        problems["usage"] = f"{usage[0]!r} != {usage[1]!r}"
    real_flags = _flags(theirs.get("Options", ""))
    wrong = {
        name: value
        for name, value in _flags(mine.get("Options", "")).items()
        if real_flags.get(name) != value
    }
    if wrong:
        problems["flags"] = f"{wrong} (kubectl: {[real_flags.get(n) for n in wrong]})"
    listed = set(re.findall(r"^  (\S+)", mine.get("Available Commands", ""), re.MULTILINE))
    if listed - set(re.findall(r"^  (\S+)", theirs.get("Available Commands", ""), re.MULTILINE)):
        problems["subcommands"] = f"{sorted(listed)} are not all kubectl's"
    return problems


def test_go_durations_print_as_pflag_prints_defaults() -> None:
    assert [go_duration_text(s) for s in (0, 30, 60, 90, 3600, 3661)] == [
        "0s", "30s", "1m0s", "1m30s", "1h0m0s", "1h1m1s",
    ]  # fmt: skip


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
@pytest.mark.parametrize("path", PATHS)
def test_help_has_kubectls_layout(path: str) -> None:
    ours = session().run(f"kubectl {path} --help")
    assert ours.exit_code == 0
    problems = _problems(path, ours.stdout, _real(path))
    unexpected = {what: text for what, text in problems.items() if (path, what) not in KNOWN}
    assert not unexpected
    # A known difference that is gone must leave the list, so that it cannot come back.
    fixed = [what for (p, what) in KNOWN if p == path and what not in problems]
    assert not fixed
