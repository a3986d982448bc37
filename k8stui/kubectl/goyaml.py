"""YAML text exactly as kubectl prints it (sigs.k8s.io/yaml over go-yaml v2, libyaml's emitter).

kubectl turns an object into JSON, decodes that into generic maps and re-encodes it with go-yaml
v2. Consequences reproduced here:

* map keys are sorted with go-yaml's "natural" order (digit runs compare numerically);
* block style, two-space indent, sequences inside a mapping are not indented;
* empty maps and lists are written ``{}`` / ``[]``;
* a string that would read back as another type (``"1"``, ``"true"``, ``""``, timestamps) is
  double-quoted; one that cannot be plain (``": "``, leading ``*``) is single-quoted;
  multi-line strings use ``|`` literal blocks;
* long plain and quoted scalars are folded at spaces once past column 80 (libyaml best_width).
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal
from typing import Any

_BEST_WIDTH = 80
_RESOLVE_MAP = frozenset(
    {
        "", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
        "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    }
)  # fmt: skip
_HINTED = frozenset("+-0123456789yYnNtTfFoO~.")
_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))"
    r"|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?))?$"
)
_ESCAPES = {
    "\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
    "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P",
}  # fmt: skip


def _is_printable(ch: str) -> bool:
    # go-yaml's is_printable: tab, NEL and characters outside the BMP are not.
    code = ord(ch)
    return (
        code == 0x0A
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
    )


def _resolves_to_other_type(s: str) -> bool:
    """Whether go-yaml would read ``s`` back as something other than a string."""
    if s in _RESOLVE_MAP:
        return True
    if s[0] not in _HINTED:
        return False
    if s[0] == ".":
        return bool(_FLOAT.match(s))
    if s[0] in "+-0123456789":
        if _TIMESTAMP.match(s):
            return True
        plain = s.replace("_", "")
        if _INT.match(plain) or _FLOAT.match(plain):
            return True
        for prefix in ("0b", "-0b"):
            if plain.startswith(prefix) and re.fullmatch(r"[01]+", plain[len(prefix) :]):
                return True
    return False


def _analyze(s: str) -> tuple[bool, bool, bool]:
    """libyaml's scalar analysis: (block plain allowed, single-quoted allowed, literal allowed).

    Only block context is ever emitted, so flow-indicator bookkeeping is left out.
    """
    if not s:
        return True, True, False
    block_ind = False
    special = line_breaks = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    if s.startswith(("---", "...")):
        block_ind = True
    preceded_ws = True
    n = len(s)
    for i, ch in enumerate(s):
        followed_ws = i + 1 >= n or s[i + 1] in " \t\r\n\x85\u2028\u2029"
        if i == 0:
            if ch in "#,[]{}&*!|>'\"%@`" or (ch in "?:-" and followed_ws):
                block_ind = True
        elif (ch == ":" and followed_ws) or (ch == "#" and preceded_ws):
            block_ind = True
        if not _is_printable(ch):
            special = True
        is_break = ch in "\r\n\x85\u2028\u2029"
        if is_break:
            line_breaks = True
        if ch == " ":
            leading_space = leading_space or i == 0
            trailing_space = trailing_space or i == n - 1
            break_space = break_space or previous_break
            previous_space, previous_break = True, False
        elif is_break:
            leading_break = leading_break or i == 0
            trailing_break = trailing_break or i == n - 1
            space_break = space_break or previous_space
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_ws = ch in " \t\r\n\x85\u2028\u2029"
    plain = single = block = True
    if leading_space or leading_break or trailing_space or trailing_break:
        plain = False
    if trailing_space:
        block = False
    if break_space:
        plain = single = False
    if space_break or special:
        plain = single = block = False
    if line_breaks or block_ind:
        plain = False
    return plain, single, block


class _Out:
    """Output buffer that tracks the column, as libyaml's emitter does for folding."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.column = 0

    def put(self, text: str) -> None:
        self.parts.append(text)
        newline = text.rfind("\n")
        self.column = len(text) - newline - 1 if newline >= 0 else self.column + len(text)

    def indent(self, indent: int) -> None:
        # libyaml's write_indent: no extra line break right after a literal block's last line.
        if self.column == 0 and self.parts and self.parts[-1].endswith("\n"):
            self.put(" " * indent)
        else:
            self.put("\n" + " " * indent)


def _write_plain(out: _Out, s: str, indent: int, breaks: bool) -> None:
    out.put(" ")
    spaces = False
    for i, ch in enumerate(s):
        if ch == " ":
            nxt = s[i + 1] if i + 1 < len(s) else ""
            if breaks and not spaces and out.column > _BEST_WIDTH and nxt != " ":
                out.indent(indent)
            else:
                out.put(ch)
            spaces = True
        else:
            out.put(ch)
            spaces = False


def _write_single(out: _Out, s: str, indent: int, breaks: bool) -> None:
    out.put(" '")
    spaces = False
    last = len(s) - 1
    for i, ch in enumerate(s):
        if ch == " ":
            nxt = s[i + 1] if i < last else ""
            if breaks and not spaces and out.column > _BEST_WIDTH and 0 < i < last and nxt != " ":
                out.indent(indent)
            else:
                out.put(ch)
            spaces = True
        else:
            out.put("''" if ch == "'" else ch)
            spaces = False
    out.put("'")


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return "\\" + _ESCAPES[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _write_double(out: _Out, s: str, indent: int, breaks: bool) -> None:
    out.put(' "')
    spaces = False
    last = len(s) - 1
    for i, ch in enumerate(s):
        if not _is_printable(ch) or ch in '"\\\ufeff\x85\u2028\u2029\n\r':
            out.put(_escape(ch))
            spaces = False
        elif ch == " ":
            if breaks and not spaces and out.column > _BEST_WIDTH and 0 < i < last:
                out.indent(indent)
                if i < last and s[i + 1] == " ":
                    out.put("\\")
            else:
                out.put(ch)
            spaces = True
        else:
            out.put(ch)
            spaces = False
    out.put('"')


def _write_literal(out: _Out, s: str, indent: int) -> None:
    hints = "2" if s[0] in " \n\r\x85\u2028\u2029" else ""
    if not s.endswith("\n"):
        hints += "-"
    elif s == "\n" or s.endswith("\n\n"):
        hints += "+"
    out.put(" |" + hints + "\n")
    at_start = True
    for ch in s:
        if ch == "\n":
            out.put("\n")
            at_start = True
        else:
            if at_start:
                out.put(" " * indent)
                at_start = False
            out.put(ch)
    if not s.endswith("\n"):
        out.put("\n")


def _write_string(out: _Out, s: str, indent: int, *, key: bool) -> None:
    """Pick the style go-yaml would and write ``s`` (leading separator space included)."""
    plain_ok, single_ok, block_ok = _analyze(s)
    quoted = _resolves_to_other_type(s) or (
        bool(s) and s[0] in "+-0123456789" and ":" in s and bool(_BASE60.match(s))
    )
    multiline = "\n" in s
    if multiline and not key and block_ok:
        _write_literal(out, s, indent)
    elif quoted or (key and multiline):
        _write_double(out, s, indent, not key)
    elif plain_ok and s:
        _write_plain(out, s, indent, not key)
    elif single_ok:
        _write_single(out, s, indent, not key)
    else:
        _write_double(out, s, indent, not key)


def go_float(value: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)`` with go-yaml's names for the specials."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == int(value) and abs(value) < 1e21:
        # JSON round trip: an integral number decodes as int64 before YAML sees it.
        return str(int(value))
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(str(d) for d in digits).rstrip("0") or "0"
    assert isinstance(exponent, int)
    point = len(digits) + exponent  # position of the decimal point within ``digits``
    exp = point - 1
    neg = "-" if sign else ""
    if exp < -4 or exp >= 21:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{neg}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{neg}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{neg}{text}{'0' * (point - len(text))}"
    return f"{neg}{text[:point]}.{text[point:]}"


def _key_less(a: str, b: str) -> bool:
    """go-yaml's keyList.Less: letters after other runes, digit runs compared as numbers."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + int(b[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


def _key_cmp(a: str, b: str) -> int:
    return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)


_sort_key = functools.cmp_to_key(_key_cmp)


def _scalar(out: _Out, value: Any, indent: int) -> None:
    if value is None:
        out.put(" null")
    elif value is True or value is False:
        out.put(" true" if value else " false")
    elif isinstance(value, int):
        out.put(f" {value}")
    elif isinstance(value, float):
        out.put(f" {go_float(value)}")
    else:
        _write_string(out, str(value), indent, key=False)


def _node(out: _Out, value: Any, indent: int, *, in_mapping: bool) -> None:
    """Write ``value`` after a ``key:`` or ``-`` indicator; ``indent`` is the parent's indent."""
    if isinstance(value, dict):
        if not value:
            out.put(" {}")
            return
        if in_mapping:
            out.indent(indent + 2)
            _mapping(out, value, indent + 2)
        else:
            out.put(" ")
            _mapping(out, value, indent + 2)
    elif isinstance(value, list | tuple):
        if not value:
            out.put(" []")
            return
        if in_mapping:
            out.indent(indent)  # sequences under a key are not indented
            _sequence(out, value, indent)
        else:
            out.put(" ")
            _sequence(out, value, indent + 2)
    else:
        _scalar(out, value, indent + 2)


def _mapping(out: _Out, mapping: dict[Any, Any], indent: int) -> None:
    keys = sorted((str(k) for k in mapping), key=_sort_key)
    lookup = {str(k): v for k, v in mapping.items()}
    for index, key in enumerate(keys):
        if index:
            out.indent(indent)
        start = len(out.parts)
        _write_string(out, key, indent, key=True)
        # Keys are written like scalars (with a separating space); drop that leading space.
        out.parts[start] = out.parts[start][1:]
        out.column -= 1
        out.put(":")
        _node(out, lookup[key], indent, in_mapping=True)


def _sequence(out: _Out, items: list[Any] | tuple[Any, ...], indent: int) -> None:
    for index, item in enumerate(items):
        if index:
            out.indent(indent)
        out.put("-")
        _node(out, item, indent, in_mapping=False)


def dump(value: Any) -> str:
    """Serialise a JSON-like value as kubectl's ``-o yaml`` does (ends with a newline)."""
    out = _Out()
    if isinstance(value, dict) and value:
        _mapping(out, value, 0)
    elif isinstance(value, list | tuple) and value:
        _sequence(out, value, 0)
    else:
        _node(out, value, -2, in_mapping=False)
        text = "".join(out.parts).lstrip(" ")
        return text if text.endswith("\n") else text + "\n"
    text = "".join(out.parts)
    return text if text.endswith("\n") else text + "\n"
