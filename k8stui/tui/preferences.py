"""The player's UI preferences (theme, whether the first-run tour was seen), kept on disk.

They live in ``preferences.json`` beside the progress database (the user data folder, or
``K8STUI_DATA_DIR``). Writes are atomic; a file that cannot be read is moved aside and the
defaults are used, so a broken file never stops the game.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

FILE_NAME = "preferences.json"


class Preferences(BaseModel):
    """What the app remembers between runs."""

    model_config = ConfigDict(extra="ignore")

    theme: str | None = None
    tour_done: bool = False


class PreferenceFile:
    """Loads and saves :class:`Preferences` at ``path``; :attr:`notice` says what went wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice = ""
        self.current = self._load()

    def _load(self) -> Preferences:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Preferences()
        except OSError as exc:
            self.notice = f"{self.path}: {exc.strerror or exc}"
            return Preferences()
        try:
            return Preferences.model_validate(json.loads(raw))
        except (ValueError, ValidationError):
            aside = self.path.with_name(self.path.name + ".unreadable")
            try:
                os.replace(self.path, aside)
                self.notice = f"{self.path} could not be read; kept as {aside.name}"
            except OSError:
                self.notice = f"{self.path} could not be read"
            return Preferences()

    def update(self, **changes: object) -> Preferences:
        """Change some preferences and write the file (errors only set :attr:`notice`)."""
        self.current = self.current.model_copy(update=changes)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(dir=self.path.parent, prefix=".prefs-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(self.current.model_dump_json(indent=2) + "\n")
            os.replace(scratch, self.path)
        except OSError as exc:
            self.notice = f"preferences not saved: {exc.strerror or exc}"
        return self.current
