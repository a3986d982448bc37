"""Untrusted text made safe for a terminal: the one place output is escaped.

kubectl's printers pass everything through cli-runtime's ``EscapeTerminal``, which shows
ESC as ``^[`` and a carriage return as ``\\r`` so an object's name or annotation cannot
recolour the screen, move the cursor or set the window title (OSC sequences start with
ESC). The other control characters a terminal acts on (BEL, backspace, the C1 range that
some terminals read as ESC-sequences, ...) are shown in caret or ``\\u`` form here too;
newlines and tabs pass, as output needs them.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _shown(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch == "\r":
        return "\\r"
    if code < 0x20:
        return "^" + chr(code + 0x40)  # ESC -> ^[, BEL -> ^G
    if code == 0x7F:
        return "^?"
    return f"\\u{code:04x}"


def escape_terminal(text: str) -> str:
    """``text`` with terminal control characters replaced by visible forms."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_shown, text)
