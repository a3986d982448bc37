"""``pack check --jobs``: levels proved in worker processes give the serial report, in order."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from k8stui.game.pack import builtin_pack
from k8stui.game.proving import LevelProof, check_pack, default_jobs

PACKS = Path(__file__).parent / "fixtures" / "packs"


def without_timing(proofs: list[LevelProof]) -> list[dict[str, object]]:
    return [{**dataclasses.asdict(p), "seconds": None} for p in proofs]


def mixed_pack(tmp_path: Path) -> Path:
    """Built-in levels (one with a wave, troubleshooting ones) and a level that is won at the
    start, in one pack, so a failure sits between proved levels."""
    folder = tmp_path / "mixed"
    source = Path(builtin_pack().source.origin)
    folder.mkdir()
    chosen = ["01-first-pod.yaml", "36-no-endpoints.yaml", "38-crash-loop.yaml"]
    for name in [*chosen, "41-missing-key.yaml"]:
        shutil.copy(source / name, folder / name)
    shutil.copy(PACKS / "won-at-start" / "tiny.yaml", folder / "tiny.yaml")
    levels = [chosen[0], "tiny.yaml", *chosen[1:], "41-missing-key.yaml"]
    (folder / "pack.yaml").write_text(
        "format: 1\nid: mixed\ntitle: Mixed\nversion: '1'\nauthor: t\nlevels:\n"
        + "".join(f"  - {name}\n" for name in levels)
    )
    return folder


def test_parallel_proofs_equal_the_serial_ones_in_order(tmp_path: Path) -> None:
    folder = mixed_pack(tmp_path)
    serial = check_pack(folder, jobs=1)
    parallel = check_pack(folder, jobs=3)
    assert [p.level_id for p in parallel.proofs] == [
        "first-pod", "tiny", "no-endpoints", "crash-loop", "missing-key",
    ]  # fmt: skip
    assert without_timing(parallel.proofs) == without_timing(serial.proofs)
    assert [p.ok for p in serial.proofs] == [True, False, True, True, True]
    assert str(serial.proofs[1].problems[0]).endswith("the level is already won at the start")


def test_default_jobs_is_at_least_one() -> None:
    assert default_jobs() >= 1
