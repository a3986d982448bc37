"""What a container's main process does: resolved from its image, command, args and env.

Resolution follows Docker and Kubernetes semantics for what runs — ``command`` replaces the
image's ENTRYPOINT (and drops its CMD), ``args`` replaces CMD, ``$(VAR)`` is expanded from the
container env — and then decides *how* the simulation treats it:

1. When the process is the image's own program (the image's ENTRYPOINT/CMD, possibly with other
   arguments to a non-shell entrypoint), its :class:`~k8stui.engine.images.Behavior` applies.
   Arguments are ignored unless the behaviour says it reads them (``interval_arg``,
   ``memory_arg``). An entrypoint wrapper named ``docker-entrypoint.sh`` runs whatever args it
   is given, as the official images' wrappers do.
2. Otherwise, on an image with a shell (``Behavior.shell``), the command is interpreted by the
   small shell at the end of this module (:func:`run_shell`): ``sleep``, ``echo``, ``exit``,
   ``sh -c``, ``while``/``until``/``for``/``if``, ``&&``/``||``, redirections to files.
3. On an image without a shell, a foreign command cannot start (``start_error``).

Everything is a pure function of its inputs; :func:`resolve` can be called again after a
snapshot is restored instead of storing the result.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from k8stui.engine.images import Behavior, Image
from k8stui.engine.quantity import parse_cpu, parse_memory

# Sim time 0 in wall-clock terms (mirrors clock.SIM_EPOCH without importing the clock's API).
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_WRAPPER = re.compile(r"^docker-entrypoint(\.sh)?$")
# Interpreters whose name alone does not identify a program ("node x.js" is not "node app.js").
_INTERPRETERS = {"sh", "bash", "ash", "dash", "node", "python", "python3", "java", "ruby"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
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
class HttpSpec:
    """How the process answers HTTP requests on its ports."""

    response: str | None
    status: int = 200
    serve_file: str | None = None
    failing_after_requests: int | None = None
    failing_status: int = 500
    failing_response: str = ""
    request_log: str | None = None
    image_files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HttpAnswer:
    """One HTTP response, with the access-log line the process prints for it (if any)."""

    status: int
    body: str
    log: str | None = None


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
            start_error=_not_found(argv_eff[0] if argv_eff else argv[0]),
        )
    return _from_shell(argv, run_shell(argv_eff, full_env, image.files, image.workdir), behavior)


def _no_command() -> str:
    return "failed to generate spec: no command specified"


def _not_found(program: str) -> str:
    return (
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
        "runc create failed: unable to start container process: error during container init: "
        f'exec: "{program}": executable file not found in $PATH: unknown'
    )


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
    if b.response is not None or b.serve_file is not None:
        http = HttpSpec(
            response=b.response,
            status=b.response_status,
            serve_file=b.serve_file,
            failing_after_requests=b.failing_after_requests,
            failing_status=b.failing_status,
            failing_response=b.failing_response,
            request_log=b.request_log,
            image_files=dict(image.files),
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


def render_template(text: str, values: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders found in ``values``; leave any other braces untouched."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def unix_date(ms: int) -> str:
    """What ``date`` prints at sim time ``ms`` (``Wed Jan  1 00:00:10 UTC 2025``)."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S UTC %Y")


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


def http_answer(
    spec: ProcessSpec,
    request_number: int,
    *,
    hostname: str,
    pod_ip: str,
    path: str = "/",
    method: str = "GET",
    client_ip: str = "10.244.0.1",
    now_ms: int = 0,
    read_file: Callable[[str], str | None] | None = None,
) -> HttpAnswer | None:
    """The answer to the ``request_number``-th request (1-based) the process receives.

    ``read_file`` is the container's view of its filesystem (volumes mounted over the image);
    when it has no such file the image's baked-in copy is used, and when neither exists the
    answer is a 404. Returns None for a process that does not speak HTTP.
    """
    http = spec.http
    if http is None:
        return None
    values = {
        "hostname": hostname,
        "pod_ip": pod_ip,
        "path": path,
        "method": method,
        "client_ip": client_ip,
        "date": unix_date(now_ms),
    }
    if http.failing_after_requests is not None and request_number > http.failing_after_requests:
        status, body = http.failing_status, render_template(http.failing_response, values)
    elif http.serve_file is not None:
        target = http.serve_file if path in ("/", "") else _join_doc(http.serve_file, path)
        content = read_file(target) if read_file else None
        if content is None:
            content = http.image_files.get(target)
        if content is None:
            status, body = 404, _NOT_FOUND_PAGE
        else:
            status, body = 200, content
    else:
        status, body = http.status, render_template(http.response or "", values)
    log = None
    if http.request_log:
        values.update(status=str(status), bytes=str(len(body.encode())))
        log = render_template(http.request_log, values)
    return HttpAnswer(status=status, body=body, log=log)


def _join_doc(index_path: str, request_path: str) -> str:
    root = index_path.rsplit("/", 1)[0]
    return root + "/" + request_path.lstrip("/")


_NOT_FOUND_PAGE = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n"
)


# --- a very small shell -------------------------------------------------------------------
# Enough of POSIX sh to decide what typical container commands do over time: how long they
# run, what they print and write, and how they exit. Network tools "succeed" quietly, since
# the command itself does not reach the simulated network.

_SHELLS = {"sh", "bash", "ash", "dash"}
_QUIET = {
    "cd",
    "export",
    "trap",
    "set",
    "unset",
    "mkdir",
    "touch",
    "ls",
    "rm",
    "cp",
    "mv",
    "chmod",
    "chown",
    "ln",
    "wget",
    "curl",
    "nslookup",
    "ping",
    "kill",
    "ps",
    "id",
    "whoami",
    "test",
    "[",
    "uname",
    "sync",
    "apk",
    "apt-get",
    "npm",
    "pip",
    "stat",
    "df",
    "du",
    "free",
    "top",
}
_OPERATORS = {";", "&&", "||", "|", "&"}
_SLEEP_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def basename(path: str) -> str:
    """Last component of a path (``/bin/sh`` -> ``sh``)."""
    return path.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class ShellOutcome:
    """What a shell command did: exit or forever, with timed logs, loops and file writes."""

    exit_code: int = 0
    elapsed_ms: int = 0
    forever: bool = False
    busy: bool = False
    start_error: str | None = None
    logs: list[tuple[int, str]] = field(default_factory=list)
    periodic_logs: list[str] = field(default_factory=list)
    periodic_start_ms: int = 0
    period_ms: int = 0
    # (at_ms, path, content, every_ms or None)
    writes: list[tuple[int, str, str, int | None]] = field(default_factory=list)


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class _Forever(Exception):
    pass


class _Break(Exception):
    pass


Node = tuple  # ("cmd", words, redirect, negate) | ("while", cond, body, until) | ...


def run_shell(
    argv: list[str], env: Mapping[str, str], files: Mapping[str, str], workdir: str = "/"
) -> ShellOutcome:
    """Run ``argv`` (exec form) on an image that has a shell; never raises for bad input."""
    shell = _Shell(dict(env), dict(files), workdir)
    out = shell.out
    try:
        if basename(argv[0]) in _SHELLS:
            shell.name = basename(argv[0])
            rest = argv[1:]
            flag = next((i for i, w in enumerate(rest) if re.fullmatch(r"-[a-z]*c[a-z]*", w)), None)
            if flag is not None:
                if flag + 1 >= len(rest):
                    shell.emit(f"{shell.name}: -c requires an argument")
                    raise _Exit(2)
                shell.run_script(rest[flag + 1])
            elif rest:
                text = shell.files.get(shell.path(rest[0]))
                if text is None:
                    shell.emit(f"{shell.name}: can't open '{rest[0]}': No such file or directory")
                    raise _Exit(2)
                shell.run_script(text)
            # A shell with no script and no terminal reads an empty stdin and exits at once.
        else:
            shell.status = shell.exec_words(argv, None, exec_form=True)
        out.exit_code = shell.status
    except _Exit as stop:
        out.exit_code = stop.code
    except _Forever:
        out.forever = True
    except _Break:
        out.exit_code = 0
    out.elapsed_ms = shell.t
    return out


class _Shell:
    def __init__(self, env: dict[str, str], files: dict[str, str], workdir: str) -> None:
        self.env, self.files, self.workdir = env, files, workdir
        self.name = "sh"
        self.t = 0
        self.status = 0
        self.out = ShellOutcome()

    def path(self, p: str) -> str:
        return p if p.startswith("/") else self.workdir.rstrip("/") + "/" + p

    def emit(self, text: str, redirect: tuple[str, bool] | None = None) -> None:
        if redirect is None:
            self.out.logs.extend((self.t, line) for line in text.split("\n"))
        elif redirect[0] != "/dev/null":
            target = self.path(redirect[0])
            content = (self.files.get(target, "") if redirect[1] else "") + text + "\n"
            self.files[target] = content
            self.out.writes.append((self.t, target, content, None))

    def run_script(self, script: str) -> None:
        nodes, _ = _parse_list(_tokens(script), 0, set())
        self.run_list(nodes)

    def run_list(self, nodes: list[tuple[str, Node]]) -> int:
        for connector, node in nodes:
            if (connector == "&&" and self.status != 0) or (connector == "||" and self.status == 0):
                continue
            self.status = self.run_node(node)
        return self.status

    def run_node(self, node: Node) -> int:
        kind = node[0]
        if kind == "cmd":
            code = self.exec_words(self.expand(node[1]), node[2], exec_form=False)
            return (0 if code else 1) if node[3] else code
        if kind == "if":
            _, cond, then, otherwise = node
            return self.run_list(then if self.run_list(cond) == 0 else otherwise)
        if kind == "for":
            _, var, values, body = node
            for value in self.expand(values):
                self.env[var] = value
                try:
                    self.run_list(body)
                except _Break:
                    break
            return 0
        return self.run_loop(node[1], node[2], until=node[3])

    def run_loop(
        self, cond: list[tuple[str, Node]], body: list[tuple[str, Node]], until: bool
    ) -> int:
        start, log_mark, write_mark = self.t, len(self.out.logs), len(self.out.writes)
        if (self.run_list(cond) == 0) == until:
            return 0
        try:
            self.run_list(body)
        except _Break:
            return 0
        # One pass of the body neither exited nor broke out: the loop repeats for ever with the
        # same period (conditions over time, like a counter, are beyond this shell).
        period = self.t - start
        out = self.out
        if period == 0:
            out.busy = True
            del out.logs[log_mark:]
            raise _Forever
        out.periodic_logs = [text for _, text in out.logs[log_mark:]]
        out.periodic_start_ms, out.period_ms = start, period
        del out.logs[log_mark:]
        out.writes[write_mark:] = [(start, p, c, period) for _, p, c, _ in out.writes[write_mark:]]
        raise _Forever

    def expand(self, words: list[str]) -> list[str]:
        def var(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            return str(self.status) if name == "?" else self.env.get(name, "")

        pattern = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*|\?)")
        return [pattern.sub(var, word) for word in words]

    def exec_words(
        self, words: list[str], redirect: tuple[str, bool] | None, exec_form: bool
    ) -> int:
        words = list(words)
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            key, _, value = words.pop(0).partition("=")
            self.env[key] = value
        if not words:
            return 0
        prog, args = basename(words[0]), words[1:]
        if prog == "exec" and args:
            return self.exec_words(args, redirect, exec_form)
        if prog == "sleep":
            return self.sleep(args)
        if prog == "echo":
            text_args = [a for a in args if a not in ("-n", "-e")]
            self.emit(" ".join(text_args).replace("\\n", "\n"), redirect)
            return 0
        if prog == "printf":
            self.emit((args[0] if args else "").replace("\\n", "\n").rstrip("\n"), redirect)
            return 0
        if prog in ("true", ":"):
            return 0
        if prog == "false":
            return 1
        if prog == "exit":
            raise _Exit(
                int(args[0]) % 256 if args and args[0].lstrip("-").isdigit() else self.status
            )
        if prog == "break":
            raise _Break
        if prog == "date":
            self.emit("{date}", redirect)
            return 0
        if prog == "hostname":
            self.emit("{hostname}", redirect)
            return 0
        if prog in ("env", "printenv"):
            if args:
                if args[0] not in self.env:
                    return 1
                self.emit(self.env[args[0]], redirect)
            else:
                self.emit("\n".join(f"{k}={v}" for k, v in self.env.items()), redirect)
            return 0
        if prog == "cat":
            return self.cat(args, redirect)
        if prog == "tail" and "-f" in args:
            raise _Forever
        if prog == "yes" or (prog in ("nc", "netcat") and "-l" in args):
            self.out.busy = prog == "yes"
            raise _Forever
        if prog == "read":
            return 1  # stdin is closed
        if prog in _SHELLS:
            return self.subshell(words)
        if prog == "node" and args:
            if self.path(args[0]) in self.files:
                raise _Forever
            self.emit(f"Error: Cannot find module '{self.path(args[0])}'")
            return 1
        if prog in _QUIET:
            return 0
        if exec_form:
            self.out.start_error = _not_found(words[0])
            raise _Exit(128)
        self.emit(f"{self.name}: {words[0]}: not found")
        return 127

    def subshell(self, words: list[str]) -> int:
        inner = run_shell(words, self.env, self.files, self.workdir)
        self.out.logs.extend((self.t + at, text) for at, text in inner.logs)
        self.t += inner.elapsed_ms
        if inner.forever:
            self.out.periodic_logs, self.out.period_ms = inner.periodic_logs, inner.period_ms
            self.out.periodic_start_ms = self.t + inner.periodic_start_ms
            self.out.busy = inner.busy
            raise _Forever
        return inner.exit_code

    def sleep(self, args: list[str]) -> int:
        if not args:
            self.emit("sleep: missing operand")
            return 1
        if args[0] in ("infinity", "inf"):
            raise _Forever
        match = re.fullmatch(r"(\d+(?:\.\d+)?|\.\d+)([smhd]?)", args[0])
        if not match:
            self.emit(f"sleep: invalid number '{args[0]}'")
            return 1
        self.t += round(float(match.group(1)) * _SLEEP_UNITS[match.group(2) or "s"] * 1000)
        return 0

    def cat(self, args: list[str], redirect: tuple[str, bool] | None) -> int:
        for name in args:
            content = self.files.get(self.path(name))
            if content is None:
                self.emit(f"cat: can't open '{name}': No such file or directory")
                return 1
            self.emit(content.rstrip("\n"), redirect)
        return 0


def _tokens(script: str) -> list[str]:
    # Newlines outside quotes separate commands like ";" does.
    chars, quote = [], ""
    for ch in script:
        if ch in "'\"" and (not quote or quote == ch):
            quote = "" if quote else ch
        chars.append(";" if ch == "\n" and not quote else ch)
    lexer = shlex.shlex("".join(chars), posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: sh would fail to parse
        return ["exit", "2"]


def _parse_list(tokens: list[str], pos: int, stops: set[str]) -> tuple[list[tuple[str, Node]], int]:
    nodes: list[tuple[str, Node]] = []
    connector = ";"
    while pos < len(tokens):
        token = tokens[pos]
        if token in (";", "&"):
            connector, pos = ";", pos + 1
            continue
        if token in stops:
            break
        node, pos = _parse_item(tokens, pos)
        nodes.append((connector, node))
        connector = ";"
        if pos < len(tokens) and tokens[pos] in _OPERATORS:
            connector = tokens[pos] if tokens[pos] in ("&&", "||") else ";"
            pos += 1
    return nodes, pos


def _expect(tokens: list[str], pos: int, word: str) -> int:
    return pos + 1 if pos < len(tokens) and tokens[pos] == word else pos


def _parse_item(tokens: list[str], pos: int) -> tuple[Node, int]:
    token = tokens[pos]
    if token in ("while", "until"):
        cond, pos = _parse_list(tokens, pos + 1, {"do"})
        body, pos = _parse_list(tokens, _expect(tokens, pos, "do"), {"done"})
        return ("loop", cond, body, token == "until"), _expect(tokens, pos, "done")
    if token == "for" and pos + 1 < len(tokens):
        var, pos = tokens[pos + 1], pos + 2
        values: list[str] = []
        if pos < len(tokens) and tokens[pos] == "in":
            pos += 1
            while pos < len(tokens) and tokens[pos] not in (";", "do"):
                values.append(tokens[pos])
                pos += 1
        body, pos = _parse_list(tokens, _expect(tokens, _skip_semis(tokens, pos), "do"), {"done"})
        return ("for", var, values, body), _expect(tokens, pos, "done")
    if token in ("if", "elif"):
        cond, pos = _parse_list(tokens, pos + 1, {"then"})
        then, pos = _parse_list(tokens, _expect(tokens, pos, "then"), {"else", "elif", "fi"})
        otherwise: list[tuple[str, Node]] = []
        if pos < len(tokens) and tokens[pos] == "elif":
            nested, pos = _parse_item(tokens, pos)
            return ("if", cond, then, [(";", nested)]), pos
        if pos < len(tokens) and tokens[pos] == "else":
            otherwise, pos = _parse_list(tokens, pos + 1, {"fi"})
        return ("if", cond, then, otherwise), _expect(tokens, pos, "fi")
    negate = token == "!"
    pos += 1 if negate else 0
    words: list[str] = []
    redirect: tuple[str, bool] | None = None
    while pos < len(tokens) and tokens[pos] not in _OPERATORS:
        token = tokens[pos]
        if token in (">", ">>", ">|") and pos + 1 < len(tokens):
            redirect, pos = (tokens[pos + 1], token == ">>"), pos + 2
            if words and words[-1].isdigit() and words[-1] != "1":  # 2>/dev/null: stderr
                words.pop()
                redirect = None
            continue
        if token in (">&", "<", "<<") and pos + 1 < len(tokens):
            if words and words[-1].isdigit():
                words.pop()
            pos += 2
            continue
        words.append(token)
        pos += 1
    return ("cmd", words, redirect, negate), pos


def _skip_semis(tokens: list[str], pos: int) -> int:
    while pos < len(tokens) and tokens[pos] == ";":
        pos += 1
    return pos
