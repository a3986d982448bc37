"""A console session: one command line at a time against one cluster.

A line holds one or more commands separated by ``;`` and is split into words like a POSIX shell
does (quotes, backslashes, ``#`` comments), so ``kubectl get pods -o jsonpath='{.items[*]}'``
works as typed in bash. Every exception a command raises becomes an error message: the session
never lets one escape.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from k8stui.console.curl_cmd import run_curl
from k8stui.console.docker_cmd import run_docker
from k8stui.console.jobs import Jobs
from k8stui.console.sim_cmd import run_sim
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.client_config import ClientConfig
from k8stui.kubectl.commands.base import Output
from k8stui.kubectl.commands.main import run_kubectl
from k8stui.kubectl.commands.port_forward import PortForward
from k8stui.kubectl.exec_shell import ContainerShell
from k8stui.kubectl.files import Files
from k8stui.kubectl.terminal_text import escape_terminal
from k8stui.kubectl.watch import Stream, run_to_deadline

# Words that start a command the console knows.
PROGRAMS: tuple[str, ...] = (
    "kubectl",
    "docker",
    "curl",
    "sim",
    "sleep",
    "echo",
    "jobs",
    "kill",
    "help",
)
HEREDOC_END = "EOF"

HELP = """Commands:
  kubectl ...     the Kubernetes CLI (kubectl --help lists what is simulated)
  docker ...      build, tag, push and list images (docker --help)
  curl URL        an HTTP request from inside the cluster network
  sim ...         control the simulator: time, faults, snapshots (sim help)
  sleep 90        let 90 simulated seconds pass (also 2m, 1h30m)
  echo TEXT       print TEXT
  jobs            list background jobs (kubectl port-forward keeps running as one)
  kill %N         stop background job N
Separate several commands on one line with ';'. Lines starting with '#' are comments.
"""


Chunk = tuple[int, str]


@dataclass(frozen=True)
class CommandResult:
    """What one command line printed and its exit code; ``chunks`` holds (1 or 2, text) in the
    order written, so both streams can be shown interleaved as on a terminal."""

    stdout: str
    stderr: str
    exit_code: int
    chunks: tuple[Chunk, ...] = ()
    # A watch the line left running (``kubectl get -w``): see Session.poll_stream.
    stream: Stream | None = None

    @property
    def combined(self) -> str:
        """stdout and stderr interleaved in the order they were written."""
        return "".join(text for _, text in self.chunks)


class SyntaxProblem(Exception):
    """A line the shell cannot split into words."""


def split_commands(line: str) -> list[list[str]]:
    """Split a line into commands (``;``) of words, honouring quotes and ``#`` comments."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";|")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    try:
        for token in lexer:
            if token and set(token) == {";"}:
                commands += [[] for _ in token]
            elif token and set(token) <= {";", "|"}:
                raise SyntaxProblem(
                    "pipes and || are not available here; run one command at a time "
                    "(-o jsonpath=... or -l selectors can often replace a grep)"
                )
            else:
                commands[-1].append(token)
    except ValueError as exc:
        raise SyntaxProblem(str(exc)) from None
    return [words for words in commands if words]


def wants_stdin(line: str) -> bool:
    """Whether a kubectl line reads the lines that follow it (``-f -``, ``edit`` in the shell)."""
    try:
        commands = split_commands(line)
    except SyntaxProblem:
        return False
    if not commands:
        return False
    words = commands[-1]
    if words[0] != "kubectl":
        return False
    if "-f" in words and words.index("-f") + 1 < len(words) and words[words.index("-f") + 1] == "-":
        return True
    if any(w in ("--filename=-", "-f=-", "-f-") for w in words):
        return True
    is_edit = len(words) > 1 and words[1] == "edit"
    return (
        is_edit
        and not any(w.startswith("--from-file") for w in words)
        and "-h" not in words
        and "--help" not in words
    )


class Session:
    """Runs command lines against ``cluster``; ``-f`` paths and build contexts come from ``files``."""

    def __init__(self, cluster: Cluster, files: Files) -> None:
        self.cluster = cluster
        self.files = files
        self.history: list[str] = []
        self.kubeconfig = ClientConfig()
        """The session's kubeconfig: ``kubectl config`` changes it for later commands."""
        self.stream: Stream | None = None
        """The watch the last line left running (``get -w``); the next line stops it."""
        self._started: Stream | None = None
        self.jobs = Jobs()
        """Background jobs: the forwards ``kubectl port-forward`` left running."""

    def poll_stream(self) -> list[Chunk]:
        """What the running watch printed since the last poll (escaped for the terminal).

        Whoever shows the output calls this as simulated time passes; the watch ends at its
        ``--request-timeout``, on :meth:`stop_stream`, or when the next line runs.
        """
        stream = self.stream
        if stream is None:
            return []
        chunks = [(fd, escape_terminal(text)) for fd, text in stream.poll()]
        if stream.finished:
            self.stream = None
        return chunks

    @property
    def shell(self) -> ContainerShell | None:
        """The container shell lines go to (``kubectl exec -it POD -- sh``), if one runs."""
        stream = self.stream
        return stream if isinstance(stream, ContainerShell) and not stream.finished else None

    @property
    def prompt(self) -> str | None:
        """The attached container shell's prompt (None: the console's own)."""
        shell = self.shell
        return shell.prompt if shell is not None else None

    def _to_shell(self, shell: ContainerShell, line: str) -> CommandResult:
        self.history.append(line)
        written, code = shell.send(line)
        if shell.finished:
            self.stream = None
        chunks = tuple((fd, escape_terminal(text)) for fd, text in written)
        out = "".join(text for fd, text in chunks if fd == 1)
        err = "".join(text for fd, text in chunks if fd == 2)
        return CommandResult(out, err, code, chunks, self.stream)

    def stop_stream(self) -> None:
        """End the running watch (Esc / Ctrl+C)."""
        if self.stream is not None:
            self.stream.stop()
            self.stream = None

    def finish_stream(self) -> list[Chunk]:
        """How a script's watch runs: simulated time passes up to its ``--request-timeout``
        with each change printed; a watch without one ends at once (the next line starts)."""
        stream, self.stream = self.stream, None
        if stream is None:
            return []
        return [(fd, escape_terminal(text)) for fd, text in run_to_deadline(stream)]

    def run(self, line: str, stdin: str | None = None) -> CommandResult:
        """Run one line (``;``-separated commands); ``stdin`` feeds ``-f -`` and ``edit``.

        While a container shell is attached (``exec -it``), the line goes to it instead.
        """
        shell = self.shell
        if shell is not None:
            return self._to_shell(shell, line)
        try:
            commands = split_commands(line)
        except SyntaxProblem as exc:
            text = f"k8stui: syntax error: {exc}\n"
            return CommandResult("", text, 2, ((2, text),))
        self.stop_stream()  # a watch ends when the next command starts, as at a terminal
        chunks: list[Chunk] = []
        code = 0
        for index, words in enumerate(commands):
            self.history.append(shlex.join(words))
            feed = stdin if index == len(commands) - 1 else None
            self._started = None
            written, code = self._dispatch(words, feed)
            # A job's own output (kubectl's "Handling connection for") comes first, as the
            # forward prints it while the connection is made.
            written = self.jobs.output() + written
            if self._started is not None:
                if index == len(commands) - 1:
                    self.stream = self._started
                else:
                    self._started.stop()
            # Names, annotations, logs and errors may carry escape sequences: none of them
            # reaches the terminal raw, whichever command printed it.
            chunks += [(stream, escape_terminal(text)) for stream, text in written]
        chunks += [(fd, escape_terminal(text)) for fd, text in self.jobs.ended()]
        out = "".join(text for stream, text in chunks if stream == 1)
        err = "".join(text for stream, text in chunks if stream == 2)
        return CommandResult(out, err, code, tuple(chunks), self.stream)

    def run_script(self, text: str) -> Iterator[tuple[str, CommandResult]]:
        """Run a script line by line; lines after a stdin-reading command, up to ``EOF``, are
        its input. Yields (line as written, result)."""
        lines = text.splitlines()
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            stdin = None
            if wants_stdin(line):
                body: list[str] = []
                while index < len(lines) and lines[index].strip() != HEREDOC_END:
                    body.append(lines[index])
                    index += 1
                index += 1  # the EOF line
                stdin = "\n".join(body) + "\n"
                line = "\n".join([line, *body, HEREDOC_END])
            if not line.strip():
                continue
            first = line.split("\n", 1)[0]
            result = self.run(first, stdin)
            if result.stream is not None and self.shell is None:  # a shell takes the next lines
                more = self.finish_stream()
                result = CommandResult(
                    result.stdout + "".join(t for fd, t in more if fd == 1),
                    result.stderr + "".join(t for fd, t in more if fd == 2),
                    result.exit_code,
                    result.chunks + tuple(more),
                )
            yield line, result

    def _dispatch(self, words: list[str], stdin: str | None) -> tuple[list[Chunk], int]:
        program, args = words[0], words[1:]
        try:
            if program == "kubectl":
                if args[:1] == ["port-forward"] and args[-1:] == ["&"]:
                    words, args = words[:-1], args[:-1]  # it runs in the background anyway
                output = run_kubectl(self.cluster, self.files, args, stdin, self.kubeconfig)
                if isinstance(output.stream, PortForward):
                    return self._background(output, output.stream, shlex.join(words))
                self._started = output.stream
                return output.chunks, output.code
            if program == "jobs":
                return self.jobs.listing(), 0
            if program == "kill":
                return _plain(*self.jobs.kill(args))
            if program == "docker":
                return _plain(*run_docker(self.cluster, self.files, args))
            if program == "curl":
                return _plain(*run_curl(self.cluster, args, self.jobs.connect, self.files.read))
            if program == "sim":
                return _plain(*run_sim(self, args))
            if program == "sleep":
                # Like a shell's sleep: silent on success (`sim advance` reports the clock).
                out, err, code = run_sim(self, ["advance", *args])
                return _plain("" if code == 0 else out, err, code)
            if program == "echo":
                return _plain(" ".join(args) + "\n", "", 0)
            if program == "help":
                return _plain(HELP, "", 0)
            return _plain("", f"k8stui: {program}: command not found\n", 127)
        except Exception as exc:
            return _plain("", f"error: internal: {type(exc).__name__}: {exc}\n", 70)

    def _background(
        self, output: Output, forward: PortForward, command: str
    ) -> tuple[list[Chunk], int]:
        """A forward becomes a job; a local port another job holds fails as a bind would."""
        banner = forward.banner()
        busy = self.jobs.busy_port(forward)
        if busy is None:
            forward.command = command
            self.jobs.start(forward)
            if forward.banner() != banner:  # a port kubectl chose was taken: it chose another
                return [(1, forward.banner())], output.code
            return output.chunks, output.code
        text = (
            f"Unable to listen on port {busy}: Listeners failed to create with the following "
            f"errors: [unable to create listener: Error listen tcp4 127.0.0.1:{busy}: bind: "
            f"address already in use unable to create listener: Error listen tcp6 [::1]:{busy}: "
            "bind: address already in use]\n"
        )
        ports = " ".join(f"{{{local} {remote}}}" for local, remote in forward.ports)
        text += f"error: unable to listen on any of the requested ports: [{ports}]\n"
        return [(2, text)], 1


def _plain(stdout: str, stderr: str, code: int) -> tuple[list[Chunk], int]:
    # Commands other than kubectl print their stdout before their stderr.
    return [(stream, text) for stream, text in ((1, stdout), (2, stderr)) if text], code
