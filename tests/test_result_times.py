"""Sim times on the result screen and in the missed-par text read as the clock does: whole
seconds, cut down (the clock shows 04:05 at 245.821s)."""

from __future__ import annotations

from types import SimpleNamespace

from k8stui.game.models import Par
from k8stui.game.scoring import score_run, time_text
from k8stui.tui.screens.result import result_markdown


def _run(time: float) -> SimpleNamespace:
    return SimpleNamespace(
        time=time, commands=1, hints=0, availability=None, solution_shown=False, won=True
    )


def test_result_and_missed_par_show_the_same_whole_seconds() -> None:
    par = Par(time=120, commands=3)
    result = _run(245.821)
    result.score = score_run(result, par)
    result.goals = []
    level = SimpleNamespace(title="T", par=par, solution=SimpleNamespace(steps=[]))
    text = result_markdown(level, result, {})
    assert "**time** 245s (par 120s)" in text
    assert "Missed par: time 245s over par 120s" in text
    assert "245.821" not in text and "246" not in text


def test_less_than_a_second_over_par_says_so() -> None:
    score = score_run(_run(245.4), Par(time=245, commands=3))
    assert score.missed == ["time less than a second over par 245s"]
    assert score.stars == 2  # the verdict still counts the par as missed


def test_time_text_matches_the_clock() -> None:
    assert (time_text(0.9), time_text(59.999), time_text(3600.5)) == ("0s", "59s", "3600s")
