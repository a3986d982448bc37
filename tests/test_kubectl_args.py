"""The pflag-style parser: value forms, shorthands, ``--`` and kubectl's error texts."""

from __future__ import annotations

import pytest

from k8stui.kubectl.commands.args import Flag, FlagError, parse

FLAGS = (
    Flag("output", "o"),
    Flag("all-namespaces", "A", "bool", False),
    Flag("replicas", "r", "int", 1),
    Flag("env", kind="list", default=[]),
    Flag("interactive", "i", "bool", False),
    Flag("tty", "t", "bool", False),
    Flag("dry-run", default="none", no_value="unchanged"),
)


@pytest.mark.parametrize(
    "argv",
    [
        ["--output=wide", "pods"],
        ["--output", "wide", "pods"],
        ["-o", "wide", "pods"],
        ["-owide", "pods"],
        ["-o=wide", "pods"],
        ["pods", "-o", "wide"],
    ],
)
def test_value_forms(argv: list[str]) -> None:
    parsed = parse(argv, FLAGS)
    assert parsed.get("output") == "wide"
    assert parsed.args == ["pods"]


def test_combined_short_booleans_and_defaults() -> None:
    parsed = parse(["-it", "x"], FLAGS)
    assert parsed.get("interactive") and parsed.get("tty")
    assert parsed.get("replicas") == 1 and parsed.given == {"interactive", "tty"}


def test_namespace_and_lists_and_bools() -> None:
    parsed = parse(["-nkube-system", "--env", "A=1", "--env=B=2", "-A=false"], FLAGS)
    assert parsed.get("namespace") == "kube-system"
    assert parsed.get("env") == ["A=1", "B=2"]
    assert parsed.get("all-namespaces") is False


def test_double_dash_keeps_position() -> None:
    parsed = parse(["pod", "-i", "--", "ls", "-l", "--all"], FLAGS)
    assert parsed.args == ["pod", "ls", "-l", "--all"]
    assert parsed.dash_at == 1


def test_bare_value_default() -> None:
    assert parse(["--dry-run"], FLAGS).get("dry-run") == "unchanged"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus"], "unknown flag: --bogus"),
        (["-z"], "unknown shorthand flag: 'z' in -z"),
        (["-iz"], "unknown shorthand flag: 'z' in -iz"),
        (["-n"], "flag needs an argument: 'n' in -n"),
        (["--output"], "flag needs an argument: --output"),
        (
            ["--replicas=x"],
            'invalid argument "x" for "-r, --replicas" flag: strconv.ParseInt: parsing "x": '
            "invalid syntax",
        ),
    ],
)
def test_errors(argv: list[str], message: str) -> None:
    with pytest.raises(FlagError) as info:
        parse(argv, FLAGS)
    assert str(info.value) == message
