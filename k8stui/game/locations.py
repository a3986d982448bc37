"""Where k8stui keeps things on disk: the built-in pack, user packs, and the progress database.

One function answers each question so nothing else guesses paths. Tests and sandboxes point
everything at a scratch folder with the ``K8STUI_DATA_DIR`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "k8stui"
DATA_DIR_ENV = "K8STUI_DATA_DIR"


def builtin_pack_dir() -> Path:
    """The built-in level pack.

    In a source checkout or editable install the repository's ``levels/`` folder is used, so a
    level author sees their edits at once; an installed wheel carries the same folder as
    ``k8stui/levels`` (see ``force-include`` in pyproject.toml).
    """
    package_dir = Path(__file__).resolve().parent.parent
    in_wheel = package_dir / "levels"
    if (in_wheel / "pack.yaml").is_file():
        return in_wheel
    return package_dir.parent / "levels"


def user_data_dir() -> Path:
    """The per-user data folder (progress, user packs); ``$K8STUI_DATA_DIR`` overrides it."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_packs_dir() -> Path:
    """Folder where a player drops extra packs (folders or ``.zip`` files)."""
    return user_data_dir() / "packs"


def progress_db_path() -> Path:
    """The SQLite progress database."""
    return user_data_dir() / "progress.db"
