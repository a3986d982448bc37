"""Dockerfile parsing: text -> instructions, with Docker's error wording and line numbers.

Handles comments, ``\\`` line continuations (comment lines inside a continuation are dropped,
as Docker does), exec (JSON) and shell forms, ``--flag=value`` options, ``ENV``/``LABEL``
``key=value`` pairs and the legacy ``ENV key value`` form. Parser directives (``# escape=``)
are treated as comments.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

SIMULATED = (
    "FROM",
    "RUN",
    "COPY",
    "ADD",
    "ENV",
    "EXPOSE",
    "WORKDIR",
    "CMD",
    "ENTRYPOINT",
    "LABEL",
    "USER",
    "ARG",
)
# Real instructions the simulator records (0-byte history entries) but gives no effect.
RECORDED_ONLY = ("VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER")
_PORT = re.compile(r"^\d{1,5}(?:-\d{1,5})?(?:/(?:tcp|udp|sctp))?$")


class DockerfileError(ValueError):
    """A Dockerfile the builder rejects; ``line`` is 1-based (0 when not tied to a line)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"dockerfile parse error on line {line}: {message}")


@dataclass(frozen=True)
class Instruction:
    """One instruction. ``original`` is the text as ``docker build`` echoes it in its steps."""

    keyword: str
    line: int
    original: str
    rest: str
    json_form: bool = False
    words: tuple[str, ...] = ()
    flags: dict[str, str] = field(default_factory=dict)
    pairs: tuple[tuple[str, str], ...] = ()

    def command(self) -> list[str]:
        """The argv of RUN/CMD/ENTRYPOINT: the JSON list, or ``/bin/sh -c <text>``."""
        if self.json_form:
            return list(self.words)
        return ["/bin/sh", "-c", self.rest] if self.rest else []


def parse(text: str, filename: str = "Dockerfile") -> list[Instruction]:
    """Parse Dockerfile ``text``; raise :class:`DockerfileError` on the first bad line.

    ``filename`` is accepted for messages that name the file; Docker's parse errors name only
    the line.
    """
    del filename  # Docker's wording does not include it.
    instructions: list[Instruction] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = [raw.rstrip()]
        # A trailing backslash continues the instruction; comments inside are skipped.
        while parts[-1].endswith("\\") and index < len(lines):
            parts[-1] = parts[-1][:-1]
            nxt = lines[index]
            index += 1
            if nxt.strip().startswith("#"):
                parts.append("\\")  # keep continuing past the comment
                continue
            parts.append(nxt.rstrip())
        if parts[-1].endswith("\\"):
            parts[-1] = parts[-1][:-1]
        joined = "".join(p for p in parts if p != "\\").strip()
        instructions.append(_instruction(joined, start + 1))
    return instructions


def _instruction(joined: str, line: int) -> Instruction:
    keyword_text, _, rest = joined.partition(" ")
    if "\t" in keyword_text:
        keyword_text, _, more = keyword_text.partition("\t")
        rest = f"{more} {rest}"
    keyword = keyword_text.upper()
    rest = rest.strip()
    if keyword not in SIMULATED and keyword not in RECORDED_ONLY:
        raise DockerfileError(line, f"unknown instruction: {keyword_text}")
    flags: dict[str, str] = {}
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        name, _, value = flag[2:].partition("=")
        flags[name] = value
        rest = rest.strip()
    json_words = _json_words(rest)
    json_form = json_words is not None
    words: tuple[str, ...]
    if json_words is not None:
        words = tuple(json_words)
    elif keyword in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK", "ONBUILD"):
        words = tuple(rest.split())  # the shell parses these at run time, not the builder
    else:
        words = tuple(_split(rest, line))
    pairs: tuple[tuple[str, str], ...] = ()
    if keyword in ("ENV", "LABEL", "ARG"):
        pairs = _pairs(keyword, rest, words, line)
    _check(keyword, words, rest, line, json_form)
    return Instruction(keyword, line, joined, rest, json_form, words, flags, pairs)


def _json_words(rest: str) -> list[str] | None:
    if not rest.startswith("["):
        return None
    try:
        value = json.loads(rest)
    except ValueError:
        return None  # Docker falls back to the shell form for malformed JSON.
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def _split(rest: str, line: int) -> list[str]:
    try:
        return shlex.split(rest, posix=True)
    except ValueError as exc:
        raise DockerfileError(
            line, f"unexpected end of statement while looking for matching quote ({exc})"
        ) from exc


def _pairs(
    keyword: str, rest: str, words: tuple[str, ...], line: int
) -> tuple[tuple[str, str], ...]:
    if not words:
        if keyword == "ARG":
            raise DockerfileError(line, "ARG requires exactly one argument")
        raise DockerfileError(line, f"{keyword} requires at least one argument")
    if keyword == "ARG":
        name, _, default = words[0].partition("=")
        return ((name, default),)
    if "=" not in words[0]:
        # Legacy "ENV key value with spaces": everything after the key is the value.
        if len(words) < 2:
            raise DockerfileError(line, f"{keyword} must have two arguments")
        key, _, value = rest.partition(" ")
        return ((key, value.strip()),)
    result = []
    for word in words:
        key, eq, value = word.partition("=")
        if not eq:
            raise DockerfileError(line, f"{keyword} names can not be blank")
        if not key:
            raise DockerfileError(line, f"{keyword} names can not be blank")
        result.append((key, value))
    return tuple(result)


def _check(keyword: str, words: tuple[str, ...], rest: str, line: int, json_form: bool) -> None:
    if keyword == "FROM" and (
        len(words) not in (1, 3) or (len(words) == 3 and words[1].upper() != "AS")
    ):
        raise DockerfileError(line, "FROM requires either one or three arguments")
    if keyword in ("COPY", "ADD") and len(words) < 2:
        raise DockerfileError(
            line,
            f"{keyword} requires at least two arguments, but only one was provided. "
            "Destination could not be determined.",
        )
    if keyword in ("WORKDIR", "USER") and len(words) != 1:
        raise DockerfileError(line, f"{keyword} requires exactly one argument")
    if keyword == "RUN" and not rest:
        raise DockerfileError(line, "RUN requires at least one argument")
    if keyword == "EXPOSE":
        if not words:
            raise DockerfileError(line, "EXPOSE requires at least one argument")
        for port in words:
            if not _PORT.match(port):
                raise DockerfileError(line, f"invalid containerPort: {port}")
    if keyword in ("CMD", "ENTRYPOINT") and not rest and not json_form:
        raise DockerfileError(line, f"{keyword} requires at least one argument")
