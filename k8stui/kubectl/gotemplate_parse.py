"""Parsing Go ``text/template`` source into a tree (the subset ``kubectl -o go-template`` uses).

Supported: text; ``{{pipeline}}``; trim markers ``{{-`` and ``-}}``; comments; ``if``/``else
if``/``else``/``end``; ``range`` (with ``$i, $v :=``) and ``with`` (both with ``else``);
variables ``$x := ...`` and ``$x = ...``; pipes ``|``; parentheses; fields ``.a.b``, ``$x.a``;
literals (strings, raw strings, numbers, booleans, nil). ``define``/``template``/``block`` are
refused with a clear message. Errors are worded as Go's (``template: output:1: ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

NAME = "output"


class TemplateSyntaxError(ValueError):
    """A parse error, worded as Go's ``template: output:LINE: ...``."""


# --- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<declare>:=)
  | (?P<assign>=)
  | (?P<pipe>\|)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<raw>`[^`]*`)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?))
  | (?P<variable>\$[A-Za-z0-9_]*)
  | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
  | (?P<dot>\.)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)


@dataclass
class Tok:
    """One token of an action: its kind, text and byte offset in the template."""

    kind: str
    text: str
    pos: int


# --- tree ---------------------------------------------------------------------------------------


@dataclass
class Operand:
    """One argument of a command: a field chain, variable, literal, function name or (pipe)."""

    kind: str  # field, variable, dot, literal, ident, pipe
    value: Any = None
    chain: list[str] = field(default_factory=list)
    pos: int = 0
    text: str = ""


@dataclass
class Command:
    """Operands of one pipeline stage; the first may be a function name."""

    args: list[Operand]
    pos: int
    text: str


@dataclass
class Pipe:
    """``$v := cmd | cmd``: declared variables and commands."""

    decl: list[str]
    commands: list[Command]
    assign: bool = False
    pos: int = 0


@dataclass
class Node:
    """A template node: text, action, if, range or with."""

    kind: str
    text: str = ""
    pipe: Pipe | None = None
    body: list[Node] = field(default_factory=list)
    other: list[Node] = field(default_factory=list)
    pos: int = 0


def line_of(source: str, pos: int) -> int:
    """1-based line of a byte offset."""
    return source.count("\n", 0, pos) + 1


class Parser:
    """Recursive descent over ``{{ }}`` actions."""

    def __init__(self, source: str, functions: set[str]) -> None:
        self.source = source
        self.functions = functions
        self.pos = 0
        self.vars: list[list[str]] = [["$"]]

    def fail(self, message: str, pos: int | None = None) -> TemplateSyntaxError:
        line = line_of(self.source, self.pos if pos is None else pos)
        return TemplateSyntaxError(f"template: {NAME}:{line}: {message}")

    def parse(self) -> list[Node]:
        """The whole template."""
        nodes, ender = self._list(top=True)
        if ender is not None:
            raise self.fail(f"unexpected {{{{{ender[0]}}}}}", ender[1])
        return nodes

    # An action: the tokens between {{ and }}, with trims applied to neighbouring text.
    def _next_action(self) -> tuple[str, list[Tok], int] | None:
        start = self.source.find("{{", self.pos)
        if start < 0:
            return None
        body_start = start + 2
        trim_left = self.source.startswith("- ", body_start) or self.source.startswith(
            "-\t", body_start
        )
        if trim_left:
            body_start += 2
        if self.source.startswith("/*", body_start):
            end = self.source.find("*/", body_start)
            close = self.source.find("}}", end if end >= 0 else body_start)
            if end < 0 or close < 0:
                raise self.fail("unclosed comment", start)
            return "comment", [], close + 2
        tokens: list[Tok] = []
        cursor = body_start
        while True:
            if cursor >= len(self.source):
                raise self.fail("unclosed action", start)
            if self.source.startswith("-}}", cursor) and self.source[cursor - 1] in " \t\r\n":
                tokens.append(Tok("trim_right", "", cursor))
                return "action", tokens, cursor + 3
            if self.source.startswith("}}", cursor):
                return "action", tokens, cursor + 2
            match = _TOKEN.match(self.source, cursor)
            if match is None:
                raise self.fail(f"unexpected {self.source[cursor]!r} in command", cursor)
            kind = str(match.lastgroup)
            if kind != "space":
                tokens.append(Tok(kind, match.group(), cursor))
            cursor = match.end()

    def _list(self, top: bool = False) -> tuple[list[Node], tuple[str, int, list[Tok]] | None]:
        nodes: list[Node] = []
        while True:
            found = self._next_action()
            if found is None:
                if self.pos < len(self.source):
                    nodes.append(Node("text", self.source[self.pos :]))
                self.pos = len(self.source)
                if not top:
                    raise self.fail("unexpected EOF")
                return nodes, None
            start = self.source.find("{{", self.pos)
            text = self.source[self.pos : start]
            trim_left = self.source.startswith(("{{- ", "{{-\t"), start)
            if trim_left:
                text = text.rstrip(" \t\r\n")
            if text:
                nodes.append(Node("text", text))
            kind, tokens, after = found
            self.pos = after
            trim_right = bool(tokens) and tokens[-1].kind == "trim_right"
            if trim_right:
                tokens = tokens[:-1]
                while self.pos < len(self.source) and self.source[self.pos] in " \t\r\n":
                    self.pos += 1
            if kind == "comment":
                continue
            if not tokens:
                raise self.fail("missing value for command", start)
            head = tokens[0]
            if head.kind == "ident" and head.text in ("end", "else"):
                return nodes, (head.text, head.pos, tokens[1:])
            if head.kind == "ident" and head.text in ("if", "range", "with"):
                nodes.append(self._control(head, tokens[1:]))
                continue
            if head.kind == "ident" and head.text in ("define", "template", "block"):
                raise self.fail(f"{{{{{head.text}}}}} is not supported by k8stui", head.pos)
            nodes.append(Node("action", pipe=self._pipe(tokens, head.pos, "command"), pos=head.pos))

    def _control(self, head: Tok, tokens: list[Tok]) -> Node:
        if not tokens:
            raise self.fail(f"missing value for {head.text}", head.pos)
        self.vars.append(list(self.vars[-1]))
        pipe = self._pipe(tokens, head.pos, head.text, allow_two=head.text == "range")
        body, ender = self._list()
        node = Node(head.text, pipe=pipe, body=body, pos=head.pos)
        if ender is not None and ender[0] == "else":
            rest = ender[2]
            if rest and rest[0].kind == "ident" and rest[0].text in ("if", "with"):
                node.other = [self._control(rest[0], rest[1:])]
                self.vars.pop()
                return node
            node.other, ender = self._list()
            if ender is not None and ender[0] == "else":
                raise self.fail("expected end; found {{else}}", ender[1])
        self.vars.pop()
        return node

    def _pipe(self, tokens: list[Tok], pos: int, context: str, allow_two: bool = False) -> Pipe:
        decl: list[str] = []
        assign = False
        index = 0
        if tokens and tokens[0].kind == "variable":
            names = [tokens[0].text]
            probe = 1
            if allow_two and len(tokens) > 2 and tokens[1].kind == "comma":
                if tokens[2].kind != "variable":
                    raise self.fail("range can only initialize variables", tokens[2].pos)
                names.append(tokens[2].text)
                probe = 3
            if probe < len(tokens) and tokens[probe].kind in ("declare", "assign"):
                assign = tokens[probe].kind == "assign"
                decl = names
                index = probe + 1
                if not assign:
                    self.vars[-1].extend(names)
        commands: list[Command] = []
        stage: list[Tok] = []
        for tok in [*tokens[index:], Tok("pipe", "|", -1)]:
            if tok.kind == "pipe" and _depth(stage) == 0:
                if not stage:
                    raise self.fail(f"missing value for {context}", pos)
                commands.append(self._command(stage))
                stage = []
            else:
                stage.append(tok)
        return Pipe(decl, commands, assign, pos)

    def _command(self, tokens: list[Tok]) -> Command:
        args: list[Operand] = []
        index = 0
        while index < len(tokens):
            operand, index = self._operand(tokens, index)
            args.append(operand)
        first = tokens[0].pos
        last = tokens[-1]
        return Command(args, first, self.source[first : last.pos + len(last.text)])

    def _operand(self, tokens: list[Tok], index: int) -> tuple[Operand, int]:
        tok = tokens[index]
        kind = tok.kind
        if kind == "lparen":
            depth, end = 0, index
            for end in range(index, len(tokens)):
                depth += {"lparen": 1, "rparen": -1}.get(tokens[end].kind, 0)
                if depth == 0:
                    break
            if depth:
                raise self.fail("unclosed left paren", tok.pos)
            inner = self._pipe(tokens[index + 1 : end], tok.pos, "parenthesized pipeline")
            operand = Operand("pipe", inner, pos=tok.pos, text="(" + ")")
            index = end + 1
            if index < len(tokens) and tokens[index].kind == "field":
                operand.chain = tokens[index].text[1:].split(".")
                index += 1
            return operand, index
        if kind == "field":
            return Operand("field", chain=tok.text[1:].split("."), pos=tok.pos, text=tok.text), (
                index + 1
            )
        if kind == "dot":
            return Operand("dot", pos=tok.pos, text="."), index + 1
        if kind == "variable":
            name = tok.text
            if not any(name in scope for scope in self.vars):
                raise self.fail(f"undefined variable {name!r}".replace("'", '"'), tok.pos)
            chain: list[str] = []
            nxt = index + 1
            if (
                nxt < len(tokens)
                and tokens[nxt].kind == "field"
                and tokens[nxt].pos == tok.pos + len(tok.text)
            ):
                chain = tokens[nxt].text[1:].split(".")
                nxt += 1
            return Operand("variable", name, chain, tok.pos, tok.text), nxt
        if kind in ("string", "raw", "char", "number"):
            return Operand(
                "literal", _literal(kind, tok.text), pos=tok.pos, text=tok.text
            ), index + 1
        if kind == "ident":
            if tok.text in ("true", "false"):
                return Operand("literal", tok.text == "true", pos=tok.pos, text=tok.text), index + 1
            if tok.text == "nil":
                raise self.fail("nil is not a command", tok.pos)
            if tok.text not in self.functions:
                raise self.fail(f'function "{tok.text}" not defined', tok.pos)
            return Operand("ident", tok.text, pos=tok.pos, text=tok.text), index + 1
        raise self.fail(f"unexpected {tok.text!r} in operand", tok.pos)


def _depth(tokens: list[Tok]) -> int:
    return sum({"lparen": 1, "rparen": -1}.get(t.kind, 0) for t in tokens)


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
}


def _literal(kind: str, text: str) -> Any:
    if kind == "raw":
        return text[1:-1]
    if kind in ("string", "char"):
        body = re.sub(
            r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)",
            lambda m: (
                chr(int(m.group(1)[1:], 16))
                if m.group(1)[0] in "ux"
                else _ESCAPES.get(m.group(1), m.group(1))
            ),
            text[1:-1],
        )
        return ord(body[0]) if kind == "char" else body
    clean = text.replace("_", "")
    if re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", clean):
        return int(clean, 16)
    if re.fullmatch(r"[+-]?\d+", clean):
        return int(clean)
    return float(clean)
