"""``kubectl create ... --dry-run=client -o yaml``: k8stui builds the same object as kubectl.

The real kubectl (1.32) works offline for these generators; the test is skipped without it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.console_helpers import session

FORMS = [
    "create deployment web --image=nginx",
    "create deployment web --image=luksa/kubia:v1 --replicas=3 --port=8080",
    "create deployment web --image=busybox -- sleep 3600",
    "create deployment web --image=nginx --image=redis",
    "create deployment web --image=nginx,redis",
    "create deployment web --image=nginx -n team",
    "create service clusterip web --tcp=80:8080",
    "create service clusterip web --tcp=80,443:8443",
    "create service clusterip web --clusterip=None",
    "create service nodeport web --tcp=80:8080 --node-port=30080",
    "create service nodeport web --tcp=5678:8080",
    "create namespace team",
    "create configmap cfg --from-literal=a=1 --from-literal=b=x=y",
    "create configmap cfg --from-file=cfg/one.txt --from-file=k=app.env",
    "create configmap cfg --from-file=cfg/one.txt,k=app.env",
    "create configmap cfg --from-env-file=app.env,two.env",
    "create configmap cfg --from-literal=a=1,b=2",
    "create configmap cfg --from-file=cfg",
    "create configmap cfg --from-env-file=app.env --from-env-file=two.env",
    "create configmap cfg --from-literal=a -n team",
    "create configmap cfg --from-literal='b c=1'",
    "create configmap cfg --from-literal=a=1 --from-literal=a=2",
    "create configmap cfg --from-file=k=cfg",
    "create configmap cfg --from-file=nope.txt",
    "create configmap cfg --from-env-file=app.env --from-literal=a=1",
    "create configmap",
    "create configmap cfg --from-env-file=bad.env",
    "create secret generic s --from-literal=user=admin --from-literal=pw=p@ss --from-file=cfg/one.txt",
    "create secret generic s --type=kubernetes.io/basic-auth --from-literal=username=a --from-literal=password=b",
    "create secret generic s --from-env-file=app.env",
    "create secret generic s --from-file=cfg/one.txt,cfg/two.txt",
    "create secret generic s --from-literal='b c=1'",
    "create secret docker-registry reg --docker-server=r.io --docker-username=u --docker-password=p --docker-email=e@x",
    "create secret docker-registry reg --docker-username=u --docker-password=p",
    "create secret docker-registry reg",
    "create serviceaccount robot",
    "create sa robot -n team",
    "create service loadbalancer lb --tcp=80:8080",
    "create service externalname ext --external-name=db.example.com",
    "create service externalname ext --external-name=db.example.com --tcp=5432",
]

# The folder the generators read from, laid out on disk for the real kubectl as well.
FILES = {
    "cfg/one.txt": "hello\n",
    "cfg/two.txt": "second\n",
    "cfg/sub/z.txt": "nested\n",
    "app.env": "a=1\n# comment\n  b=  two words  \n\nc\nd=\n",
    "two.env": "k=v\na=override\n",
    "bad.env": "b c=1\n",
}

KUBECTL = shutil.which("kubectl")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("form", FORMS)
def test_same_object_as_kubectl(form: str, tmp_path: Path) -> None:
    words = shlex.split(form)
    # The flags go before a "--" that starts the container command.
    at = words.index("--") if "--" in words else len(words)
    args = [*words[:at], "--dry-run=client", "-o", "yaml", *words[at:]]
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    env = {k: v for k, v in os.environ.items() if k not in ("c", "d", "A_FROM_ENV")}
    real = subprocess.run(
        [str(KUBECTL), *args], capture_output=True, text=True, timeout=30, cwd=tmp_path, env=env
    )
    ours = session(FILES).run("kubectl " + shlex.join(args))
    assert (ours.stderr, ours.exit_code) == (real.stderr, real.returncode)
    assert yaml.safe_load(ours.stdout) == yaml.safe_load(real.stdout)
