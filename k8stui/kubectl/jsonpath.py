"""kubectl's JSONPath templates (client-go ``util/jsonpath``), as used by ``-o jsonpath=...``.

Supported: text and ``{...}`` actions; ``.field``, ``['field']``, ``..field``, ``*``,
``[n]``, ``[-1]``, ``[a:b:c]``, ``[a,b]`` unions, filters ``[?(@.x=="y")]`` (``== != < > <= >=``,
or bare existence), ``{range ...}...{end}`` and quoted literals such as ``{"\\t"}``. Missing keys
print nothing (kubectl's default ``--allow-missing-template-keys=true``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from k8stui.kubectl.gosprintf import go_type
from k8stui.kubectl.goyaml import go_float


class JSONPathError(ValueError):
    """A parse or execution error, worded as kubectl prints it after ``error: ``."""


class _ParseError(Exception):
    pass


class _ExecError(Exception):
    pass


@dataclass
class _Node:
    kind: str  # text, field, wildcard, array, union, filter, recursive, ident, int, float, bool
    value: Any = None
    children: list[list[_Node]] = field(default_factory=list)


_SLICE = re.compile(r"^(-?\d*)(:-?\d*)?(:-?\d*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=~]+)(.+?)$", re.DOTALL)
_TERMINATORS = set(" \t\r\n.,[]$@{}")


class _Parser:
    """A recursive-descent port of client-go's jsonpath parser."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def parse(self) -> list[_Node | list[_Node]]:
        """Top level: text segments and action lists."""
        out: list[_Node | list[_Node]] = []
        while self.pos < len(self.text):
            start = self.text.find("{", self.pos)
            if start < 0:
                out.append(_Node("text", self.text[self.pos :]))
                break
            if start > self.pos:
                out.append(_Node("text", self.text[self.pos : start]))
            self.pos = start + 1
            out.append(self.action())
        return out

    def action(self) -> list[_Node]:
        nodes: list[_Node] = []
        text = self.text
        while True:
            rest = text[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                return nodes
            if rest.startswith("[?("):
                nodes.append(self.filter())
                continue
            if rest.startswith(".."):
                if nodes and nodes[-1].kind == "recursive":
                    raise _ParseError("invalid multiple recursive descent")
                self.pos += 2
                nodes.append(_Node("recursive"))
                if self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] == "_"):
                    nodes.append(self.field())
                continue
            if not rest or rest[0] in "\r\n":
                raise _ParseError("unclosed action")
            ch = rest[0]
            if ch in " @$":
                self.pos += 1
            elif ch == "[":
                nodes.extend(self.array())
            elif ch in "\"'":
                nodes.append(self.quote(ch))
            elif ch == ".":
                self.pos += 1
                nodes.append(self.field())
            elif ch in "+-" or ch.isdigit():
                nodes.append(self.number())
            elif ch.isalnum() or ch == "_":
                nodes.append(self.identifier())
            else:
                raise _ParseError(f"unrecognized character in action: U+{ord(ch):04X} {ch!r}")

    def field(self) -> _Node:
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            if ch in _TERMINATORS:
                break
            self.pos += 1
        name = self.text[start : self.pos]
        return _Node("wildcard") if name == "*" else _Node("field", name.replace("\\", ""))

    def identifier(self) -> _Node:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _TERMINATORS:
            self.pos += 1
        word = self.text[start : self.pos]
        if word in ("true", "false"):
            return _Node("bool", word == "true")
        return _Node("ident", word)

    def number(self) -> _Node:
        start = self.pos
        if self.text[self.pos] in "+-":
            self.pos += 1
        while self.pos < len(self.text) and (
            self.text[self.pos].isdigit() or self.text[self.pos] == "."
        ):
            self.pos += 1
        word = self.text[start : self.pos]
        try:
            return _Node("int", int(word))
        except ValueError:
            try:
                return _Node("float", float(word))
            except ValueError:
                raise _ParseError(f"cannot parse number {word}") from None

    def quote(self, end: str) -> _Node:
        start = self.pos
        self.pos += 1
        while True:
            if self.pos >= len(self.text) or self.text[self.pos] == "\n":
                raise _ParseError("unterminated quoted string")
            if self.text[self.pos] == end and self.text[self.pos - 1] != "\\":
                self.pos += 1
                break
            self.pos += 1
        raw = self.text[start + 1 : self.pos - 1]
        try:
            value = json.loads('"' + raw.replace('"', '\\"').replace('\\\\"', '\\"') + '"')
        except json.JSONDecodeError:
            value = raw.replace("\\" + end, end)
        return _Node("text", value)

    def array(self) -> list[_Node]:
        end = self.text.find("]", self.pos)
        newline = self.text.find("\n", self.pos)
        if end < 0 or 0 <= newline < end:
            raise _ParseError("unterminated array")
        inner = self.text[self.pos + 1 : end]
        self.pos = end + 1
        if inner == "*":
            inner = ":"
        if "," in inner:
            return [
                _Node(
                    "union", children=[_sub_action(f"[{p.strip(' ')}]") for p in inner.split(",")]
                )
            ]
        key = re.fullmatch(r"'([^']*)'", inner)
        if key:
            return _sub_action("." + key.group(1))
        match = _SLICE.match(inner)
        if not match:
            raise _ParseError(f"invalid array index {inner}")
        params: list[tuple[bool, int, bool]] = []  # (known, value, derived)
        for index, group in enumerate(match.groups()):
            raw = (group or "")[1:] if index else (group or "")
            if group and raw:
                params.append((True, int(raw), False))
            elif index == 1 and not group:
                params.append((True, params[0][1] + 1, True))
            else:
                params.append((False, 0, False))
        return [_Node("array", params)]

    def filter(self) -> _Node:
        self.pos += 3
        start = self.pos
        opened = closed = False
        pair = ""
        while True:
            if self.pos >= len(self.text) or self.text[self.pos] == "\n":
                raise _ParseError("unterminated filter")
            ch = self.text[self.pos]
            self.pos += 1
            if ch in "\"'":
                if not opened:
                    opened, pair = True, ch
                elif self.text[self.pos - 2] != "\\" and ch == pair:
                    closed = True
            elif ch == ")" and opened == closed:
                break
        if self.text[self.pos : self.pos + 1] != "]":
            raise _ParseError("unclosed array expect ]")
        self.pos += 1
        body = self.text[start : self.pos - 2]
        match = _FILTER.match(body)
        if not match:
            return _Node("filter", "exists", [_sub_action(body), []])
        left, operator, right = match.groups()
        return _Node("filter", operator, [_sub_action(left), _sub_action(right)])


def _sub_action(text: str) -> list[_Node]:
    parser = _Parser(text + "}")
    return parser.action()


# --- evaluation --------------------------------------------------------------------------------


def _go_type(value: Any) -> str:
    # A missing value reaches this check as JSON null, which kubectl reports as a string.
    return "string" if value is None else go_type(value)


def _eval_list(values: list[Any], nodes: list[_Node]) -> list[Any]:
    for node in nodes:
        values = _eval(values, node)
    return values


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list | str):
        return list(value)
    return []


def _eval(values: list[Any], node: _Node) -> list[Any]:
    kind = node.kind
    if kind == "text":
        return [node.value]
    if kind in ("int", "float", "bool"):
        return [node.value for _ in values]
    if kind == "field":
        return [v[node.value] for v in values if isinstance(v, dict) and node.value in v]
    if kind == "wildcard":
        return [child for v in values if v is not None for child in _children(v)]
    if kind == "recursive":
        return _recursive(values)
    if kind == "union":
        return [r for branch in node.children for r in _eval_list(values, branch)]
    if kind == "array":
        return _array(values, node.value)
    if kind == "filter":
        return _filter(values, node)
    raise _ExecError(f"unrecognized identifier {node.value}")


def _recursive(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, str):
            # Go indexes a string into bytes, which have no children: keep the string, stop.
            if value:
                out.append(value)
            continue
        children = _children(value) if value is not None else []
        if children:
            out.append(value)
            out.extend(_recursive(children))
    return out


def _array(values: list[Any], params: list[tuple[bool, int, bool]]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if value is None:
            continue
        if not isinstance(value, list):
            raise _ExecError(f"{_go_type(value)} is not array or slice")
        length = len(value)
        start = params[0][1] if params[0][0] else 0
        if start < 0:
            start += length
        end = params[1][1] if params[1][0] else length
        if end < 0 or (end == 0 and params[1][2]):
            end += length
        if end == start:
            return out
        if start >= length or start < 0:
            raise _ExecError(f"array index out of bounds: index {start}, length {length}")
        if end > length or end < 0:
            raise _ExecError(f"array index out of bounds: index {end - 1}, length {length}")
        if start > end:
            raise _ExecError(f"starting index {start} is greater than ending index {end}")
        step = 1
        if params[2][0]:
            if params[2][1] <= 0:
                raise _ExecError("step must be > 0")
            step = params[2][1]
        out.extend(value[start:end:step])
    return out


def _compare(left: Any, right: Any, operator: str) -> bool:
    numbers = (int, float)
    comparable = (isinstance(left, numbers) and isinstance(right, numbers)) or type(left) is type(
        right
    )
    if isinstance(left, bool) != isinstance(right, bool):
        comparable = False
    if not comparable:
        raise _ExecError("incompatible types for comparison")
    if operator == "==":
        return bool(left == right)
    if operator == "!=":
        return bool(left != right)
    if operator == "=~":
        return isinstance(left, str) and re.search(str(right), left) is not None
    if isinstance(left, dict | list | bool) or left is None:
        raise _ExecError("invalid type for comparison")
    ops = {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}
    if operator not in ops:
        raise _ExecError(f"unrecognized filter operator {operator}")
    return bool(ops[operator])


def _filter(values: list[Any], node: _Node) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not isinstance(value, list):
            raise _ExecError(f"{_go_text(value)} is not array or slice and cannot be filtered")
        for item in value:
            lefts = _eval_list([item], node.children[0])
            if node.value == "exists":
                if lefts:
                    out.append(item)
                continue
            if not lefts:
                continue
            if len(lefts) > 1:
                raise _ExecError("can only compare one element at a time")
            rights = _eval_list([item], node.children[1])
            if not rights:
                continue
            if len(rights) > 1:
                raise _ExecError("can only compare one element at a time")
            if _compare(lefts[0], rights[0], node.value):
                out.append(item)
    return out


# --- printing ----------------------------------------------------------------------------------


def go_json(value: Any, indent: int | None = None) -> str:
    """``json.Marshal`` (or ``MarshalIndent`` with ``indent`` spaces): sorted keys, HTML-safe
    escaping like Go's encoder."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        value, sort_keys=True, separators=separators, ensure_ascii=False, indent=indent
    )
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _go_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return go_json(value)
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def go_sharp_v(value: Any) -> str:
    """Go's ``%#v`` of decoded JSON (kubectl dumps the object with it on execution errors)."""
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)}:{go_sharp_v(value[k])}" for k in sorted(value))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(v) for v in value) + "}"
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return _go_text(value)


def _as_json(results: list[Any]) -> str:
    """One template part's results as ``-o jsonpath-as-json`` prints them: an indented array."""
    return go_json(results, indent=4) + "\n"


def _execute(segments: list[Any], data: Any, as_json: bool = False) -> str:
    out: list[str] = []
    index = 0
    while index < len(segments):
        segment = segments[index]
        if isinstance(segment, _Node):  # plain text
            out.append(_as_json([segment.value]) if as_json else segment.value)
            index += 1
            continue
        if segment and segment[0].kind == "ident" and segment[0].value == "range":
            end = _matching_end(segments, index)
            results = _eval_list([data], segment[1:])
            for item in results:
                out.append(_execute(segments[index + 1 : end], item, as_json))
            index = end + 1
            continue
        if segment and segment[0].kind == "ident":
            word = segment[0].value
            raise _ExecError(
                "not in range, nothing to end"
                if word == "end"
                else f"unrecognized identifier {word}"
            )
        results = _eval_list([data], segment)
        out.append(_as_json(results) if as_json else " ".join(_go_text(r) for r in results))
        index += 1
    return "".join(out)


def _matching_end(segments: list[Any], start: int) -> int:
    depth = 0
    for index in range(start, len(segments)):
        segment = segments[index]
        if isinstance(segment, list) and segment and segment[0].kind == "ident":
            if segment[0].value == "range":
                depth += 1
            elif segment[0].value == "end":
                depth -= 1
                if depth == 0:
                    return index
    return len(segments)  # an unterminated range runs to the end of the template


def jsonpath(obj: Any, template: str, as_json: bool = False) -> str:
    """Evaluate a kubectl JSONPath ``template`` against ``obj`` (an object or a List).

    The text has no line break of its own, as kubectl prints it; ``as_json`` prints each part
    of the template as an indented JSON array instead (``-o jsonpath-as-json``).
    """
    try:
        segments = _Parser(template).parse()
    except _ParseError as exc:
        raise JSONPathError(f"error parsing jsonpath {template}, {exc}") from None
    try:
        return _execute(segments, obj, as_json)
    except _ExecError as exc:
        raise JSONPathError(
            f'error executing jsonpath "{template}": Error executing template: {exc}. '
            "Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            # kubectl's own report ends with a blank line, and its wrapper adds one more.
            f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(obj)}\n\n\n"
        ) from None


def find_results(obj: Any, template: str) -> list[Any]:
    """Every value ``template``'s actions select in ``obj`` (missing keys select nothing).

    This is what custom-columns prints: the matches of one column's expression, in order.
    """
    try:
        segments = _Parser(template).parse()
    except _ParseError as exc:
        raise JSONPathError(f"error parsing jsonpath {template}, {exc}") from None
    found: list[Any] = []
    try:
        for segment in segments:
            if isinstance(segment, list):
                found.extend(_eval_list([obj], segment))
    except _ExecError as exc:
        raise JSONPathError(f"error executing jsonpath {template!r}: {exc}") from None
    return found
