"""The play screen: the cluster's panes, the editor, the console, goals, events and the clock."""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, TextArea

from k8stui.console.session import wants_stdin
from k8stui.game.runner import CommandOutput
from k8stui.tui.collector import CollectionPacing
from k8stui.tui.goal_judge import GoalJudge
from k8stui.tui.keys import GLOBAL, POD_ACTIONS
from k8stui.tui.messages import ClusterChanged, RunCommand
from k8stui.tui.pane_turns import PaneTurns
from k8stui.tui.screens.confirm import ConfirmScreen
from k8stui.tui.screens.object_actions import ObjectActions
from k8stui.tui.screens.tour import TourScreen
from k8stui.tui.widgets.console_pane import ConsolePane, session_completer
from k8stui.tui.widgets.control_plane import ControlPlanePane
from k8stui.tui.widgets.editor_pane import EditorPane
from k8stui.tui.widgets.events_pane import EventsPane
from k8stui.tui.widgets.goals_pane import GoalsPane
from k8stui.tui.widgets.node_pane import NodesPane
from k8stui.tui.widgets.time_bar import SPEEDS, TimeBar, wave_text
from k8stui.tui.zoom import Zoom, pane_of

FPS = 30
# The most sim time one frame may cover: if frames come late, the sim slows instead of jumping.
MAX_STEP_SECONDS = 2.0
# Wall seconds the won play screen stays up before the result, so the last ✓ is seen.
WIN_PAUSE = 1.5
# Below this many rows the editor and the console share the space like an accordion.
SHORT_HEIGHT = 32
NARROW_WIDTH = 100
# From this clock speed the panes take turns: one draws per frame (k8stui.tui.pane_turns).
STAGGER_SPEED = 8
# The panes that take turns, in turn order: goals right after the cards they go with.
TURNS = ("nodes", "goals", "control", "events")
# Node cards a frame updates at most at a fast clock (~2 ms each to paint); others next frame.
CARDS_PER_FRAME = 4


class PlayScreen(ObjectActions):
    """Runs the level: the engine advances in bounded steps on a ~30 fps timer."""

    CSS_PATH = "play.tcss"
    BINDINGS = GLOBAL

    def __init__(self, run: Any, *, paused: bool = False) -> None:
        super().__init__()
        self.run = run
        self.paused, self.speed = paused, 1
        self._last_tick = time.monotonic()
        self._drawn: tuple[int, int, int] | None = None
        # Panes still to draw for the last change (TURNS); see STAGGER_SPEED.
        self._turns = PaneTurns(TURNS)
        self._judge = GoalJudge(run)
        self._hints: list[str] = []
        self._finished = False
        self._held: str | None = None
        self.zoom = Zoom(self, keep=(TimeBar, Footer))
        # Cluster time of the level's t=0: events and activity are shown on the level clock.
        self._start_ms = run.cluster.now_ms - round(run.now * 1000)
        # Editor tabs holding live objects: path -> kubectl edit target.
        self._edits: dict[str, str] = {}
        self.collector = CollectionPacing()

    def compose(self) -> ComposeResult:
        files = {path: self.run.read_file(path) for path in self.run.file_names()}
        with Horizontal(id="top"):
            yield ControlPlanePane(id="control-plane")
            yield NodesPane(id="nodes")
        yield Input(placeholder="filter pods", id="filter", compact=True)
        with Horizontal(id="bottom"):
            with Vertical(id="work"):
                yield EditorPane(files, id="editor")
                yield ConsolePane(session_completer(self.run.session), id="console")
            with Vertical(id="side"):
                yield GoalsPane(id="goals")
                yield EventsPane(id="events")
        yield TimeBar(id="time")
        yield Footer()

    def on_mount(self) -> None:
        levels = [level.id for level in self.game.levels]
        number = levels.index(self.run.level.id) + 1 if self.run.level.id in levels else None
        self.sub_title = f"{number}. {self.run.level.title}" if number else self.run.level.title
        self.query_one("#filter").display = False
        kinds = (NodesPane, GoalsPane, ControlPlanePane, EventsPane)
        self._turns.panes = {n: self.query_one(k) for n, k in zip(TURNS, kinds, strict=True)}
        self._turns.watched = [self.query_one(TimeBar)]
        self._turns.watched[0].panes_painted = self._turns.settled
        self.set_interval(1 / FPS, self._tick)
        # Typing should just work: into the editor on levels with files, else the console.
        if self.run.file_names():
            self.query_one(EditorPane).focus_current()
        else:
            # No files: the console takes the editor's room until a file is opened.
            self.query_one(EditorPane).display = False
            self.query_one("#work").add_class("-no-editor")
            self.query_one(ConsolePane).prompt.focus()
        self.post_message(ClusterChanged())
        if self.tour_wanted():
            self.call_after_refresh(self._start_tour)
        self.collector.start()  # full garbage collections out of the frames (tui/collector.py)

    def on_unmount(self) -> None:
        self.collector.stop()
        api = getattr(self, "_api", None)
        if api is not None:
            self.app.call_later(api.stop)

    async def action_serve_api(self) -> None:
        """Key k: serve the level's cluster to the player's own kubectl (docs/api.md). No port
        opens unless the player asks; API requests join the history ``command`` goals read."""
        from k8stui.server.game import GameApi
        from k8stui.server.kubeconfig import KubeconfigError

        api = getattr(self, "_api", None)
        if api is None:
            api = self._api = GameApi(self.run, self.run.history.append)
        try:
            hint = await api.start()
        except (OSError, KubeconfigError) as exc:
            self.query_one(ConsolePane).write_note(f"cannot serve the API: {exc}", warning=True)
            return
        self.query_one(ConsolePane).write_note(hint)

    def tour_wanted(self) -> bool:
        """The first-run tour shows on the first level, once per player."""
        levels = self.game.levels
        first = bool(levels) and levels[0].id == self.run.level.id
        return first and not self.game.preferences.tour_done

    def _start_tour(self) -> None:
        if self.alive:
            self.app.push_screen(TourScreen(), lambda _: self.game.remember(tour_done=True))

    async def on_key(self, event: events.Key) -> None:
        """A printable key that is no shortcut where it was pressed goes to the console.

        Text widgets (the prompt, the editor, the filter) take their own keys before this
        runs; the panes' letters act only while they are bound and enabled (d/y/l/e need a
        selected pod), so typing ``kubectl`` in the nodes pane starts a command line. Keys
        typed in a burst were queued for the pane before the focus moved: once the prompt
        has the focus, any printable key that still arrives here is text for it.
        """
        if not event.is_printable or not event.character or not self.alive:
            return
        prompt = self.query_one(ConsolePane).prompt
        if self.focused is not prompt and (
            isinstance(self.focused, (Input, TextArea)) or event.key in self.app.active_bindings
        ):
            return
        event.stop()
        event.prevent_default()
        self.set_focus(prompt)  # now: Widget.focus would wait for the queued keys
        prompt.insert_text_at_cursor(event.character)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_HEIGHT, "-short")
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_editor_pane_opened(self, _: EditorPane.Opened) -> None:
        self.query_one("#work").remove_class("-no-editor")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # In short terminals the console grows while it has focus (see play.tcss).
        console = self.query_one(ConsolePane)
        in_console = event.widget is console or console in event.widget.ancestors
        self.query_one("#work").set_class(in_console, "-console-mode")

    @property
    def alive(self) -> bool:
        """Still on the screen stack: keys and messages queued before the player left must not
        touch the widgets being torn down."""
        return self.is_attached and self in self.app.screen_stack

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.alive:
            return False
        if action in POD_ACTIONS:
            return self.query_one(NodesPane).selected is not None
        return True

    # -- the frame loop ---------------------------------------------------------------------
    def hold_reason(self) -> str | None:
        """Why the sim clock stands still right now, or None while it runs.

        Besides a pause: a screen over this one (help, a viewer, a question), a console line
        being typed, or editor changes not yet applied while the editor has focus. Time a
        player spends typing or reading is not simulated time, so par does not count it.
        """
        if self.paused:
            return "paused"
        if self._finished:
            return "done"
        if self.app.screen is not self:
            return "waiting"
        if self.query_one(ConsolePane).prompt.value.strip():
            return "typing"
        editor = self.query_one(EditorPane)
        path = editor.current_path
        if (
            path is not None
            and editor.has_focus_within
            and editor.is_unsaved(path, self.run.read_file)
        ):
            return "editing"
        return None

    def _tick(self) -> None:
        now = time.monotonic()
        dt, self._last_tick = now - self._last_tick, now
        held = self.hold_reason()
        if held != self._held:
            self._held = held
            self._show_clock()
        self.collector.frame(held)
        if held is not None:
            if self._turns.stale or self._judge.pending is not None:
                self.post_message(ClusterChanged())  # drawing held back before the pause
            return
        # Time moves through the run so goals sample and wave faults fire on their grid.
        self.run.advance(min(dt * self.speed, MAX_STEP_SECONDS))
        self.post_message(ClusterChanged())

    def on_cluster_changed(self, _: ClusterChanged) -> None:
        """Redraw the panes whose inputs changed; panes skip work when theirs did not. From
        :data:`STAGGER_SPEED` up they take turns, one pane per frame (tui/pane_turns.py).
        """
        if not self.alive:
            return
        cluster = self.run.cluster
        # Faults change machines, not the store: the activity count catches those.
        state = (cluster.revision, cluster.ctx.activity.total, cluster.now_ms)
        if state != self._drawn:
            if self._drawn is None or state[:2] != self._drawn[:2]:
                self._turns.stale |= {"nodes", "control", "events"}
            self._drawn = state
            self._judge.due = True
        if not self._fast:
            stale = self._turns.take_all()
            for name in ("nodes", "control", "events"):
                if name in stale:
                    self._draw(name)
            # Verdicts judged at a fast clock may be older than the cards: judge them again.
            self._check_goals(force=self._judge.pending is not None)
        else:
            if "nodes" not in self._turns.stale:
                self._judge.judge(force=False)  # the cards are up to date
            if self._judge.pending is not None and not self._turns.panes["nodes"].behind:
                self._turns.stale.add("goals")
            self._turns.play(self._draw)
        self._show_clock()

    def _draw(self, name: str) -> None:
        cluster = self.run.cluster
        panes = self._turns.panes
        if name == "nodes":
            # Goals go with the cards so a ✓ never shows before the pods: judged before the
            # cards update, shown once none is older than the verdict.
            if not panes[name].behind:
                self._judge.judge(force=False)
            panes[name].show(cluster, limit=CARDS_PER_FRAME if self._fast else None)
            if panes[name].behind:
                self._turns.again(name)
        elif name == "control":
            panes[name].show(cluster, self._start_ms)
        elif name == "events":
            if not panes[name].show(cluster, throttle=self._fast, start_ms=self._start_ms):
                self._turns.stale.add(name)
        else:
            self._show_goals()

    @property
    def _fast(self) -> bool:
        """The clock runs at :data:`STAGGER_SPEED` or more: frames draw less per pane."""
        return self.speed >= STAGGER_SPEED and not self.paused

    def _check_goals(self, *, force: bool) -> None:
        self._judge.judge(force=force)
        self._show_goals()

    def _show_goals(self) -> None:
        goals = self._judge.pending
        if goals is None:
            return
        # Held back (an explanation-only change at a fast clock): pending for the next turn.
        if self.query_one(GoalsPane).show(goals, self._hints, throttle=self._fast):
            self._judge.pending = None
        if self.run.won and not self._finished:
            self._finish()
        elif self.run.level.chaos is not None and not self._finished and self.run.chaos_over():
            self._finish(over=True)

    def _show_clock(self) -> None:
        self.query_one(TimeBar).show(
            self.run.now,
            self.speed,
            self._held,
            wave_text(self.run),
            self._next_event(),
            alone=self._fast,
        )

    def _next_event(self) -> float | None:
        """Run-relative time of the engine's next scheduled work."""
        at = self.run.cluster.next_event_time()
        return None if at is None else self.run.now + at - self.run.cluster.now

    def _finish(self, *, over: bool = False) -> None:
        """The level is won (or a chaos run is over): show the last verdict, then the result."""
        self._finished = True
        # Said in the goals pane and the console, not in a toast that would cover the console
        # and stay on over the result screen.
        if over:
            self.query_one(GoalsPane).retitle("Goals: the app went down ✗")
            self.query_one(ConsolePane).write_note("The app went down: the run is over.")
        else:
            self.query_one(GoalsPane).retitle("Goals: all met ✓")
            self.query_one(ConsolePane).write_note("All goals met: level complete.")
        self.set_timer(WIN_PAUSE, lambda: self.game.show_result(self.run))

    # -- commands through the session --------------------------------------------------------
    def execute(self, line: str, *, echo: bool = True) -> CommandOutput:
        """Run one command line through the run's session (the only way the UI changes the
        cluster); the run counts it for par and 'command used' goals."""
        result = self.run.run_command(line)
        console = self.query_one(ConsolePane)
        if echo:
            console.write_command(line)
            console.write_output(result.stdout, result.stderr, result.chunks)
        # A command may change what goals see without touching the store (docker build,
        # "you ran ..."): judge them again now, paused or not.
        self._check_goals(force=True)
        self.post_message(ClusterChanged())
        return result

    async def on_run_command(self, message: RunCommand) -> None:
        if not self.alive:
            return
        # The editor is the player's disk: a typed command sees the text the tabs show.
        self.query_one(EditorPane).save_changed(self.run.read_file, self.run.write_file)
        if wants_stdin(message.line) and message.line.split()[1:2] == ["edit"]:
            # kubectl edit without --from-file: the editor is this game's $EDITOR.
            await self.edit_object(message.line.split(None, 2)[2])
            return
        self.execute(message.line, echo=message.echo)

    def on_editor_pane_apply_requested(self, message: EditorPane.ApplyRequested) -> None:
        if not self.alive:
            return
        self.run.write_file(message.path, message.text)
        target = self._edits.get(message.path)
        if target is None:
            result = self.execute(f"kubectl apply -f {message.path}")
        else:
            result = self.execute(f"kubectl edit {target} --from-file {message.path}")
        text = (result.stdout or result.stderr).strip().split("\n")
        self.query_one(EditorPane).show_result(text[-1] if text else "", result.exit_code == 0)

    def on_editor_pane_new_file_requested(self, _: EditorPane.NewFileRequested) -> None:
        self.action_new_file()

    # -- actions -----------------------------------------------------------------------------
    def action_apply(self) -> None:
        """Apply the file in the editor."""
        self.query_one(EditorPane).request_apply()

    def action_toggle_pause(self) -> None:
        """Pause or resume the clock."""
        self._last_tick = time.monotonic()
        self._set_clock(not self.paused, self.speed)

    def action_faster(self) -> None:
        """Double the speed (up to 32×)."""
        self._set_clock(self.paused, SPEEDS[min(len(SPEEDS) - 1, SPEEDS.index(self.speed) + 1)])

    def action_slower(self) -> None:
        """Halve the speed (down to 1×)."""
        self._set_clock(self.paused, SPEEDS[max(0, SPEEDS.index(self.speed) - 1)])

    def _set_clock(self, paused: bool, speed: int) -> None:
        """Show the new clock. The goals unfold their explanations when it stops or slows (the
        player reads them then), and fold them when it speeds up: in this key, not a frame."""
        fast = self._fast
        self.paused, self.speed = paused, speed
        self._show_clock()
        if self._fast != fast and not self._finished:
            self._check_goals(force=True)

    def action_step(self) -> None:
        """Advance one sim second."""
        self.run.advance(1.0)
        self.post_message(ClusterChanged())

    def action_next_event(self) -> None:
        """Fast-forward to the engine's next scheduled work."""
        at = self._next_event()
        if at is not None:
            self.run.advance(max(0.001, at - self.run.now))
        self.post_message(ClusterChanged())

    def action_start_wave(self) -> None:
        """Start the next wave of faults."""
        name = self.run.start_wave()
        console = self.query_one(ConsolePane)
        if name is None:
            console.write_note("No wave to start now.", warning=True)
        else:
            console.write_note(f"Wave started: {name}.", warning=True)
        self.post_message(ClusterChanged())

    def action_hint(self) -> None:
        """Reveal the next hint tier."""
        tier = len(self._hints) + 1
        if tier > len(self.run.level.hints):
            self.query_one(ConsolePane).write_note("No more hints.", warning=True)
            return
        self._hints.append(self.run.hint(tier))
        self._check_goals(force=True)
        goals = self.query_one(GoalsPane)
        goals.call_after_refresh(goals.scroll_end, animate=False)

    # set_focus, not Widget.focus: focus() waits, so keys queued behind F2/F3 hit the old pane.
    def action_command(self) -> None:
        """Focus the console prompt."""
        self.set_focus(self.query_one(ConsolePane).prompt)

    def action_focus_editor(self) -> None:
        """Focus the editor of the current file."""
        self.set_focus(self.query_one(EditorPane).current_editor())

    def action_focus_nodes(self) -> None:
        """Focus the node panes (where d/y/l/e act); Esc in a zoomed pane unzooms first."""
        if self.zoom.pane is not None:
            self.zoom.restore()
            return
        self.query_one("#filter").display = False
        self.query_one(NodesPane).focus()

    def action_filter(self) -> None:
        """Show the pod filter."""
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.query_one(NodesPane).filter = event.value
            self._drawn = None
            self.post_message(ClusterChanged())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.action_focus_nodes()

    async def demo_warmup(self, seconds: float) -> None:
        """Apply the open file, list the pods and let ``seconds`` of sim time pass (for
        screenshots: the picture shows a cluster at work, not an empty one)."""
        self.action_apply()
        await self.app.workers.wait_for_complete()
        self.run.advance(seconds)
        self.execute("kubectl get pods")
        self.on_cluster_changed(ClusterChanged())

    def action_leave(self) -> None:
        """Back to the level list, after asking when the run is in progress."""
        if self.run.commands == 0 and not self.run.waves:
            self.app.pop_screen()
            return

        def answered(leave: bool | None) -> None:
            if leave and self.alive:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen("This run is in progress; leaving ends it. Leave the level?"), answered
        )

    def action_zoom(self) -> None:
        """Zoom the focused pane to the full screen, or back (the time bar stays)."""
        kinds = (ConsolePane, EditorPane, NodesPane, GoalsPane, EventsPane)
        self.zoom.toggle(pane_of(self.focused, [self.query_one(kind) for kind in kinds]))

    def action_next_file(self) -> None:
        """Show the next file tab."""
        self.query_one(EditorPane).switch_file(1)

    def action_prev_file(self) -> None:
        """Show the previous file tab."""
        self.query_one(EditorPane).switch_file(-1)
