"""Monkey test: thousands of seeded random keys across every screen must not crash the app."""

from __future__ import annotations

import asyncio
import random
import unicodedata
from collections import Counter

from test_tui_support import ready, tui_app
from textual import events
from textual.keys import _get_unicode_name_from_key

KEYS = [
    *list("abcdeghjklmnqrswy0123456789 "),
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "backspace",
    "f1",
    "f2",
    "f3",
    "f4",
    "f5",
    "f6",
    "f7",
    "f8",
    "f9",
    "f10",
    "ctrl+n",
    "question_mark",
    "colon",
    "slash",
    "plus",
    "minus",
    "full_stop",
    "home",
    "end",
]
PRESSES = 2000
BATCH = 40


def _key_event(key: str) -> events.Key:
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def _type(app, keys: list[str], seen: Counter[str]) -> None:
    """Send keys the way the terminal driver does, without Pilot's wait-for-idle after each
    one (the play screen's frame timer keeps the app busy, which makes Pilot slow); count
    the screen each key lands on."""
    for key in keys:
        app._driver.send_message(_key_event(key))
        await asyncio.sleep(0)
        seen[type(app.screen).__name__] += 1


async def test_random_keys_do_not_crash() -> None:
    rng = random.Random(20250101)
    app = tui_app()
    seen: Counter[str] = Counter()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for _ in range(PRESSES // BATCH):
            await _type(app, [rng.choice(KEYS) for _ in range(BATCH)], seen)
            await asyncio.sleep(0.02)
            assert app.is_running
        # Drain the keys still queued before run_test shuts the app down.
        while not app._message_queue.empty():
            await pilot.pause()
        await pilot.pause()
    # The walk reached the game, not just the first screen.
    assert {"SelectScreen", "PlayScreen"} <= set(seen)
