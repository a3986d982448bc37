"""``-f`` as kubectl reads it: a comma-separated CSV record, each value a path or else a Go
glob pattern, and every value that names nothing reported before any file is read.

The expected texts were taken from the real kubectl 1.32; where it is on PATH the same
command lines are also run through it (offline for the refusals, against a served cluster
for the matches).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from k8stui.kubectl.files import OverlayFiles, RealFiles, VirtualFiles
from k8stui.kubectl.go_csv import CsvError, first_record
from k8stui.kubectl.go_glob import BadPattern, glob
from tests.api_helpers import KUBECTL, served
from tests.console_helpers import session


def _configmap(name: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n"


FILES = {
    "a.yaml": _configmap("cm-a"),
    "b.yaml": _configmap("cm-b"),
    ".h.yaml": _configmap("cm-h"),
    ".hid/x.yaml": _configmap("cm-x"),
    "sub/c.yaml": _configmap("cm-c"),
    "docs/readme.txt": "not a manifest\n",
    "[a].yaml": _configmap("cm-literal"),
}

MATCHES = {
    "*.yaml": "cm-h cm-literal cm-a cm-b",
    "?.yaml": "cm-a cm-b",
    "[ab].yaml": "cm-a cm-b",
    "[^a].yaml": "cm-b",
    "[a-b].yaml": "cm-a cm-b",
    "*/*.yaml": "cm-x cm-c",
    ".*": "cm-h cm-x",
    "*": "cm-h cm-x cm-literal cm-a cm-b cm-c",
    "./*.yaml": "cm-h cm-literal cm-a cm-b",
    "\\a.yaml": "cm-a",
    "sub/../?.yaml": "cm-a cm-b",
    "[a].yaml": "cm-literal",  # a path that exists is taken as it is
    "a.yaml,s*": "cm-a cm-c",
    '"a.yaml",b.yaml': "cm-a cm-b",
    "a.yaml,a.yaml": "cm-a cm-a",
    "a.yaml,docs": "cm-a",  # a folder without manifests after one with some: nothing more
}

REFUSALS = {
    "zz*.yaml": 'error: the path "zz*.yaml" does not exist\n',
    "[": 'error: pattern "[" is not valid: syntax error in pattern\n',
    "[a-]": 'error: pattern "[a-]" is not valid: syntax error in pattern\n',
    "a\\": 'error: pattern "a\\\\" is not valid: syntax error in pattern\n',
    "x,y": 'the path "x" does not exist\nthe path "y" does not exist\n',
    "a.yaml,": 'error: the path "" does not exist\n',
    '"a""b",c': 'the path "a\\"b" does not exist\nthe path "c" does not exist\n',
    "docs": "error: error reading [docs]: recognized file extensions are [.json .yaml .yml]\n",
    "d*s": "error: error reading [docs]: recognized file extensions are [.json .yaml .yml]\n",
    "docs,a.yaml": (
        "error: error reading [docs]: recognized file extensions are [.json .yaml .yml]\n"
    ),
    '"a': (
        'Error: invalid argument "\\"a" for "-f, --filename" flag: parse error on line 1, '
        'column 3: extraneous or missing " in quoted-field\n'
        "See 'kubectl apply --help' for usage.\n"
    ),
    'é"': (
        'Error: invalid argument "é\\"" for "-f, --filename" flag: parse error on line 1, '
        'column 3: bare " in non-quoted-field\n'
        "See 'kubectl apply --help' for usage.\n"
    ),
    '"a\nb': (
        'Error: invalid argument "\\"a\\nb" for "-f, --filename" flag: record on line 1; '
        'parse error on line 2, column 2: extraneous or missing " in quoted-field\n'
        "See 'kubectl apply --help' for usage.\n"
    ),
    "\n": (
        'Error: invalid argument "\\n" for "-f, --filename" flag: EOF\n'
        "See 'kubectl apply --help' for usage.\n"
    ),
}


def _apply(value: str) -> list[str]:
    return ["apply", "-f", value, "--dry-run=client", "-o", "name"]


def _names(stdout: str) -> str:
    return " ".join(line.removeprefix("configmap/") for line in stdout.splitlines())


def _lay_out(tmp: Path) -> Path:
    for path, text in FILES.items():
        (tmp / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp / path).write_text(text, encoding="utf-8")
    return tmp


@pytest.mark.parametrize("value", MATCHES)
def test_patterns_name_what_kubectl_names_in_a_levels_folder(value: str) -> None:
    result = session(FILES).run("kubectl " + shlex.join(_apply(value)))
    assert (result.stderr, result.exit_code) == ("", 0)
    assert _names(result.stdout) == MATCHES[value]


@pytest.mark.parametrize("value", ["*.yaml", "*/*.yaml", "*", "a.yaml,docs"])
def test_patterns_match_alike_on_the_host_and_in_an_overlay(value: str, tmp_path: Path) -> None:
    pattern = value.split(",")[0]
    expected = glob(VirtualFiles(FILES), pattern)
    assert expected
    assert glob(RealFiles(_lay_out(tmp_path)), pattern) == expected
    # Half the files on the host, half in the level: the overlay sees them all.
    items = list(FILES.items())
    host = tmp_path / "host"
    host.mkdir()
    for path, text in items[::2]:
        (host / path).parent.mkdir(parents=True, exist_ok=True)
        (host / path).write_text(text, encoding="utf-8")
    overlay = OverlayFiles(RealFiles(host), VirtualFiles(dict(items[1::2])))
    assert glob(overlay, pattern) == expected


@pytest.mark.parametrize("value", REFUSALS)
def test_refusals_are_kubectls_and_nothing_is_applied(value: str) -> None:
    s = session(FILES)
    result = s.run("kubectl " + shlex.join(_apply(value)))
    assert (result.stdout, result.stderr, result.exit_code) == ("", REFUSALS[value], 1)
    assert "cm-a" not in s.run("kubectl get configmaps").stdout


def test_a_missing_value_stops_the_files_before_it_from_being_created() -> None:
    s = session(FILES)
    result = s.run("kubectl apply -f a.yaml,nope.yaml")
    assert (result.stderr, result.exit_code) == ('error: the path "nope.yaml" does not exist\n', 1)
    assert "cm-a" not in s.run("kubectl get configmaps").stdout


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("a,b", ["a", "b"]),
        ('"a,b",c', ["a,b", "c"]),
        ('"a""b"', ['a"b']),
        ("a,", ["a", ""]),
        ("\n\na\nb", ["a"]),  # blank lines first are skipped; only the first record counts
        ('"a\nb",c', ["a\nb", "c"]),
        ("a\r\n", ["a"]),
    ],
)
def test_a_csv_record_reads_as_gos_reader_reads_it(text: str, fields: list[str]) -> None:
    assert first_record(text) == fields


def test_a_csv_refusal_names_the_byte_column_and_no_record_is_eof() -> None:
    for blank in ("", "\n", "\r\n\n"):
        with pytest.raises(CsvError, match=r"^EOF$"):
            first_record(blank)
    with pytest.raises(CsvError, match=r"line 1, column 4: extraneous"):
        first_record('"é')
    with pytest.raises(CsvError, match=r"line 1, column 3: extraneous"):
        first_record('"a"b')


@pytest.mark.parametrize("pattern", ["[", "[]", "[^]", "[-a]", "[a-b-c]", "x[a", "a\\", "[a\\"])
def test_malformed_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(BadPattern):
        glob(VirtualFiles(FILES), pattern)


def test_a_backwards_range_matches_nothing_and_other_values_quote_as_go_does() -> None:
    assert glob(VirtualFiles(FILES), "[b-a].yaml") == []
    result = session(FILES).run("kubectl scale deployment web --replicas='\"3'")
    assert result.stderr.startswith(
        'Error: invalid argument "\\"3" for "--replicas" flag: strconv.ParseInt: parsing "\\"3"'
    )


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("value", REFUSALS)
def test_refusals_match_the_real_kubectl_offline(value: str, tmp_path: Path) -> None:
    assert KUBECTL is not None
    real = subprocess.run(
        [KUBECTL, *_apply(value)],
        cwd=_lay_out(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "none")},
        check=False,
    )
    assert (real.stderr, real.returncode) == (REFUSALS[value], 1)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
def test_matches_are_the_real_kubectls_against_a_served_cluster(tmp_path: Path) -> None:
    folder = _lay_out(tmp_path / "files")
    with served(tmp_path / "api") as api:
        for value, names in MATCHES.items():
            real = api.kubectl(*_apply(value), cwd=folder)
            assert (real.stderr, _names(real.stdout)) == ("", names), value
