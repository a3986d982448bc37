"""The Textual application and its one factory, :func:`make_app`, used by the CLI and tests."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from textual import work
from textual.app import App
from textual.binding import Binding

from k8stui.tui.preferences import FILE_NAME, PreferenceFile, Preferences

ScreenName = Literal["select", "briefing", "play", "result", "help"]
# Sim seconds the "result" start screen may run the reference solution for.
SOLVE_LIMIT = 900.0


class K8sTuiApp(App[None]):
    """k8stui: screens are pushed by the methods below; screens call them through ``self.app``."""

    CSS_PATH = "k8stui.tcss"
    TITLE = "k8stui"
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="List every active key"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit k8stui", priority=True),
    ]

    def __init__(
        self,
        *,
        progress_path: Path | None,
        level: str | None,
        start_screen: ScreenName,
        paused: bool,
        packs: list[Any] | None,
        extra_packs: list[Path] | None = None,
        exam: Any = None,
    ) -> None:
        super().__init__()
        # An ExamPlan (k8stui.game.exam_cli) when started by `k8stui exam`.
        self.exam_plan = exam
        self.exam_grade: Any = None
        self.progress_path = progress_path
        self.start_level_id = level
        self.start_screen = start_screen
        self.start_paused = paused
        self._injected_packs = packs
        self._extra_packs = list(extra_packs or [])
        # Filled in by _game_loaded, after the first frame: loading packs imports the engine
        # and the pydantic models, which would otherwise double the start-up time.
        self.packs: list[Any] = []
        self.progress: Any = None
        # One line per pack that could not be offered (broken or a duplicate), for the list.
        self.broken_packs: list[str] = []
        # Preferences sit beside the progress database, so tests with a scratch database
        # never read or write the player's real ones.
        from k8stui.game.locations import progress_db_path

        folder = (progress_path or progress_db_path()).parent
        self._preferences = PreferenceFile(folder / FILE_NAME)
        if self._preferences.current.theme in self.available_themes:
            self.theme = self._preferences.current.theme

    @property
    def preferences(self) -> Preferences:
        """The player's remembered UI preferences."""
        return self._preferences.current

    def remember(self, **changes: object) -> None:
        """Change and save preferences (``theme=...``, ``tour_done=True``)."""
        self._preferences.update(**changes)

    def watch_theme(self, theme: str) -> None:
        # A theme picked from the command palette is kept for the next start.
        if self.is_running and theme != self._preferences.current.theme:
            self.remember(theme=theme)

    def level_number(self, level_id: str) -> int:
        """A level's 1-based position in the list (what the level list shows)."""
        return [level.id for level in self.levels].index(level_id) + 1

    @property
    def levels(self) -> list[Any]:
        """Every level of every pack, in play order."""
        return [level for pack in self.packs for level in pack.levels]

    def level_info(self, level_id: str) -> Any:
        """A level by id."""
        return next(level for level in self.levels if level.id == level_id)

    def new_run(self, level_id: str) -> Any:
        """A fresh :class:`~k8stui.game.runner.LevelRun` of a level (an attempt is counted)."""
        from k8stui.game.pack import Pack
        from k8stui.game.runner import LevelRun

        pack = self.pack_of(level_id)
        try:
            self.progress.start_attempt(pack.id, level_id)
        except (OSError, sqlite3.Error) as err:
            self.notify(f"Progress could not be saved: {err}", severity="error")
        # Packs handed in by tests are bare lists of levels with inline files.
        return LevelRun(self.level_info(level_id), pack if isinstance(pack, Pack) else None)

    def pack_of(self, level_id: str) -> Any:
        """The pack holding a level."""
        return next(p for p in self.packs if any(lvl.id == level_id for lvl in p.levels))

    def stars(self, level_id: str) -> int:
        """Best stars won on a level."""
        record = self.progress.get(self.pack_of(level_id).id, level_id)
        return record.best_stars if record else 0

    def won(self, level_id: str) -> bool:
        """Whether a level was ever won (with or without help)."""
        record = self.progress.get(self.pack_of(level_id).id, level_id)
        return bool(record and record.status != "started")

    def continue_level(self) -> str | None:
        """The first level not yet won after the last one played (or the first level)."""
        ids = [level.id for level in self.levels]
        if not ids:
            return None
        records = sorted(self.progress.all(), key=lambda r: r.updated)
        last = next((r.level for r in reversed(records) if r.level in ids), None)
        start = ids.index(last) if last in ids else 0
        for level_id in ids[start:] + ids[:start]:
            if not self.won(level_id):
                return level_id
        return ids[min(len(ids) - 1, start + 1)]

    def on_mount(self) -> None:
        from k8stui.tui.screens.select import SelectScreen

        self.push_screen(SelectScreen())
        if self._injected_packs is not None:
            self.call_after_refresh(lambda: self._game_loaded(*self._load_game()))
        else:
            # After the first frame, so the import work does not delay it.
            self.call_after_refresh(self._load_game_in_background)

    @work(thread=True, exclusive=True, group="load")
    def _load_game_in_background(self) -> None:
        self.call_from_thread(self._game_loaded, *self._load_game())

    def _load_game(self) -> tuple[list[Any], list[str]]:
        """Packs and the errors of packs that failed to load (imports the game modules)."""
        from k8stui.game import progress  # noqa: F401  # imported here, off the UI thread
        from k8stui.game.pack import available_packs

        if self._injected_packs is not None:
            return self._injected_packs, []
        listings = available_packs(self._extra_packs)
        packs = [listing.pack for listing in listings if listing.pack is not None]
        return packs, [item.problem() for item in listings if item.error]

    def _game_loaded(self, packs: list[Any], errors: list[str]) -> None:
        from k8stui.game.progress import ProgressStore
        from k8stui.tui.screens.select import SelectScreen

        # SQLite connections belong to the thread that opens them: this one, the UI's.
        # Opening never stops the game: damage, another schema, a lock held elsewhere or a
        # read-only folder each end in a notice (see k8stui.game.progress_file).
        progress = ProgressStore(self.progress_path, busy_in_memory=True)
        self.packs, self.progress, self.broken_packs = packs, progress, errors
        if progress.notice:
            self.notify(f"Saved progress: {progress.notice}.", severity="warning", timeout=8)
        if errors:
            self.notify(
                errors[0]
                if len(errors) == 1
                else f"{len(errors)} packs could not be loaded: see the end of the level list",
                title="A level pack could not be loaded",
                severity="error",
                timeout=10,
            )
        if isinstance(self.screen, SelectScreen):
            self.screen.refresh_levels()
        level = self.start_level_id or self.continue_level()
        known = [entry.id for entry in self.levels]
        if level is not None and level not in known:
            self.notify(f"No level {level!r} (levels: {', '.join(known)}).", severity="error")
            return
        if self.exam_plan is not None:
            self.start_exam(self.exam_plan)
            return
        if self.start_screen == "select" or level is None:
            return
        if self.start_screen == "briefing":
            self.open_briefing(level)
        elif self.start_screen in ("play", "help"):
            self.start_level(level)
            if self.start_screen == "help":
                self.call_after_refresh(self.action_help)
        elif self.start_screen == "result":
            self.show_result(self.solved_run(level))

    # -- navigation (called by screens) ------------------------------------------------------
    def open_briefing(self, level_id: str) -> None:
        """Show a level's briefing."""
        from k8stui.tui.screens.briefing import BriefingScreen

        self.push_screen(BriefingScreen(self.level_info(level_id)))

    def start_exam(self, plan: Any) -> None:
        """Start a timed exam (``k8stui exam``) over the level list."""
        from k8stui.game.exam import Exam
        from k8stui.tui.screens.exam import ExamScreen

        self.push_screen(ExamScreen(Exam(plan.pack, plan.exam, minutes=plan.minutes)))

    def record_exam(self, grade: Any) -> None:
        """Save a graded exam with the progress (a failure to save is said, never fatal)."""
        import time

        from k8stui.game.progress_exams import record_of

        self.exam_grade = grade
        try:
            self.progress.record_exam(record_of(grade, time.time()))
        except (OSError, sqlite3.Error) as err:
            self.notify(f"The exam result could not be saved: {err}", severity="error")

    def start_level(self, level_id: str) -> None:
        """Start a fresh run of a level (replacing a briefing if one is showing)."""
        from k8stui.tui.screens.briefing import BriefingScreen
        from k8stui.tui.screens.play import PlayScreen

        if isinstance(self.screen, BriefingScreen):
            self.pop_screen()
        self.push_screen(PlayScreen(self.new_run(level_id), paused=self.start_paused))

    def show_result(self, run: Any) -> None:
        """Record the run's result and show it in place of the play screen."""
        from k8stui.tui.screens.play import PlayScreen
        from k8stui.tui.screens.result import ResultScreen

        result = run.result()
        chaos = self._record_chaos(run)
        files = {path: run.read_file(path) for path in run.file_names()}
        try:
            self.progress.record_result(self.pack_of(run.level.id).id, run.level.id, result, files)
        except (OSError, sqlite3.Error) as err:
            self.notify(f"Progress could not be saved: {err}", severity="error")
        # Close the play screen of this run and anything opened over it (help, a viewer).
        play = next(
            (s for s in self.screen_stack if isinstance(s, PlayScreen) and s.run is run), None
        )
        while play is not None and play in self.screen_stack:
            self.pop_screen()
        self.push_screen(ResultScreen(run.level, result, run.solution_files(), chaos))

    def _record_chaos(self, run: Any) -> Any:
        """A chaos run's score joins the local high scores; returns what the result shows."""
        scored = run.chaos_score()
        if scored is None:
            return None
        from k8stui.game.highscores import FILE_NAME, Entry, HighScores, board_key
        from k8stui.game.locations import progress_db_path

        points, survived, answered = scored
        table = HighScores((self.progress_path or progress_db_path()).parent / FILE_NAME)
        key = board_key(self.pack_of(run.level.id).id, run.level.id, run.chaos_seed)
        entry = Entry(score=points, survived_s=survived, availability=answered)
        rank = table.record(key, entry)
        if table.notice:
            self.notify(table.notice, severity="warning")
        return ChaosOutcome(entry, rank, table.top(key), run.chaos_seed)

    def after_result(self, level_id: str, what: str) -> None:
        """Leave the result screen: next level, retry, or the list."""
        self.pop_screen()
        ids = [level.id for level in self.levels]
        if what == "retry":
            self.start_level(level_id)
        elif what == "next" and ids.index(level_id) + 1 < len(ids):
            self.open_briefing(ids[ids.index(level_id) + 1])

    def solved_run(self, level_id: str) -> Any:
        """A run played with the level's reference solution (for screenshots and tests)."""
        run = self.new_run(level_id)
        for path, text in run.solution_files().items():
            run.write_file(path, text)
        for step in run.level.solution.steps:
            run.apply_step(step)
        while not run.won and run.now < SOLVE_LIMIT:
            run.advance(10)
        return run

    def action_command_palette(self) -> None:
        """Show the command palette (ours guards PageUp/PageDown; see k8stui.tui.palette)."""
        from textual.command import CommandPalette

        from k8stui.tui.palette import SafeCommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    # -- help --------------------------------------------------------------------------------
    def action_help(self) -> None:
        """List the keys active where the player is."""
        from k8stui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        rows: dict[str, tuple[list[str], str, str]] = {}
        for key, active in self.active_bindings.items():
            binding = active.binding
            keys, _, _ = rows.setdefault(
                binding.id or key, ([], binding.description, binding.tooltip)
            )
            keys.append(self.get_key_display(binding))
        table = [(", ".join(keys), text, tip) for keys, text, tip in rows.values()]
        self.push_screen(HelpScreen(self.screen.sub_title or self.screen.title or "k8stui", table))


@dataclass(frozen=True)
class ChaosOutcome:
    """What the result screen shows of a chaos run: the run, its rank and the table."""

    entry: Any
    rank: int | None
    top: list[Any]
    seed: int


def make_app(
    *,
    progress_path: Path | None = None,
    level: str | None = None,
    screen: ScreenName = "select",
    paused: bool = False,
    packs: list[Any] | None = None,
    extra_packs: list[Path] | None = None,
    exam: Any = None,
) -> K8sTuiApp:
    """Build the app (the CLI's and every test's way in).

    ``screen`` and ``level`` open the game further in (screenshots); ``paused`` starts the sim
    clock paused; ``packs`` replaces the installed packs (tests); ``extra_packs`` adds pack
    folders or zips after the built-in and user ones (``k8stui play --pack``); ``progress_path`` replaces
    the player's progress database (tests; ``K8STUI_DATA_DIR`` moves all user data); ``exam``
    (an ExamPlan) opens a timed exam instead of the level list (``k8stui exam``).
    """
    return K8sTuiApp(
        progress_path=progress_path,
        level=level,
        start_screen=screen,
        paused=paused,
        packs=packs,
        extra_packs=extra_packs,
        exam=exam,
    )
