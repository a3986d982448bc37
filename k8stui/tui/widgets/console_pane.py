"""The console: a kubectl/docker/curl prompt with history, tab completion and scrollback.

Output keeps its columns: tables are not wrapped but scroll sideways (← → on an empty prompt,
or the scrollbar), and every new command starts back at the left edge. Error lines and notes
wrap at the pane's width, and the scrollback is re-laid out when the pane's width changes
(zoom, resize), so a zoomed console shows every line whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from os.path import commonpath
from typing import Any

from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, RichLog

from k8stui.tui.messages import RunCommand
from k8stui.tui.widgets.steady_log import SteadyLog

Completer = Callable[[str], list[str]]
# Lines kept for re-layout on a width change (the log itself keeps MAX_LINES).
MAX_LINES = 2000
# Columns one ← / → moves the output sideways.
SIDE_STEP = 8
# Wall seconds between looks at a running watch (kubectl get -w) for new lines.
STREAM_POLL = 0.1
# Widths a wrapped line keeps its layout for (zoomed and not: toggling reuses both).
KEPT_WIDTHS = 2


@dataclass
class _Entry:
    """One written line and the strips it became, per width (0: any width, a table row)."""

    text: Text
    wraps: bool
    strips: dict[int, list[Strip]] = field(default_factory=dict)

    def keep(self, width: int, strips: list[Strip]) -> None:
        if not strips:
            return  # not rendered yet (the log's size was unknown)
        self.strips[width if self.wraps else 0] = strips
        while len(self.strips) > KEPT_WIDTHS:
            del self.strips[next(iter(self.strips))]

    def laid_out(self, width: int) -> list[Strip] | None:
        return self.strips.get(width if self.wraps else 0)


class CommandInput(Input):
    """A prompt line with ↑/↓ history and Tab completion."""

    BINDINGS = [
        Binding(
            "up",
            "history(-1)",
            "Older command",
            show=False,
            id="console.older",
            tooltip="Previous command in the history",
        ),
        Binding(
            "down",
            "history(1)",
            "Newer command",
            show=False,
            id="console.newer",
            tooltip="Next command in the history",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Scroll up",
            show=False,
            id="console.page_up",
            tooltip="Scroll the console output up",
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Scroll down",
            show=False,
            id="console.page_down",
            tooltip="Scroll the console output down",
        ),
        Binding(
            "tab",
            "complete",
            "Complete",
            show=False,
            id="console.complete",
            tooltip="Complete the word at the cursor",
        ),
    ]

    def __init__(self, completer: Completer, **kwargs: Any) -> None:
        # Focus arrives with the first typed key (PlayScreen.on_key): selecting on focus
        # would let the second key replace the first.
        super().__init__(select_on_focus=False, **kwargs)
        self.completer = completer
        self.history: list[str] = []
        self._position = 0

    def remember(self, line: str) -> None:
        """Add a line to the history and reset the history cursor."""
        if line and (not self.history or self.history[-1] != line):
            self.history.append(line)
        self._position = len(self.history)

    def action_history(self, delta: int) -> None:
        """Walk the history."""
        if not self.history:
            return
        self._position = max(0, min(len(self.history), self._position + delta))
        self.value = self.history[self._position] if self._position < len(self.history) else ""
        self.cursor_position = len(self.value)

    def action_complete(self) -> None:
        """Complete to the common prefix; list the choices when there are several."""
        candidates = self.completer(self.value)
        if not candidates:
            return
        prefix = commonpath(candidates)
        if len(candidates) == 1:
            prefix = candidates[0] if candidates[0].endswith(("/", "=")) else candidates[0] + " "
        if len(prefix) > len(self.value):
            self.value = prefix
            self.cursor_position = len(prefix)
        elif len(candidates) > 1:
            self.post_message(ConsolePane.Choices(candidates))

    def action_page(self, direction: int) -> None:
        """Scroll the output by a page."""
        log = self._log()
        if log is not None:
            log.scroll_to(y=log.scroll_y + direction * max(1, log.size.height - 1), animate=False)

    def _log(self) -> RichLog | None:
        pane = self.parent
        return pane.query_one(RichLog) if isinstance(pane, ConsolePane) else None

    async def _on_key(self, event: events.Key) -> None:
        pane = self.parent
        if event.key in ("escape", "ctrl+c") and isinstance(pane, ConsolePane) and pane.streaming:
            # Esc / Ctrl+C end a running watch, as Ctrl+C does at a terminal.
            event.stop()
            pane.stop_stream()
            return
        if event.key == "escape":
            event.stop()
            await self.run_action("screen.focus_nodes")
            return
        log = self._log()
        if event.key in ("left", "right") and not self.value and log is not None:
            # An empty prompt has no cursor to move: the arrows scroll wide output instead.
            event.stop()
            step = SIDE_STEP if event.key == "right" else -SIDE_STEP
            log.scroll_to(x=max(0, log.scroll_x + step), animate=False)
            return
        await super()._on_key(event)


class ConsolePane(Vertical):
    """Scrollback above a prompt; the play screen runs submitted lines through the session."""

    class Choices(Message):
        """Completion candidates for the pane to list under the prompt."""

        def __init__(self, choices: list[str]) -> None:
            super().__init__()
            self.choices = choices

    def __init__(self, completer: Completer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._completer = completer
        # The session whose running watch (kubectl get -w) the pane follows, if it has one.
        self._session: Any = getattr(completer, "session", None)
        # Everything written, to lay it out again at a new width.
        self._entries: list[_Entry] = []

    def compose(self) -> ComposeResult:
        # min_width=1: RichLog would otherwise render every line at least 78 cells wide.
        yield SteadyLog(
            id="scrollback",
            max_lines=MAX_LINES,
            wrap=False,
            markup=False,
            min_width=1,
            on_width=self._relayout,
        )
        yield CommandInput(
            self._completer,
            placeholder="kubectl get pods   (Tab completes)",
            id="prompt",
            compact=True,
        )

    def on_mount(self) -> None:
        self.border_title = "Console"
        self.set_interval(STREAM_POLL, self._follow_stream)

    @property
    def streaming(self) -> bool:
        """Whether a watch started at the prompt is still printing."""
        return self._session is not None and self._session.stream is not None

    def _follow_stream(self) -> None:
        # The play screen moves the clock; the watch prints what changed since the last look.
        if not self.streaming:
            return
        chunks = tuple(self._session.poll_stream())
        self.write_output(
            "".join(text for fd, text in chunks if fd == 1),
            "".join(text for fd, text in chunks if fd == 2),
            chunks,
        )

    def stop_stream(self) -> None:
        """End the running watch (what was printed stays)."""
        self._follow_stream()
        self._session.stop_stream()
        self._write(Text("^C", style="dim"))

    @property
    def prompt(self) -> CommandInput:
        """The input line."""
        return self.query_one(CommandInput)

    def _write(self, text: Text, *, wraps: bool = False) -> None:
        entry = _Entry(text, wraps)
        self._entries.append(entry)
        del self._entries[:-MAX_LINES]
        log = self.query_one(SteadyLog)
        entry.keep(log.scrollable_content_region.width, log.add(_renderable(text, wraps)))
        self._mark_wide()

    def _mark_wide(self) -> None:
        log = self.query_one(RichLog)
        wide = log.virtual_size.width > log.scrollable_content_region.width
        self.border_subtitle = "← → scroll sideways · Ctrl+O zoom" if wide else ""

    def _relayout(self, width: int) -> None:
        """Lay the scrollback out at the log's new ``width`` (called during the layout pass
        that resized it, so the paint after it shows the new layout)."""
        log = self.query_one(SteadyLog)
        # Wrapped lines were cut for the old width: lay the scrollback out again. Table rows
        # do not depend on the width and lines wrapped at this width before are reused, so
        # only the lines new to this width are rendered (a zoom toggles between two widths).
        log.clear()
        ready: list[Strip] = []  # reused strips go in together: one size update, not 360
        for entry in self._entries:
            strips = entry.laid_out(width)
            if strips is None:
                log.add_strips(ready)
                ready = []
                entry.keep(width, log.add(_renderable(entry.text, entry.wraps), scroll_end=False))
            else:
                ready.extend(strips)
        log.add_strips(ready)
        log.scroll_end(animate=False, immediate=True, x_axis=False)
        self._mark_wide()

    def write_command(self, line: str) -> None:
        """Echo a command as typed; the output scrolls back to its left edge."""
        self.query_one(RichLog).scroll_to(x=0, animate=False)
        # The player's own line wraps like an error: it is read, not scanned as a table.
        self._write(Text("$ ", style="bold green") + Text(line, style="bold"), wraps=True)

    def write_output(
        self, stdout: str, stderr: str, chunks: Sequence[tuple[int, str]] = ()
    ) -> None:
        """Print a command's output: stdout keeps its columns, stderr (red) wraps. With
        ``chunks`` (fd, text) the two come in the order they were written."""
        if not chunks:
            chunks = ((1, stdout), (2, stderr))
        for fd, group in groupby(chunks, key=itemgetter(0)):
            text = "".join(part for _, part in group)
            for line in text.rstrip("\n").split("\n") if text else []:
                if fd == 1:
                    self._write(Text(line))
                else:
                    self._write(Text(line, style="red"), wraps=True)

    def write_note(self, note: str, *, warning: bool = False) -> None:
        """A line from the game itself (a wave started, the level is complete)."""
        self._write(Text(f"» {note}", style="bold yellow" if warning else "bold green"), wraps=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        event.input.value = ""
        if line:
            self.prompt.remember(line)
            self.post_message(RunCommand(line))

    def on_console_pane_choices(self, message: Choices) -> None:
        message.stop()
        words = "  ".join(c.split(" ")[-1] or c for c in message.choices)
        self._write(Text(words, style="dim"), wraps=True)


class SessionCompleter:
    """Whole-line candidates from the console's completer (which completes the last word);
    the pane also follows its session's running watch."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def __call__(self, line: str) -> list[str]:
        from k8stui.console.completion import complete

        if self.session is None:
            return []
        partial = "" if not line or line[-1].isspace() else line.split()[-1]
        head = line[: len(line) - len(partial)]
        return [head + word for word in complete(self.session, line)]


def session_completer(session: Any) -> Completer:
    """The prompt's completer for ``session`` (None: no completion)."""
    return SessionCompleter(session)


def _renderable(text: Text, wraps: bool) -> RenderableType:
    # RichLog never wraps a bare Text when wrap=False; padding makes it wrap at the width.
    return Padding(text, 0) if wraps else text
