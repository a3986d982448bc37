"""Regular expressions written by pack authors, matched in linear time with RE2.

A pack is untrusted, and Python's backtracking ``re`` can take exponential time on patterns
such as ``^(.|..|...)*Z``; one such pattern in a level froze ``k8stui check``. Every pattern a
pack supplies (``limits.forbid``, command goals, event messages, ``op: matches``) is compiled
here by Google's RE2, which guarantees time linear in the text.

RE2 reads the usual Perl/Python syntax with a few differences an author may meet:
backreferences (``\\1``, ``(?P=name)``), lookaround (``(?=``, ``(?!``, ``(?<=``, ``(?<!``),
possessive or atomic groups, ``\\Z`` and the verbose flag ``(?x)`` are not supported, and
repetition counts stop at 1000. Such a pattern is refused when the pack is loaded, with RE2's
reason (for example ``invalid perl operator: (?=``) at the pattern's file:line:column.
Patterns that compile to very large programs (``\\pL{1000}``) are refused the same way.
"""

from __future__ import annotations

from functools import lru_cache

import re2

MAX_PATTERN = 200
"""Characters in one pattern; levels use a few dozen."""
MAX_PROGRAM = 2000
"""RE2 instructions one pattern may compile to; matching costs text length x this at most."""
_MAX_MEM = 2 * 1024 * 1024
# Constructs Python's re has and RE2 lacks, named so an author knows what to rewrite.
_UNSUPPORTED = (
    ("(?=", "lookahead is not supported"),
    ("(?!", "lookahead is not supported"),
    ("(?<=", "lookbehind is not supported"),
    ("(?<!", "lookbehind is not supported"),
    ("(?P=", "backreferences are not supported"),
    ("(?>", "atomic groups are not supported"),
    ("\\Z", "\\Z is not supported, use \\z"),
    *((f"\\{digit}", "backreferences are not supported") for digit in "123456789"),
)


class PatternError(ValueError):
    """A pattern RE2 cannot use; the message says why, in RE2's words."""


def _options() -> re2.Options:
    options = re2.Options()
    # RE2 would otherwise print every refused pattern to stderr.
    options.log_errors = False
    options.max_mem = _MAX_MEM
    return options


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re2._Regexp:
    """The compiled pattern; raise :class:`PatternError` when it cannot be used."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"pattern longer than {MAX_PATTERN} characters")
    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "cannot be compiled"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        hint = next((why for mark, why in _UNSUPPORTED if mark in pattern), None)
        extra = f" ({hint}: k8stui matches pack patterns with RE2, in linear time)" if hint else ""
        raise PatternError(f"invalid regular expression (RE2 syntax): {reason}{extra}") from None
    if compiled.programsize > MAX_PROGRAM:
        raise PatternError(
            f"regular expression too complex: it compiles to {compiled.programsize} "
            f"instructions; the limit is {MAX_PROGRAM}"
        )
    return compiled


def checked(pattern: str | None) -> str | None:
    """``pattern`` unchanged when usable (for pydantic validators); raise otherwise."""
    if pattern is not None:
        compile_pattern(pattern)
    return pattern


def search(pattern: str, text: str) -> bool:
    """True when ``pattern`` occurs in ``text``; an unusable pattern matches nothing."""
    try:
        compiled = compile_pattern(pattern)
    except PatternError:
        return False
    return compiled.search(text) is not None
