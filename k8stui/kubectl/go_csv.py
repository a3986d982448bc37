"""One record of Go's ``encoding/csv``, as pflag reads a StringSlice flag's value.

``-f a.yaml,"b,c.yaml"`` is split by a CSV reader with Go's defaults (comma-separated, strict
quotes), of which pflag takes the first record. A value the reader refuses is a flag error
in its words: ``parse error on line 1, column 3: extraneous or missing " in quoted-field``.
Columns count bytes of UTF-8 from 1, as Go's do; blank lines before the record are skipped,
and a quoted field may run over several lines.
"""

from __future__ import annotations

BARE_QUOTE = 'bare " in non-quoted-field'
QUOTE = 'extraneous or missing " in quoted-field'


class CsvError(ValueError):
    """What the reader refuses, in Go's words (``EOF`` when there is no record at all)."""


class ParseError(CsvError):
    """The reader's ``ParseError``: where a quote is out of place."""

    def __init__(self, start_line: int, line: int, column: int, why: str) -> None:
        where = f"parse error on line {line}, column {column}: {why}"
        if start_line != line:
            where = f"record on line {start_line}; {where}"
        super().__init__(where)


class _Lines:
    """The input's lines, each ending in ``\\n`` except maybe the last (``\\r\\n`` read as
    ``\\n``, a lone ``\\r`` before the end dropped), counted as they are read."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0
        self.number = 0

    def read(self) -> bytes:
        if self._at >= len(self._data):
            return b""
        end = self._data.find(b"\n", self._at)
        end = len(self._data) if end < 0 else end + 1
        line = self._data[self._at : end]
        self._at = end
        self.number += 1
        if not line.endswith(b"\n") and line.endswith(b"\r"):
            line = line[:-1]
        if line.endswith(b"\r\n"):
            line = line[:-2] + b"\n"
        return line


def first_record(text: str) -> list[str]:
    """The fields of the first record in ``text``.

    Raises :class:`CsvError` where Go's reader fails: a misplaced quote, or no record at all
    (empty or blank lines only: Go's ``io.EOF``, which pflag passes on as ``EOF``).
    """
    lines = _Lines(text.encode("utf-8", "surrogatepass"))
    line = lines.read()
    while line == b"\n":
        line = lines.read()
    if not line:
        raise CsvError("EOF")
    record_line = lines.number
    fields: list[bytes] = []
    col = 1
    while True:
        if not line.startswith(b'"'):
            comma = line.find(b",")
            field = line[:comma] if comma >= 0 else line.removesuffix(b"\n")
            quote = field.find(b'"')
            if quote >= 0:
                raise ParseError(record_line, lines.number, col + quote, BARE_QUOTE)
            fields.append(field)
            if comma < 0:
                break
            line, col = line[comma + 1 :], col + comma + 1
            continue
        line, col = line[1:], col + 1
        value = bytearray()
        ended = _quoted(lines, line, col, value, record_line)
        fields.append(bytes(value))
        if ended is None:
            break
        line, col = ended
    return [f.decode("utf-8", "surrogatepass") for f in fields]


def _quoted(
    lines: _Lines, line: bytes, col: int, value: bytearray, record_line: int
) -> tuple[bytes, int] | None:
    """Read a quoted field's rest into ``value``; the line and column after its comma, or
    None when the record ends with it."""
    while True:
        quote = line.find(b'"')
        if quote >= 0:
            value += line[:quote]
            line, col = line[quote + 1 :], col + quote + 1
            if line.startswith(b'"'):  # a doubled quote stands for one
                value += b'"'
                line, col = line[1:], col + 1
            elif line.startswith(b","):
                return line[1:], col + 1
            elif line in (b"", b"\n"):
                return None
            else:
                raise ParseError(record_line, lines.number, col - 1, QUOTE)
        elif line:
            value += line
            col += len(line)
            line = lines.read()
            if line:
                col = 1
        else:
            raise ParseError(record_line, lines.number, col, QUOTE)
