"""Panes repaint the rows that changed, not the whole pane (frame cost at 32x, issue #15).

A refresh without regions repaints a whole widget; these tests record the refreshes a change
asks for and check that each names only the rows whose text differs, and that the screen
then shows the change.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from k8stui.tui.widgets.goals_pane import GoalsPane, GoalsText
from k8stui.tui.widgets.node_pane import NodeCard
from k8stui.tui.widgets.node_view import NodeView, PodRow
from k8stui.tui.widgets.text_rows import TextRows

HEALTH = (("kubelet", True), ("proxy", True), ("runtime", True))


def _pod(name: str, status: str) -> PodRow:
    return PodRow("default", name, "1/1", status, "green", ("green",))


def _view(*pods: PodRow) -> NodeView:
    return NodeView("worker-1", "Ready", False, False, HEALTH, (100, 1000), (1, 100), pods)


def _spy_refreshes(
    monkeypatch: pytest.MonkeyPatch, seen: Callable[[Widget, tuple[Region, ...], bool], None]
) -> None:
    """Call ``seen(widget, regions, layout)`` for every refresh Textual does."""
    original = Widget.refresh

    def refresh(self: Widget, *regions: Region, **kwargs: Any) -> Widget:
        seen(self, regions, bool(kwargs.get("layout")))
        return original(self, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", refresh)


@pytest.fixture
def record_refreshes(monkeypatch: pytest.MonkeyPatch) -> Callable[[Widget], list[Any]]:
    """Start recording the regions of every refresh Textual does for a widget (() for the
    whole widget)."""
    recorded: dict[Widget, list[tuple[Region, ...]]] = {}

    def seen(widget: Widget, regions: tuple[Region, ...], _layout: bool) -> None:
        if widget in recorded:
            recorded[widget].append(regions)

    _spy_refreshes(monkeypatch, seen)
    return lambda widget: recorded.setdefault(widget, [])


def _rows(calls: list[tuple[Region, ...]]) -> set[int]:
    assert all(calls), f"a whole-widget refresh: {calls}"
    return {y for regions in calls for region in regions for y in region.line_range}


class CardApp(App[None]):
    CSS = "NodeCard { width: 40; height: 9; border: round green; }"

    def compose(self) -> ComposeResult:
        yield NodeCard()


async def test_a_pod_status_change_repaints_only_its_row(record_refreshes: Any) -> None:
    app = CardApp()
    async with app.run_test(size=(50, 12)) as pilot:
        card = app.query_one(NodeCard)
        pods = [_pod("web-a", "Running"), _pod("web-b", "Pending"), _pod("web-c", "Running")]
        card.view = _view(*pods)
        await pilot.pause()
        calls = record_refreshes(card)
        card.view = _view(pods[0], _pod("web-b", "Running"), pods[2])
        await pilot.pause()
        # Health, cpu and memory rows come first: web-b is the fifth row.
        assert _rows(calls) == {4}
        assert str(card.render()).split("\n")[4].endswith("1/1 Running")


async def test_an_unchanged_view_asks_for_no_repaint(record_refreshes: Any) -> None:
    app = CardApp()
    async with app.run_test(size=(50, 12)) as pilot:
        card = app.query_one(NodeCard)
        card.view = _view(_pod("web-a", "Running"))
        await pilot.pause()
        calls = record_refreshes(card)
        card.selected = "nothing-here"  # no such pod: the card looks the same
        await pilot.pause()
        assert calls == []
        assert card.painted


class Rows(TextRows):
    lines: list[str] = []

    def build_rows(self, width: int, height: int) -> list[Text]:
        return [Text(line) for line in self.lines]


class RowsApp(App[None]):
    CSS = "Rows { height: 6; }"

    def compose(self) -> ComposeResult:
        yield Rows()


async def test_rows_that_moved_repaint_and_the_others_keep_their_strips(
    record_refreshes: Any,
) -> None:
    app = RowsApp()
    async with app.run_test(size=(30, 8)) as pilot:
        rows = app.query_one(Rows)
        rows.lines = ["a", "b", "c", "d"]
        rows.redraw()
        await pilot.pause()
        calls = record_refreshes(rows)
        rows.lines = ["a", "x", "y", "d", "e"]
        rows.redraw()
        assert not rows.painted
        await pilot.pause()
        assert _rows(calls) == {1, 2, 4}
        assert rows.painted
        shown = [rows.render_line(y).text.rstrip() for y in range(6)]
        assert shown == ["a", "x", "y", "d", "e", ""]


def _goal(title: str, explanation: str, passed: bool = False) -> SimpleNamespace:
    return SimpleNamespace(title=title, passed=passed, pending=False, explanation=explanation)


class GoalsApp(App[None]):
    CSS = "GoalsPane { height: 10; border: round green; }"

    def compose(self) -> ComposeResult:
        yield GoalsPane()


async def test_an_explanation_change_repaints_only_its_row(record_refreshes: Any) -> None:
    app = GoalsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        pane = app.query_one(GoalsPane)
        text = pane.query_one(GoalsText)
        goals = [_goal("web is up", "2/3 pods ready"), _goal("db is up", "1/1 pods ready")]
        pane.show(goals, [])
        await pilot.pause()
        calls = record_refreshes(text)
        goals = [goals[0], _goal("db is up", "0/1 pods ready")]
        pane.show(goals, [])
        assert not pane.painted
        await pilot.pause()
        # Title, explanation, title, explanation: the db goal's explanation is row 3.
        assert _rows(calls) == {3}
        assert pane.painted
        assert "0/1 pods ready" in str(text.render())


async def test_a_new_goals_title_repaints_the_top_border_row_only(record_refreshes: Any) -> None:
    app = GoalsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        pane = app.query_one(GoalsPane)
        goals = [_goal("web is up", "2/3 pods ready"), _goal("db is up", "0/1 pods ready")]
        pane.show(goals, [])
        await pilot.pause()
        calls = record_refreshes(pane)
        pane.show([goals[0], _goal("db is up", "1/1 pods ready", passed=True)], [])
        await pilot.pause()
        assert _rows(calls) == {-1}  # the border row above the content
        top = app.screen._compositor.render_strips()[pane.region.y]
        assert "Goals 1/2" in top.text


@pytest.fixture
def record_layouts(monkeypatch: pytest.MonkeyPatch) -> list[Widget]:
    """Every widget that asks Textual for a layout pass (of the whole screen)."""
    asked: list[Widget] = []
    _spy_refreshes(monkeypatch, lambda widget, _, layout: asked.append(widget) if layout else None)
    return asked


LONG = "2 of the 3 replicas are ready; the third waits for a node with room"


async def _goals_shown(pilot: Any, goals: list[SimpleNamespace]) -> tuple[GoalsPane, GoalsText]:
    """Show ``goals`` at a normal clock and let them paint."""
    pane = pilot.app.query_one(GoalsPane)
    pane.show(goals, [])
    await pilot.pause()
    return pane, pane.query_one(GoalsText)


async def test_folding_at_a_fast_clock_keeps_the_height_without_a_layout_pass(
    record_layouts: list[Widget],
) -> None:
    app = GoalsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        pane, text = await _goals_shown(pilot, [_goal("web is up", LONG)])
        height = text.size.height
        assert height > 2  # the explanation wraps
        record_layouts.clear()
        # The verdict changes too, so the fast clock does not hold the redraw back.
        pane.show([_goal("web is up", LONG, passed=True)], [], throttle=True)
        await pilot.pause()
        assert text not in record_layouts
        assert text.size.height == height
        shown = [text.render_line(y).text.rstrip() for y in range(height)]
        assert len([row for row in shown if row]) == 2  # title + one folded line
        assert shown[2:] == [""] * (height - 2)


async def test_folding_that_makes_the_scrollbar_go_lays_the_pane_out(
    record_layouts: list[Widget],
) -> None:
    app = GoalsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        goals = [_goal(f"app {n} is up", LONG) for n in range(3)]
        pane, text = await _goals_shown(pilot, goals)
        assert text.size.height > pane.scrollable_content_region.height  # scrolls
        record_layouts.clear()
        pane.show([*goals[:2], _goal("app 2 is up", LONG, passed=True)], [], throttle=True)
        await pilot.pause()
        assert text in record_layouts
        assert text.size.height == 6  # three titles, three folded lines: no scrollbar
        assert not pane.vertical_scrollbar.display or pane.max_scroll_y == 0
