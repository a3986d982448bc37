"""The play screen: the cluster's panes, the editor, the console, goals, events and the clock."""

from __future__ import annotations

import gc
import time
from typing import Any

import yaml
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input

from k8stui.console.session import wants_stdin
from k8stui.game.runner import CommandOutput
from k8stui.kubectl.output import to_yaml
from k8stui.tui.messages import ClusterChanged, RunCommand
from k8stui.tui.screens.base import GameScreen
from k8stui.tui.screens.template_picker import TemplatePicker
from k8stui.tui.screens.viewer import ViewerScreen
from k8stui.tui.templates import TEMPLATES, unique_name
from k8stui.tui.widgets.console_pane import ConsolePane
from k8stui.tui.widgets.control_plane import ControlPlanePane
from k8stui.tui.widgets.editor_pane import EditorPane
from k8stui.tui.widgets.events_pane import EventsPane
from k8stui.tui.widgets.goals_pane import GoalsPane
from k8stui.tui.widgets.node_pane import NodesPane
from k8stui.tui.widgets.time_bar import SPEEDS, TimeBar

FPS = 30
# The most sim time one frame may cover: if frames come late, the sim slows instead of jumping.
MAX_STEP_SECONDS = 2.0
# Goals are re-evaluated at least this often in sim seconds (some depend on elapsed time).
GOAL_PERIOD = 1.0
# Wall seconds the won play screen stays up before the result, so the last ✓ is seen.
WIN_PAUSE = 1.5
# Below this many rows the editor and the console share the space like an accordion.
SHORT_HEIGHT = 32
NARROW_WIDTH = 100
# From this clock speed the node cards and the text panes are redrawn on alternate frames.
STAGGER_SPEED = 8
_EDIT_DROP = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")


def _b(key: str, action: str, text: str, tip: str, bid: str, show: bool = False) -> Binding:
    return Binding(key, action, text, show=show, id=f"play.{bid}", tooltip=tip)


class PlayScreen(GameScreen[None]):
    """Runs the level: the engine advances in bounded steps on a ~30 fps timer."""

    CSS_PATH = "play.tcss"
    BINDINGS = [
        _b("f5", "apply", "Apply", "kubectl apply -f the file in the editor", "apply", True),
        _b("space", "toggle_pause", "Pause", "Pause or resume the sim clock", "pause", True),
        _b("f6", "toggle_pause", "Pause", "Pause or resume (works while typing)", "pause_f6"),
        _b(
            "plus,equals_sign,f8",
            "faster",
            "Faster",
            "Double the clock speed (up to 32×)",
            "faster",
            True,
        ),
        _b("minus,f7", "slower", "Slower", "Halve the clock speed", "slower"),
        _b("full_stop,f9", "step", "Step", "Advance the paused clock by one second", "step"),
        _b("n,f10", "next_event", "Next event", "Fast-forward to the next scheduled event", "next"),
        _b("w", "start_wave", "Wave", "Start the level's wave of faults", "wave", True),
        _b("h", "hint", "Hint", "Show the next hint tier", "hint", True),
        _b("colon", "command", "Command", "Type a command in the console", "command", True),
        _b("slash", "filter", "Filter", "Filter the pods by name or status", "filter"),
        _b("d", "describe", "Describe", "kubectl describe the selected pod", "describe"),
        _b("y", "yaml", "YAML", "Show the selected pod's YAML", "yaml"),
        _b("l", "logs", "Logs", "Show the selected pod's logs", "logs"),
        _b("e", "edit", "Edit", "Edit the selected pod in the editor", "edit"),
        _b("ctrl+n", "new_file", "New file", "New manifest from a template", "new"),
        _b("f2", "focus_editor", "Editor", "Focus the editor", "editor"),
        _b("f3", "command", "Console", "Focus the console", "console"),
        _b("f4,escape", "focus_nodes", "Nodes", "Focus the node panes (k9s keys)", "nodes"),
        _b("q", "leave", "Levels", "Back to the level list", "leave"),
    ]

    def __init__(self, run: Any, *, paused: bool = False) -> None:
        super().__init__()
        self.run = run
        self.paused = paused
        self.speed = 1
        self._last_tick = time.monotonic()
        self._drawn: tuple[int, int, int] | None = None
        # Pane groups still to draw for the last change ("nodes", "text"); see STAGGER_SPEED.
        self._stale: set[str] = set()
        self._turn = False
        self._goals_due = False
        # The goals pane held back an explanation-only change: show the goals again soon.
        self._goals_held = False
        self._goals_at = -GOAL_PERIOD
        self._goal_revision = -1
        self._hints: list[str] = []
        self._finished = False
        # Editor tabs holding live objects: path -> kubectl edit target.
        self._edits: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        files = {path: self.run.read_file(path) for path in self.run.file_names()}
        with Horizontal(id="top"):
            yield ControlPlanePane(id="control-plane")
            yield NodesPane(id="nodes")
        yield Input(placeholder="filter pods", id="filter", compact=True)
        with Horizontal(id="bottom"):
            with Vertical(id="work"):
                yield EditorPane(files, id="editor")
                yield ConsolePane(self._complete, id="console")
            with Vertical(id="side"):
                yield GoalsPane(id="goals")
                yield EventsPane(id="events")
        yield TimeBar(id="time")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.run.level.title
        self.query_one("#filter").display = False
        self.set_interval(1 / FPS, self._tick)
        self.query_one(NodesPane).focus()
        self.post_message(ClusterChanged())
        # A full garbage collection walks every tracked object: Textual's widgets and styles,
        # the level's models and the engine make that 40-100 ms, a visible hitch at 32×.
        # Freezing what exists now leaves later collections only the objects made during
        # play; unfreezing on unmount lets this screen's cycles be collected again.
        gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_HEIGHT, "-short")
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

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
        return self.alive

    # -- the frame loop ---------------------------------------------------------------------
    def _tick(self) -> None:
        now = time.monotonic()
        dt, self._last_tick = now - self._last_tick, now
        if self.paused or self._finished:
            if self._stale or self._goals_held:
                self.post_message(ClusterChanged())  # drawing held back before the pause
            return
        # Time moves through the run so goals sample and wave faults fire on their grid.
        self.run.advance(min(dt * self.speed, MAX_STEP_SECONDS))
        self.post_message(ClusterChanged())

    def on_cluster_changed(self, _: ClusterChanged) -> None:
        """Redraw the panes whose inputs changed; panes skip work when theirs did not.

        From :data:`STAGGER_SPEED` up the cluster changes on nearly every frame, and drawing
        the node cards and the text panes in the same frame can overrun it; they then take
        turns, so each is drawn at 15 fps and no frame pays for both.
        """
        if not self.alive:
            return
        cluster = self.run.cluster
        # Faults change machines, not the store: the activity count catches those.
        state = (cluster.revision, cluster.ctx.activity.total, cluster.now_ms)
        if state != self._drawn:
            if self._drawn is None or state[:2] != self._drawn[:2]:
                self._stale = {"nodes", "text"}
            self._drawn = state
            self._goals_due = True
        groups = set(self._stale)
        if len(groups) > 1 and self._fast:
            self._turn = not self._turn
            groups = {"nodes" if self._turn else "text"}
        if "nodes" in groups:
            self.query_one(NodesPane).show(cluster)
        held: set[str] = set()
        if "text" in groups:
            self.query_one(ControlPlanePane).show(cluster)
            if not self.query_one(EventsPane).show(cluster, throttle=self._fast):
                held.add("text")
        self._stale = (self._stale - groups) | held
        if (self._goals_due or self._goals_held) and "nodes" not in self._stale:
            # Goals go with the node cards so a ✓ never shows before the pods behind it.
            self._goals_due = False
            self._check_goals(force=False)
        self._show_clock()

    @property
    def _fast(self) -> bool:
        """The clock runs at :data:`STAGGER_SPEED` or more: frames draw less per pane."""
        return self.speed >= STAGGER_SPEED and not self.paused

    def _check_goals(self, *, force: bool) -> None:
        cluster = self.run.cluster
        stale = (
            self._goals_held
            or cluster.revision != self._goal_revision
            or cluster.now - self._goals_at >= GOAL_PERIOD
        )
        if force or stale:
            self._goals_at, self._goal_revision = cluster.now, cluster.revision
            goals = self.query_one(GoalsPane)
            self._goals_held = not goals.show(self.run.goals(), self._hints, throttle=self._fast)
            if self.run.won and not self._finished:
                self._finish()

    def _show_clock(self) -> None:
        self.query_one(TimeBar).show(
            self.run.now, self.speed, self.paused, self._wave_text(), self._next_event()
        )

    def _wave_text(self) -> str:
        wave = self.run.current_wave()
        if wave is not None and not wave.finished(self.run.cluster.now_ms):
            return f"[b $error]wave {wave.index + 1} running[/]"
        if self.run.waves_left():
            return "[b]w[/] start wave"
        return "waves done" if self.run.level.waves else "no wave"

    def _next_event(self) -> float | None:
        """Run-relative time of the engine's next scheduled work."""
        at = self.run.cluster.next_event_time()
        return None if at is None else self.run.now + at - self.run.cluster.now

    def _finish(self) -> None:
        """The level is won: let the player see the ✓ for a moment, then show the result."""
        self._finished = True
        self.notify("All goals met!", title="Level complete", timeout=3)
        self.set_timer(WIN_PAUSE, lambda: self.game.show_result(self.run))

    # -- commands through the session --------------------------------------------------------
    def _complete(self, line: str) -> list[str]:
        """Whole-line candidates from the console's completer (which completes the last word)."""
        from k8stui.console.completion import complete

        if self.run.session is None:
            return []
        partial = "" if not line or line[-1].isspace() else line.split()[-1]
        head = line[: len(line) - len(partial)]
        return [head + word for word in complete(self.run.session, line)]

    def execute(self, line: str, *, echo: bool = True) -> CommandOutput:
        """Run one command line through the run's session (the only way the UI changes the
        cluster); the run counts it for par and 'command used' goals."""
        result = self.run.run_command(line)
        console = self.query_one(ConsolePane)
        if echo:
            console.write_command(line)
            console.write_output(result.stdout, result.stderr)
        self.post_message(ClusterChanged())
        return result

    async def on_run_command(self, message: RunCommand) -> None:
        if not self.alive:
            return
        if wants_stdin(message.line) and message.line.split()[1:2] == ["edit"]:
            # kubectl edit without --from-file: the editor is this game's $EDITOR.
            await self.edit_object(message.line.split(None, 2)[2])
            return
        self.execute(message.line, echo=message.echo)

    async def edit_object(self, target: str) -> None:
        """Open a live object (``"pod kubia"``, ``"rc/kubia -n x"``) in an editor tab; applying
        that tab runs ``kubectl edit TARGET --from-file TAB``."""
        console = self.query_one(ConsolePane)
        console.write_command(f"kubectl edit {target}")
        result = self.run.run_command(f"kubectl get {target} -o yaml")
        if result.exit_code != 0:
            console.write_output("", result.stderr)
            return
        path = "edit/" + "-".join(target.replace("/", "-").split()) + ".yaml"
        self._edits[path] = target
        console.write_output(f"editing {target} in {path}: F5 saves it to the cluster\n", "")
        await self.open_live_object(path, result.stdout)

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
        self.paused = not self.paused
        self._last_tick = time.monotonic()
        self._show_clock()

    def action_faster(self) -> None:
        """Double the speed (up to 32×)."""
        self._change_speed(1)

    def action_slower(self) -> None:
        """Halve the speed (down to 1×)."""
        self._change_speed(-1)

    def _change_speed(self, delta: int) -> None:
        index = SPEEDS.index(self.speed) + delta
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, index))]
        self._show_clock()

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
        if name is None:
            self.notify("No wave to start now.", severity="warning")
        else:
            self.notify(name, title="Wave started", severity="warning")
        self.post_message(ClusterChanged())

    def action_hint(self) -> None:
        """Reveal the next hint tier."""
        tier = len(self._hints) + 1
        if tier > len(self.run.level.hints):
            self.notify("No more hints.", severity="warning")
            return
        self._hints.append(self.run.hint(tier))
        self._check_goals(force=True)

    def action_command(self) -> None:
        """Focus the console prompt."""
        self.query_one(ConsolePane).prompt.focus()

    def action_focus_editor(self) -> None:
        """Focus the editor of the current file."""
        self.query_one(EditorPane).focus_current()

    def action_focus_nodes(self) -> None:
        """Focus the node panes (where d/y/l/e act)."""
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

    def action_new_file(self) -> None:
        """Pick a template and open it in a new tab."""

        async def opened(choice: str | None) -> None:
            if choice is None:
                return
            wanted, text = TEMPLATES[choice]
            editor = self.query_one(EditorPane)
            await editor.open_file(unique_name(wanted, set(editor.paths)), text)

        self.app.push_screen(TemplatePicker(), opened)

    def _pod_command(self, template: str) -> tuple[str, CommandOutput] | None:
        selected = self.query_one(NodesPane).selected
        if selected is None:
            self.notify("No pod selected.", severity="warning")
            return None
        namespace, name = selected
        line = template.format(name=name, ns=namespace)
        return f"{name}", self.execute(line, echo=False)

    def _view(self, template: str, title: str) -> None:
        found = self._pod_command(template)
        if found:
            name, result = found
            body = result.stdout or result.stderr
            self.app.push_screen(ViewerScreen(f"{title} {name}", body, error=result.exit_code != 0))

    def action_describe(self) -> None:
        """Describe the selected pod."""
        self._view("kubectl describe pod {name} -n {ns}", "describe")

    def action_yaml(self) -> None:
        """Show the selected pod as YAML."""
        self._view("kubectl get pod {name} -n {ns} -o yaml", "yaml")

    def action_logs(self) -> None:
        """Show the selected pod's logs."""
        self._view("kubectl logs {name} -n {ns}", "logs")

    async def action_edit(self) -> None:
        """Open the selected pod in the editor, as ``kubectl edit`` would."""
        selected = self.query_one(NodesPane).selected
        if selected is None:
            self.notify("No pod selected.", severity="warning")
            return
        namespace, name = selected
        await self.edit_object(f"pod {name} -n {namespace}")

    async def open_live_object(self, path: str, text: str) -> None:
        """Open a live object's YAML for editing, minus the fields the server owns."""
        obj = yaml.safe_load(text)
        if isinstance(obj, dict):
            obj.pop("status", None)
            meta = obj.get("metadata") or {}
            for key in _EDIT_DROP:
                meta.pop(key, None)
            text = to_yaml(obj)
        await self.query_one(EditorPane).open_file(path, text)

    async def demo_warmup(self, seconds: float) -> None:
        """Apply the open file, list the pods and let ``seconds`` of sim time pass (for
        screenshots: the picture shows a cluster at work, not an empty one)."""
        self.action_apply()
        await self.app.workers.wait_for_complete()
        self.run.advance(seconds)
        self.execute("kubectl get pods")
        self.on_cluster_changed(ClusterChanged())

    def action_leave(self) -> None:
        """Back to the level list."""
        self.app.pop_screen()
