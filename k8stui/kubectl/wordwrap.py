"""Word wrapping as kubectl's ``explain`` does it (the ``go-wordwrap`` rules).

Lines break at white space once a word would pass the limit; existing line breaks are kept;
a word longer than the limit stays whole on its own line; spaces at a break are dropped.
"""

from __future__ import annotations

_NBSP = "\u00a0"


def _flush(out: list[str], word: list[str], space: list[str], room: bool) -> None:
    """Write the pending spaces and word; spaces alone only if they fit (``room``)."""
    if word or room:
        out += space
    out += word


def wrap(text: str, limit: int) -> str:
    """``text`` with line breaks inserted so that lines stay within ``limit`` characters."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for char in text:
        if char == "\n":
            _flush(out, word, space, current + len(space) <= limit)
            word, space = [], []
            out.append(char)
            current = 0
        elif char.isspace() and char != _NBSP:
            if not space or word:
                current += len(space) + len(word)
                out += space
                out += word
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    _flush(out, word, space, current + len(space) <= limit)
    return "".join(out)
