"""What keeps the play screen's frames cheap: log writes without a screen layout, and full
garbage collections held back to moments the player does not see them."""

from __future__ import annotations

import gc
import html
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from k8stui.tui.collector import CollectionPacing
from k8stui.tui.widgets.steady_log import SteadyLog


class LogApp(App[None]):
    """A log beside another widget, as on the play screen."""

    CSS = "#side { width: 10; } SteadyLog { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("side", id="side")
            yield SteadyLog(id="log", max_lines=50, min_width=1)


def screen_text(app: App[Any]) -> str:
    """The screen as exported, with the SVG's non-breaking spaces as spaces."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def count_layouts(app: App[Any]) -> list[int]:
    """Wrap the screen's layout pass; the returned list grows by one per pass."""
    calls: list[int] = []
    screen = app.screen
    original = screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(*args, **kwargs)

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return calls


async def test_writes_to_a_scrolling_log_do_not_lay_the_screen_out() -> None:
    app = LogApp()
    async with app.run_test(size=(60, 12)) as pilot:
        log = app.query_one(SteadyLog)
        log.write("\n".join(f"line {i}" for i in range(30)))
        await pilot.pause()
        assert log.show_vertical_scrollbar
        layouts = count_layouts(app)
        for index in range(30, 40):
            log.write(f"line {index}")
            await pilot.pause()
        assert layouts == []
        # The scrollbar and the scroll position still follow the new lines.
        assert log.virtual_size.height == 40
        assert log.vertical_scrollbar.window_virtual_size == 40
        assert log.scroll_y == log.max_scroll_y > 0
        assert "line 39" in screen_text(app)


async def test_a_wide_line_gets_the_log_its_sideways_scrollbar() -> None:
    app = LogApp()
    async with app.run_test(size=(60, 12)) as pilot:
        log = app.query_one(SteadyLog)
        log.write("short")
        await pilot.pause()
        assert not log.show_horizontal_scrollbar
        log.write("wide " * 30)
        await pilot.pause()
        assert log.show_horizontal_scrollbar
        assert log.max_scroll_x > 0
        log.scroll_to(x=log.max_scroll_x, animate=False)
        await pilot.pause()
        assert "wide wide" in screen_text(app)


@pytest.fixture
def gc_state() -> Iterator[None]:
    """Leave the interpreter's collector as the test found it."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def counting(pacing: CollectionPacing) -> list[int]:
    """Record the pacing's full collections."""
    runs: list[int] = []
    original = pacing.collect

    def collect() -> None:
        runs.append(1)
        original()

    pacing.collect = collect  # type: ignore[method-assign]
    return runs


def test_pacing_takes_over_full_collections_and_gives_them_back(gc_state: None) -> None:
    before = gc.get_threshold()
    pacing = CollectionPacing()
    pacing.start()
    assert gc.get_threshold()[:2] == before[:2]
    assert gc.get_threshold()[2] > 10**6
    assert gc.get_freeze_count() > 0
    pacing.stop()
    assert gc.get_threshold() == before


def test_overlapping_pacings_restore_the_interpreters_thresholds(gc_state: None) -> None:
    before = gc.get_threshold()
    first, second = CollectionPacing(), CollectionPacing()
    first.start()
    second.start()
    first.stop()
    assert gc.get_threshold()[2] > 10**6  # the second screen still plays
    second.stop()
    assert gc.get_threshold() == before


def test_pacing_collects_once_per_quiet_hold_never_while_typing(gc_state: None) -> None:
    pacing = CollectionPacing(period=3600)
    runs = counting(pacing)
    pacing.start()
    for held in (None, "typing", "editing", None):
        assert not pacing.frame(held)
    assert pacing.frame("paused")
    assert not pacing.frame("paused")
    assert not pacing.frame(None)
    assert pacing.frame("waiting")
    assert len(runs) == 2
    pacing.stop()
    assert not pacing.frame("paused")


def test_pacing_collects_every_period_while_the_clock_runs(gc_state: None) -> None:
    pacing = CollectionPacing(period=0.0)
    runs = counting(pacing)
    pacing.start()
    assert pacing.frame(None)
    assert pacing.frame(None)
    assert len(runs) == 2
    pacing.stop()
