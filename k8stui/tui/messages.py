"""Messages that carry engine changes up to the play screen."""

from __future__ import annotations

from textual.message import Message


class ClusterChanged(Message, bubble=False):
    """The cluster moved on (time passed or objects changed): redraw from the store.

    Posted at most once per frame; a newer one replaces an older one still in the queue, so a
    burst of changes costs one repaint (Toolong's trick).
    """

    def can_replace(self, message: Message) -> bool:
        """Any pending ClusterChanged is superseded by this one."""
        return isinstance(message, ClusterChanged)


class RunCommand(Message):
    """A widget asks the play screen to run a command line through the session."""

    def __init__(self, line: str, *, echo: bool = True) -> None:
        super().__init__()
        self.line = line
        self.echo = echo
