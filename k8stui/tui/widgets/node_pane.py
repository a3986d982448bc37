"""Worker node panes: one card per node with health, capacity bars and pods; a pod cursor."""

from __future__ import annotations

from math import ceil
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.reactive import reactive

from k8stui.engine.apimachinery.quantity import format_cpu, format_memory
from k8stui.tui.keys import PANES, POD_KEYS
from k8stui.tui.widgets.node_view import UNSCHEDULED, NodeReader, NodeView, PodRow
from k8stui.tui.widgets.text_rows import TextRows

_BAR = "▁▂▃▄▅▆▇█"
# The smallest card that still shows a health line, both bars and two pods.
CARD_WIDTH = 22
CARD_HEIGHT = 6


def bar(used: int, total: int, width: int) -> Text:
    """A fixed-width usage bar, red when over 90 %."""
    share = 0.0 if total <= 0 else min(1.0, used / total)
    full = round(share * width)
    style = "red" if share > 0.9 else "yellow" if share > 0.7 else "green"
    return Text("█" * full, style=style) + Text("░" * (width - full), style="dim")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _pod_line(row: PodRow, width: int, selected: bool) -> Text:
    """``●● name 1/2 Status``: one dot per container, the name and status cut to fit."""
    dots = Text()
    for style in row.containers:
        dots.append("●", style=style)
    room = width - len(row.containers) - len(row.ready) - 3
    name_width = max(min(len(row.name), 8), room - len(row.status))
    status_width = max(1, room - min(len(row.name), name_width))
    line = dots + Text(" " + _fit(row.name, name_width) + " ")
    line += Text(f"{row.ready} {_fit(row.status, status_width)}", style=row.style)
    if selected:
        line.stylize("reverse")
    return line


class NodeCard(TextRows):
    """One node; the nodes pane sets :attr:`view` and the selected pod.

    A change repaints only the rows that look different (a pod's status, a bar), and the
    border only when its title or subtitle changed: setting either repaints the whole card.
    """

    view: reactive[NodeView | None] = reactive(None, layout=False, repaint=False)
    selected: reactive[str | None] = reactive(None, repaint=False)

    class PodClicked(Message):
        """A pod line was clicked."""

        def __init__(self, node: str, index: int) -> None:
            super().__init__()
            self.node = node
            self.index = index

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._border_texts: tuple[str, str] | None = None

    def watch_view(self, view: NodeView | None) -> None:
        if view is not None:
            mark = "✗ " if view.down else ""
            title, subtitle = f"{mark}{view.name}", view.status
            if (title, subtitle) != self._border_texts:
                self._border_texts = (title, subtitle)
                self.painted = False
                self.border_title = title
                self.border_subtitle = subtitle
            self.set_class(view.down, "-down")
            self.set_class(view.cordoned and not view.down, "-cordoned")
            self.set_class(view.name == UNSCHEDULED, "-pending")
        self.redraw()

    def watch_selected(self) -> None:
        self.redraw()

    def _visible_pods(self, view: NodeView, rows: int) -> tuple[int, list[PodRow]]:
        """The window of pods that fits, scrolled so the selected pod shows."""
        index = next((i for i, p in enumerate(view.pods) if p.name == self.selected), 0)
        start = max(0, min(index - rows + 1, len(view.pods) - rows)) if index >= rows else 0
        return start, list(view.pods[start : start + rows])

    def _header(self, view: NodeView, width: int) -> list[Text]:
        if view.name == UNSCHEDULED:
            return [Text("waiting for a node", style="yellow")]
        lines = []
        if not dict(view.health)["runtime"]:
            lines.append(Text("✗ MACHINE DOWN", style="bold white on red"))
        elif all(ok for _, ok in view.health) and width < 30:
            # Narrow cards: one mark for all three when nothing is wrong.
            names = " ".join(name for name, _ in view.health)
            # The mark first when the line is cut: the ✓ is what the line is for.
            line = f"{names} ✓" if len(names) + 2 <= width else f"✓ {names}"
            lines.append(Text(line, style="green"))
        else:
            health = Text()
            for name, ok in view.health:
                health.append(f"{name}{'✓' if ok else '✗'} ", style="green" if ok else "bold red")
            lines.append(health)
        size = max(3, (width - 8) // 2) if width < 30 else max(3, width - 18)
        if width < 30:
            lines.append(Text("c ") + bar(*view.cpu, size) + Text(" m ") + bar(*view.memory, size))
        else:
            cpu = f" {format_cpu(view.cpu[0])}/{format_cpu(view.cpu[1])}"
            mem = f" {format_memory(view.memory[0])}/{format_memory(view.memory[1])}"
            lines.append(Text("cpu ") + bar(*view.cpu, size) + Text(cpu, style="dim"))
            lines.append(Text("mem ") + bar(*view.memory, size) + Text(mem, style="dim"))
        return lines

    def build_rows(self, width: int, height: int) -> list[Text]:
        """Health, capacity bars and the pods that fit (squares when they do not)."""
        view = self.view
        if view is None:
            return []
        lines = self._header(view, width)
        rows = height - len(lines)
        if len(view.pods) > rows and rows > 1:
            lines.extend(self._glyphs(view, width, rows))
        else:
            _, pods = self._visible_pods(view, max(0, rows))
            lines.extend(_pod_line(p, width, p.name == self.selected) for p in pods)
        if not view.pods and rows > 0:
            lines.append(Text("no pods", style="dim"))
        return lines

    def _glyphs(self, view: NodeView, width: int, rows: int) -> list[Text]:
        """Compact mode: one coloured square per pod, the selected pod named below."""
        cells = Text()
        for pod in view.pods[: width * (rows - 1)]:
            cells.append("▪" if pod.name != self.selected else "◆", style=pod.style)
        lines = [cells[i : i + width] for i in range(0, len(cells), width)][: rows - 1]
        chosen = next((p for p in view.pods if p.name == self.selected), None)
        tail = Text(f"{len(view.pods)} pods", style="dim")
        lines.append(_pod_line(chosen, width, True) if chosen else tail)
        return lines

    def on_click(self, event: events.Click) -> None:
        view = self.view
        if view is None:
            return
        header = len(self._header(view, self.content_size.width))
        start, pods = self._visible_pods(view, max(0, self.content_size.height - header))
        index = event.y - header - 1  # the border's top row
        if 0 <= index < len(pods):
            self.post_message(self.PodClicked(view.name, start + index))


def grid_shape(cards: int, width: int, height: int) -> tuple[int, int, bool]:
    """(columns, rows, fits) for ``cards`` node cards in a pane's content area.

    Cards wrap into as many rows as the height allows (at least :data:`CARD_HEIGHT` each);
    when even then they do not fit side by side, ``fits`` is False and the pane scrolls
    sideways with cards of :data:`CARD_WIDTH`.
    """
    cards = max(1, cards)
    fit_columns = max(1, width // CARD_WIDTH)
    fit_rows = max(1, height // CARD_HEIGHT)
    rows = min(fit_rows, ceil(cards / fit_columns))
    columns = ceil(cards / rows)
    return columns, rows, columns <= fit_columns


class NodesPane(ScrollableContainer, can_focus=True):
    """The worker nodes in a grid; ↑/↓ walk the pods, ←/→ jump between nodes."""

    BINDINGS = [
        *PANES,
        *POD_KEYS,
        Binding(
            "down",
            "move(1)",
            "Next pod",
            show=False,
            id="nodes.next",
            tooltip="Select the next pod",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous pod",
            show=False,
            id="nodes.prev",
            tooltip="Select the previous pod",
        ),
        Binding(
            "right",
            "jump(1)",
            "Next node",
            show=False,
            id="nodes.right",
            tooltip="First pod on the next node",
        ),
        Binding(
            "left",
            "jump(-1)",
            "Previous node",
            show=False,
            id="nodes.left",
            tooltip="First pod on the previous node",
        ),
    ]

    filter: reactive[str] = reactive("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reader = NodeReader()
        self._views: list[NodeView] = []
        self._cards: dict[str, NodeCard] = {}
        self.selected: tuple[str, str] | None = None
        self._shape: tuple[int, int, int, str] | None = None
        # Some cards still show an older cluster than the last show read (see ``limit``).
        self.behind = False
        # Shows so far, and the show that last updated each card (the longest waiting go first).
        self._shows = 0
        self._updated: dict[str, int] = {}

    def on_mount(self) -> None:
        self.border_title = "Nodes"

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        """Shape the grid so every card shows (or scrolls sideways when they cannot)."""
        size = self.scrollable_content_region.size
        key = (len(self._cards), size.width, size.height, self.filter)
        if not size.width or key == self._shape:
            return
        self._shape = key
        columns, rows, fits = grid_shape(len(self._cards), size.width, size.height)
        self.styles.grid_size_columns = columns
        self.styles.grid_size_rows = rows
        self.styles.grid_columns = "1fr" if fits else str(CARD_WIDTH)
        self.styles.grid_rows = "1fr"
        hidden = "" if fits else " · ← → more nodes"
        self.border_subtitle = (f"/{self.filter}" if self.filter else "") + hidden

    @property
    def pods(self) -> list[tuple[str, PodRow]]:
        """Pods in display order (node by node), after the filter."""
        return [(v.name, p) for v in self._views for p in v.pods]

    def show(self, cluster: Any, *, limit: int | None = None) -> None:
        """Read the cluster and update the cards (mounting cards for new nodes).

        With ``limit``, at most that many changed cards are updated, those waiting longest
        first; :attr:`behind` then says whether others still wait for a later call.
        """
        views = self._reader.read(cluster)
        needle = self.filter.lower()
        if needle:
            views = [_filtered(v, needle) for v in views]
        names = [v.name for v in views]
        for name in [n for n in self._cards if n not in names]:
            self._cards.pop(name).remove()
            self._updated.pop(name, None)
        for view in views:
            if view.name not in self._cards:
                self._cards[view.name] = NodeCard()
                self.mount(self._cards[view.name])
        changed = [v for v in views if self._cards[v.name].view != v]
        if limit is not None and len(changed) > limit:
            changed = sorted(changed, key=lambda v: self._updated.get(v.name, -1))[:limit]
        self._shows += 1
        for view in changed:
            card = self._cards[view.name]
            card.view = view  # the card says whether it has something to paint (painted)
            self._updated[view.name] = self._shows
        # What the cards show (pod keys walk these): the new views, or older ones still.
        shown = [self._cards[v.name].view for v in views]
        self._views = [v for v in shown if v is not None]
        self.behind = shown != views
        # Also when the pane's size changed without a resize reaching it (a size class of the
        # screen switched): cheap, as the shape is only applied when it changes.
        self._arrange()
        self._sync_selection()

    @property
    def painted(self) -> bool:
        """The cards' last changes are on the screen (cards out of sight count as painted)."""
        return all(card.painted or not card.is_on_screen for card in self._cards.values())

    def watch_filter(self) -> None:
        self._arrange()

    def _sync_selection(self) -> None:
        pods = self.pods
        keys = [(p.namespace, p.name) for _, p in pods]
        if self.selected not in keys:
            self.selected = keys[0] if keys else None
        for name, card in self._cards.items():
            in_card = self.selected and any(
                (p.namespace, p.name) == self.selected for n, p in pods if n == name
            )
            card.selected = self.selected[1] if in_card and self.selected else None

    def _select(self, index: int) -> None:
        pods = self.pods
        if not pods:
            return
        node, pod = pods[max(0, min(index, len(pods) - 1))]
        self.selected = (pod.namespace, pod.name)
        self._sync_selection()
        card = self._cards.get(node)
        if card is not None:
            self.scroll_to_widget(card, animate=False)

    def _index(self) -> int:
        keys = [(p.namespace, p.name) for _, p in self.pods]
        return keys.index(self.selected) if self.selected in keys else 0

    def action_move(self, delta: int) -> None:
        """Select the pod ``delta`` steps away."""
        self._select(self._index() + delta)

    def action_jump(self, delta: int) -> None:
        """Select the first pod of the neighbouring node that has pods."""
        pods = self.pods
        if not pods:
            return
        nodes = list(dict.fromkeys(n for n, _ in pods))
        current = pods[self._index()][0]
        target = nodes[(nodes.index(current) + delta) % len(nodes)]
        self._select(next(i for i, (n, _) in enumerate(pods) if n == target))

    def on_node_card_pod_clicked(self, message: NodeCard.PodClicked) -> None:
        offset = next((i for i, (n, _) in enumerate(self.pods) if n == message.node), 0)
        self._select(offset + message.index)
        self.focus()


def _filtered(view: NodeView, needle: str) -> NodeView:
    pods = tuple(p for p in view.pods if needle in p.name.lower() or needle in p.status.lower())
    return NodeView(
        view.name, view.status, view.down, view.cordoned, view.health, view.cpu, view.memory, pods
    )
