"""``k8stui shell``: sources of commands, --strict, exit codes and cluster options."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from k8stui.cli import main as cli_main
from k8stui.shell import build_parser, run


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(build_parser().parse_args(argv), io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_dash_c_and_stdin_and_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = _run(["-c", "echo hi; sim time"])
    assert (code, out) == (0, "hi\nt=00:00:00\n")
    code, out, _ = _run([], "echo from stdin\n")
    assert out == "$ echo from stdin\nfrom stdin\n"
    script = tmp_path / "s.sh"
    script.write_text("kubectl get nodes --no-headers -o name\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(["--nodes", "1", "--no-echo", "s.sh"])
    assert out == "node/control-plane\nnode/worker-1\n"


def test_errors_continue_unless_strict() -> None:
    code, out, err = _run(["-c", "kubectl get pods nope; echo after"])
    assert out == "after\n" and "not found" in err and code == 0
    code, out, err = _run(["--strict"], "kubectl get pods nope\necho never\n")
    assert code == 1 and "never" not in out


def test_level_mode_starts_from_the_level_and_bad_input_is_reported() -> None:
    code, out, err = _run(["--level", "node-down", "-c", "kubectl get nodes -o name"])
    assert code == 0 and "level node-down" in err
    assert "node/worker-4" in out  # the level's own cluster, not the default sandbox
    code, _, err = _run(["--level", "nope", "-c", "echo"])
    assert code == 2 and "no level 'nope' in pack" in err
    code, _, err = _run(["--pack", "levels", "-c", "echo"])
    assert code == 2 and "--pack needs --level" in err
    code, _, err = _run(["--node-memory", "lots", "-c", "echo"])
    assert code == 2 and "invalid cluster settings" in err


def test_cli_wiring(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["shell", "--node-cpu", "4", "-c", "kubectl get nodes -o name"]) == 0
    assert "node/worker-3" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli_main(["shell", "--help"])
    assert "sim crash-node NODE" in capsys.readouterr().out
