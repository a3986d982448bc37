"""Background jobs of a console session: the forwards ``kubectl port-forward`` leaves running.

They behave like a POSIX shell's jobs: ``jobs`` lists them (``[1]+  Running  ...``), ``kill %N``
ends one, and a job that ended is reported once, after the line that saw it end (``Done``,
``Exit 1``, ``Terminated``), as bash reports it before its next prompt. A job's own output
(``Handling connection for 8080``, ``error: lost connection to pod``) shows up after the line
during which it was written.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8stui.engine.network.traffic import Response
from k8stui.kubectl.commands.port_forward import PortForward

Chunk = tuple[int, str]
Result = tuple[str, str, int]
_STATE_WIDTH = 24
"""bash pads a job's state to this many columns."""


@dataclass
class Job:
    """One background job: its number and the forward it runs."""

    number: int
    forward: PortForward
    killed: bool = False


class Jobs:
    """The session's background jobs, numbered as bash numbers them."""

    def __init__(self) -> None:
        self._jobs: list[Job] = []

    def start(self, forward: PortForward) -> Job:
        """Keep ``forward`` running as a new job."""
        number = max((job.number for job in self._jobs), default=0) + 1
        job = Job(number, forward)
        self._jobs.append(job)
        return job

    def numbers(self) -> list[int]:
        """The numbers of the jobs still listed (for ``kill %N`` completion)."""
        return [job.number for job in self._jobs if not job.killed]

    def busy_port(self, forward: PortForward) -> int | None:
        """A local port of ``forward`` that a running job already listens on (the ports kubectl
        chose itself are first moved to free ones)."""
        taken = {
            local
            for job in self._jobs
            if not job.forward.finished
            for local, _ in job.forward.ports
        }
        forward.rebind(taken)
        for local, _ in forward.ports:
            if any(job.forward.listens_on(local) for job in self._jobs):
                return local
        return None

    def forward_for(self, port: int | None) -> PortForward | None:
        """The running forward that listens on local ``port``, if any."""
        return next((j.forward for j in self._jobs if j.forward.listens_on(port)), None)

    def connect(self, port: int | None, path: str) -> Response | None:
        """A connection to ``localhost:port``: through a forward, or None if none listens."""
        forward = self.forward_for(port)
        return forward.connect(port, path) if forward is not None else None

    def output(self) -> list[Chunk]:
        """What the running jobs printed since last asked."""
        return [chunk for job in self._jobs for chunk in job.forward.printed()]

    def ended(self) -> list[Chunk]:
        """The jobs' last output (a lost pod noticed), then a line per job that ended."""
        chunks = [chunk for job in self._jobs for chunk in job.forward.poll()]
        ended = [job for job in self._jobs if job.forward.finished]
        for job in ended:
            chunks.append((1, self._line(job) + "\n"))
        self._jobs = [job for job in self._jobs if not job.forward.finished]
        return chunks

    def listing(self) -> list[Chunk]:
        """``jobs``: a line per job; the ended ones are then forgotten, as bash does."""
        chunks = [chunk for job in self._jobs for chunk in job.forward.poll()]
        chunks += [(1, self._line(job) + "\n") for job in self._jobs]
        self._jobs = [job for job in self._jobs if not job.forward.finished]
        return chunks

    def kill(self, args: list[str]) -> Result:
        """``kill %N ...``: end those jobs (reported after the line, as ``Terminated``)."""
        if not args:
            text = "k8stui: kill: usage: kill %N (a job number from 'jobs')\n"
            return "", text, 2
        errors: list[str] = []
        for spec in args:
            job = self._find(spec)
            if job is None:
                errors.append(f"k8stui: kill: {spec}: no such job\n")
                continue
            job.killed = True
            job.forward.stop()
        return "", "".join(errors), 1 if errors else 0

    def _find(self, spec: str) -> Job | None:
        if spec in ("%", "%%", "%+"):
            return self._jobs[-1] if self._jobs else None
        if spec.startswith("%") and spec[1:].isdigit():
            return next((j for j in self._jobs if j.number == int(spec[1:])), None)
        return None

    def _line(self, job: Job) -> str:
        mark = " "
        if job is self._jobs[-1]:
            mark = "+"
        elif len(self._jobs) > 1 and job is self._jobs[-2]:
            mark = "-"
        forward = job.forward
        if not forward.finished:
            state = "Running"
        elif job.killed:
            state = "Terminated"
        else:
            state = f"Exit {forward.exit_code}" if forward.exit_code else "Done"
        return f"[{job.number}]{mark}  {state:<{_STATE_WIDTH}}{forward.command} &"
