"""The play screen's panes take turns at a fast clock (k8stui.tui.pane_turns): one pane draws
per frame, the next once the last one's change is painted; goals still follow the cards."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from test_tui_support import ready, tui_app

from k8stui.tui.pane_turns import MAX_WAIT, PaneTurns
from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.widgets.goals_pane import GoalsPane, GoalsText
from k8stui.tui.widgets.node_pane import NodeCard, NodesPane


@dataclass
class FakePane:
    """A pane as PaneTurns sees one."""

    painted: bool = True
    is_on_screen: bool = True


@asynccontextmanager
async def five_workers(size: tuple[int, int]) -> AsyncIterator[tuple[Any, PlayScreen]]:
    """The play screen of the five-worker level, ready, with its pilot."""
    app = tui_app(screen="play", level="five-workers", wide=True)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        yield pilot, play


def turns_with(*names: str) -> tuple[PaneTurns, dict[str, FakePane]]:
    turns = PaneTurns(names)
    panes = {name: FakePane() for name in names}
    turns.panes = dict(panes)
    return turns, panes


def test_one_changed_pane_draws_per_frame_in_turn() -> None:
    turns, panes = turns_with("a", "b", "c")
    drawn: list[str] = []

    def draw(name: str) -> None:
        drawn.append(name)
        panes[name].painted = False

    turns.stale = {"a", "b", "c"}
    turns.play(draw)
    assert drawn == ["a"]
    panes["a"].painted = True  # the paint came
    turns.play(draw)
    assert drawn == ["a", "b"]
    turns.stale.add("a")
    panes["b"].painted = True
    turns.play(draw)
    assert drawn == ["a", "b", "c"]  # c waited longer than a


def test_a_pane_with_nothing_new_passes_the_turn_on_in_the_same_frame() -> None:
    turns, panes = turns_with("a", "b")
    drawn: list[str] = []

    def draw(name: str) -> None:
        drawn.append(name)
        if name == "b":
            panes[name].painted = False

    turns.stale = {"a", "b"}
    turns.play(draw)
    assert drawn == ["a", "b"]


def test_the_next_pane_waits_for_the_paint_but_not_forever() -> None:
    turns, panes = turns_with("a", "b")
    drawn: list[str] = []

    def draw(name: str) -> None:
        drawn.append(name)
        panes[name].painted = False

    turns.stale = {"a", "b"}
    turns.play(draw)
    for _ in range(MAX_WAIT):
        turns.play(draw)
        assert drawn == ["a"]
    turns.play(draw)  # a's paint never came (a pane hidden from the screen): b draws anyway
    assert drawn == ["a", "b"]
    # A pane out of sight counts as painted.
    panes["b"].is_on_screen = False
    turns.stale.add("a")
    turns.play(draw)
    assert drawn == ["a", "b", "a"]


def test_a_pane_with_more_to_draw_keeps_the_turn() -> None:
    turns, panes = turns_with("a", "b")
    drawn: list[str] = []

    def draw(name: str) -> None:
        drawn.append(name)
        panes[name].painted = False

    turns.stale = {"a", "b"}
    turns.play(draw)
    turns.again("a")
    panes["a"].painted = True
    turns.play(draw)
    assert drawn == ["a", "a"]
    assert turns.take_all() == {"b"}


async def test_node_cards_update_a_few_per_call_with_a_limit() -> None:
    async with five_workers((120, 40)) as (_pilot, play):
        nodes = play.query_one(NodesPane)
        cards = list(play.query(NodeCard).results())
        assert len(cards) == 5
        # Every worker changes: five cards to update, two per call, the longest waiting first.
        for card in cards:
            assert card.view is not None
            card.view = None
        nodes.show(play.run.cluster, limit=2)
        assert sum(card.view is not None for card in cards) == 2
        assert nodes.behind
        nodes.show(play.run.cluster, limit=2)
        nodes.show(play.run.cluster, limit=2)
        assert all(card.view is not None for card in cards)
        assert not nodes.behind
        assert len(nodes.pods) == sum(len(card.view.pods) for card in cards if card.view)


def _pods_shown(play: PlayScreen) -> str:
    return "\n".join(str(card.render()) for card in play.query(NodeCard).results())


async def test_at_32x_a_goal_tick_follows_the_cards_promptly() -> None:
    async with five_workers((120, 40)) as (pilot, play):
        play.execute("kubectl apply -f rc.yaml")
        play.speed, play.paused = 32, False
        play.action_focus_nodes()
        goals = play.query_one(GoalsPane)
        met_at = shown_at = None
        deadline = time.monotonic() + 20
        while shown_at is None and time.monotonic() < deadline:
            await pilot.pause(0.01)
            if met_at is None and play.run.goals()[0].passed:
                met_at = time.monotonic()
            if goals.border_title and goals.border_title.startswith("Goals 1/"):
                shown_at = time.monotonic()
                # The ✓ never shows before the Running pods behind it.
                assert _pods_shown(play).count("Running") >= 3
        assert met_at is not None and shown_at is not None
        assert shown_at - met_at < 0.5


async def test_the_clock_keys_fold_and_unfold_the_explanations_at_once() -> None:
    async with five_workers((80, 24)) as (pilot, play):
        play.action_focus_nodes()
        for _ in range(5):
            play.action_faster()  # paused: the explanations stay whole
        await pilot.pause()
        text = play.query_one(GoalsText)
        full = play.run.goals()[0].explanation
        assert "…" not in str(text.render())
        assert " ".join(str(text.render()).split()).count(full) == 1
        play.action_toggle_pause()  # running at 32x: folded in this key, not a later frame
        assert "…" in str(text.render())
        play.action_toggle_pause()  # paused again: whole again, to be read
        assert "…" not in str(text.render())
        assert " ".join(str(text.render()).split()).count(full) == 1
