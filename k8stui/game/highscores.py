"""Local high scores of chaos levels, per pack, level and seed, in ``highscores.json``.

The file sits in the user data folder beside the progress database. Writes are atomic
(a temporary file renamed over the old one); a file that cannot be read is kept aside as
``highscores.json.unreadable`` and the table starts empty, so it never stops the game.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FILE_NAME = "highscores.json"
KEEP = 10
"""Entries kept per pack, level and seed."""


class Entry(BaseModel):
    """One finished chaos run."""

    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=10**9)
    survived_s: float = Field(ge=0, le=10**7, allow_inf_nan=False)
    availability: float = Field(ge=0, le=100, allow_inf_nan=False)
    player: str = Field("", max_length=40)


class Table(BaseModel):
    """Entries by ``pack/level/seed``, best first."""

    model_config = ConfigDict(extra="forbid")

    format: int = 1
    scores: dict[str, list[Entry]] = Field(default_factory=dict)


def board_key(pack: str, level: str, seed: int) -> str:
    """The key a run's scores are filed under."""
    return f"{pack}/{level}/{seed}"


class HighScores:
    """The table on disk at ``path``; :attr:`notice` says what went wrong, if anything."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice = ""
        self.table = self._load()

    def _load(self) -> Table:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Table()
        except (OSError, UnicodeDecodeError) as exc:
            self.notice = f"{self.path}: {getattr(exc, 'strerror', None) or exc}"
            return Table()
        try:
            return Table.model_validate(json.loads(raw))
        except (ValueError, ValidationError, RecursionError):
            aside = self.path.with_name(self.path.name + ".unreadable")
            try:
                os.replace(self.path, aside)
                self.notice = f"{self.path} could not be read; kept as {aside.name}"
            except OSError:
                self.notice = f"{self.path} could not be read"
            return Table()

    def top(self, key: str) -> list[Entry]:
        """The best entries for ``key``, best first."""
        return list(self.table.scores.get(key, []))

    def record(self, key: str, entry: Entry) -> int | None:
        """Add a run; its rank (1 = best) when it made the table, else None."""
        if not math.isfinite(entry.survived_s):
            return None
        board = sorted([*self.top(key), entry], key=lambda e: (-e.score, -e.survived_s))
        kept = board[:KEEP]
        self.table.scores[key] = kept
        self._save()
        return kept.index(entry) + 1 if entry in kept else None

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(dir=self.path.parent, prefix=".highscores-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(self.table.model_dump_json(indent=1))
            os.replace(scratch, self.path)
        except OSError as exc:
            self.notice = f"high scores not saved: {exc.strerror or exc}"
