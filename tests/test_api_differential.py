"""The real kubectl on our API vs the built-in kubectl: same seeded state, same output.

Commands are in ``fixtures/api_differential/commands.txt`` (its header explains the line
markers). Cluster A is served on 127.0.0.1:0 to the real kubectl; cluster B runs the same
lines through the built-in kubectl (``Session.run``). Both start from the same seed, paused,
and receive the same ``sim`` steps, so every difference in stdout, stderr or exit code is a
bug on one side, except the lines marked ``[allow REASON]``.
"""

from __future__ import annotations

import difflib
import re
import shlex
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from k8stui.kubectl.files import RealFiles
from tests.api_helpers import KUBECTL, Served, new_session, served

FIXTURES = Path(__file__).parent / "fixtures" / "api_differential"
COMMANDS = FIXTURES / "commands.txt"
# Absolute times: the API renders sim time on the wall clock (docs/api.md), ours from 2025.
_TIMES = (
    re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"),
    re.compile(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}"),
)
# The served API's address: a free port for the real kubectl, 6443 in the built-in kubeconfig.
_SERVER = re.compile(r"https://127\.0\.0\.1:\d+")
PUMP_STEP = 0.02
"""Wall seconds between clock steps while the real kubectl waits ([pump] lines)."""
PUMP_SIM = 1.0
"""Sim seconds per clock step."""
QUIET = 0.6
"""Wall seconds without requests before the clock moves."""

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")


@dataclass(frozen=True)
class Line:
    """One line of the command file."""

    text: str
    pump: bool = False
    sort: bool = False
    allow: str | None = None


def parse_commands(text: str) -> list[Line]:
    """The command file's lines with their markers."""
    lines = []
    for raw in text.splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        pump = sort = False
        allow = None
        while raw.startswith("["):
            marker, _, raw = raw[1:].partition("]")
            raw = raw.strip()
            if marker == "pump":
                pump = True
            elif marker == "sorted":
                sort = True
            elif marker.startswith("allow "):
                allow = marker[len("allow ") :]
            else:
                raise ValueError(f"unknown marker [{marker}]")
        lines.append(Line(raw, pump, sort, allow))
    return lines


def normalise(text: str, sort: bool = False) -> str:
    """Mask absolute times and the server's port; optionally sort lines.

    The built-in kubectl's bytes are compared as they are: like the real kubectl it leaves
    ``-o jsonpath`` and template output without a final line break (the console ends the
    line on screen, not in the output).
    """
    for pattern in _TIMES:
        text = pattern.sub("<TIME>", text)
    text = _SERVER.sub("https://127.0.0.1:<PORT>", text)
    if sort:
        text = "\n".join(sorted(text.splitlines()))
    return text


def _pump(srv: Served, proc: subprocess.Popen[str], limit: float) -> None:
    """Move the served clock while the real kubectl waits, never while it is writing.

    Time only moves once the client has been quiet for QUIET seconds, so its writes land at
    the same sim time as the built-in kubectl's (which does them before time passes).
    """
    deadline = time.monotonic() + limit
    state = srv.server.runner.state
    assert state is not None
    srv.server.call(lambda: setattr(state, "last_request", _loop_time()))
    while proc.poll() is None and time.monotonic() < deadline:
        quiet = srv.server.call(lambda: _loop_time() - state.last_request)
        if quiet >= QUIET:
            srv.advance(PUMP_SIM)
        time.sleep(PUMP_STEP)


def _loop_time() -> float:
    import asyncio

    return asyncio.get_running_loop().time()


def run_real(srv: Served, line: Line, cwd: Path) -> tuple[str, str, int]:
    """The line through the real kubectl (the served clock moves for [pump] lines)."""
    words = shlex.split(line.text)[1:]
    env_proc = srv.kubectl_env()
    proc = subprocess.Popen(
        [str(KUBECTL), *words],
        cwd=cwd,
        env=env_proc,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pumper = None
    if line.pump:
        pumper = threading.Thread(target=_pump, args=(srv, proc, 60.0), daemon=True)
        pumper.start()
    try:
        out, err = proc.communicate(timeout=90 if line.allow is None else 8)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    if pumper is not None:
        pumper.join()
    return out, err, proc.returncode


def test_command_file_is_big_enough() -> None:
    kubectl_lines = [
        line for line in parse_commands(COMMANDS.read_text()) if line.text.startswith("kubectl")
    ]
    assert len(kubectl_lines) >= 80
    allowed = [line for line in kubectl_lines if line.allow]
    assert len(allowed) <= 8, "the allow-list must stay short"


def test_real_kubectl_matches_builtin(tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(FIXTURES, work)
    builtin = new_session(cwd=str(work))
    builtin.files = RealFiles(str(work))
    differences: list[str] = []
    with served(tmp_path / "srv") as srv:
        for line in parse_commands(COMMANDS.read_text()):
            if line.text.startswith("sim "):
                builtin.run(line.text)
                srv.server.call(lambda text=line.text: srv.session.run(text))
                continue
            mine = builtin.run(line.text)
            out, err, code = run_real(srv, line, work)
            if line.pump:
                _sync_clocks(srv, builtin)
            if line.allow:
                continue
            ours = (
                normalise(mine.stdout, line.sort),
                normalise(mine.stderr, line.sort),
                mine.exit_code,
            )
            theirs = (normalise(out, line.sort), normalise(err, line.sort), code)
            if ours != theirs:
                differences.append(_explain(line.text, ours, theirs))
    assert not differences, "\n\n".join(differences)


def _sync_clocks(srv: Served, builtin: object) -> None:
    served_ms = srv.server.call(lambda: srv.session.cluster.now_ms)
    own = builtin.cluster  # type: ignore[attr-defined]
    if served_ms > own.now_ms:
        own.advance((served_ms - own.now_ms) / 1000)
    elif own.now_ms > served_ms:
        srv.advance((own.now_ms - served_ms) / 1000)


def _explain(text: str, ours: tuple[str, str, int], theirs: tuple[str, str, int]) -> str:
    parts = [f"$ {text}"]
    for label, a, b in zip(("stdout", "stderr", "exit"), ours, theirs, strict=True):
        if a == b:
            continue
        if isinstance(a, int):
            parts.append(f"exit code: built-in {a}, real kubectl {b}")
            continue
        diff = difflib.unified_diff(
            a.splitlines(keepends=True), b.splitlines(keepends=True), "built-in", "real kubectl"
        )
        parts.append(f"--- {label}:\n" + "".join(repr(d)[1:-1] + "\n" for d in diff))
    return "\n".join(parts)
