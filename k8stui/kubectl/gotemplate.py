"""``kubectl -o go-template=...``: Go templates over an object decoded from JSON.

Values behave as they do in kubectl: whole numbers are ``int64``, other numbers ``float64``,
objects ``map[string]interface {}``. Functions: Go's ``and or not len index slice printf
print println eq ne lt le gt ge`` plus kubectl's ``exists`` and ``base64decode``. The parse
tree is built by :mod:`k8stui.kubectl.gotemplate_parse`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from k8stui.kubectl.gofmt import go_v
from k8stui.kubectl.gosprintf import go_sprintf, go_type
from k8stui.kubectl.gotemplate_parse import (
    NAME,
    Command,
    Node,
    Operand,
    Parser,
    Pipe,
    TemplateSyntaxError,
)

__all__ = ["TemplateExecError", "TemplateSyntaxError", "execute"]

MAX_OUTPUT = 8 * 1024 * 1024
"""A template that prints more than this (a range over a huge list) stops with an error."""


class TemplateExecError(ValueError):
    """An execution error, worded as Go's; ``partial`` is what was printed before it."""

    def __init__(self, message: str, partial: str) -> None:
        super().__init__(message)
        self.partial = partial


class _Missing:
    """A map key that is not there (prints as ``<no value>``)."""


MISSING = _Missing()


class _Fail(Exception):
    def __init__(self, pos: int, at: str, message: str) -> None:
        super().__init__(message)
        self.pos, self.at, self.message = pos, at, message


def _truth(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | str | list | dict):
        return bool(value)
    return True


def _go_type_name(value: Any) -> str:
    return "<nil>" if value is MISSING or value is None else go_type(value)


def _len(value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise ValueError(f"len of type {_go_type_name(value)}")


def _index(item: Any, *keys: Any) -> Any:
    for key in keys:
        if item is MISSING or item is None:
            raise ValueError("index of untyped nil")
        if isinstance(item, dict):
            if not isinstance(key, str):
                raise ValueError(f"value has type {_go_type_name(key)}; should be string")
            item = item.get(key, MISSING)
        elif isinstance(item, list | str):
            if isinstance(key, bool) or not isinstance(key, int):
                raise ValueError(f"cannot index slice/array with type {_go_type_name(key)}")
            if not 0 <= key < len(item):
                raise ValueError(f"index out of range: {key}")
            item = item[key] if isinstance(item, list) else ord(item[key])
        else:
            raise ValueError(f"can't index item of type {_go_type_name(item)}")
    return item


def _slice(item: Any, *bounds: Any) -> Any:
    if not isinstance(item, str | list):
        raise ValueError(f"can't slice item of type {_go_type_name(item)}")
    if any(isinstance(b, bool) or not isinstance(b, int) for b in bounds) or len(bounds) > 2:
        raise ValueError("invalid slice index")
    low = bounds[0] if bounds else 0
    high = bounds[1] if len(bounds) > 1 else len(item)
    if not 0 <= low <= high <= len(item):
        raise ValueError(f"index out of range: {high if high > len(item) else low}")
    return item[low:high]


def _basic(value: Any) -> tuple[str, Any]:
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int):
        return "int", value
    if isinstance(value, float):
        return "float", value
    if isinstance(value, str):
        return "string", value
    raise ValueError("invalid type for comparison")


def _eq(first: Any, *others: Any) -> bool:
    if not others:
        raise ValueError("missing argument for comparison")
    kind, value = _basic(first)
    for other in others:
        other_kind, other_value = _basic(other)
        if other_kind != kind:
            raise ValueError("incompatible types for comparison")
        if other_value == value:
            return True
    return False


def _ordered(name: str, test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(left: Any, right: Any) -> bool:
        kind, a = _basic(left)
        other, b = _basic(right)
        if kind != other:
            raise ValueError("incompatible types for comparison")
        if kind == "bool":
            raise ValueError("invalid type for comparison")
        return test(a, b)

    compare.__name__ = name
    return compare


def _sprint(*args: Any) -> str:
    # fmt.Sprint puts a space between operands when neither side is a string.
    out = ""
    for index, arg in enumerate(args):
        if index and not isinstance(arg, str) and not isinstance(args[index - 1], str):
            out += " "
        out += go_v(None if arg is MISSING else arg)
    return out


def _exists(item: Any, *keys: Any) -> bool:
    for key in keys:
        if not isinstance(item, dict) or key not in item:
            return False
        item = item[key]
    return True


def _base64decode(text: Any) -> str:
    try:
        return base64.b64decode(str(text), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"base64 decode failed: {exc}") from None


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": _len,
    "index": _index,
    "slice": _slice,
    "not": lambda value: not _truth(value),
    "printf": lambda fmt, *args: go_sprintf(str(fmt), [None if a is MISSING else a for a in args]),
    "print": _sprint,
    "println": lambda *args: " ".join(go_v(None if a is MISSING else a) for a in args) + "\n",
    "eq": _eq,
    "ne": lambda a, b: not _eq(a, b),
    "lt": _ordered("lt", lambda a, b: a < b),
    "le": _ordered("le", lambda a, b: a <= b),
    "gt": _ordered("gt", lambda a, b: a > b),
    "ge": _ordered("ge", lambda a, b: a >= b),
    "exists": _exists,
    "base64decode": _base64decode,
}
_LAZY = {"and", "or"}


class _Exec:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.size += len(text)
        if self.size > MAX_OUTPUT:
            raise _Fail(0, "output", f"the output is over {MAX_OUTPUT} bytes")
        self.out.append(text)

    def run(self, nodes: list[Node], dot: Any, scope: dict[str, Any]) -> None:
        for node in nodes:
            if node.kind == "text":
                self.write(node.text)
            elif node.kind == "action":
                assert node.pipe is not None
                value = self.pipe(node.pipe, dot, scope)
                if not node.pipe.decl:
                    self.write(_print_value(value))
            elif node.kind in ("if", "with"):
                assert node.pipe is not None
                inner = dict(scope)
                value = self.pipe(node.pipe, dot, inner)
                if _truth(value):
                    self.run(node.body, value if node.kind == "with" else dot, inner)
                else:
                    self.run(node.other, dot, inner)
            else:
                self.range(node, dot, scope)

    def range(self, node: Node, dot: Any, scope: dict[str, Any]) -> None:
        assert node.pipe is not None
        inner = dict(scope)
        pipe = Pipe([], node.pipe.commands, pos=node.pipe.pos)
        value = self.pipe(pipe, dot, inner)
        if isinstance(value, dict):
            items: list[tuple[Any, Any]] = [(k, value[k]) for k in sorted(value)]
        elif isinstance(value, list):
            items = list(enumerate(value))
        elif value is MISSING or value is None:
            items = []
        else:
            command = node.pipe.commands[-1]
            head = command.args[0]
            pos = _chain_pos(head) if head.kind == "field" else command.pos
            raise _Fail(pos, command.text, f"range can't iterate over {go_v(value)}")
        if not items:
            self.run(node.other, dot, inner)
            return
        for key, item in items:
            if len(node.pipe.decl) == 1:
                inner[node.pipe.decl[0]] = item
            elif len(node.pipe.decl) == 2:
                inner[node.pipe.decl[0]], inner[node.pipe.decl[1]] = key, item
            self.run(node.body, item, inner)

    def pipe(self, pipe: Pipe, dot: Any, scope: dict[str, Any]) -> Any:
        value: Any = MISSING
        for index, command in enumerate(pipe.commands):
            value = self.command(command, dot, scope, value if index else None, index > 0)
        for name in pipe.decl:
            scope[name] = value
        return value

    def command(
        self, command: Command, dot: Any, scope: dict[str, Any], piped: Any, has_piped: bool
    ) -> Any:
        head = command.args[0]
        if head.kind == "ident":
            return self.call(head.value, command, dot, scope, piped, has_piped)
        if has_piped or len(command.args) > 1:
            at = command.args[1] if len(command.args) > 1 else head
            raise _Fail(at.pos, at.text, f"can't give argument to non-function {head.text}")
        return self.operand(head, dot, scope)

    def call(
        self, name: str, command: Command, dot: Any, scope: dict[str, Any], piped: Any, has: bool
    ) -> Any:
        operands = command.args[1:]
        if name in _LAZY:
            values = [self.operand(o, dot, scope) for o in operands]
            if has:
                values.append(piped)
            if not values:
                raise _Fail(
                    command.pos,
                    command.text,
                    f"wrong number of args for {name}: want at least 1 got 0",
                )
            for value in values:
                if _truth(value) == (name == "or"):
                    return value
            return values[-1]
        args = [self.operand(o, dot, scope) for o in operands]
        if has:
            args.append(piped)
        try:
            return FUNCTIONS[name](*args)
        except TypeError:
            raise _Fail(command.pos, command.text, f"wrong number of args for {name}") from None
        except (ValueError, KeyError) as exc:
            raise _Fail(command.pos, command.text, f"error calling {name}: {exc}") from None

    def operand(self, operand: Operand, dot: Any, scope: dict[str, Any]) -> Any:
        if operand.kind == "literal":
            return operand.value
        if operand.kind == "dot":
            return dot
        if operand.kind == "pipe":
            base = self.pipe(operand.value, dot, dict(scope))
            return self.fields(base, operand.chain, operand)
        if operand.kind == "variable":
            return self.fields(scope.get(operand.value, MISSING), operand.chain, operand)
        if operand.kind == "field":
            return self.fields(dot, operand.chain, operand)
        raise _Fail(operand.pos, operand.text, f"can't use {operand.text} as a value")

    def fields(self, value: Any, chain: list[str], operand: Operand) -> Any:
        for name in chain:
            if isinstance(value, dict):
                value = value.get(name, MISSING)
            elif value is MISSING or value is None:
                # A missing map value is a zero interface: its fields are "no value" as well.
                value = MISSING
            else:
                raise _Fail(
                    _chain_pos(operand),
                    operand.text,
                    f"can't evaluate field {name} in type interface {{}}",
                )
        return value


def _chain_pos(operand: Operand) -> int:
    """Go places a field chain at its second field (where its chain node starts)."""
    if len(operand.chain) > 1:
        return operand.pos + 1 + len(operand.chain[0])
    return operand.pos


def _print_value(value: Any) -> str:
    if value is MISSING or value is None:
        return "<no value>"
    return go_v(value)


def execute(source: str, data: Any) -> str:
    """Run template ``source`` over ``data``.

    Raises :class:`TemplateSyntaxError` (nothing printed) or :class:`TemplateExecError`
    (with what was printed before the failure).
    """
    nodes = Parser(source, set(FUNCTIONS) | _LAZY).parse()
    runner = _Exec(source)
    try:
        runner.run(nodes, data, {"$": data})
    except _Fail as exc:
        line = source.count("\n", 0, exc.pos) + 1
        column = exc.pos - (source.rfind("\n", 0, exc.pos) + 1)
        message = (
            f'template: {NAME}:{line}:{column}: executing "{NAME}" at <{exc.at}>: {exc.message}'
        )
        raise TemplateExecError(message, "".join(runner.out)) from None
    except RecursionError:
        raise TemplateExecError(
            f"template: {NAME}: the template nests too deeply", "".join(runner.out)
        ) from None
    return "".join(runner.out)
