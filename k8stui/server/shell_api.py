"""``k8stui shell --api``: the shell's session, served to the real kubectl while it runs.

The server owns a loop on a background thread; every shell line runs on that loop too
(:class:`LoopSession`), so the engine is only used from one thread and a line's work is
applied between two API requests, never during one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from k8stui.console.session import CommandResult, Session
from k8stui.server.background import BackgroundServer
from k8stui.server.kubeconfig import default_path, write
from k8stui.server.runner import ServeOptions


class LoopSession(Session):
    """A Session whose lines run on the API server's loop thread."""

    server: BackgroundServer

    def run(self, line: str, stdin: str | None = None) -> CommandResult:
        """Run one line on the server's thread."""
        return self.server.call(lambda: Session.run(self, line, stdin))


def serve_session(session: Session, err: TextIO, path: Path | None = None) -> LoopSession:
    """Start serving ``session``'s cluster; returns the session to run lines through."""
    served = LoopSession(session.cluster, session.files)
    served.history = session.history
    server = BackgroundServer(served, ServeOptions(drive_clock=False))
    served.server = server
    text = server.start()
    target = path or default_path()
    write(target, text)
    err.write(f"k8stui API on {server.runner.url}: export KUBECONFIG={target}\n")
    err.flush()
    return served
