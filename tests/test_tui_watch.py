"""Pilot test: ``kubectl get -w`` in the game's console streams as the clock moves; Esc ends it."""

from __future__ import annotations

from test_tui_support import ready, tui_app
from textual.widgets import RichLog

from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.widgets.console_pane import ConsolePane

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "watched", "namespace": "default"},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


def _lines(play: PlayScreen) -> list[str]:
    return [strip.text for strip in play.query_one(ConsolePane).query_one(RichLog).lines]


async def test_watch_streams_as_time_passes_and_escape_stops_it() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        console = play.query_one(ConsolePane)
        await pilot.press("f3", *"kubectl get pods -w --output-watch-events", "enter")
        await pilot.pause()
        assert console.streaming
        play.run.cluster.create(POD)
        play.run.advance(5)
        await pilot.pause(0.3)
        rows = [line.split() for line in _lines(play) if "watched" in line]
        assert rows[0][:4] == ["ADDED", "watched", "0/1", "Pending"]
        assert rows[-1][:4] == ["MODIFIED", "watched", "1/1", "Running"]
        await pilot.press("escape")
        assert not console.streaming
        assert _lines(play)[-1].strip() == "^C"
        assert play.focused is console.prompt  # Esc ended the watch; it did not leave the prompt
        seen = len(_lines(play))
        play.run.cluster.delete("Pod", "watched", "default", force=True)
        play.run.advance(2)
        await pilot.pause(0.3)
        assert len(_lines(play)) == seen


async def test_the_next_command_ends_a_watch() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        console = play.query_one(ConsolePane)
        await pilot.press("f3", *"kubectl get ns -w", "enter")
        await pilot.pause()
        assert console.streaming
        await pilot.press(*"kubectl get nodes", "enter")
        await pilot.pause()
        assert not console.streaming
        await pilot.press(*"kubectl get ns -w", "enter")
        await pilot.pause()
        await pilot.press("ctrl+c")  # as at a terminal
        assert not console.streaming


async def test_exec_it_opens_a_container_shell_in_the_console() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        console = play.query_one(ConsolePane)
        play.run.cluster.create(POD)
        play.run.advance(20)
        await pilot.press("f3", *"kubectl exec -it watched -- sh", "enter")
        await pilot.pause()
        assert console.streaming
        await pilot.press(*"hostname", "enter")
        await pilot.pause()
        assert _lines(play)[-1].strip() == "watched"
        await pilot.press(*"exit", "enter")
        await pilot.pause()
        assert not console.streaming
