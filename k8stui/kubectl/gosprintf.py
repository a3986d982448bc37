"""Go's ``fmt.Sprintf`` for template values: the verbs templates use, with Go's bad-verb text.

Values are what JSON decodes to in Go: ``int64``, ``float64``, ``string``, ``bool``, maps,
slices and nil. A verb that does not fit its value prints as Go does (``%!d(string=x)``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from k8stui.kubectl.gofmt import go_v
from k8stui.kubectl.goyaml import go_float

_VERB = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])")


def go_type(value: Any) -> str:
    """The Go type name of a decoded JSON value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "[]interface {}"


def _bad(verb: str, value: Any) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({go_type(value)}={go_v(value)})"


def _pad(text: str, flags: str, width: int | None) -> str:
    if width is None or len(text) >= width:
        return text
    if "-" in flags:
        return text.ljust(width)
    if "0" in flags and re.fullmatch(r"[+-]?[\d.]+(e[+-]\d+)?", text):
        sign = text[0] if text[0] in "+-" else ""
        return sign + text[len(sign) :].rjust(width - len(sign), "0")
    return text.rjust(width)


def _number(verb: str, flags: str, precision: int | None, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if verb in "dxXob" and isinstance(value, int):
        text = {"d": str(abs(value)), "x": f"{abs(value):x}", "X": f"{abs(value):X}",
                "o": f"{abs(value):o}", "b": f"{abs(value):b}"}[verb]  # fmt: skip
        sign = "-" if value < 0 else ("+" if "+" in flags else (" " if " " in flags else ""))
        return sign + text
    if verb in "feEgG" and isinstance(value, float):
        if verb in "gG" and precision is None:
            text = go_float(value)
        else:
            text = f"{value:.{6 if precision is None else precision}{verb}}"
        return ("+" + text) if "+" in flags and value >= 0 else text
    return None


def _one(verb: str, flags: str, precision: int | None, value: Any) -> str:
    if verb == "v":
        return go_v(value)
    if verb == "s":
        if isinstance(value, str):
            return value if precision is None else value[:precision]
        if isinstance(value, dict | list):
            return go_v(value)
        return _bad(verb, value)
    if verb == "q":
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        return _bad(verb, value)
    if verb == "t":
        return ("true" if value else "false") if isinstance(value, bool) else _bad(verb, value)
    if verb == "c" and isinstance(value, int) and not isinstance(value, bool):
        return chr(value) if 0 <= value < 0x110000 else "\ufffd"
    if verb in "xX" and isinstance(value, str):
        text = value.encode().hex()
        return text.upper() if verb == "X" else text
    number = _number(verb, flags, precision, value)
    return number if number is not None else _bad(verb, value)


def go_sprintf(fmt: str, args: list[Any]) -> str:
    """Format ``args`` with ``fmt`` the way Go's ``fmt.Sprintf`` does."""
    out: list[str] = []
    index = 0
    position = 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[position : match.start()])
        position = match.end()
        flags, width_text, precision_text, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        width = int(width_text) if width_text and width_text != "*" else None
        precision = int(precision_text) if precision_text and precision_text != "*" else None
        if index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        text = _one(verb, flags, precision, args[index])
        index += 1
        out.append(_pad(text, flags, width))
    out.append(fmt[position:])
    if index < len(args):
        extra = ", ".join(f"{go_type(a)}={go_v(a)}" for a in args[index:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)
