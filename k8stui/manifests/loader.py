"""Manifest text (YAML, multi-document, or JSON) -> Documents with positions, or clean errors.

Nothing here raises for bad input: every problem becomes a ManifestError with a position,
so the editor can underline it and kubectl emulation can print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from k8stui.manifests.composer import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    ComposeError,
    Path,
    Position,
    RawDocument,
    compose_documents,
)
from k8stui.manifests.errors import ManifestError, format_path, parse_path

MAX_INPUT_BYTES = 4 * MAX_DOCUMENT_BYTES
"""Whole-input cap: a few maximum-size documents, so parsing time stays bounded."""

NO_OBJECTS = "no objects passed to apply"


@dataclass
class Document:
    """One Kubernetes object read from a manifest, with the position of each field."""

    obj: dict[str, Any]
    index: int
    filename: str = "-"
    item: int | None = None
    """Index inside a ``kind: List`` this object was expanded from, else None."""
    positions: dict[Path, Position] = field(default_factory=dict, repr=False)
    start: Position = (1, 1)

    def position(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """1-based (line, column) of the key at ``path``, else of its nearest ancestor."""
        probe = tuple(path)
        while probe:
            hit = self.positions.get(probe)
            if hit is not None:
                return hit
            probe = probe[:-1]
        return self.positions.get((), self.start)

    def error(self, path: tuple[str | int, ...], message: str) -> ManifestError:
        """A ManifestError for the field at ``path`` (positioned at that field)."""
        line, column = self.position(path)
        return ManifestError(self.filename, line, column, format_path(path) or None, message)

    def locate(self, field_path: str, message: str) -> ManifestError:
        """A ManifestError for an API field error path such as ``spec.containers[0].image``.

        Lets semantic validation results (which name fields as strings) point into the file.
        """
        path = parse_path(field_path)
        line, column = self.position(path)
        return ManifestError(self.filename, line, column, field_path or None, message)


@dataclass
class LoadResult:
    """The objects read from a manifest and the problems found, both in file order."""

    documents: list[Document] = field(default_factory=list)
    errors: list[ManifestError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not self.errors


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _decode(data: bytes, filename: str) -> str | ManifestError:
    if len(data) > MAX_INPUT_BYTES:
        return ManifestError(filename, 1, 1, None, _input_too_large())
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return ManifestError(
            filename,
            line,
            column,
            None,
            f"invalid {encoding.split('-sig')[0].upper()} byte 0x{bad}: manifests must be "
            "UTF-8 text",
        )


def _input_too_large() -> str:
    return f"input is larger than {MAX_INPUT_BYTES} bytes; split it into smaller files"


TAB_IN_INDENTATION = (
    "found a tab character in indentation: YAML indentation must use spaces, not tabs"
)


def _tab_error(text: str, error_line: int, filename: str) -> ManifestError | None:
    """If a line up to the error uses tabs in its indentation, blame the first such tab."""
    for number, line in enumerate(text.split("\n")[:error_line], start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return ManifestError(
                filename,
                number,
                indent.index("\t") + 1,
                None,
                TAB_IN_INDENTATION,
            )
    return None


def _syntax_error(exc: yaml.YAMLError, text: str, filename: str) -> ManifestError:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        return ManifestError(
            filename,
            line,
            column,
            None,
            f"unacceptable character #x{exc.character:04x}: {exc.reason}"
            if isinstance(exc.character, int)
            else str(exc.reason),
        )
    mark = getattr(exc, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    tab = _tab_error(text, line, filename) if "\t" in text else None
    if tab is not None:
        return tab
    problem = getattr(exc, "problem", None) or str(exc)
    if "maximum nesting depth" in problem:
        # Newer libyaml builds stop deep nesting in their scanner, before our own depth check
        # sees it: report it the same way.
        return ManifestError(
            filename, line, column, None, f"nesting is deeper than {MAX_DEPTH} levels"
        )
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    message = f"error converting YAML to JSON: yaml: {problem}"
    if context and context_mark is not None:
        message += f" ({context} at line {context_mark.line + 1}, column {context_mark.column + 1})"
    return ManifestError(filename, line, column, None, message)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a string"


def _not_object(filename: str, position: Position, path: Path, value: Any) -> ManifestError:
    return ManifestError(
        filename,
        position[0],
        position[1],
        format_path(path) or None,
        f"expected a Kubernetes object (a mapping with apiVersion, kind, metadata, ...), "
        f"found {_describe(value)}",
    )


def _expand(raw: RawDocument, filename: str, out: LoadResult) -> None:
    """Turn one YAML document into Documents (a List becomes its items)."""
    value = raw.value
    root_position = raw.positions.get((), raw.start)
    if not isinstance(value, dict):
        out.errors.append(_not_object(filename, root_position, (), value))
        return
    kind = value.get("kind")
    items = value.get("items")
    is_list = isinstance(kind, str) and kind.endswith("List") and "items" in value
    if not is_list:
        out.documents.append(Document(value, raw.index, filename, None, raw.positions, raw.start))
        return
    if not isinstance(items, list):
        if items is None:
            return  # "items: null" is an empty list to kubectl
        line, column = raw.positions.get(("items",), root_position)
        out.errors.append(
            ManifestError(filename, line, column, "items", f"items of a {kind} must be a list")
        )
        return
    buckets: dict[int, dict[Path, Position]] = {}
    for path, position in raw.positions.items():
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            buckets.setdefault(path[1], {})[path[2:]] = position
    for number, item in enumerate(items):
        positions = buckets.get(number, {})
        start = positions.get((), root_position)
        if not isinstance(item, dict):
            out.errors.append(_not_object(filename, start, ("items", number), item))
            continue
        out.documents.append(Document(item, raw.index, filename, number, positions, start))


def load_documents(text: str | bytes, filename: str = "-") -> LoadResult:
    """Parse YAML (one or many documents) or JSON into Documents with field positions.

    Never raises for bad input: syntax errors, tabs, bad encodings, alias bombs, excessive
    nesting, oversized documents, duplicate or non-string keys and non-object documents are
    reported as ManifestErrors. Empty documents are skipped like kubectl does; a manifest
    with no object at all gives the error ``no objects passed to apply``.
    """
    result = LoadResult()
    if isinstance(text, bytes | bytearray):
        decoded = _decode(bytes(text), filename)
        if isinstance(decoded, ManifestError):
            result.errors.append(decoded)
            return result
        text = decoded
    if len(text) > MAX_INPUT_BYTES:
        result.errors.append(ManifestError(filename, 1, 1, None, _input_too_large()))
        return result
    text = text.removeprefix("\ufeff")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line, column = _line_col(text, exc.start)
        result.errors.append(
            ManifestError(filename, line, column, None, "text contains an unpaired surrogate")
        )
        return result
    if text.lstrip()[:1] in ("{", "["):
        # JSON allows tabs as whitespace; YAML's flow style accepts spaces everywhere.
        # A raw tab can only appear between tokens in valid JSON, so this is lossless.
        text = text.replace("\t", " ")
    try:
        for raw in compose_documents(text):
            if isinstance(raw, ComposeError):
                path = format_path(raw.path) if raw.path else None
                result.errors.append(
                    ManifestError(filename, raw.line, raw.column, path, raw.message)
                )
            elif raw.value is not None:
                _expand(raw, filename, result)
    except yaml.YAMLError as exc:
        result.errors.append(_syntax_error(exc, text, filename))
    except (MemoryError, RecursionError, ValueError) as exc:  # pragma: no cover - defensive
        result.errors.append(ManifestError(filename, 1, 1, None, f"cannot parse input: {exc}"))
    if not result.documents and not result.errors:
        result.errors.append(ManifestError(filename, 1, 1, None, NO_OBJECTS))
    return result
