"""The wheel ships the package and the built-in level pack."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("k8stui-*.whl")
    return built


def test_wheel_contains_the_engine_and_the_levels_folder(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "k8stui/engine/cluster.py" in names
    level_files = [n for n in names if n.startswith("k8stui/levels/")]
    shipped = {p.relative_to(REPO).as_posix() for p in (REPO / "levels").rglob("*") if p.is_file()}
    assert {n.removeprefix("k8stui/") for n in level_files} == shipped
    assert any(n.endswith("entry_points.txt") for n in names)


def test_version_flag_prints_the_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "k8stui", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("k8stui ")
