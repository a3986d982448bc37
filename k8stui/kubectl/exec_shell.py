"""``kubectl exec -it POD -- sh``: a shell in a simulated container, one line at a time.

The exec command leaves a :class:`ContainerShell` as its output stream; while it runs, the
console hands it every line typed (instead of running it as a console command) until ``exit``
(``exit N`` ends the exec with ``command terminated with exit code N``, as kubectl reports it)
or Esc / Ctrl+C. Each line runs the container's programs through the same runner as a
one-shot ``kubectl exec``; a program the simulated container lacks gets the shell's
``not found`` and status 127, and the shell goes on.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from k8stui.engine.cluster import Cluster

Chunk = tuple[int, str]
Runner = Callable[[list[str]], tuple[list[str], list[str], int]]
"""Runs one command in the container: argv -> (stdout lines, stderr lines, exit code)."""
SHELLS = ("sh", "bash", "ash", "/bin/sh", "/bin/bash", "/bin/ash")


class ContainerShell:
    """An interactive shell attached to one container."""

    deadline_ms: int | None = None

    def __init__(self, cluster: Cluster, shell: str, pod_name: str, run: Runner) -> None:
        self.cluster = cluster
        self._run = run
        self._finished = False
        self.exit_code = 0
        name = shell.rsplit("/", 1)[-1]
        # busybox/alpine sh shows "/ # "; bash shows user@host.
        self.prompt = f"root@{pod_name}:/# " if name == "bash" else "/ # "
        self._name = name

    @property
    def finished(self) -> bool:
        """Whether the shell has exited."""
        return self._finished

    def poll(self) -> list[Chunk]:
        """A shell prints only in answer to a line (see :meth:`send`)."""
        return []

    def stop(self) -> None:
        """Leave the shell (Esc / Ctrl+C in the console)."""
        self._finished = True

    def send(self, line: str) -> tuple[list[Chunk], int]:
        """Run one typed line in the container; (what it printed, its exit status)."""
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            return [(2, f"{self._name}: syntax error: {exc}\n")], 2
        if not words:
            return [], 0
        if words[0] == "exit":
            return self._exit(words[1:])
        out, err, code = self._run(words)
        chunks = [(1, text + "\n") for text in out] + [(2, text + "\n") for text in err]
        return chunks, code

    def _exit(self, args: list[str]) -> tuple[list[Chunk], int]:
        self._finished = True
        try:
            self.exit_code = int(args[0]) % 256 if args else 0
        except ValueError:
            return [(2, f"{self._name}: exit: Illegal number: {args[0]}\n")], 2
        if self.exit_code:
            return [(2, f"command terminated with exit code {self.exit_code}\n")], self.exit_code
        return [], 0
