"""What a container's main process does: resolved from its image, command, args and env.

Resolution follows Docker and Kubernetes semantics for what runs — ``command`` replaces the
image's ENTRYPOINT (and drops its CMD), ``args`` replaces CMD, ``$(VAR)`` is expanded from the
container env — and then decides *how* the simulation treats it:

1. When the process is the image's own program (the image's ENTRYPOINT/CMD, possibly with other
   arguments to a non-shell entrypoint), its :class:`~k8stui.engine.images.model.Behavior` applies.
   Arguments are ignored unless the behaviour says it reads them (``interval_arg``,
   ``memory_arg``). An entrypoint wrapper named ``docker-entrypoint.sh`` runs whatever args it
   is given, as the official images' wrappers do.
2. Otherwise, on an image with a shell (``Behavior.shell``), the command is interpreted by the
   small shell in :mod:`~k8stui.engine.runtime.shell_script`: ``sleep``, ``echo``, ``exit``,
   ``sh -c``, ``while``/``until``/``for``/``if``, ``&&``/``||``, redirections to files.
3. On an image without a shell, a foreign command cannot start (``start_error``).

Everything is a pure function of its inputs; :func:`resolve` can be called again after a
snapshot is restored instead of storing the result.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.images.model import Behavior, Image
from k8stui.engine.runtime.data_answers import DataApp
from k8stui.engine.runtime.http_answers import HttpSpec
from k8stui.engine.runtime.placeholders import render_template, unix_date
from k8stui.engine.runtime.shell_script import ShellOutcome, basename, not_found_error, run_shell

_WRAPPER = re.compile(r"^docker-entrypoint(\.sh)?$")
# Interpreters whose name alone does not identify a program ("node x.js" is not "node app.js").
_INTERPRETERS = {"sh", "bash", "ash", "dash", "node", "python", "python3", "java", "ruby"}
_K8S_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


@dataclass(frozen=True)
class LogLine:
    """A line the process prints ``at_ms`` after it started (the text may hold {placeholders})."""

    at_ms: int
    text: str


@dataclass(frozen=True)
class WriteSpec:
    """A file the process writes at ``at_ms`` after start and then every ``every_ms`` if set."""

    path: str
    content: str
    at_ms: int = 0
    every_ms: int | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessSpec:
    """Everything the runtime needs to simulate a container's main process.

    Times are ms after the container started. ``start_error`` set: the runtime could not
    start the process (``StartError``, exit 128). Otherwise the process binds ``ports`` and
    answers per ``http`` once ``startup_ms`` passed, prints ``logs`` at their times and
    ``periodic_logs`` at ``periodic_start_ms + k * log_every_ms``, performs ``writes``, and
    exits with ``exit_code`` at ``exit_after_ms`` unless ``runs_forever`` (then printing
    ``exit_logs``). Texts are templates for :func:`render_template` (``{hostname}``,
    ``{date}``, ...). ``memory_at`` gives resident memory for the OOM check.
    ``ignores_sigterm``: only the KILL at the end of the grace period stops it.
    """

    argv: tuple[str, ...]
    runs_forever: bool
    exit_after_ms: int | None = None
    exit_code: int = 0
    start_error: str | None = None
    memory_bytes: int = 0
    memory_growth_per_second: int = 0
    memory_max_bytes: int | None = None
    cpu_millicores: int = 1
    ports: tuple[int, ...] = ()
    startup_ms: int = 0
    logs: tuple[LogLine, ...] = ()
    exit_logs: tuple[str, ...] = ()
    periodic_logs: tuple[str, ...] = ()
    log_every_ms: int | None = None
    periodic_start_ms: int = 0
    writes: tuple[WriteSpec, ...] = ()
    http: HttpSpec | None = None
    bind_error: str = "bind: address already in use"
    ignores_sigterm: bool = False

    def memory_at(self, running_ms: int) -> int:
        """Resident memory after ``running_ms`` of running (growth is linear, capped by max)."""
        grown = self.memory_bytes + self.memory_growth_per_second * running_ms // 1000
        return grown if self.memory_max_bytes is None else min(grown, self.memory_max_bytes)


def expand_k8s_vars(words: list[str], env: Mapping[str, str]) -> list[str]:
    """Kubernetes' ``$(VAR)`` expansion in command/args; ``$$`` escapes; unknown stay as is."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env.get(name, match.group(0))

    return [_K8S_VAR.sub(one, word) for word in words]


def resolve(
    image: Image,
    command: list[str] | None,
    args: list[str] | None,
    env: Mapping[str, str],
) -> ProcessSpec:
    """Decide what the container's process does. ``env`` is the container's env (the runtime
    should include ``HOSTNAME``); the image's own env is applied underneath it."""
    full_env = {**image.env, **env}
    entrypoint = list(image.entrypoint or [])
    cmd = list(image.cmd or [])
    if command:
        argv = expand_k8s_vars(command, full_env) + expand_k8s_vars(list(args or []), full_env)
    else:
        argv = entrypoint + (expand_k8s_vars(args, full_env) if args is not None else cmd)
    if not argv:
        return ProcessSpec(argv=(), runs_forever=False, exit_code=128, start_error=_no_command())
    own = entrypoint + cmd
    behavior = image.behavior
    wrapped = bool(entrypoint) and bool(_WRAPPER.match(basename(entrypoint[0])))
    argv_eff, own_eff = argv, own
    if wrapped:
        # The wrapper execs its arguments: what matters is what follows it.
        own_eff = own[len(entrypoint) :]
        if argv[: len(entrypoint)] == entrypoint:
            argv_eff = argv[len(entrypoint) :]
    if argv_eff == own_eff:
        return _program(image, argv, [], full_env)
    if entrypoint and not wrapped and argv[: len(entrypoint)] == entrypoint:
        return _program(image, argv, argv[len(entrypoint) :], full_env)
    same_program = bool(argv_eff and own_eff) and basename(argv_eff[0]) == basename(own_eff[0])
    if same_program and basename(argv_eff[0]) not in _INTERPRETERS:
        return _program(image, argv, argv_eff[1:], full_env)
    if not behavior.shell:
        return ProcessSpec(
            argv=tuple(argv),
            runs_forever=False,
            exit_code=128,
            start_error=not_found_error(argv_eff[0] if argv_eff else argv[0]),
        )
    return _from_shell(argv, run_shell(argv_eff, full_env, image.files, image.workdir), behavior)


def _no_command() -> str:
    return "failed to generate spec: no command specified"


def _seconds_ms(value: float) -> int:
    return round(value * 1000)


def _program(image: Image, argv: list[str], args: list[str], env: Mapping[str, str]) -> ProcessSpec:
    """The image's own program, per its Behavior."""
    b: Behavior = image.behavior
    interval = b.log_every_seconds
    write_every = {i: w.every_seconds for i, w in enumerate(b.writes)}
    override: float | None = None
    if b.interval_arg and args and _is_number(args[0]):
        override = float(args[0])
    if b.interval_env and _is_number(env.get(b.interval_env, "")):
        override = float(env[b.interval_env])
    if override is not None:
        interval = override if interval is not None else None
        write_every = {
            i: override if every is not None else None for i, every in write_every.items()
        }
    memory_max = parse_memory(b.memory_max) if b.memory_max else None
    if b.memory_arg and args and args[0].isdigit():
        memory_max = int(args[0])
    shown_interval = override if override is not None else (interval or 0)
    known = {"interval": _fmt_number(shown_interval), "args": " ".join(args)}
    http = None
    data_app = DataApp(b.data_file, b.peers_service) if b.data_file else None
    if b.response is not None or b.serve_file is not None or data_app is not None:
        http = HttpSpec(
            response=b.response,
            status=b.response_status,
            serve_file=b.serve_file,
            failing_after_requests=b.failing_after_requests,
            failing_status=b.failing_status,
            failing_response=b.failing_response,
            request_log=b.request_log,
            image_files=dict(image.files),
            data_app=data_app,
        )
    exit_after = _seconds_ms(b.exit_after_seconds) if b.exit_after_seconds is not None else None
    return ProcessSpec(
        argv=tuple(argv),
        runs_forever=exit_after is None,
        exit_after_ms=exit_after,
        exit_code=b.exit_code,
        memory_bytes=parse_memory(b.memory),
        memory_growth_per_second=parse_memory(b.memory_growth) if b.memory_growth else 0,
        memory_max_bytes=memory_max,
        cpu_millicores=parse_cpu(b.cpu),
        ports=tuple(b.ports),
        startup_ms=_seconds_ms(b.startup_seconds),
        logs=tuple(LogLine(0, render_template(line, known)) for line in b.logs),
        exit_logs=tuple(render_template(line, known) for line in b.exit_logs),
        periodic_logs=(render_template(b.periodic_log, known),) if b.periodic_log else (),
        log_every_ms=_seconds_ms(interval) if interval else None,
        writes=tuple(
            WriteSpec(
                path=w.path,
                content=w.content,
                every_ms=_seconds_ms(every) if (every := write_every[i]) else None,
                choices=tuple(w.choices),
            )
            for i, w in enumerate(b.writes)
        ),
        http=http,
        bind_error=b.bind_error,
        ignores_sigterm=b.ignores_sigterm,
    )


def _from_shell(argv: list[str], outcome: ShellOutcome, behavior: Behavior) -> ProcessSpec:
    return ProcessSpec(
        argv=tuple(argv),
        runs_forever=outcome.forever,
        exit_after_ms=None if outcome.forever else outcome.elapsed_ms,
        exit_code=0 if outcome.forever else outcome.exit_code,
        start_error=outcome.start_error,
        memory_bytes=parse_memory("512Ki"),
        # A loop that never sleeps spins a whole core, as it would on a real node.
        cpu_millicores=1000 if outcome.busy else 0,
        logs=tuple(LogLine(at, text) for at, text in outcome.logs),
        periodic_logs=tuple(outcome.periodic_logs),
        log_every_ms=outcome.period_ms if outcome.periodic_logs else None,
        periodic_start_ms=outcome.periodic_start_ms,
        writes=tuple(
            WriteSpec(path=path, content=content, at_ms=at, every_ms=every)
            for at, path, content, every in outcome.writes
        ),
        bind_error=behavior.bind_error,
    )


def _is_number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def _fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def write_content(write: WriteSpec, n: int, hostname: str, now_ms: int = 0) -> str:
    """Content of the ``n``-th write (0-based) of ``write`` by the pod ``hostname``.

    The choice is a hash of hostname and count, so pods differ from each other and every run
    is the same.
    """
    choice = ""
    if write.choices:
        digest = hashlib.sha256(f"{hostname}/{write.path}/{n}".encode()).hexdigest()
        choice = write.choices[int(digest[:8], 16) % len(write.choices)]
    values = {"choice": choice, "n": str(n), "hostname": hostname, "date": unix_date(now_ms)}
    return render_template(write.content, values)
