"""The interactive prompt of ``k8stui shell``: line editing, history, Tab completion, --live.

Line editing and history come from the standard library's ``readline`` (GNU readline or
libedit) where the platform has it; the history is kept in the user data folder between
sessions. Tab completes with the same completer as the game's console.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TextIO

from k8stui.console.completion import complete
from k8stui.console.session import HEREDOC_END, Session, wants_stdin

HISTORY_FILE = "shell_history"
HISTORY_LENGTH = 1000
# In --live mode one command moves the clock at most this far (a laptop asleep overnight
# should not run the cluster for ten hours before the next command).
LIVE_STEP_LIMIT = 3600.0
# Wall seconds between clock steps while a watch runs at the prompt.
FOLLOW_TICK = 0.1

Writer = Callable[[Any, TextIO, TextIO], None]


def banner(live: bool) -> str:
    """What the prompt says at start-up about time."""
    if live:
        return (
            "k8stui shell (--live): the cluster's clock follows the wall clock; each command "
            "first catches up on the time that passed. Ctrl+D quits.\n"
        )
    return (
        "k8stui shell: time is simulated and stands still at the prompt; it moves only with "
        "`sleep 10`, `sim advance 30s` or commands that wait (rollout status, drain). "
        "Use --live to follow the wall clock. Tab completes, ↑ recalls; Ctrl+D quits.\n"
    )


def history_path() -> Path:
    """Where the prompt's history is kept."""
    from k8stui.game.locations import user_data_dir

    return user_data_dir() / HISTORY_FILE


class LineEditor:
    """readline set up for one session (a no-op where readline is missing)."""

    def __init__(self, session: Session, history: Path | None) -> None:
        self.session = session
        self.history = history
        self._matches: list[str] = []
        try:
            import readline
        except ImportError:  # Windows without pyreadline: plain input()
            self.readline: Any = None
            return
        self.readline = readline
        readline.set_completer(self._complete)
        readline.set_completer_delims(" \t\n;")
        # libedit (macOS) and GNU readline spell the Tab binding differently.
        doc = getattr(readline, "__doc__", "") or ""
        readline.parse_and_bind("bind ^I rl_complete" if "libedit" in doc else "tab: complete")
        if history is not None:
            readline.set_history_length(HISTORY_LENGTH)
            with suppress(OSError):
                readline.read_history_file(history)

    def _complete(self, text: str, state: int) -> str | None:
        if state == 0:
            line = self.readline.get_line_buffer()[: self.readline.get_endidx()]
            self._matches = [word for word in complete(self.session, line) if word]
        if state >= len(self._matches):
            return None
        word = self._matches[state]
        return word if word.endswith(("/", "=")) or len(self._matches) > 1 else word + " "

    def save(self) -> None:
        """Write the history file (errors are not worth a message at exit)."""
        if self.readline is None or self.history is None:
            return
        with suppress(OSError):
            self.history.parent.mkdir(parents=True, exist_ok=True)
            self.readline.write_history_file(self.history)


def interactive(
    session: Session,
    out: TextIO,
    err: TextIO,
    write: Writer,
    *,
    live: bool = False,
    history: Path | None = None,
) -> int:
    """Read, run and print commands until end of input; returns the last exit code."""
    err.write(banner(live))
    editor = LineEditor(session, history)
    code = 0
    last = time.monotonic()
    try:
        while True:
            try:
                line = input(session.prompt or "k8stui $ ")
            except EOFError:
                out.write("\n")
                return code
            except KeyboardInterrupt:
                out.write("\n")
                continue
            stdin = _heredoc() if wants_stdin(line) else None
            if live:
                now = time.monotonic()
                session.cluster.advance(min(now - last, LIVE_STEP_LIMIT))
                last = now
            result = session.run(line, stdin)
            write(result.chunks, out, err)
            code = result.exit_code
            if result.stream is not None and session.shell is None:
                last = follow(session, out, err, write)
    finally:
        editor.save()


def follow(session: Session, out: TextIO, err: TextIO, write: Writer) -> float:
    """A watch at the prompt (``kubectl get -w``): the cluster's clock follows the wall clock
    and each change is printed, until Ctrl+C or the watch's ``--request-timeout``. Returns the
    wall time it stopped at (the --live clock goes on from there)."""
    last = time.monotonic()
    try:
        while session.stream is not None:
            time.sleep(FOLLOW_TICK)
            now = time.monotonic()
            step = min(now - last, LIVE_STEP_LIMIT)
            deadline = session.stream.deadline_ms
            if deadline is not None:
                step = min(step, max(0.0, (deadline - session.cluster.now_ms) / 1000))
            session.cluster.advance(step)
            last = now
            write(session.poll_stream(), out, err)
    except KeyboardInterrupt:
        session.stop_stream()
        out.write("\n")
    return time.monotonic()


def _heredoc() -> str:
    body = []
    while True:
        try:
            more = input("> ")
        except EOFError:
            break
        if more.strip() == HEREDOC_END:
            break
        body.append(more)
    return "\n".join(body) + "\n"
