"""The control-plane pane: what the API server, scheduler, controllers and etcd just did."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from k8stui.tui.widgets.text_rows import TextRows
from k8stui.tui.widgets.time_bar import clock_text

# (label, short label for narrow panes, activity component, colour of the label)
_ROWS = (
    ("api-server", "api", "api-server", "cyan"),
    ("scheduler", "sched", "scheduler", "magenta"),
    ("controllers", "ctrl", "controller-manager", "yellow"),
)
# Activity component -> the control-plane component ``sim stop-component`` names.
_STOPPABLE = {
    "api-server": "apiserver",
    "scheduler": "scheduler",
    "controller-manager": "controller-manager",
}
# Below this width the pane drops the time column and uses short labels.
_WIDE = 40


def control_plane_text(
    cluster: Any, lines_per_component: int, width: int, start_ms: int = 0
) -> Text:
    """Render the pane's content: newest activity per component, then etcd's counters (times
    on the level clock, which starts at cluster time ``start_ms``)."""
    wide = width >= _WIDE
    label_width = 12 if wide else 6
    text = Text()
    for long_label, short_label, component, colour in _ROWS:
        label = long_label if wide else short_label
        if not cluster.control_plane.is_running(_STOPPABLE[component]):
            text.append(f"{label:<{label_width}}", style=f"bold {colour}")
            text.append("✗ stopped\n", style="bold red")
            continue
        recent = cluster.ctx.activity.recent(component, limit=lines_per_component)
        if not recent:
            text.append(f"{label:<{label_width}}", style=f"bold {colour}")
            text.append("· idle\n", style="dim")
        for index, activity in enumerate(recent):
            head = label if index == 0 else ""
            text.append(f"{head:<{label_width}}", style=f"bold {colour}")
            if wide:
                text.append(f"{clock_text((activity.at_ms - start_ms) / 1000):>5} ", style="dim")
            # Failed scheduling reasons are the lesson: show them in the error colour.
            style = "red" if "nodes are available" in activity.text else ""
            text.append(activity.text + "\n", style=style)
    text.append(f"{'etcd':<{label_width}}", style="bold green")
    if not cluster.control_plane.is_running("etcd"):
        text.append("✗ stopped", style="bold red")
        return text
    text.append(f"rev {cluster.revision} · {cluster.key_count()} keys")
    return text


class ControlPlanePane(TextRows):
    """Shows the newest activity of each control-plane component; refreshed by the screen.

    New activity repaints the rows that changed (one component's rows, etcd's counters), not
    the whole pane.
    """

    DEFAULT_CSS = """
    ControlPlanePane { height: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._key: tuple[int, int, int, int] | None = None

    def on_mount(self) -> None:
        self.border_title = "Control plane"

    def show(self, cluster: Any, start_ms: int = 0) -> None:
        """Redraw from the cluster when its state or our size changed."""
        per = max(1, (self.content_size.height - 1) // len(_ROWS))
        key = (cluster.revision, cluster.ctx.activity.total, per, self.content_size.width)
        if key == self._key:
            return
        self._key = key
        self._text = control_plane_text(cluster, per, self.content_size.width, start_ms)
        self.redraw()

    def build_rows(self, width: int, height: int) -> list[Text]:
        """The text of the last :meth:`show`, one row per line."""
        return list(self._text.split("\n"))
