"""Zooming one pane to the whole screen and back (Ctrl+O), tmux-style.

Textual's own ``Screen.maximize`` puts a class on the screen, which restyles every widget of
the play screen (~100 ms with its CSS); this hides the pane's siblings and widens its
ancestors with inline styles instead, which only lays the screen out again. Undoing clears
exactly the inline rules it set, so the stylesheet's values come back.
"""

from __future__ import annotations

from textual.widget import Widget

# Rules set on the zoomed pane and its ancestors so they fill the screen.
_FILL = {"width": "1fr", "height": "1fr", "max_width": "100%", "max_height": "100%"}


def pane_of(focused: Widget | None, panes: list[Widget]) -> Widget | None:
    """The pane among ``panes`` that is or holds ``focused`` (None: no pane has the focus)."""
    if focused is None:
        return None
    for pane in panes:
        if focused is pane or pane in focused.ancestors:
            return pane
    return None


class Zoom:
    """The zoom state of one screen; ``keep`` are widget types that stay visible."""

    def __init__(self, screen: Widget, keep: tuple[type[Widget], ...]) -> None:
        self.screen = screen
        self.keep = keep
        self.pane: Widget | None = None
        self._set: list[tuple[Widget, str]] = []

    def toggle(self, pane: Widget | None) -> None:
        """Zoom ``pane``, or undo the zoom when one is on."""
        if self.pane is not None:
            self.restore()
        elif pane is not None:
            self.zoom(pane)

    def zoom(self, pane: Widget) -> None:
        """Show ``pane`` alone (with the ``keep`` widgets)."""
        self.pane = pane
        node: Widget = pane
        while node is not self.screen and isinstance(node.parent, Widget):
            for rule, value in _FILL.items():
                setattr(node.styles, rule, value)
                self._set.append((node, rule))
            for sibling in node.parent.children:
                if sibling is node or not sibling.display or isinstance(sibling, self.keep):
                    continue
                sibling.styles.display = "none"
                self._set.append((sibling, "display"))
            node = node.parent

    def restore(self) -> None:
        """Undo the zoom."""
        for widget, rule in reversed(self._set):
            widget.styles.clear_rule(rule)
        # Clearing inline rules schedules no layout, and a screen-wide one would reuse the
        # containers' cached (zoomed) arrangements: each widget changed asks for a layout,
        # which drops its containers' arrangements.
        for widget in dict.fromkeys(widget for widget, _ in self._set):
            widget.refresh(layout=True)
        self._set.clear()
        self.pane = None
