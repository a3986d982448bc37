"""What every kubectl command gets: the cluster, the files, flags, and where output goes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apiserver.resources import Resource
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.client_config import ClientConfig
from k8stui.kubectl.commands.args import Flag, Parsed
from k8stui.kubectl.files import Files
from k8stui.kubectl.live_view import LiveView
from k8stui.kubectl.watch import Stream

Obj = dict[str, Any]


class KubectlError(Exception):
    """A failure kubectl reports on stderr (``text`` is printed as is) with exit code 1.

    ``stdout`` is what the command printed before it failed (a template's partial output).
    """

    def __init__(self, text: str, code: int = 1, stdout: str = "") -> None:
        super().__init__(text)
        self.text = text
        self.code = code
        self.stdout = stdout


@dataclass
class Output:
    """What a command printed (each stream, and both in the order a terminal shows them)."""

    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    code: int = 0
    # (1 or 2, text) in the order written: what a terminal shows when both streams go to it.
    chunks: list[tuple[int, str]] = field(default_factory=list)
    # Output still to come (``get -w``): the console polls it as simulated time passes.
    stream: Stream | None = None

    def out(self, text: str, *, newline: bool = True) -> None:
        """Print to stdout (a newline is added when missing, unless ``newline`` is False)."""
        if text:
            line = text if text.endswith("\n") or not newline else text + "\n"
            self.stdout.append(line)
            self.chunks.append((1, line))

    def err(self, text: str) -> None:
        """Print to stderr (a newline is added when missing)."""
        if text:
            line = text if text.endswith("\n") else text + "\n"
            self.stderr.append(line)
            self.chunks.append((2, line))

    def fail(self, text: str) -> None:
        """Print an error and make the command exit with 1, but keep going."""
        self.err(text)
        self.code = 1


@dataclass
class Invocation:
    """One run of a command: parsed flags, the cluster it talks to and its output."""

    cluster: Cluster
    files: Files
    parsed: Parsed
    out: Output
    command: str  # "get", "create deployment", ... (for usage hints)
    stdin: str | None = None
    config: ClientConfig = field(default_factory=ClientConfig)

    @property
    def args(self) -> list[str]:
        """Positional arguments."""
        return self.parsed.args

    def flag(self, name: str) -> Any:
        """A flag's value (its default when not given)."""
        return self.parsed.get(name)

    def given(self, name: str) -> bool:
        """Whether the flag was on the command line."""
        return name in self.parsed.given

    @property
    def namespace(self) -> str:
        """``-n``, else the current context's namespace, else ``default``."""
        return str(self.parsed.get("namespace") or self.config.namespace)

    @property
    def view(self) -> LiveView:
        """The read-only view printers use."""
        return LiveView(self.cluster)

    def usage_error(self, text: str) -> KubectlError:
        """``error: <text>`` plus kubectl's ``See 'kubectl <cmd> -h'`` line."""
        return KubectlError(f"error: {text}\nSee 'kubectl {self.command} -h' for help and examples")

    def lookup(self, res: Resource, name: str, namespace: str | None = None) -> Obj:
        """A live object, or the API's NotFound error."""
        ns = "" if not res.namespaced else (namespace or self.namespace)
        obj = self.cluster.get(res.kind, name, ns)
        if obj is None:
            raise KubectlError(
                f"Error from server (NotFound): {res.qualified} {go_quote(name)} not found"
            )
        return obj


Handler = Callable[[Invocation], None]


@dataclass(frozen=True)
class Command:
    """A kubectl command: its flags, its help text and the function that runs it."""

    name: str
    summary: str
    usage: str
    flags: Sequence[Flag]
    handler: Handler | None = None
    examples: str = ""
    # Sub-commands (``create deployment``, ``rollout status``) by name.
    subcommands: Sequence[Command] = ()
    long_help: str = ""
    aliases: Sequence[str] = ()
