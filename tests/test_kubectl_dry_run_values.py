"""``--dry-run``'s deprecated values: kubectl logs a klog warning (its header on the simulated
clock, a fixed process id) and reads true and false as Go's ``strconv.ParseBool`` does.

The real kubectl, where it is on PATH, logs the same line after its own time and process id.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.api_helpers import KUBECTL
from tests.console_helpers import session

KLOG = re.compile(r"^W(\d{4} \d\d:\d\d:\d\d\.\d{6}) +(\d+) (.*)$")
VALUES = {
    "--dry-run": (
        "helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.",
        True,
    ),
    "--dry-run=true": (
        "helpers.go:716] --dry-run=true is deprecated (boolean value) and can "
        "be replaced with --dry-run=client.",
        True,
    ),
    "--dry-run=1": (
        "helpers.go:716] --dry-run=1 is deprecated (boolean value) and can be "
        "replaced with --dry-run=client.",
        True,
    ),
    "--dry-run=False": (
        "helpers.go:719] --dry-run=False is deprecated (boolean value) and "
        "can be replaced with --dry-run=none.",
        False,
    ),
    "--dry-run=f": (
        "helpers.go:719] --dry-run=f is deprecated (boolean value) and can be "
        "replaced with --dry-run=none.",
        False,
    ),
}


@pytest.mark.parametrize("flag", VALUES)
def test_deprecated_values_log_kubectls_warning_and_act_on_their_meaning(flag: str) -> None:
    s = session()
    s.run("sim advance 75")
    result = s.run(f"kubectl create deployment web --image=nginx {flag} -o name")
    line, dry_run = VALUES[flag]
    assert (result.stdout, result.exit_code) == ("deployment.apps/web\n", 0)
    found = KLOG.match(result.stderr.rstrip("\n"))
    assert found is not None, result.stderr
    assert found.groups() == ("0101 00:01:15.000000", "4242", line)
    created = s.run("kubectl get deployments -o name").stdout
    assert created == ("" if dry_run else "deployment.apps/web\n")


def test_other_values_are_refused_and_the_plain_ones_log_nothing() -> None:
    s = session()
    refused = s.run("kubectl create deployment web --image=nginx --dry-run=yes")
    assert (refused.stderr, refused.exit_code) == (
        'error: Invalid dry-run value (yes). Must be "none", "server", or "client".\n',
        1,
    )
    for value in ("client", "server", "none"):
        quiet = s.run(f"kubectl create deployment web-{value} --image=nginx --dry-run={value}")
        assert (quiet.stderr, quiet.exit_code) == ("", 0)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("flag", VALUES)
def test_the_warning_is_the_real_kubectls(flag: str, tmp_path: Path) -> None:
    assert KUBECTL is not None
    real = subprocess.run(
        [KUBECTL, "create", "deployment", "web", "--image=nginx", flag, "-o", "name"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "none")},
        check=False,
    )
    found = KLOG.match(real.stderr.splitlines()[0])
    assert found is not None, real.stderr
    assert found.group(3) == VALUES[flag][0]
