"""Pilot tests of the play screen as players use it (issue 15): reading output, typing,
layout, notices, goals that follow commands, one clock, the editor."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import LEVELS, ready, test_pack, tui_app
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import RichLog

from k8stui.game.models import Level
from k8stui.tui.app import make_app
from k8stui.tui.screens.confirm import ConfirmScreen
from k8stui.tui.screens.help import HelpScreen
from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.screens.select import SelectScreen
from k8stui.tui.screens.tour import TourScreen
from k8stui.tui.screens.viewer import ViewerScreen
from k8stui.tui.widgets.console_pane import ConsolePane
from k8stui.tui.widgets.editor_pane import EditorPane
from k8stui.tui.widgets.events_pane import EventsPane
from k8stui.tui.widgets.goals_pane import GoalsPane
from k8stui.tui.widgets.node_pane import NodeCard, NodesPane
from k8stui.tui.widgets.node_view import NodeView
from k8stui.tui.widgets.time_bar import TimeBar
from k8stui.tui.widgets.yaml_editor import YamlEditor

_SPEC = "spec:\n  containers:\n    - name: app\n      image: luksa/kubia\n"
LONG_NAME = "a-pod-name-that-is-far-too-long-for-any-console-" + "x" * 40


def _play(app) -> PlayScreen:
    assert isinstance(app.screen, PlayScreen)
    return app.screen


def _console_lines(play: PlayScreen) -> list[str]:
    return [strip.text for strip in play.query_one(ConsolePane).query_one(RichLog).lines]


def _goals(play: PlayScreen) -> str:
    return str(play.query_one(GoalsPane).query_one("#goals-text").render())


# -- 1. long output is readable -------------------------------------------------------------


async def test_zoom_shows_the_focused_pane_whole_and_escape_restores() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        console = play.query_one(ConsolePane)
        await pilot.press("f3", "ctrl+o")
        assert play.zoom.pane is console
        assert console.region.width == 80
        assert play.query_one(TimeBar).region.height == 1  # the clock stays in sight
        await pilot.press("escape")
        assert play.zoom.pane is None
        await pilot.press("f4", "z")  # the panes' own key, k9s/tmux style
        assert play.zoom.pane is play.query_one(NodesPane)
        await pilot.press("ctrl+o")
        assert play.zoom.pane is None


async def test_unzooming_the_editor_brings_every_pane_back() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        panes = [play.query_one(pane) for pane in (EditorPane, ConsolePane, NodesPane, GoalsPane)]
        before = [pane.region for pane in panes]
        await pilot.press("f2", "ctrl+o")
        assert play.query_one(EditorPane).region.width == 80
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert [pane.region for pane in panes] == before


async def test_error_lines_wrap_and_rewrap_when_zoomed() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f3", *f"kubectl get pod {LONG_NAME}", "enter")
        await pilot.pause()
        lines = _console_lines(play)
        message = f'Error from server (NotFound): pods "{LONG_NAME}" not found'
        # Wrapped: every piece of the echoed command and of the message is on screen, none
        # is cut off at the right.
        shown = "".join(line.rstrip() for line in lines).replace(" ", "")
        assert shown == f"$ kubectl get pod {LONG_NAME}{message}".replace(" ", "")
        narrow = len(lines)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert len(_console_lines(play)) < narrow  # laid out again at the zoomed width


async def test_a_warning_logged_before_the_output_is_shown_before_it() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f3", *"kubectl create deploy w --image=nginx --dry-run=true -o name")
        await pilot.press("enter")
        await pilot.pause()
        lines = [line.rstrip() for line in _console_lines(play)]
        at = lines.index("deployment.apps/w")
        # Written in that order by kubectl: the (wrapped) warning first, then the output.
        assert "--dry-run=true is deprecated" in " ".join(lines[:at])
        assert "deprecated" not in " ".join(lines[at:])


async def test_unzooming_the_console_lays_out_old_and_new_lines_at_its_width() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f3", *f"kubectl get pod {LONG_NAME}", "enter")
        await pilot.press(*"kubectl get nodes", "enter")
        await pilot.pause()
        before = _console_lines(play)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert _console_lines(play) != before  # the error re-wrapped at the zoomed width
        await pilot.press(*f"kubectl get pod {LONG_NAME}", "enter")  # a line new while zoomed
        await pilot.press("ctrl+o")
        await pilot.pause()
        lines = _console_lines(play)
        # The lines from before the zoom come back as they were; the new ones wrap at the
        # unzoomed width just like the same lines did before the zoom.
        assert lines[: len(before)] == before
        echo_and_error = before[: len(before) - len(_nodes_table(before))]
        assert lines[len(before) :] == echo_and_error


def _nodes_table(lines: list[str]) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith("$ kubectl get nodes"))
    return lines[start:]


async def test_the_clock_keeps_up_at_a_fast_speed() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f4", *["plus"] * 5, "space")
        assert play.speed == 32 and not play.paused
        await pilot.pause(0.3)
        # At a fast speed the bar paints a moment after the panes; it still shows the
        # running clock and speed.
        assert "▶ 32×" in str(play.query_one(TimeBar).render())


async def test_wide_tables_scroll_sideways_and_each_command_starts_at_the_left() -> None:
    app = tui_app(screen="play", level="node-down")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f5")
        play.run.advance(20)
        await pilot.press("f3", *"kubectl get pods -o wide --show-labels", "enter")
        await pilot.pause()
        console = play.query_one(ConsolePane)
        log = console.query_one(RichLog)
        assert log.virtual_size.width > log.scrollable_content_region.width
        assert "scroll sideways" in str(console.border_subtitle)
        await pilot.press("right", "right")
        assert log.scroll_x > 0
        await pilot.press(*"kubectl get nodes", "enter")
        await pilot.pause()
        assert log.scroll_x == 0


# -- 2. typing goes where it should ------------------------------------------------------------


async def test_typing_in_the_nodes_pane_goes_to_the_console() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f4")
        await pilot.press(*"kubectl run web --image=nginx")
        prompt = play.query_one(ConsolePane).prompt
        assert prompt.value == "kubectl run web --image=nginx"
        assert app.focused is prompt
        assert not app._notifications  # no "No pod selected." pop-ups
        assert play.run.history == []
        # Space in the prompt is text, not Pause; q is text, not Leave.
        assert play.paused and isinstance(app.screen, PlayScreen)


async def test_keys_typed_in_a_burst_with_a_pod_selected_all_reach_the_console() -> None:
    # tmux send-keys, a paste without bracketed paste, a fast typist: the keys are queued
    # before the first one moves the focus, and e/l/d/y are the selected pod's shortcuts.
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        play.execute("kubectl run web --image=nginx")
        await pilot.pause()
        assert play.query_one(NodesPane).selected == ("default", "web")
        await pilot.press("f4")
        line = "kubectl describe pod web"
        for char in line:
            app.post_message(events.Key("space" if char == " " else char, char))
        await pilot.pause()
        prompt = play.query_one(ConsolePane).prompt
        assert prompt.value == line
        assert isinstance(app.screen, PlayScreen)
        assert play.run.history == ["kubectl run web --image=nginx"]


async def test_keys_queued_behind_a_focus_key_reach_the_pane_it_focuses() -> None:
    # tmux send-keys or a fast typist: F3 (console) or F2 (editor) and the text after it are
    # queued together; the text belongs to the pane the function key moved to.
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        editor = play.query_one(YamlEditor)
        before = editor.text
        assert app.focused is editor
        for key, char in (("f3", None), *((c, c) for c in "kubectl")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        prompt = play.query_one(ConsolePane).prompt
        assert prompt.value == "kubectl"
        assert editor.text == before
        for key, char in (("f2", None), *((c, c) for c in "xy")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert prompt.value == "kubectl"
        assert "xy" in editor.text


async def test_focus_starts_in_the_console_without_files_and_the_editor_with_them(
    tmp_path: Path,
) -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.focused, YamlEditor)
    pack = test_pack()
    pack.levels = [Level.model_validate(dict(LEVELS[0], id="bare", files={}))]
    (tmp_path / "preferences.json").write_text('{"tour_done": true}', encoding="utf-8")
    bare = make_app(
        progress_path=tmp_path / "p.db", screen="play", level="bare", paused=True, packs=[pack]
    )
    async with bare.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(bare)
        assert bare.focused is play.query_one(ConsolePane).prompt
        assert not play.query_one(EditorPane).display
        await pilot.press(*"kubectl get pods", "enter")
        assert play.run.history == ["kubectl get pods"]


async def test_leaving_a_level_in_progress_asks_first() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "q")
        assert isinstance(app.screen, SelectScreen)  # nothing done yet: no question
        await pilot.press("enter", "enter")
        play = _play(app)
        await pilot.press("f3", *"kubectl get nodes", "enter", "escape", "q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is play
        await pilot.press("q", "y")
        assert isinstance(app.screen, SelectScreen)


# -- 3. the layout shows the game -----------------------------------------------------------------


async def test_every_node_is_visible_at_120x40() -> None:
    app = tui_app(screen="play", level="five-workers", wide=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        play.on_cluster_changed(None)
        await pilot.pause()
        pane = play.query_one(NodesPane).region
        cards = [c for c in play.query(NodeCard) if c.view]
        assert len(cards) == 5
        for card in cards:
            assert pane.contains_region(card.region), card.view.name
            assert card.region.height >= 5


async def test_a_narrow_node_card_keeps_its_health_mark_in_sight() -> None:
    # Four or more workers at 80x24: cards of CARD_WIDTH, too narrow for the three names.
    class CardApp(App[None]):
        CSS = "NodeCard { width: 22; height: 6; border: round green; }"

        def compose(self) -> ComposeResult:
            yield NodeCard()

    app = CardApp()
    async with app.run_test(size=(40, 8)) as pilot:
        card = app.query_one(NodeCard)
        health = (("kubelet", True), ("proxy", True), ("runtime", True))
        card.view = NodeView("worker-4", "Ready", False, False, health, (0, 1), (0, 1), ())
        await pilot.pause()
        assert str(card.render()).split("\n")[0].startswith("✓ kubelet")


async def test_80x24_editor_and_goals_are_usable() -> None:
    app = tui_app(screen="play", level="five-workers", wide=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        editor = play.query_one(YamlEditor)
        assert editor.region.height >= 5  # lines of YAML while the editor has focus
        await pilot.press("f4", "h")
        await pilot.pause()
        goals = play.query_one(GoalsPane)
        assert goals.region.height >= 8
        assert goals.scroll_y == goals.max_scroll_y  # the new hint is in sight
        assert "hint 1: Apply rc.yaml." in _goals(play)


# -- 4. notices do not cover the console -----------------------------------------------------------


async def test_wave_and_win_are_told_without_pop_ups() -> None:
    app = tui_app(screen="play", level="node-down")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f5", "f4", "w")
        await pilot.pause()
        assert not app._notifications
        assert any("Wave started: a worker crashes." in line for line in _console_lines(play))


# -- 7. goals follow every command, paused or not ----------------------------------------------------


async def test_goals_are_judged_after_a_command_while_paused() -> None:
    app = tui_app(screen="play", level="five-workers", wide=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        assert play.paused
        assert "✗ you listed the pods" in _goals(play)
        await pilot.press("f3", *"kubectl get pods", "enter")
        await pilot.pause()
        assert play.run.now == 0.0
        assert "✓ you listed the pods" in _goals(play)


# -- 8. one clock, held while reading or typing --------------------------------------------------------


async def test_clock_holds_under_help_and_while_typing() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f4", "space")
        assert not play.paused
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        before = play.run.now
        await pilot.pause(0.3)
        assert play.run.now == before
        await pilot.press("escape", "f3", "k")
        assert play.hold_reason() == "typing"
        before = play.run.now
        await pilot.pause(0.3)
        assert play.run.now == before
        await pilot.press("backspace")
        await pilot.pause(0.3)
        assert play.run.now > before


async def test_events_are_stamped_on_the_level_clock() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        play.run.cluster.advance(40)  # the cluster runs before the level starts ...
        play._start_ms = play.run.cluster.now_ms  # ... as a level's setup does
        await pilot.press("f5")
        play.run.advance(5)
        play.on_cluster_changed(None)
        await pilot.pause()
        lines = [strip.text for strip in play.query_one(EventsPane).lines]
        scheduled = next(line for line in lines if "Scheduled" in line)
        assert scheduled.lstrip().startswith("00:0")


# -- 9. the editor --------------------------------------------------------------------------------------


async def test_editor_tabs_switch_with_keys_and_f7_is_slower_everywhere() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        editor = play.query_one(EditorPane)
        await editor.open_file("second.yaml", "kind: Pod\n")
        assert editor.current_path == "second.yaml"
        await pilot.press("ctrl+pagedown")
        assert editor.current_path == "pod.yaml"
        await pilot.press("ctrl+pageup")
        assert editor.current_path == "second.yaml"
        await pilot.press("f8", "f8")
        assert play.speed == 4
        await pilot.press("f7")  # in the editor: the clock, not select-all
        assert play.speed == 2
        assert play.query_one(YamlEditor).selected_text == ""


async def test_enter_indents_yaml() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("ctrl+end", *"spec:", "enter", *"containers:", "enter", *"- name: a")
        await pilot.press("enter", *"image: b")
        text = play.query_one(YamlEditor).text
        assert text.endswith("spec:\n  containers:\n    - name: a\n      image: b")


async def test_ctrl_a_selects_the_whole_file_so_a_paste_replaces_it() -> None:
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        editor = _play(app).query_one(YamlEditor)
        await pilot.press("down", "down", "ctrl+a")
        app.post_message(events.Paste("kind: Pod\n"))  # as the terminal sends a paste
        await pilot.pause()
        assert editor.text == "kind: Pod\n"


async def test_a_typed_apply_uses_the_text_the_editor_shows() -> None:
    # The editor is the player's disk: `kubectl apply -f` typed in the console must not apply
    # an older saved copy of the file than the tab shows.
    app = tui_app(screen="play", level="write-a-manifest")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        editor = play.query_one(YamlEditor)
        editor.load_text(editor.text.replace("name: kubia", "name: edited") + _SPEC)
        await pilot.press("f4", *"kubectl apply -f pod.yaml", "enter")
        await pilot.pause()
        assert play.run.read_file("pod.yaml") == editor.text
        assert "pod/edited created" in _console_lines(play)


# -- beyond the findings ----------------------------------------------------------------------------------


async def test_tour_shows_once_on_the_first_level(tmp_path: Path) -> None:
    app = tui_app(tmp_path, screen="play", level="write-a-manifest", tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, TourScreen)
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, PlayScreen)
    again = tui_app(tmp_path, screen="play", level="write-a-manifest", tour=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert isinstance(again.screen, PlayScreen)


async def test_theme_is_remembered(tmp_path: Path) -> None:
    app = tui_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.theme = "textual-light"
        await pilot.pause()
    again = tui_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert again.theme == "textual-light"


async def test_clicking_a_pod_selects_it_and_d_describes_it() -> None:
    app = tui_app(screen="play", level="node-down")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = _play(app)
        await pilot.press("f5")
        play.run.advance(20)
        play.on_cluster_changed(None)
        await pilot.pause()
        card = next(c for c in play.query(NodeCard) if c.view and len(c.view.pods) == 1)
        header = 3  # health, cpu and memory lines of a wide card
        await pilot.click(card, offset=(3, 1 + header))
        nodes = play.query_one(NodesPane)
        assert nodes.selected == ("default", card.view.pods[0].name)
        assert app.focused is nodes
        await pilot.press("d")
        assert isinstance(app.screen, ViewerScreen)
