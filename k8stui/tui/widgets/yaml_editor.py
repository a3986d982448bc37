"""A YAML TextArea that marks lines with validation problems in its gutter."""

from __future__ import annotations

from importlib.util import find_spec

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import TextArea

_MARK = Segment("▶", Style(color="red", bold=True))


def yaml_language() -> str | None:
    """``"yaml"`` when tree-sitter and its YAML grammar are installed.

    With tree-sitter but no grammar, TextArea raises LanguageDoesNotExist; without tree-sitter
    it falls back to plain text. Checking specs avoids importing either before it is needed.
    """
    if find_spec("tree_sitter") and find_spec("tree_sitter_yaml"):
        return "yaml"
    return None


def next_indent(line: str) -> int:
    """Indentation for the line after ``line`` in YAML: the same, two more after ``key:``,
    and under a list item's first key (``- name: x`` -> aligned with ``name``)."""
    body = line.split(" #", 1)[0].rstrip()
    indent = len(line) - len(line.lstrip(" "))
    stripped = body.lstrip(" ")
    if stripped == "-":
        return indent + 2
    if stripped.startswith("- "):
        indent += 2
    if body.endswith(":"):
        indent += 2
    return indent


class YamlEditor(TextArea):
    """Code editor for one manifest; :attr:`problem_lines` are 0-based document lines.

    Enter keeps YAML's indentation (see :func:`next_indent`); F6/F7 are the play screen's
    clock keys here too, so TextArea's select-line/select-all keys are not available:
    Ctrl+A selects all instead (as in most editors; Home already goes to the line start).
    """

    BINDINGS = [
        Binding(
            "ctrl+a",
            "select_all",
            "Select all",
            show=False,
            id="editor.select_all",
            tooltip="Select the whole file",
        ),
        Binding(
            "ctrl+home",
            "document_start",
            "File start",
            show=False,
            id="editor.start",
            tooltip="Cursor to the start of the file",
        ),
        Binding(
            "ctrl+end",
            "document_end",
            "File end",
            show=False,
            id="editor.end",
            tooltip="Cursor to the end of the file",
        ),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.problem_lines: frozenset[int] = frozenset()

    def action_document_start(self) -> None:
        """Move the cursor to the first character."""
        self.move_cursor((0, 0))

    def action_document_end(self) -> None:
        """Move the cursor past the last character."""
        self.move_cursor(self.document.end)

    def set_problems(self, lines: frozenset[int]) -> None:
        """Mark these lines in the gutter."""
        if lines != self.problem_lines:
            self.problem_lines = lines
            self.refresh()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if self.scroll_offset.y + y in self.problem_lines and strip.cell_length > 1:
            return Strip.join([Strip([_MARK], 1), strip.crop(1, strip.cell_length)])
        return strip

    async def _on_key(self, event: events.Key) -> None:
        # Escape leaves the editor for the node list, where the k9s keys live.
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            await self.run_action("screen.focus_nodes")
            return
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            row, column = self.cursor_location
            before = self.document.get_line(row)[:column]
            self.insert("\n" + " " * next_indent(before))
            return
        await super()._on_key(event)


def make_editor(text: str, editor_id: str) -> YamlEditor:
    """A YAML code editor; falls back to plain text if highlighting is unavailable."""
    try:
        editor = YamlEditor.code_editor(text, language=yaml_language(), theme="css", id=editor_id)
    except Exception:  # LanguageDoesNotExist: a broken grammar must not stop the game
        editor = YamlEditor.code_editor(text, language=None, theme="css", id=editor_id)
    assert isinstance(editor, YamlEditor)  # code_editor constructs ``cls``
    editor.indent_width = 2  # YAML's usual step (Tab indents by it)
    return editor
