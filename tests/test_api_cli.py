"""``k8stui serve`` start-up errors and ``k8stui sim`` against a running server."""

from __future__ import annotations

import argparse
import io
import socket
from pathlib import Path

from k8stui.server.cli import post_sim, run_serve
from tests.api_helpers import served


def _args(**given: object) -> argparse.Namespace:
    values: dict[str, object] = {
        "seed": 0,
        "nodes": 1,
        "level": None,
        "pack": None,
        "port": 0,
        "speed": 1.0,
        "paused": True,
        "kube_version": "1.32",
        "kubeconfig": None,
    }
    values.update(given)
    return argparse.Namespace(**values)


def test_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    out, err = io.StringIO(), io.StringIO()
    try:
        code = run_serve(_args(port=port, kubeconfig=tmp_path / "kc"), out, err)
    finally:
        taken.close()
    assert code == 2
    assert err.getvalue() == f"k8stui serve: port {port} on 127.0.0.1 is already in use\n"
    assert not (tmp_path / "kc").exists()


def test_unwritable_kubeconfig_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out, err = io.StringIO(), io.StringIO()
    code = run_serve(_args(kubeconfig=blocker / "sub" / "kc"), out, err)
    assert code == 2
    assert err.getvalue().startswith(
        f"k8stui serve: cannot write kubeconfig {blocker / 'sub' / 'kc'}"
    )
    assert err.getvalue().count("\n") == 1


def test_sim_verbs_reach_the_served_cluster(tmp_path: Path) -> None:
    with served(tmp_path) as srv:
        stdout, stderr, code = post_sim(srv.kubeconfig, ["advance", "90s"])
        assert (stdout, stderr, code) == ("advanced 90s, now t=00:01:30\n", "", 0)
        assert srv.server.call(lambda: srv.session.cluster.now_ms) == 90_000
        stdout, stderr, code = post_sim(srv.kubeconfig, ["crash-node", "nope"])
        assert (code, stderr) == (1, 'Error from server (NotFound): nodes "nope" not found\n')
        _out, stderr, code = post_sim(srv.kubeconfig, ["save", "x.json"])
        assert code == 1 and "not available over the API" in stderr
