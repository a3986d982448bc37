"""A small kubectl-style flag parser with cobra/pflag semantics.

Supported: ``--flag=value``, ``--flag value``, ``-n value``, ``-nvalue``, ``-n=value``, combined
short booleans (``-it``), repeated list flags, flags anywhere between arguments, and ``--``
(everything after it is an argument; its position is remembered for ``exec``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.kubectl.go_csv import CsvError, first_record
from k8stui.kubectl.goint import GoIntError, parse_go_int

FlagKind = Literal["bool", "string", "int", "int32", "list", "duration"]
_GO_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


class FlagError(Exception):
    """A command line pflag refuses (printed as ``Error: ...`` plus the usage hint)."""


@dataclass(frozen=True)
class Flag:
    """One flag: long name, optional one-letter shorthand, value kind and default."""

    name: str
    short: str = ""
    kind: FlagKind = "string"
    default: Any = None
    help: str = ""
    # The value a string flag takes when given bare (``--dry-run`` means ``--dry-run=unchanged``).
    no_value: str | None = None
    # A list flag that is a pflag StringSlice: each value is itself a comma-separated list
    # (``-f a.yaml,b.yaml``), read as CSV, so a quoted name may hold a comma.
    split: bool = False

    @property
    def label(self) -> str:
        """``-n, --namespace`` or ``--all`` as pflag names a flag in errors."""
        return f"-{self.short}, --{self.name}" if self.short else f"--{self.name}"


GLOBAL_FLAGS: tuple[Flag, ...] = (
    Flag("namespace", "n", help="If present, the namespace scope for this CLI request"),
    Flag("help", "h", "bool", False, help="help for this command"),
    # Requests to the simulated API take no time; watches (get -w) end at it.
    Flag(
        "request-timeout",
        default="0",
        help="The length of time to wait before giving up on a single server request. Non-zero "
        "values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero "
        "means don't timeout requests.",
    ),
)


@dataclass
class Parsed:
    """The outcome: arguments, flag values (defaults filled in) and which flags were given."""

    args: list[str]
    values: dict[str, Any]
    given: set[str] = field(default_factory=set)
    dash_at: int = -1  # number of arguments before ``--``, or -1 (cobra's ArgsLenAtDash)

    def get(self, name: str) -> Any:
        """The value of flag ``name`` (its default when not given)."""
        return self.values[name]


GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")
"""The words Go's ``strconv.ParseBool`` reads as true."""
GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")
"""... and as false."""


def _invalid(flag: Flag, text: str, why: str) -> FlagError:
    """pflag's refusal of a flag's value, ``why`` being the converter's own words."""
    return FlagError(f'invalid argument {go_quote(text)} for "{flag.label}" flag: {why}')


def _convert(flag: Flag, text: str) -> Any:
    if flag.kind == "bool":
        if text in GO_TRUE:
            return True
        if text in GO_FALSE:
            return False
        raise _invalid(flag, text, f"strconv.ParseBool: parsing {go_quote(text)}: invalid syntax")
    if flag.kind in ("int", "int32"):
        try:
            return parse_go_int(text, 32 if flag.kind == "int32" else 64)
        except GoIntError as exc:
            raise _invalid(
                flag, text, f"strconv.ParseInt: parsing {go_quote(text)}: {exc}"
            ) from None
    if flag.kind == "duration":
        return _duration(flag, text)
    return text


def _duration(flag: Flag, text: str) -> float:
    """Go's ``time.ParseDuration`` (``30s``, ``1m30s``, ``0``), in seconds."""
    if text == "0":
        return 0.0
    parts = _GO_DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise _invalid(flag, text, f"time: invalid duration {go_quote(text)}")
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)
    if seconds * 1e9 > 2**63 - 1:  # Go's time.Duration overflows: ParseDuration refuses it
        raise _invalid(flag, text, f"time: invalid duration {go_quote(text)}")
    return seconds


def _split(flag: Flag, value: str) -> list[str]:
    """A StringSlice value's items (one CSV record, as pflag reads it)."""
    try:
        return first_record(value)
    except CsvError as exc:
        raise _invalid(flag, value, str(exc)) from None


def _store(parsed: Parsed, flag: Flag, value: Any) -> None:
    if flag.kind == "list":
        if flag.name not in parsed.given:
            parsed.values[flag.name] = []
        if flag.split:
            parsed.values[flag.name] += _split(flag, value) if value else []
        else:
            parsed.values[flag.name].append(value)
    else:
        parsed.values[flag.name] = value
    parsed.given.add(flag.name)


def parse(argv: Sequence[str], flags: Sequence[Flag]) -> Parsed:
    """Parse ``argv`` against ``flags`` (plus the global ``-n`` and ``-h``)."""
    every = [*flags, *GLOBAL_FLAGS]
    by_name = {f.name: f for f in every}
    by_short = {f.short: f for f in every if f.short}
    parsed = Parsed(
        [], {f.name: list(f.default or []) if f.kind == "list" else f.default for f in every}
    )
    items = list(argv)
    index = 0
    while index < len(items):
        arg = items[index]
        index += 1
        if arg == "--":
            parsed.dash_at = len(parsed.args)
            parsed.args.extend(items[index:])
            break
        if arg.startswith("--"):
            name, has_value, value = arg[2:].partition("=")
            flag = by_name.get(name)
            if flag is None:
                raise FlagError(f"unknown flag: --{name}")
            if not has_value:
                if flag.kind == "bool":
                    value = "true"
                elif flag.no_value is not None:
                    value = flag.no_value
                elif index < len(items):
                    value = items[index]
                    index += 1
                else:
                    raise FlagError(f"flag needs an argument: {arg}")
            _store(parsed, flag, _convert(flag, value))
        elif arg.startswith("-") and len(arg) > 1:
            index = _short(parsed, arg, items, index, by_short)
        else:
            parsed.args.append(arg)
    return parsed


def _short(
    parsed: Parsed, arg: str, items: list[str], index: int, by_short: dict[str, Flag]
) -> int:
    letters = arg[1:]
    while letters:
        letter, letters = letters[0], letters[1:]
        flag = by_short.get(letter)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: '{letter}' in {arg}")
        if letters.startswith("="):
            _store(parsed, flag, _convert(flag, letters[1:]))
            return index
        if flag.kind == "bool":
            _store(parsed, flag, True)
            continue
        if letters:
            _store(parsed, flag, _convert(flag, letters))
            return index
        if flag.no_value is not None:
            _store(parsed, flag, flag.no_value)
            return index
        if index >= len(items):
            raise FlagError(f"flag needs an argument: '{letter}' in {arg}")
        _store(parsed, flag, _convert(flag, items[index]))
        return index + 1
    return index
