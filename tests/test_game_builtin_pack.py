"""The built-in curriculum: every concept taught, README in step, every level proved."""

from __future__ import annotations

import re

from k8stui.game import locations
from k8stui.game.models import CONCEPTS
from k8stui.game.pack import builtin_pack
from k8stui.game.proving import check_pack


def test_every_concept_has_a_level() -> None:
    taught = {c for level in builtin_pack().levels for c in level.concepts}
    assert sorted(set(CONCEPTS) - taught) == []


def test_readme_table_matches_the_levels() -> None:
    pack = builtin_pack()
    readme = (locations.builtin_pack_dir() / "README.md").read_text()
    table = dict(re.findall(r"^\| (C\d+) \| ([^|]+) \|$", readme, re.MULTILINE))
    for concept in CONCEPTS:
        expected = [lvl.id for lvl in pack.levels if concept in lvl.concepts]
        assert table[concept].strip().split(", ") == expected, concept


def test_at_least_thirty_six_levels_with_three_hints() -> None:
    levels = builtin_pack().levels
    assert len(levels) >= 36
    assert all(len(level.hints) == 3 and level.solution.steps for level in levels)


def test_builtin_pack_is_proved() -> None:
    # How long the proof takes is measured by benchmarks/packs.py, not asserted here.
    report = check_pack(locations.builtin_pack_dir())
    assert report.ok, report.render()


def test_authoring_guide_example_is_a_valid_level() -> None:
    from k8stui.game.models import Level
    from k8stui.game.pack import parse_model

    guide = (locations.builtin_pack_dir().parent / "docs" / "authoring.md").read_text()
    match = re.search(r"## A complete level, annotated\n\n```yaml\n(.*?)```", guide, re.S)
    assert match is not None
    level, _located, issues = parse_model(Level, match.group(1), "example.yaml")
    assert level is not None, [str(i) for i in issues]
