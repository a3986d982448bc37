"""The console: a kubectl/docker/curl prompt with history, tab completion and scrollback."""

from __future__ import annotations

from collections.abc import Callable
from os.path import commonpath
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, RichLog

from k8stui.tui.messages import RunCommand

Completer = Callable[[str], list[str]]


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
            "tab",
            "complete",
            "Complete",
            show=False,
            id="console.complete",
            tooltip="Complete the word at the cursor",
        ),
    ]

    def __init__(self, completer: Completer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
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

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            await self.run_action("screen.focus_nodes")
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

    def compose(self) -> ComposeResult:
        yield RichLog(id="scrollback", max_lines=2000, wrap=False, markup=False, auto_scroll=True)
        yield CommandInput(
            self._completer,
            placeholder="kubectl get pods   (Tab completes)",
            id="prompt",
            compact=True,
        )

    def on_mount(self) -> None:
        self.border_title = "Console"

    @property
    def prompt(self) -> CommandInput:
        """The input line."""
        return self.query_one(CommandInput)

    def write_command(self, line: str) -> None:
        """Echo a command as typed."""
        self.query_one(RichLog).write(Text("$ ", style="bold green") + Text(line, style="bold"))

    def write_output(self, stdout: str, stderr: str) -> None:
        """Print a command's output (stderr in red)."""
        log = self.query_one(RichLog)
        for line in stdout.rstrip("\n").split("\n") if stdout else []:
            log.write(Text(line))
        for line in stderr.rstrip("\n").split("\n") if stderr else []:
            log.write(Text(line, style="red"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        event.input.value = ""
        if line:
            self.prompt.remember(line)
            self.post_message(RunCommand(line))

    def on_console_pane_choices(self, message: Choices) -> None:
        message.stop()
        self.query_one(RichLog).write(
            Text("  ".join(c.split(" ")[-1] or c for c in message.choices), style="dim")
        )
