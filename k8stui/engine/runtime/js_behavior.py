"""A Node.js HTTP server's behaviour, read from its JavaScript source.

``.listen(N)`` gives the port, ``response.end("..." + os.hostname())`` the answer,
``console.log("...")`` the start-up logs (a log with ``remoteAddress`` logs each request) — so
the book's ``app.js`` on ``node:7`` behaves like ``luksa/kubia``.
"""

from __future__ import annotations

import re

from k8stui.engine.images.model import Behavior

_LITERAL = re.compile(
    r"""^\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`)\s*$"""
)
_EXPRESSIONS = {
    "os.hostname()": "{hostname}",
    "request.url": "{path}",
    "req.url": "{path}",
    "request.method": "{method}",
    "req.method": "{method}",
    "request.connection.remoteAddress": "::ffff:{client_ip}",
    "req.connection.remoteAddress": "::ffff:{client_ip}",
    "req.socket.remoteAddress": "::ffff:{client_ip}",
}


def _js_template(expression: str) -> str | None:
    """Translate ``"a" + os.hostname() + "\\n"`` into ``a{hostname}\\n``; None if unknown."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in expression:
        if quote:
            quote = "" if ch == quote and not current.endswith("\\") else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "+" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    out = []
    for part in parts:
        literal = _LITERAL.match(part)
        if literal:
            text = next(g for g in literal.groups() if g is not None)
            out.append(text.encode().decode("unicode_escape"))
        elif part.strip() in _EXPRESSIONS:
            out.append(_EXPRESSIONS[part.strip()])
        else:
            return None
    return "".join(out)


def script_behavior(source: str) -> Behavior | None:
    """Read a Node.js HTTP server's behaviour from its source (see the module doc)."""
    listen = re.search(r"\.listen\(\s*(\d+)", source)
    if listen is None:
        return None
    response = None
    for match in re.finditer(r"\.(?:end|send)\((.+)\)\s*;?\s*$", source, re.MULTILINE):
        response = _js_template(match.group(1))
        if response is not None:
            break
    logs, request_log = [], None
    for match in re.finditer(r"console\.log\((.+)\)\s*;?\s*$", source, re.MULTILINE):
        text = _js_template(match.group(1))
        if text is None:
            continue
        if "{client_ip}" in text or "{path}" in text:
            request_log = text
        else:
            logs.append(text)
    return Behavior(
        ports=[int(listen.group(1))],
        response=response if response is not None else "",
        logs=logs,
        request_log=request_log,
        memory="9Mi",
        # node as PID 1 gets no default signal actions: without a handler TERM is ignored.
        ignores_sigterm="SIGTERM" not in source,
    )
