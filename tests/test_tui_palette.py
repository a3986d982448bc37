"""Issue 19 item 16: the command palette's PageUp/PageDown raised ``KeyError: 0`` (Textual
8.2.8, ``OptionList._move_page``) when its result list had no height."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandList

from k8stui.tui.app import make_app
from k8stui.tui.palette import SafeCommandPalette


async def palette_keys(app: App[None], keys: list[str | float]) -> None:
    async with app.run_test(size=(80, 4)) as pilot:
        for key in keys:
            if isinstance(key, float):
                await pilot.pause(key)
            else:
                await pilot.press(key)
        await pilot.pause()


async def test_bare_textual_palette_still_raises() -> None:
    """The upstream defect itself: when this stops failing, the workaround can go."""

    class Bare(App[None]):
        pass

    with pytest.raises(KeyError):
        await palette_keys(Bare(), ["ctrl+p", 0.5, "down", 0.3, "pagedown"])


async def test_our_palette_pages_without_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    app = make_app(progress_path=tmp_path / "progress.db")
    # A KeyError would propagate out of run_test; each round opens the palette afresh.
    await palette_keys(
        app,
        [
            *("ctrl+p", "a", 0.5, "pagedown", "escape"),
            *("ctrl+p", 0.5, "down", 0.3, "pagedown", "escape"),
            *("ctrl+p", 0.5, "down", 0.3, "pageup", "pagedown", "escape"),
        ],
    )


async def test_paging_still_moves_when_the_list_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    app = make_app(progress_path=tmp_path / "progress.db")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        await pilot.press("down")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, SafeCommandPalette)
        commands = palette.query_one(CommandList)
        assert commands.option_count > 1
        start = commands.highlighted
        await pilot.press("pagedown")
        await pilot.pause()
        assert commands.highlighted is not None and commands.highlighted > (start or 0)
        await pilot.press("pageup")
        await pilot.pause()
        assert commands.highlighted == 0
