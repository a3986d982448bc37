"""The chaos level in the game: survive the stream, then see the score and the high scores."""

from __future__ import annotations

import json
from pathlib import Path

from k8stui.game.headless import reference_answer
from k8stui.tui.app import make_app
from k8stui.tui.messages import ClusterChanged
from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.screens.result import ResultScreen
from tests.test_tui_support import ready


async def test_surviving_five_minutes_records_a_high_score(tmp_path: Path) -> None:
    (tmp_path / "preferences.json").write_text('{"tour_done": true}', encoding="utf-8")
    app = make_app(
        progress_path=tmp_path / "progress.db", screen="play", level="survive", paused=True
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        run = play.run
        answer = reference_answer(app.pack_of("survive"), run.level)
        for path, text in answer.files.items():
            run.write_file(path, text)
        play.execute("kubectl apply -f kubia.yaml")
        run.advance(60)
        assert run.start_wave() is not None
        # Five minutes of chaos and then some: the reference setup rides it out for a while.
        while not run.won and run.now < 2400:
            run.advance(30)
            play.post_message(ClusterChanged())
            await pilot.pause()
        await pilot.pause(2.5)
        assert isinstance(app.screen, ResultScreen)
        text = app.screen.query_one("Markdown").source
        assert "### Survival:" in text and "Rank **1** in the high scores" in text
    table = json.loads((tmp_path / "highscores.json").read_text())
    [(key, entries)] = table["scores"].items()
    assert key == "k8stui-basics/survive/91"
    assert entries[0]["survived_s"] >= 300
