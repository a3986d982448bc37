"""Issue 19, game side: hostile packs are refused quickly with located messages, and never
stop the game (items 3, 7, 14, 15). Each test carries the issue's exact reproduction."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from k8stui.game.cli_check import run as run_check
from k8stui.game.goal_history import CommandCheck, EventCheck
from k8stui.game.models import CommandRule
from k8stui.game.pack import available_packs, builtin_pack, load_pack
from k8stui.game.pack_source import PackError
from k8stui.game.patterns import PatternError, compile_pattern
from k8stui.game.proving import check_pack
from tests import hostile_packs as hp
from tests.resource_guard import assert_bounded, measure, measure_many

PYTHON_INTERNALS = re.compile(r"pydantic\.dev|<unicode string>|set_int_max_str_digits|Traceback")


def issues_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(path)
    return [str(issue) for issue in caught.value.issues]


# --- item 3: regular expressions from packs ---------------------------------------------------


def test_redos_forbid_regex_does_not_hang_check(tmp_path: Path) -> None:
    """`limits.forbid: [{regex: '^(.|..|...)*Z'}]` then `k8stui check` with a 38-character
    command line: RE2 answers in linear time, and the rule still means what it says."""
    pack = hp.folder(tmp_path, "redos", tiny=hp.with_limits(hp.REDOS))
    line = "kubectl get pods -l app=kubia -o  wide"
    assert len(line) == 38  # the issue's command line length
    commands = tmp_path / "commands.txt"
    commands.write_text(line + "\n")
    usage = measure(
        f"args = argparse.Namespace(target=Path({str(pack)!r}), level=None, solution=None, "
        f"commands=Path({str(commands)!r}), json=False, format=None)\n"
        "result = cli_check.run(args, io.StringIO(), io.StringIO())",
        setup="import argparse, io\nfrom pathlib import Path\nfrom k8stui.game import cli_check",
    )
    assert_bounded(usage, seconds=5.0)  # a whole level is played; the hang was unbounded
    assert usage.result == 1  # played to the end (not won: the answer does nothing useful)
    rule = CommandRule(regex=hp.REDOS)
    assert not rule.blocks(line) and rule.blocks("kubectl get Z")


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(a)\1", r"invalid escape sequence: \1 (backreferences are not supported: "),
        ("(?=kubectl)", "invalid perl operator: (?= (lookahead is not supported: "),
        ("(?<!x)kubectl", "invalid perl operator: (?<! (lookbehind is not supported: "),
        ("(?P<v>a)(?P=v)", "invalid perl operator: (?P (backreferences are not supported: "),
        (r"kubectl\Z", r"invalid escape sequence: \Z (\Z is not supported, use \z: "),
        ("a{1001}", "invalid repetition size: {1001}"),
        (r"\pL{1000}", "pattern too large - compile failed"),
        ("(", "missing ): ("),
    ],
)
def test_patterns_re2_refuses_are_located_at_pack_check(
    tmp_path: Path, pattern: str, why: str
) -> None:
    pack = hp.folder(tmp_path, "bad-regex", tiny=hp.with_limits(pattern.replace("'", "''")))
    assert issues_of(pack) == [
        "tiny.yaml:21:13: limits.forbid[0].regex: invalid regular expression (RE2 syntax): "
        + why
        + ("k8stui matches pack patterns with RE2, in linear time)" if why.endswith(": ") else "")
    ]


def test_every_pack_regex_goes_through_re2(tmp_path: Path) -> None:
    """Command goals, event messages and `where: matches` refuse what RE2 refuses, located."""
    goals = (
        "goals:\n"
        "  - {type: command, regex: '(?=x)'}\n"
        "  - {type: event, reason: BackOff, message: '(a)\\1'}\n"
        "  - type: object\n"
        "    kind: Pod\n"
        "    where: [{path: metadata.name, op: matches, value: '(?!y)'}]\n"
    )
    tiny = hp.TINY.replace(hp.TINY[hp.TINY.index("goals:") : hp.TINY.index("hints:")], goals)
    found = issues_of(hp.folder(tmp_path, "goals", tiny=tiny))
    assert [f.split(": ", 1)[1].split(":")[0] for f in found] == [
        "goals[0].regex",
        "goals[1].message",
        "goals[2].where[0].value",
    ], found
    assert all("RE2 syntax" in f for f in found)


def test_linear_time_on_long_texts() -> None:
    usage = measure(
        "from k8stui.game.patterns import search\n"
        "result = [search(p, 'a' * 100_000) for p in "
        "['^(.|..|...)*Z', '(a+)+$x', '(x+x+)+y', '^(a|aa)*b']]"
    )
    assert_bounded(usage)
    assert usage.result == [False, False, False, False]


def test_builtin_pack_regexes_keep_their_meaning() -> None:
    pack = builtin_pack()
    checks = [
        goal
        for level in pack.levels
        for goal in level.goals
        if isinstance(goal, CommandCheck) and goal.regex
    ]
    assert checks, "the built-in pack uses command regexes"
    get_pods = next(c for c in checks if "get" in str(c.regex))
    assert get_pods._matches("kubectl get pods -o wide")
    assert get_pods._matches("kubectl   get po")
    assert not get_pods._matches("kubectl get podsecuritypolicies")
    assert not get_pods._matches("echo kubectl get pods")
    event = EventCheck(type="event", reason="BackOff", message=r"Back-off \w+ing")
    assert event.message is not None and compile_pattern(event.message).search("Back-off pulling")


def test_pattern_errors_are_value_errors() -> None:
    with pytest.raises(PatternError, match=r"RE2 syntax\): invalid perl operator: \(\?="):
        compile_pattern("(?=a)")


# --- item 7: one bad pack must not stop the game -----------------------------------------------


def hostile_packs(root: Path) -> dict[str, Path]:
    """Every broken pack of item 7 (and 14/15), by name."""
    root.mkdir(parents=True, exist_ok=True)
    return {
        "bad-crc": hp.bad_crc_zip(root / "bad-crc.zip"),
        "encrypted": hp.encrypted_zip(root / "encrypted.zip"),
        "unsupported-method": hp.unsupported_method_zip(root / "method.zip"),
        "nested-5000": hp.folder(root, "nested", tiny=hp.nested(5000)),
        "min-k8stui-5000-digits": hp.folder(
            root, "min-version", pack=hp.PACK_YAML + "min_k8stui: '" + "9" * 5000 + "'\n"
        ),
        "cpu-1.5.3": hp.folder(root, "cpu", tiny=hp.with_node("cpu: '1.5.3'")),
        "cpu-1e309": hp.folder(root, "cpu-huge", tiny=hp.with_node("cpu: 1e309")),
        "memory-minus-1Gi": hp.folder(root, "memory", tiny=hp.with_node("memory: -1Gi")),
        "latin-1-level": hp.folder(
            root, "latin1", tiny=hp.TINY.replace("Tiny", "Tin\xe9").encode("latin-1")
        ),
        "file-named-dot": hp.folder(
            root, "dot", tiny=hp.TINY.replace("  pod.yaml: |", "  .: hello\n  pod.yaml: |")
        ),
        "seed-5000-digits": hp.folder(
            root, "seed", tiny=hp.TINY + "setup: {seed: " + "7" * 5000 + "}\n"
        ),
        "nul-character": hp.folder(root, "nul", tiny=hp.TINY.replace("one, two", "one\x00, two")),
    }


EXPECTED = {
    "bad-crc": "bad-crc.zip!tiny.yaml: cannot be read from the zip: the data is damaged (bad CRC-32)",
    "encrypted": "encrypted.zip!pack.yaml: encrypted zip members are not supported",
    "unsupported-method": "method.zip!pack.yaml: compression method 99 is not supported",
    "nested-5000": "tiny.yaml:26:1003: nesting deeper than 48 levels",
    "min-k8stui-5000-digits": "pack.yaml:7:1: min_k8stui: String should match pattern",
    # The node sizes are checked by the engine's NodeSpec; the pack loader locates them.
    "cpu-1.5.3": "tiny.yaml:18:16: setup.nodes[0].cpu: cpu '1.5.3': quantities must match the "
    "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    "cpu-1e309": "tiny.yaml:18:16: setup.nodes[0].cpu: cpu '1e309': ",
    "memory-minus-1Gi": "tiny.yaml:18:16: setup.nodes[0].memory: memory '-1Gi': ",
    "latin-1-level": "tiny.yaml:3:11: not UTF-8 text (byte 0xe9 at this place)",
    "file-named-dot": "tiny.yaml:7:1: files: '.' must name a file",
    "seed-5000-digits": "tiny.yaml:26:15: number too long (5000 characters)",
    "nul-character": "tiny.yaml:20:12: character #x0000 is not allowed in YAML",
}


def test_hostile_packs_are_refused_with_located_messages(tmp_path: Path) -> None:
    packs = hostile_packs(tmp_path)
    cases = {name: f"result = check_pack({str(path)!r}).render()" for name, path in packs.items()}
    usages = measure_many(cases, setup="from k8stui.game.proving import check_pack")
    for name, usage in usages.items():
        assert_bounded(usage, label=name)
        report = usage.result
        assert EXPECTED[name] in report, f"{name}:\n{report}"
        assert not PYTHON_INTERNALS.search(report), report
        assert "pack ?" not in report and "defect(s)" in report


def test_pack_check_names_the_pack_or_says_why_it_cannot(tmp_path: Path) -> None:
    packs = hostile_packs(tmp_path)
    assert check_pack(packs["cpu-1.5.3"]).render().startswith(f"pack valid ({packs['cpu-1.5.3']})")
    assert (
        check_pack(packs["encrypted"])
        .render()
        .startswith(f"pack at {packs['encrypted']} (its pack.yaml could not be read)")
    )


def test_non_utf8_level_is_not_reported_missing(tmp_path: Path) -> None:
    found = issues_of(hostile_packs(tmp_path)["latin-1-level"])
    assert found == ["tiny.yaml:3:11: not UTF-8 text (byte 0xe9 at this place)"]


def test_one_bad_pack_does_not_hide_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    hostile_packs(tmp_path / "packs")
    shutil.copytree(hp.VALID, tmp_path / "packs" / "valid-1.0")
    shutil.copytree(hp.VALID, tmp_path / "packs" / "valid-1.1")
    listings = available_packs()
    offered = [item for item in listings if item.pack is not None]
    assert [item.pack.id for item in offered if item.pack] == ["k8stui-basics", "valid"]
    broken = {item.path.name: item.problem() for item in listings if item.pack is None}
    assert len(broken) == len(EXPECTED) + 1
    assert broken["valid-1.1"] == (
        f"valid ({tmp_path / 'packs' / 'valid-1.1'}): pack.yaml: duplicate of "
        f"{tmp_path / 'packs' / 'valid-1.0'}, which is offered instead (both hold pack valid, "
        "level tiny)"
    )


async def test_level_list_shows_broken_and_duplicate_packs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two versions of one pack side by side crashed the list with DuplicateID."""
    from textual.widgets import OptionList

    from k8stui.tui.app import make_app

    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    (tmp_path / "packs").mkdir()
    hp.bad_crc_zip(tmp_path / "packs" / "crc.zip")
    shutil.copytree(hp.VALID, tmp_path / "packs" / "valid-1.0")
    shutil.copytree(hp.VALID, tmp_path / "packs" / "valid-1.1")
    app = make_app(progress_path=tmp_path / "progress.db")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.progress is None:
            await pilot.pause(0.05)
        await pilot.pause()
        options = app.screen.query_one("#levels", OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    broken = [t for t in texts if t.startswith("✗ broken pack")]
    assert len(broken) == 2, texts
    assert "crc.zip!tiny.yaml: cannot be read from the zip" in broken[0]
    assert "valid-1.1" in broken[1] and "duplicate of" in broken[1]
    assert any("Tiny" in t for t in texts) and any("1. " in t for t in texts)


def test_check_of_a_broken_zip_is_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = hp.bad_crc_zip(tmp_path / "bad.zip")
    args = argparse.Namespace(
        target=target, level=None, solution=None, commands=None, json=False, format=None
    )
    assert run_check(args, sys.stdout, sys.stderr) == 2
    assert "bad.zip!tiny.yaml: cannot be read from the zip" in capsys.readouterr().err


def test_zip_with_unknown_method_in_one_member_only(tmp_path: Path) -> None:
    target = tmp_path / "mixed.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pack.yaml", hp.PACK_YAML)
        archive.writestr("tiny.yaml", hp.TINY, compress_type=zipfile.ZIP_LZMA)
    assert issues_of(target) == [
        "mixed.zip!tiny.yaml: compression method 14 is not supported (use stored or deflate)"
    ]


def test_a_referenced_file_that_is_not_utf8_is_named_so(tmp_path: Path) -> None:
    tiny = hp.TINY.replace("  pod.yaml: |", "  extra.txt: {from: latin1.txt}\n  pod.yaml: |")
    pack = hp.folder(tmp_path, "ref", tiny=tiny)
    (pack / "latin1.txt").write_bytes(b"line one\ncaf\xe9\n")
    assert issues_of(pack) == ["latin1.txt:2:4: not UTF-8 text (byte 0xe9 at this place)"]


async def test_screenshot_does_not_hang_when_the_game_cannot_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`screenshot` waited forever for game data that a failed load never delivers."""
    import asyncio

    import k8stui.game.pack
    from k8stui.tui.screenshot import capture

    def broken_loader(extra: list[Path] | None = None) -> list[object]:
        raise ZeroDivisionError("a loader defect")

    monkeypatch.setattr(k8stui.game.pack, "available_packs", broken_loader)
    with pytest.raises(Exception, match=r"a loader defect|could not start"):
        await asyncio.wait_for(capture("select", (80, 24)), timeout=60)
