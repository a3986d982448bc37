"""Random level documents never crash the loader: they load or give clean, located issues."""

from __future__ import annotations

import struct
import tempfile
import zipfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from k8stui.game.models import Level
from k8stui.game.pack import load_pack, parse_model
from k8stui.game.pack_source import PackError
from tests import hostile_packs

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


# --- issue 19: broken zips and hostile regular expressions -------------------------------------

ZIP_DIR = Path(tempfile.mkdtemp(prefix="k8stui-zip-fuzz-"))


def _valid_zip(method: int) -> bytes:
    target = ZIP_DIR / f"valid-{method}.zip"
    hostile_packs.zip_pack(target, method)
    return target.read_bytes()


VALID_ZIPS = [_valid_zip(zipfile.ZIP_STORED), _valid_zip(zipfile.ZIP_DEFLATED)]


@st.composite
def broken_zips(draw: st.DrawFn) -> bytes:
    """A valid pack zip with bytes overwritten, a tail cut off, or header fields rewritten."""
    data = bytearray(draw(st.sampled_from(VALID_ZIPS)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["byte", "field", "cut"]))
        if kind == "cut":
            del data[draw(st.integers(0, len(data) - 1)) :]
            if not data:
                break
        elif kind == "byte":
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        else:
            # Header fields: flags, method, sizes, name length (local and central headers).
            signature = draw(st.sampled_from([b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"]))
            at = data.find(signature)
            if at != -1 and at + 30 <= len(data):
                offset = draw(st.sampled_from([6, 8, 10, 14, 18, 22, 26, 28]))
                value = draw(st.sampled_from([0, 1, 8, 12, 14, 99, 0xFFFF]))
                struct.pack_into("<H", data, at + offset, value)
    return bytes(data)


@given(broken_zips())
def test_broken_zips_give_clean_errors(data: bytes) -> None:
    target = ZIP_DIR / "broken.zip"
    target.write_bytes(data)
    try:
        pack = load_pack(target)
    except PackError as exc:
        assert exc.issues and all(issue.message for issue in exc.issues)
        assert not any("Traceback" in str(issue) for issue in exc.issues)
    else:
        assert pack.levels


REGEX_PIECES = st.sampled_from(
    [
        *"ab.*+?|()[]{}^$\\-,0123456789",
        *("(?=", "(?!", "(?<=", "(?<!", "(?P<n>", "(?P=n)", r"\1", r"\d", r"\b", r"\Z", r"\pL"),
        *("{1000}", "(.|..|...)*"),
    ]
)
hostile_regexes = st.lists(REGEX_PIECES, max_size=30).map("".join)


@given(hostile_regexes, st.text(max_size=80))
def test_hostile_regexes_load_cleanly_and_match_in_bounded_time(pattern: str, line: str) -> None:
    doc = yaml.safe_load(VALID)
    doc["limits"] = {"forbid": [{"regex": pattern}]}
    doc["goals"].append({"type": "command", "regex": pattern})
    level, _located, issues = parse_model(Level, yaml.safe_dump(doc), "fuzz.yaml")
    if level is None:
        assert issues and all("regex" in issue.message for issue in issues), issues
        assert all(issue.line > 0 for issue in issues)
        return
    rule = level.limits.forbid[0]
    assert rule.blocks(line + "Z" * 3) in (True, False)
    assert rule.blocks("a" * 2000) in (True, False)
