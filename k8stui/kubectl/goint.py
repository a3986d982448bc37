"""Integers as pflag reads them: Go's ``strconv.ParseInt(text, 0, bits)``.

Base 0 means a ``0x``/``0o``/``0b`` prefix or a leading ``0`` (octal) picks the base and
underscores may separate digits, so ``--replicas=0x10`` is 16 and ``010`` is 8, exactly as
the real kubectl takes them. Out-of-range values are refused before any big number is
built, so a flag of 5,000 digits costs nothing.
"""

from __future__ import annotations

import re

_SYNTAX = re.compile(
    r"[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)"
)
_MAX_DIGITS = 70  # no int64 needs more than 64 binary digits (plus prefix, sign, underscores)


class GoIntError(ValueError):
    """``invalid syntax`` or ``value out of range``, as strconv words them."""


def parse_go_int(text: str, bits: int = 64) -> int:
    """``text`` as a signed integer of ``bits`` bits, with Go's base-0 rules."""
    if not _SYNTAX.fullmatch(text):
        raise GoIntError("invalid syntax")
    if len(text) > _MAX_DIGITS:
        raise GoIntError("value out of range")
    body = text.lstrip("+-").replace("_", "")
    sign = -1 if text.startswith("-") else 1
    if body[:2].lower() in ("0x", "0o", "0b"):
        value = int(body[2:], {"x": 16, "o": 8, "b": 2}[body[1].lower()])
    elif len(body) > 1 and body[0] == "0":
        value = int(body[1:], 8)
    else:
        value = int(body, 10)
    value *= sign
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise GoIntError("value out of range")
    return value
