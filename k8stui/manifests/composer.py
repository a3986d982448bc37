"""YAML events -> plain JSON-like values, with the line:column of every key.

libyaml (through PyYAML's C parser) produces the event stream; the values are built here
with an explicit stack instead of PyYAML's recursive composer. That keeps three promises
the rest of k8stui relies on:

* hostile input cannot exhaust the C stack or Python recursion (libyaml's own composer
  segfaults on very deep nesting, PyYAML's raises RecursionError): depth is checked
  before a level is opened and parsing stops at the limit;
* alias expansion ("billion laughs") is counted in nodes and rejected when it goes over a
  budget, so memory stays bounded;
* scalars resolve the way kubectl's Go YAML library resolves them (YAML 1.1 booleans,
  no sexagesimal numbers, timestamps kept as strings), because what matters is the JSON
  the API server would receive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from k8stui.engine.jsoncopy import copy_json

Path = tuple[str | int, ...]
Position = tuple[int, int]

MAX_DEPTH = 100
"""Deepest nesting accepted; real manifests stay below ~20 levels."""
MAX_ALIAS_NODES = 100_000
"""Nodes that alias expansion may add to one document (billion-laughs guard)."""
MAX_DOCUMENT_BYTES = 3_145_728
"""The API server's request size limit (3 MiB); larger documents can never be stored."""

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# YAML 1.1 booleans as kubectl's Go YAML library reads them, minus the one-letter y/n forms
# (kubectl turns those into "true"/"false" keys; rejecting "y:" as a key would surprise).
_TRUE = frozenset({"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
_FALSE = frozenset({"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_PREFIXED_INT = re.compile(r"[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+|[0-7_]+)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\Z")

_TAG = "tag:yaml.org,2002:"


class ComposeError(Exception):
    """A problem in one document; ``line``/``column`` are 1-based.

    ``fatal`` errors (too deep, too large) stop the whole stream: continuing to scan such
    input is exactly the cost the limits exist to avoid.
    """

    def __init__(
        self, line: int, column: int, message: str, path: Path | None = None, fatal: bool = False
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message
        self.path = path
        self.fatal = fatal


@dataclass
class RawDocument:
    """One YAML document: its value, key positions and where it starts."""

    index: int
    value: Any
    positions: dict[Path, Position]
    start: Position


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    anchor: str | None
    start: Position
    nodes: int = 1
    key: str | None = None
    key_is_merge: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)
    merges: list[tuple[dict[str, Any], Position]] = field(default_factory=list)
    start_index: int = 0
    alias_bytes: int = 0


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def _plain(text: str) -> Any:
    """Resolve an untagged plain scalar to null/bool/int/float/str."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    head = text[:1]
    if head.isdigit() or head in "+-.":
        if _INT.match(text):
            return _ranged_int(text, int(text.replace("_", "")) if len(text) < 64 else None)
        if _PREFIXED_INT.match(text):
            sign = -1 if text[0] == "-" else 1
            digits = text.lstrip("+-").replace("_", "")
            base = {"x": 16, "o": 8, "b": 2}.get(digits[1:2], 8)
            body = digits[2:] if base != 8 or digits[1:2] == "o" else digits[1:]
            number = sign * int(body or "0", base) if len(body) <= 64 else None
            return number if number is not None and _INT_LOW <= number <= _INT_HIGH else text
        if _FLOAT.match(text):
            return _finite_float(text)
        if _SPECIAL_FLOAT.match(text):
            return math.nan  # rejected by the caller: JSON has no NaN or infinity
    return text


_INT_LOW, _INT_HIGH = -(2**63), 2**64 - 1
"""What Go's YAML decoder reads as an integer (int64, then uint64); beyond it, a number."""


def _ranged_int(text: str, number: int | None) -> Any:
    # Like Go's decoder: an integer out of int64/uint64 range is read as a float, and one too
    # long even for a float stays a string (never a Python int of unbounded size).
    if number is not None and _INT_LOW <= number <= _INT_HIGH:
        return number
    return _finite_float(text)


def _finite_float(text: str) -> Any:
    value = float(text.replace("_", ""))
    return value if math.isfinite(value) else text


def _scalar(event: Any) -> Any:
    tag = event.tag
    plain = event.style in (None, "") and event.implicit[0]
    if tag is None or tag == "!":
        value = _plain(event.value) if plain else event.value
    elif tag in (_TAG + "str", _TAG + "binary", _TAG + "timestamp"):
        value = event.value
    elif tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
        value = _plain(event.value)
        wanted: dict[str, Any] = {
            "int": int,
            "float": (int, float),
            "bool": bool,
            "null": type(None),
        }
        ok = isinstance(value, wanted[tag[len(_TAG) :]])
        if not ok or (tag.endswith("int") and isinstance(value, bool)):
            line, col = _pos(event.start_mark)
            raise ComposeError(line, col, f"cannot decode {event.value!r} as {tag}")
        if tag.endswith("float"):
            value = float(value)
    else:
        line, col = _pos(event.start_mark)
        raise ComposeError(line, col, f"unsupported YAML tag {tag!r}")
    if isinstance(value, float) and not math.isfinite(value):
        line, col = _pos(event.start_mark)
        raise ComposeError(
            line, col, f"{event.value!r} is not a JSON number: NaN and infinity cannot be sent"
        )
    return value


def _type_word(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return type(value).__name__


class _DocumentBuilder:
    """Consumes the events of one document and builds its value."""

    def __init__(self, index: int, start_mark: Any, text: str) -> None:
        self.index = index
        self.text = text
        self.start_index: int = start_mark.index
        self.start = _pos(start_mark)
        self.stack: list[_Frame] = []
        self.positions: dict[Path, Position] = {}
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0
        self.alias_bytes = 0
        self.root: Any = None
        self.done = False

    # -- helpers ---------------------------------------------------------------------------
    def _child_path(self, mark: Any) -> Path:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if top.key is None and not top.key_is_merge:
            line, col = _pos(mark)
            raise ComposeError(line, col, "invalid map key: a mapping key must be a string")
        return top.path if top.key_is_merge else (*top.path, top.key)  # type: ignore[arg-type]

    def _check_size(self, mark: Any) -> None:
        # mark.index counts characters; a character is at least one byte, so this is a
        # safe early cut. The exact byte count is taken at the end of the document.
        if mark.index - self.start_index > MAX_DOCUMENT_BYTES:
            raise ComposeError(*self.start, _too_large(), fatal=True)

    def _deliver(self, value: Any, nodes: int, mark: Any) -> None:
        """Place a finished value into its parent (or make it the root)."""
        if not self.stack:
            self.root = value
            self.positions.setdefault((), _pos(mark))
            self.done = True
            return
        top = self.stack[-1]
        top.nodes += nodes
        if isinstance(top.container, list):
            self.positions[(*top.path, len(top.container))] = _pos(mark)
            top.container.append(value)
            return
        if top.key_is_merge:
            self._add_merge(top, value, mark)
            top.key_is_merge = False
            return
        if top.key is None:
            self._take_key(top, value, mark)
            return
        top.container[top.key] = value
        top.key = None

    def _take_key(self, top: _Frame, key: Any, mark: Any) -> None:
        line, col = _pos(mark)
        if not isinstance(key, str):
            shown = "null" if key is None else str(key).lower() if isinstance(key, bool) else key
            raise ComposeError(
                line,
                col,
                f"mapping keys must be strings, found {_type_word(key)} {shown}; "
                f'quote it ("{shown}") if a string is meant',
                top.path,
            )
        if key in top.key_lines:
            raise ComposeError(
                line,
                col,
                f'mapping key "{key}" already defined at line {top.key_lines[key]}',
                (*top.path, key),
            )
        top.key_lines[key] = line
        top.key = key
        self.positions[(*top.path, key)] = (line, col)

    def _add_merge(self, top: _Frame, value: Any, mark: Any) -> None:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                line, col = _pos(mark)
                raise ComposeError(line, col, "a merge key (<<) needs a mapping or a list of them")
            top.merges.append((source, _pos(mark)))

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            line, col = _pos(event.start_mark)
            raise ComposeError(line, col, f"nesting is deeper than {MAX_DEPTH} levels", fatal=True)
        tag = event.tag
        allowed = (None, "!", _TAG + "map", _TAG + "seq", _TAG + "omap", _TAG + "set")
        if tag not in allowed:
            line, col = _pos(event.start_mark)
            raise ComposeError(line, col, f"unsupported YAML tag {tag!r}")
        path = self._child_path(event.start_mark)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        frame = _Frame(container, path, event.anchor, _pos(event.start_mark))
        frame.start_index, frame.alias_bytes = event.start_mark.index, self.alias_bytes
        self.stack.append(frame)
        if len(self.stack) == 1:
            self.positions[()] = _pos(event.start_mark)

    def _close(self, mark: Any) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            for source, position in frame.merges:
                for key, value in source.items():
                    if key not in frame.container:
                        frame.container[key] = copy_json(value)
                        self.positions.setdefault((*frame.path, key), position)
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            # What the anchored node weighs once expanded: its own text plus the aliases in it.
            size = mark.index - frame.start_index + self.alias_bytes - frame.alias_bytes
            self.anchors[frame.anchor] = (frame.container, frame.nodes, size)
        self._deliver(frame.container, frame.nodes, _Mark(frame.start))

    # -- event entry point -----------------------------------------------------------------
    def feed(self, event: Any) -> None:
        """Consume one event of this document."""
        if isinstance(event, yaml.ScalarEvent):
            self._check_size(event.start_mark)
            top = self.stack[-1] if self.stack else None
            if (
                top is not None
                and isinstance(top.container, dict)
                and top.key is None
                and not top.key_is_merge
                and event.value == "<<"
                and event.tag is None
                and event.style in (None, "")
            ):
                top.key_is_merge = True
                return
            value = _scalar(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1, len(event.value))
            self._deliver(value, 1, event.start_mark)
        elif isinstance(event, yaml.MappingStartEvent):
            self._check_size(event.start_mark)
            self._open(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self._check_size(event.start_mark)
            self._open(event, [])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self._close(event.end_mark)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    def _alias(self, event: Any) -> None:
        line, col = _pos(event.start_mark)
        name = event.anchor
        if name in self.open_anchors:
            raise ComposeError(line, col, f'alias "*{name}" refers to its own enclosing node')
        if name not in self.anchors:
            raise ComposeError(line, col, f'found undefined alias "*{name}"')
        value, nodes, size = self.anchors[name]
        self.alias_nodes += nodes
        self.alias_bytes += size
        if event.start_mark.index - self.start_index + self.alias_bytes > MAX_DOCUMENT_BYTES:
            # The request limit holds for what the API server would receive: the expansion.
            raise ComposeError(line, col, _too_large() + " once its aliases are expanded")
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise ComposeError(
                line,
                col,
                f"too many alias expansions: more than {MAX_ALIAS_NODES} nodes "
                "(a YAML alias bomb?)",
            )
        # Aliases must not share mutable structure.
        self._deliver(copy_json(value), nodes, event.start_mark)

    def finish(self, end_mark: Any) -> RawDocument:
        """Check the document's size in bytes and return it."""
        span = end_mark.index - self.start_index
        if span > MAX_DOCUMENT_BYTES // 4:
            size = len(self.text[self.start_index : end_mark.index].encode("utf-8", "replace"))
            if size > MAX_DOCUMENT_BYTES:
                raise ComposeError(*self.start, _too_large())
        return RawDocument(self.index, self.root, self.positions, self.start)


class _Mark:
    """A stand-in mark for a remembered (line, column) position."""

    def __init__(self, position: Position) -> None:
        self.line = position[0] - 1
        self.column = position[1] - 1


def _too_large() -> str:
    return f"document is larger than the API server's request limit of {MAX_DOCUMENT_BYTES} bytes"


def compose_documents(text: str) -> Iterator[RawDocument | ComposeError]:
    """Yield each document of ``text`` (or a ComposeError for a broken one).

    A per-document problem (duplicate key, alias bomb, ...) is yielded in place of that
    document and parsing continues with the next one. yaml.YAMLError from the parser
    itself (syntax) propagates: the stream cannot be resumed after it.
    """
    builder: _DocumentBuilder | None = None
    failed = False
    skipped_depth = 0
    index = 0
    for event in yaml.parse(text, Loader=_Loader):
        if failed and builder is not None:
            # Skipping a broken document: still bound the depth libyaml has to track.
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                skipped_depth += 1
                if skipped_depth > MAX_DEPTH:
                    return
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                skipped_depth -= 1
        if isinstance(event, yaml.DocumentStartEvent):
            builder = _DocumentBuilder(index, event.start_mark, text)
            failed = False
            index += 1
        elif isinstance(event, yaml.DocumentEndEvent):
            if builder is not None and not failed:
                try:
                    finished = builder.finish(event.start_mark)
                except ComposeError as exc:
                    yield exc
                    return
                yield finished
            builder = None
        elif builder is not None and not failed:
            try:
                builder.feed(event)
            except ComposeError as exc:
                failed = True  # skip the rest of this document's events
                skipped_depth = len(builder.stack)
                yield exc
                if exc.fatal:
                    return
            except RecursionError:  # pragma: no cover - the depth limit comes first
                failed = True
                yield ComposeError(*builder.start, "document is too deeply nested")
