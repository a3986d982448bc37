"""Go's ``filepath.Glob`` over a :class:`~k8stui.kubectl.files.Files`, as kubectl expands ``-f``.

kubectl takes a ``-f`` path that does not exist as a pattern: ``-f '*.yaml'`` names every
match, sorted per directory. The syntax is Go's, not the shell's: ``*`` and ``?`` never match
``/`` but do match a leading dot, a class is ``[abc]``, ``[a-z]`` or ``[^a]``, and ``\\``
escapes the next character. A malformed pattern (``[``, ``[a-]``, a trailing ``\\``) is an
error, as Go's ``ErrBadPattern`` is.
"""

from __future__ import annotations

import posixpath
import re

from k8stui.kubectl.files import Files

_META = frozenset("*?[\\")


class BadPattern(ValueError):
    """Go's ``filepath.ErrBadPattern``."""

    def __init__(self) -> None:
        super().__init__("syntax error in pattern")


def has_meta(path: str) -> bool:
    """Whether ``path`` holds a character Go's glob treats specially."""
    return not _META.isdisjoint(path)


def glob(files: Files, pattern: str) -> list[str]:
    """The paths matching ``pattern`` (a path without meta characters matches itself if it
    exists). Raises :class:`BadPattern` for a malformed pattern."""
    _compile(pattern)  # Go checks the whole pattern first
    if not has_meta(pattern):
        return [pattern] if files.exists(pattern) else []
    head, tail = posixpath.split(pattern)
    head = head.rstrip("/") or ("/" if head else ".")
    if not has_meta(head):
        return _in_dir(files, head, tail)
    found: list[str] = []
    for folder in glob(files, head):
        found += _in_dir(files, folder, tail)
    return found


def _in_dir(files: Files, folder: str, pattern: str) -> list[str]:
    if not files.is_dir(folder):
        return []
    match = _compile(pattern).fullmatch
    return [
        posixpath.normpath(posixpath.join(folder, n)) for n in files.entries(folder) if match(n)
    ]


def _compile(pattern: str) -> re.Pattern[str]:
    """One path element's pattern as a regular expression (``/`` is never matched)."""
    out: list[str] = []
    at = 0
    while at < len(pattern):
        ch = pattern[at]
        at += 1
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            text, at = _class(pattern, at)
            out.append(text)
        elif ch == "\\":
            if at >= len(pattern):
                raise BadPattern
            out.append(re.escape(pattern[at]))
            at += 1
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.DOTALL)


def _class(pattern: str, at: int) -> tuple[str, int]:
    """A ``[...]`` class from just after its ``[``: its regex and where the pattern goes on."""
    negated = pattern.startswith("^", at)
    at += negated
    ranges: list[str] = []
    count = 0
    while True:
        if pattern.startswith("]", at) and count:
            break
        low, at = _class_char(pattern, at)
        high = low
        if pattern[at] == "-":
            high, at = _class_char(pattern, at + 1)
        if low <= high:  # Go accepts a backwards range; it matches nothing
            ranges.append(f"{re.escape(low)}-{re.escape(high)}")
        count += 1
    body = "".join(ranges)
    if not body:
        return ("[^/]" if negated else "(?!)"), at + 1
    return f"[{'^/' if negated else ''}{body}]", at + 1


def _class_char(pattern: str, at: int) -> tuple[str, int]:
    """One (possibly escaped) character of a class; something must follow it."""
    if at >= len(pattern) or pattern[at] in "-]":
        raise BadPattern
    if pattern[at] == "\\":
        at += 1
        if at >= len(pattern):
            raise BadPattern
    if at + 1 >= len(pattern):
        raise BadPattern
    return pattern[at], at + 1
