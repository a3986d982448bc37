"""Strings as Go prints them with ``%q`` (``strconv.Quote``), the quoting of API error texts.

The API server names objects in its messages with ``%q`` (``pods "x" not found``, ``The Pod
"x" is invalid``), so a name holding an escape sequence reaches the terminal as the six
characters ``\\x1b[31m``, never as a colour change.
"""

from __future__ import annotations

_NAMED = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(text: str) -> str:
    """``text`` in double quotes with Go's escapes for quotes, backslashes and non-printables."""
    out = ['"']
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        else:
            code = ord(ch)
            if code < 0x20 or code == 0x7F:
                out.append(f"\\x{code:02x}")
            elif 0xD800 <= code <= 0xDFFF:
                out.append("\\ufffd")  # a lone surrogate is not valid UTF-8: Go shows U+FFFD
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)
