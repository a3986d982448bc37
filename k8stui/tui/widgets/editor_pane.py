"""The editor pane: the level's files in tabs, live validation, apply."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, ContentSwitcher, Static, Tab, Tabs, TextArea

from k8stui.tui.widgets.validation import validate
from k8stui.tui.widgets.yaml_editor import YamlEditor, make_editor

_DEBOUNCE = 0.35


class EditorPane(Vertical):
    """Tabs of files, one editor each (undo history survives tab switches), diagnostics and
    the result of the last apply."""

    class ApplyRequested(Message):
        """The player wants ``path`` (holding ``text``) applied."""

        def __init__(self, path: str, text: str) -> None:
            super().__init__()
            self.path = path
            self.text = text

    class NewFileRequested(Message):
        """The player asked for a file from a template."""

    class Opened(Message):
        """A file was opened (the pane shows itself if it was hidden)."""

    def __init__(self, files: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._initial = files
        self._ids: dict[str, str] = {}
        self._timer: Timer | None = None
        # Opening mounts widgets across awaits; two opens at once must not interleave.
        self._opening = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Tabs(id="file-tabs")
        yield ContentSwitcher(id="editors")
        yield Static(id="diagnostics")
        with Horizontal(id="editor-bar"):
            yield Button("Apply F5", id="apply", compact=True, tooltip="kubectl apply -f this file")
            yield Button("New ^N", id="new-file", compact=True, tooltip="New file from a template")
            yield Static(id="apply-result")

    async def on_mount(self) -> None:
        self.border_title = "Editor"
        self.border_subtitle = "F5 apply · Ctrl+PgUp/PgDn file"
        for path, text in self._initial.items():
            await self.open_file(path, text, focus=False)

    @property
    def paths(self) -> list[str]:
        """Open files in tab order."""
        return list(self._ids)

    @property
    def current_path(self) -> str | None:
        """The file in the active tab."""
        active = self.query_one(Tabs).active
        return next((p for p, i in self._ids.items() if i == active), None)

    def _editor(self, path: str) -> YamlEditor:
        return self.query_one(f"#{self._ids[path]}-ed", YamlEditor)

    def current_editor(self) -> YamlEditor | None:
        """The editor of the active tab (None without files)."""
        path = self.current_path
        return None if path is None else self._editor(path)

    def focus_current(self) -> None:
        """Focus the editor of the active tab."""
        editor = self.current_editor()
        if editor is not None:
            editor.focus()

    def switch_file(self, delta: int) -> None:
        """Show the file ``delta`` tabs away (wrapping around) and focus its editor."""
        paths = self.paths
        current = self.current_path
        if not paths or current is None:
            return
        target = paths[(paths.index(current) + delta) % len(paths)]
        self.query_one(Tabs).active = self._ids[target]
        self.query_one(ContentSwitcher).current = f"{self._ids[target]}-ed"
        self._editor(target).focus()

    def text_of(self, path: str) -> str:
        """The current text of an open file."""
        return self._editor(path).text

    def is_unsaved(self, path: str, read: Callable[[str], str]) -> bool:
        """Whether the tab's text differs from the file ``read`` gives (or there is no file)."""
        try:
            return self.text_of(path) != read(path)
        except (FileNotFoundError, IsADirectoryError):
            return True

    def save_changed(self, read: Callable[[str], str], write: Callable[[str, str], None]) -> None:
        """Write every tab whose text differs from its file, so commands see what is shown."""
        for path in self.paths:
            if self.is_unsaved(path, read):
                write(path, self.text_of(path))

    async def open_file(self, path: str, text: str, *, focus: bool = True) -> None:
        """Open ``path`` in a tab (replacing the text if it is already open)."""
        if not self.display:
            self.display = True
            self.post_message(self.Opened())
        async with self._opening:
            tabs = self.query_one(Tabs)
            if path in self._ids:
                self._editor(path).load_text(text)
            else:
                tab_id = f"f{len(self._ids)}"
                await self.query_one(ContentSwitcher).mount(make_editor(text, f"{tab_id}-ed"))
                await tabs.add_tab(Tab(path, id=tab_id))
                self._ids[path] = tab_id
            tabs.active = self._ids[path]
        self._validate_soon()
        if focus:
            self._editor(path).focus()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab is not None and event.tab.id is not None:
            self.query_one(ContentSwitcher).current = f"{event.tab.id}-ed"
            self._validate_soon()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._validate_soon()

    def _validate_soon(self) -> None:
        """Debounce: validate once typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(_DEBOUNCE, self._validate_now)

    def _validate_now(self) -> None:
        if not self.is_attached or not self.query(Tabs):
            return
        path = self.current_path
        if path is not None:
            self._validate(path, self.text_of(path))

    @work(thread=True, exclusive=True, group="validate")
    def _validate(self, path: str, text: str) -> None:
        """Validation may load schemas, so it runs off the UI thread."""
        problems = validate(text, path)
        self.app.call_from_thread(self._show_problems, path, problems)

    def _show_problems(self, path: str, problems: list[Any]) -> None:
        # The result may arrive after the player left the level and the pane was torn down.
        if path not in self._ids or not self.is_attached or not self.query("#diagnostics"):
            return
        self._editor(path).set_problems(frozenset(p.line - 1 for p in problems))
        if path != self.current_path:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, problem in enumerate(problems[:3]):
            if index:
                text.append("\n")
            text.append(f"{problem.line}:{problem.column} ", style="bold red")
            text.append(problem.message)
        if len(problems) > 3:
            text.append(f"\n… {len(problems) - 3} more", style="dim")
        diagnostics = self.query_one("#diagnostics", Static)
        # A hidden box that stays hidden needs no layout pass (it would re-lay out the screen).
        diagnostics.update(text, layout=bool(problems) or diagnostics.display)
        diagnostics.display = bool(problems)

    def show_result(self, line: str, ok: bool) -> None:
        """Show kubectl's result line for the last apply."""
        self.query_one("#apply-result", Static).update(
            Text(line, style="green" if ok else "bold red", no_wrap=True, overflow="ellipsis")
        )

    def request_apply(self) -> None:
        """Ask the screen to apply the current file."""
        path = self.current_path
        if path is not None:
            self.post_message(self.ApplyRequested(path, self.text_of(path)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.request_apply()
        elif event.button.id == "new-file":
            self.post_message(self.NewFileRequested())
