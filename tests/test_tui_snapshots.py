"""SVG snapshots of every screen at 80x24 and 120x40 (fixed pack, paused clock).

Update after a deliberate UI change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and review ``snapshot_report.html``.
"""

from __future__ import annotations

import pytest
from test_tui_support import ready, tui_app

from k8stui.tui.screens.play import PlayScreen

SIZES = [(80, 24), (120, 40)]
SCREENS = ["select", "briefing", "play", "result", "help"]


async def _warm_up(pilot) -> None:
    await ready(pilot)
    screen = pilot.app.screen
    if isinstance(screen, PlayScreen):
        await screen.demo_warmup(30)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_snapshot(snap_compare, screen: str, size: tuple[int, int]) -> None:
    level = "node-down" if screen in ("play", "help") else "write-a-manifest"
    app = tui_app(screen=screen, level=level)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=_warm_up)
