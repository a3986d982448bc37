"""kubectl's string-slice flags: each value is a CSV record, split by the flag parser, so a
value pflag's reader refuses is a flag error before anything runs (and quoting keeps a comma).

String-array flags (``--from-literal``, ``run --env``) take each value whole. Where the real
kubectl is on PATH the refusals are compared with its own, offline.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.api_helpers import KUBECTL
from tests.console_helpers import session

SLICES = {
    "get pods -L": ("-L, --label-columns", "get"),
    "events --types": ("--types", "events"),
    "api-resources --verbs": ("--verbs", "api-resources"),
    "api-resources --categories": ("--categories", "api-resources"),
    "port-forward pod/x 80 --address": ("--address", "port-forward"),
    "create service clusterip s --tcp": ("--tcp", "create service clusterip"),
    "create deployment d --image": ("--image", "create deployment"),
    "create configmap c --from-file": ("--from-file", "create configmap"),
    "create configmap c --from-env-file": ("--from-env-file", "create configmap"),
    "create secret generic s --from-file": ("--from-file", "create secret generic"),
    "create secret docker-registry r --from-file": ("--from-file", "create secret docker-registry"),
}


def _refusal(flag: str, command: str) -> str:
    return (
        f'Error: invalid argument "\\"a" for "{flag}" flag: parse error on line 1, column 3: '
        'extraneous or missing " in quoted-field\n'
        f"See 'kubectl {command} --help' for usage.\n"
    )


@pytest.mark.parametrize("prefix", SLICES)
def test_a_broken_record_is_a_flag_error(prefix: str) -> None:
    result = session().run(f"kubectl {prefix} '\"a'")
    assert (result.stdout, result.stderr, result.exit_code) == ("", _refusal(*SLICES[prefix]), 1)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("prefix", SLICES)
def test_the_refusal_is_the_real_kubectls(prefix: str, tmp_path: Path) -> None:
    assert KUBECTL is not None
    real = subprocess.run(
        [KUBECTL, *shlex.split(prefix), '"a'],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "none")},
        check=False,
    )
    assert (real.stderr, real.returncode) == (_refusal(*SLICES[prefix]), 1)


def test_slices_split_and_quote_while_arrays_keep_commas() -> None:
    s = session({"one.txt": "1\n", "a,b.txt": "2\n", "a.env": "x=1\n", "b.env": "y=2\n"})
    made = s.run(
        "kubectl create configmap c --from-file=one.txt,'\"k2=a,b.txt\"' --from-literal=k=v,w "
        "-o jsonpath='{.data}'"
    )
    assert (made.stdout, made.exit_code) == ('{"k":"v,w","k2":"2\\n","one.txt":"1\\n"}', 0)
    envs = s.run("kubectl create configmap e --from-env-file=a.env,b.env -o jsonpath='{.data}'")
    assert (envs.stdout, envs.exit_code) == ('{"x":"1","y":"2"}', 0)
    images = s.run(
        "kubectl create deployment web --image=nginx,redis --dry-run=client "
        "-o jsonpath='{.spec.template.spec.containers[*].image}'"
    )
    assert images.stdout == "nginx redis"
