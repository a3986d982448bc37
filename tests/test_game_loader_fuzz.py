"""Random level documents never crash the loader: they load or give clean, located issues."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from k8stui.game.models import Level
from k8stui.game.pack import parse_model

VALID = (Path(__file__).parent / "fixtures" / "packs" / "valid" / "tiny.yaml").read_text()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = ["format", "id", "title", "goals", "waves", "setup", "hints", "solution", "par", "files"]


@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8))
def test_random_documents_give_clean_errors(doc: dict[str, object]) -> None:
    text = yaml.safe_dump(doc)
    level, _located, issues = parse_model(Level, text, "fuzz.yaml")
    assert level is not None or issues
    for issue in issues:
        assert issue.file == "fuzz.yaml" and issue.line >= 0 and issue.message


@given(st.text(max_size=300))
def test_random_text_gives_clean_errors(text: str) -> None:
    level, _located, issues = parse_model(Level, text, "fuzz.yaml")
    assert level is None and issues


@given(st.sampled_from(FIELDS), values)
def test_one_field_replaced_in_a_valid_level(field: str, value: object) -> None:
    doc = yaml.safe_load(VALID)
    doc[field] = value
    level, _located, issues = parse_model(Level, yaml.safe_dump(doc), "fuzz.yaml")
    assert (level is None) == bool(issues)
