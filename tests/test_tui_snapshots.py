"""SVG snapshots of every screen at 80x24 and 120x40, and of the play screen at 80x24, 100x30
and 120x40 on three levels (one with five workers) plus a zoomed console (fixed pack, paused
clock).

Update after a deliberate UI change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and review ``snapshot_report.html``.
"""

from __future__ import annotations

import pytest
from test_tui_support import ready, tui_app

from k8stui.tui.screens.play import PlayScreen

SIZES = [(80, 24), (120, 40)]
SCREENS = ["select", "briefing", "result", "help"]
PLAY_SIZES = [(80, 24), (100, 30), (120, 40)]
PLAY_LEVELS = ["write-a-manifest", "node-down", "five-workers"]


async def _warm_up(pilot) -> None:
    await ready(pilot)
    screen = pilot.app.screen
    if isinstance(screen, PlayScreen):
        await screen.demo_warmup(30)
        # A blinking cursor would make the picture depend on when it was taken.
        for widget in screen.query("TextArea, Input"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_snapshot(snap_compare, screen: str, size: tuple[int, int]) -> None:
    level = "node-down" if screen in ("play", "help") else "write-a-manifest"
    app = tui_app(screen=screen, level=level)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=_warm_up)


def _size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", PLAY_SIZES, ids=_size_id)
@pytest.mark.parametrize("level", PLAY_LEVELS)
def test_play_snapshot(snap_compare, level: str, size: tuple[int, int]) -> None:
    app = tui_app(screen="play", level=level, wide=True)
    assert snap_compare(app, terminal_size=size, run_before=_warm_up)


async def _zoomed_console(pilot) -> None:
    await _warm_up(pilot)
    await pilot.press("f3", *"kubectl get pods -o wide --show-labels", "enter", "ctrl+o")
    await pilot.pause()


def test_zoomed_console_snapshot(snap_compare) -> None:
    app = tui_app(screen="play", level="node-down", wide=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_zoomed_console)
