"""A very small POSIX shell, run over simulated time.

Enough of POSIX sh to decide what typical container commands do over time: how long they
run, what they print and write, and how they exit — ``sleep``, ``echo``, ``exit``, ``sh -c``,
``while``/``until``/``for``/``if``, ``&&``/``||``, redirections to files. Network tools
"succeed" quietly, since the command itself does not reach the simulated network.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

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


def not_found_error(program: str) -> str:
    """containerd's start error for a program that is not in the image's ``$PATH``."""
    return (
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
        "runc create failed: unable to start container process: error during container init: "
        f'exec: "{program}": executable file not found in $PATH: unknown'
    )


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
            self.out.start_error = not_found_error(words[0])
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
