"""``sim stop-component`` / ``start-component`` take the static pods' names too (kube-scheduler)."""

from __future__ import annotations

import pytest
from console_helpers import ok, session


@pytest.mark.parametrize(
    ("typed", "short"),
    [
        ("kube-scheduler", "scheduler"),
        ("kube-controller-manager", "controller-manager"),
        ("kube-apiserver", "apiserver"),
        ("etcd", "etcd"),
    ],
)
def test_pod_names_stop_and_start_the_component(typed: str, short: str) -> None:
    s = session()
    assert ok(s, f"sim stop-component {typed}").stdout == f"{typed} stopped\n"
    assert not s.cluster.control_plane.is_running(short)
    again = s.run(f"sim stop-component {short}")
    assert (again.exit_code, again.stderr) == (1, f"sim: {short} is already stopped\n")
    assert ok(s, f"sim start-component {typed}").stdout == f"{typed} started\n"
    assert s.cluster.control_plane.is_running(short)


def test_help_lists_both_spellings() -> None:
    text = ok(session(), "sim help").stdout
    assert "scheduler, controller-manager," in text and "kube-scheduler," in text
    assert "kube-controller-manager, etcd, kube-apiserver" in text


def test_unknown_kube_name_is_still_refused() -> None:
    bad = session().run("sim start-component kube-proxy")
    assert bad.stderr == (
        'sim: unknown component "kube-proxy" (one of: apiserver, controller-manager, etcd, '
        "scheduler)\n"
    )
