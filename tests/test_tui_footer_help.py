"""F1 Help stays in sight in the footer at 80×24, in every screen and with every pane focused
(the footer does not wrap: whatever is shown after a cut is lost)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_support import ready, tui_app
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from k8stui.game.exam_cli import ExamPlan
from k8stui.game.exam_sets import choose
from k8stui.game.pack import builtin_pack
from k8stui.tui.app import make_app
from k8stui.tui.screens.exam_task import ExamTaskScreen
from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.widgets.events_pane import EventsPane
from k8stui.tui.widgets.goals_pane import GoalsPane
from k8stui.tui.widgets.node_pane import NodesPane


def _help_in_sight(app: Any) -> bool:
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    help_key = next(k for k in keys if k.action == "help")
    palette = [k for k in keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else footer.region.right
    return help_key.region.width == help_key.size.width and help_key.region.right <= right


async def test_help_shows_on_the_play_screen_whatever_is_focused() -> None:
    app = tui_app(screen="play", level="node-down")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        play.execute("kubectl run web --image=nginx")
        await pilot.pause()
        seen = []
        for key in ("f2", "f3", "f4"):
            await pilot.press(key)
            await pilot.pause()
            seen.append((key, _help_in_sight(app)))
        assert play.query_one(NodesPane).selected == ("default", "web")
        for pane in (GoalsPane, EventsPane):
            play.query_one(pane).focus()
            await pilot.pause()
            seen.append((pane.__name__, _help_in_sight(app)))
        assert seen == [(where, True) for where, _ in seen]


async def test_help_shows_on_the_other_screens() -> None:
    app = tui_app(level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        seen = [(type(app.screen).__name__, _help_in_sight(app))]
        await pilot.press("enter")  # the level's briefing
        await pilot.pause()
        seen.append((type(app.screen).__name__, _help_in_sight(app)))
        assert seen == [(where, True) for where, _ in seen]


async def test_help_shows_in_an_exam_task_with_a_pod_selected(tmp_path: Path) -> None:
    (tmp_path / "preferences.json").write_text('{"tour_done": true}', encoding="utf-8")
    pack = builtin_pack()
    plan = ExamPlan(pack, choose(pack, "troubleshooting"), 15)
    app = make_app(progress_path=tmp_path / "progress.db", exam=plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # open task 1
        await pilot.pause()
        task = app.screen
        assert isinstance(task, ExamTaskScreen)
        task.execute("kubectl run web --image=nginx")
        await pilot.press("f4")
        await pilot.pause()
        assert task.query_one(NodesPane).selected is not None
        assert _help_in_sight(app)
