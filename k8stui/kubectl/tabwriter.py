"""A port of the alignment rules of Go's ``text/tabwriter``.

kubectl aligns both ``get`` tables (minwidth 6, padding 3) and ``describe`` output (minwidth 0,
padding 2) with it. Its rule is subtle: a column is aligned only across a *block* of consecutive
lines that all have a tab-terminated cell in that column, and the text after a line's last tab is
never padded. ``describe`` relies on this (e.g. ``Events:  <none>`` aligns with the lines above it
while nested sections align on their own), so we reproduce the algorithm rather than approximate
it with "pad every column to its widest cell".
"""

from __future__ import annotations

from collections.abc import Sequence

Line = Sequence[str]


def align(lines: Sequence[Line], *, minwidth: int, padding: int) -> str:
    """Align ``lines`` of cells (the last cell of each line is the unterminated trailing text).

    Every line is emitted with a trailing newline.
    """
    out: list[str] = []
    _format(lines, [], 0, len(lines), out, minwidth, padding)
    return "".join(out)


def align_text(text: str, *, minwidth: int, padding: int) -> str:
    """Align tab-separated ``text`` exactly as a flushed Go tabwriter would."""
    if not text:
        return ""
    rows = text.split("\n")
    trailing = rows.pop()  # text after the final newline (normally empty)
    body = align([row.split("\t") for row in rows], minwidth=minwidth, padding=padding)
    if trailing:
        body += align([trailing.split("\t")], minwidth=minwidth, padding=padding)[:-1]
    return body


def _format(
    lines: Sequence[Line],
    widths: list[int],
    line0: int,
    line1: int,
    out: list[str],
    minwidth: int,
    padding: int,
) -> None:
    # Mirrors (*Writer).format: find the next block of lines that own a cell in this column,
    # size the column over that block, recurse for the columns to its right.
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, widths, line0, this, out)
        line0 = this
        width = minwidth
        while this < line1:
            line = lines[this]
            if column >= len(line) - 1:
                break
            cell_width = len(line[column]) + padding
            if cell_width > width:
                width = cell_width
            this += 1
        widths.append(width)
        _format(lines, widths, line0, this, out, minwidth, padding)
        widths.pop()
        line0 = this
        this += 1  # the line that ended the block has no cell here; Go's loop skips it too
    _write_lines(lines, widths, line0, line1, out)


def _write_lines(
    lines: Sequence[Line], widths: list[int], line0: int, line1: int, out: list[str]
) -> None:
    ncols = len(widths)
    for i in range(line0, line1):
        parts: list[str] = []
        for j, cell in enumerate(lines[i]):
            if j < ncols:
                parts.append(cell + " " * (widths[j] - len(cell)))
            else:
                parts.append(cell)
        parts.append("\n")
        out.append("".join(parts))
