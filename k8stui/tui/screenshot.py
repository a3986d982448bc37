"""``k8stui screenshot``: export a screen as SVG, headless, deterministically."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

from k8stui.tui.app import ScreenName, make_app

# Sim seconds the play screen runs before the picture, so the panes have something to show.
PLAY_WARMUP = 30.0


def parse_size(text: str) -> tuple[int, int]:
    """``"120x40"`` -> ``(120, 40)``."""
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


async def capture(screen: ScreenName, size: tuple[int, int], level: str | None = None) -> str:
    """Run the app headless at ``size`` on ``screen`` (fixed seed, paused clock); return SVG."""
    with tempfile.TemporaryDirectory() as scratch:
        # A throw-away progress database: the picture must not depend on (or touch) real saves.
        app = make_app(
            progress_path=Path(scratch) / "progress.db", level=level, screen=screen, paused=True
        )
        return await _shoot(app, screen, size)


async def _shoot(app: Any, screen: ScreenName, size: tuple[int, int]) -> str:
    async with app.run_test(size=size) as pilot:
        # The game data loads after the first frame; a load that fails ends the app, and
        # waiting on would hang the screenshot.
        while app.progress is None and app.is_running:
            await asyncio.sleep(0.01)
        if app.progress is None:
            raise RuntimeError("the game could not start (see the messages above)")
        await pilot.pause()
        if screen == "play":
            from k8stui.tui.screens.play import PlayScreen

            # A first-run tour may sit on top of the play screen: the picture is of the game.
            while not isinstance(app.screen, PlayScreen) and len(app.screen_stack) > 1:
                app.pop_screen()
                await pilot.pause()
            play = app.screen
            if not isinstance(play, PlayScreen):
                raise RuntimeError("the level could not be opened (see the messages above)")
            await play.demo_warmup(PLAY_WARMUP)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        return app.export_screenshot(title=f"k8stui — {screen}")


def unknown_level(level: str) -> str | None:
    """The one-line error for a level id no installed pack has, or None when it exists."""
    from k8stui.game.pack import available_packs

    ids = [lvl.id for item in available_packs([]) if item.pack for lvl in item.pack.levels]
    if level in ids:
        return None
    return f"error: no level {level!r} (levels: {', '.join(ids)})"


def screenshot(out: str, *, level: str | None, size: str, screen: ScreenName) -> int:
    """Write the SVG; returns an exit code."""
    try:
        width, height = parse_size(size)
    except ValueError:
        print(f"error: --size must look like 120x40, not {size!r}", file=sys.stderr)
        return 2
    problem = unknown_level(level) if level is not None else None
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    svg = asyncio.run(capture(screen, (width, height), level))
    Path(out).write_text(svg, encoding="utf-8")
    print(out)
    return 0
