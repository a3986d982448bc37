"""Every concept key the pack format accepts is explained wherever the game shows one."""

from __future__ import annotations

from k8stui.game.models import CONCEPTS
from k8stui.game.pack import builtin_pack
from k8stui.tui.concepts import CONCEPT_NAMES, concept_names, concept_text
from k8stui.tui.screens.briefing import briefing_markdown


def test_every_key_has_a_name() -> None:
    assert set(CONCEPT_NAMES) == set(CONCEPTS)
    assert all(concept_text(key) == f"{key} {CONCEPT_NAMES[key]}" for key in CONCEPTS)


def test_the_level_list_and_briefings_never_show_a_bare_key() -> None:
    for level in builtin_pack().levels:
        listed = concept_names(level.concepts)
        assert not any(part in CONCEPTS for part in listed.split(", ")), level.id
        line = next(x for x in briefing_markdown(level).splitlines() if x.startswith("**Concepts"))
        for key in level.concepts:
            assert f"{key} {CONCEPT_NAMES[key]}" in line, level.id
