"""The interactive ``k8stui shell`` in a pseudo-terminal: the time notice, Tab completion,
history across sessions (↑), and --live (issue 15, item 11)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from k8stui.shell_prompt import banner

pty = pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal")
pytest.importorskip("readline", reason="needs the readline module")

UP = "\x1b[A"


class Terminal:
    """``k8stui shell`` on a pty; :meth:`expect` reads until a text shows (bounded)."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = dict(os.environ, K8STUI_DATA_DIR=str(data_dir), TERM="xterm")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "k8stui", "shell", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen in {self.seen[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        at = self.seen.index(text) + len(text)
        before, self.seen = self.seen[:at], self.seen[at:]
        return before

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        self.send("\x04")  # Ctrl+D: end of input
        try:
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self.master)


def test_prompt_completes_and_remembers(tmp_path: Path) -> None:
    shell = Terminal(tmp_path)
    try:
        assert "time is simulated and stands still" in shell.expect("k8stui $ ")
        shell.send("kubectl get nod\t\n")
        assert "control-plane" in shell.expect("k8stui $ ")
        shell.send(UP + "\n")  # the same command again, from the history
        assert "kubectl get nodes" in shell.expect("k8stui $ ")
    finally:
        shell.close()
    assert "kubectl get nodes" in (tmp_path / "shell_history").read_text(encoding="utf-8")
    again = Terminal(tmp_path)
    try:
        again.expect("k8stui $ ")
        again.send(UP + "\n")  # history survives the session
        assert "control-plane" in again.expect("k8stui $ ")
    finally:
        again.close()


def test_live_clock_follows_the_wall_clock(tmp_path: Path) -> None:
    shell = Terminal(tmp_path, "--live")
    try:
        assert "follows the wall clock" in shell.expect("k8stui $ ")
        shell.send("sim time\n")
        first = shell.expect("k8stui $ ")
        time.sleep(1.5)
        shell.send("sim time\n")
        second = shell.expect("k8stui $ ")
    finally:
        shell.close()
    assert first != second


def test_banner_says_how_time_moves() -> None:
    assert "sim advance" in banner(live=False) and "--live" in banner(live=False)
    assert "wall clock" in banner(live=True)
