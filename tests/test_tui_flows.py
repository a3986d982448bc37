"""Pilot tests of whole flows: pick a level, write and apply a manifest, win; console; time."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import ready, tui_app
from textual.widgets import Input, RichLog

from k8stui.tui.screens.briefing import BriefingScreen
from k8stui.tui.screens.help import HelpScreen
from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.screens.result import ResultScreen
from k8stui.tui.widgets.console_pane import ConsolePane
from k8stui.tui.widgets.goals_pane import GoalsPane
from k8stui.tui.widgets.node_pane import NodeCard

# Typed without indentation: Enter indents the next line as YAML needs.
SPEC = ["spec:", "containers:", "- name: kubia", "image: luksa/kubia"]


def _play(app) -> PlayScreen:
    assert isinstance(app.screen, PlayScreen)
    return app.screen


def _goals_text(screen: PlayScreen) -> str:
    return str(screen.query_one(GoalsPane).query_one("#goals-text").render())


async def test_select_briefing_write_apply_win(tmp_path: Path) -> None:
    app = tui_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        play = _play(app)
        assert "✗" in _goals_text(play)
        await pilot.press("f2", "down", "down", "down", "down")
        for line in SPEC:
            await pilot.press(*line, "enter")
        await pilot.press("f5")
        await pilot.pause()
        assert play.run.history == ["kubectl apply -f pod.yaml"]
        assert "pod/kubia created" in str(play.query_one("#apply-result").render())
        play.run.advance(30)
        play.on_cluster_changed(None)
        await pilot.pause()
        assert "✓" in _goals_text(play)
        await pilot.pause(2.0)
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.result.won
        assert app.stars("write-a-manifest") == 3
    # Saved progress shows on the next start.
    again = tui_app(tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.stars("write-a-manifest") == 3
        assert again.continue_level() == "node-down"


async def test_console_runs_commands_with_history() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f3")
        await pilot.press(*"kubectl get nodes", "enter")
        await pilot.pause()
        lines = [strip.text for strip in play.query_one(ConsolePane).query_one(RichLog).lines]
        assert any("kubectl get nodes" in line for line in lines)
        assert len(lines) > 1
        assert play.run.history == ["kubectl get nodes"]
        prompt = play.query_one(ConsolePane).prompt
        await pilot.press("up")
        assert prompt.value == "kubectl get nodes"
        await pilot.press("down")
        assert prompt.value == ""


async def test_time_controls() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        assert play.paused
        await pilot.press("f4")
        await pilot.press("full_stop")
        assert play.run.now == 1.0
        await pilot.press("plus", "plus", "plus", "plus", "plus", "plus")
        assert play.speed == 32
        await pilot.press("minus")
        assert play.speed == 16
        before = play.run.now
        await pilot.press("n")
        assert play.run.now >= before
        await pilot.press("space")
        assert not play.paused
        await pilot.pause(0.3)
        assert play.run.now > before


async def test_wave_crashes_a_node() -> None:
    app = tui_app(screen="play", level="node-down")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f5", "f4")
        play.run.advance(30)
        await pilot.press("w")
        play.run.advance(10)
        play.on_cluster_changed(None)
        await pilot.pause()
        cards = {c.view.name: c for c in play.query(NodeCard) if c.view}
        assert cards["worker-1"].has_class("-down")
        assert not cards["worker-2"].has_class("-down")


async def test_help_lists_active_keys() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "f1")
        assert isinstance(app.screen, HelpScreen)
        keys = [row[1] for row in app.screen._rows]
        assert {"Apply", "Pause", "Zoom", "Help", "Next pod"} <= set(keys)
        assert "Describe" not in keys  # no pod to describe yet
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_corrupt_progress_still_starts(tmp_path: Path) -> None:
    (tmp_path / "progress.db").write_bytes(b"this is not a database" * 100)
    app = tui_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert any("could not be read" in n.message for n in app._notifications)
        assert app.stars("write-a-manifest") == 0
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen)


async def test_pod_filter_and_describe() -> None:
    app = tui_app(screen="play", level="node-down")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f5")
        play.run.advance(20)
        play.on_cluster_changed(None)
        await pilot.pause()
        await pilot.press("f4", "slash", *"zzz")
        assert play.query_one("#filter", Input).display
        await pilot.pause()
        assert play.query_one("#nodes").selected is None
        await pilot.press("escape")
        play.query_one("#filter", Input).value = ""
        await pilot.pause()
        await pilot.press("d")
        assert app.screen.__class__.__name__ == "ViewerScreen"
