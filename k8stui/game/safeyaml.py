"""Untrusted YAML in, plain data plus source positions out.

Level packs come from strangers, so their YAML is read defensively: only the safe schema's
scalar types, no custom tags, no merge keys, a bounded number of nodes (anchors and aliases
are expanded by us, counting every visit, so a "billion laughs" document stops early with a
clean error instead of eating the memory), a bounded nesting depth and duplicate keys refused.
Every value remembers where it was written so schema errors can point at ``file:line:column``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NODES = 20_000
"""Nodes one document may expand to, aliases included; levels are a few hundred."""
MAX_DEPTH = 48
"""Nesting depth; an inline manifest in a level is about ten deep."""

Path = tuple[Any, ...]
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A document that cannot be read; ``line``/``column`` are 1-based (0 when unknown)."""

    def __init__(self, filename: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{filename}:{line}:{column}: {message}")
        self.filename = filename
        self.line = line
        self.column = column
        self.message = message


@dataclass
class Located:
    """A document's data and the position (line, column; 1-based) of each value and key."""

    filename: str
    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int, int]:
        """Where ``path`` was written: its key if it has one, else its value, else the nearest
        ancestor that exists (a missing field is reported at the mapping that lacks it)."""
        probe = tuple(path)
        while probe:
            if probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def resolve(self, loc: tuple[Any, ...]) -> Path:
        """Map a validator's error location onto a path that exists in the data.

        Pydantic puts union tags and validator names into locations (``goals.0.pods.ready``);
        elements that do not name a key or index at the current level are skipped, except the
        last one, which may be a missing or unknown field and is kept for the message.
        """
        node: Any = self.data
        found: list[Any] = []
        for index, part in enumerate(loc):
            if (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            ):
                node = node[part]
                found.append(part)
            elif index == len(loc) - 1 and isinstance(part, str | int):
                found.append(part)
        return tuple(found)


def load(text: str, filename: str) -> Located:
    """Parse one YAML document safely; raise :class:`YamlError` with a position."""
    try:
        _check_depth(text, filename)
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlError(filename, line, col, _problem(exc)) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_column(text, exc.position)
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "a byte"
        raise YamlError(filename, line, col, f"character {what} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise YamlError(filename, 0, 0, str(exc)) from None
    located = Located(filename, None)
    if root is None:
        return located
    builder = _Builder(located)
    located.data = builder.build(root, (), 0)
    return located


def _check_depth(text: str, filename: str) -> None:
    """Refuse deep nesting before composing: PyYAML's composer recurses once per level, so a
    document nested thousands deep would exhaust Python's stack. The events come from libyaml
    when it is there: PyYAML's own scanner takes quadratic time on deep flow nesting, and
    libyaml refuses more than 1,000 levels by itself."""
    depth = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
                raise YamlError(filename, line, column, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _problem(exc: yaml.MarkedYAMLError) -> str:
    text = exc.problem or exc.context or "invalid YAML"
    if "maximum nesting depth" in text:  # libyaml's own limit, met while scanning ahead
        return f"nesting deeper than {MAX_DEPTH} levels"
    if "expected a single document" in text:
        return "a level file holds one YAML document (found a second '---')"
    return text


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self.visited = 0
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: Node, message: str) -> YamlError:
        mark = node.start_mark
        return YamlError(self.located.filename, mark.line + 1, mark.column + 1, message)

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise self.fail(
                node, f"document expands to more than {MAX_NODES} values (too many aliases?)"
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        self.located.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, f"unsupported tag {node.tag}")
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover - composer only makes 3

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _TIMESTAMP:
            # A bare date would become a datetime; every field we accept wants text.
            return node.value
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"unsupported tag {node.tag}")
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            # Python refuses to read integers of more than 4,300 digits.
            raise self.fail(node, f"number too long ({len(node.value)} characters)") from None

    def mapping(self, node: MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise self.fail(node, f"unsupported tag {node.tag}")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain scalars")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported")
            key = self.scalar(key_node)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise self.fail(key_node, "mapping keys must be plain scalars")
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r}")
            self.visited += 1
            mark = key_node.start_mark
            self.located.keys[(*path, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result
