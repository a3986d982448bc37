"""``kubectl diff -f``: ``diff -u -N`` of the live object against the dry-run apply.

The folder numbers and file times are deterministic here (the cluster's revision and the
simulated clock) where the real kubectl's are random and the disk's; the rest is diff's format.
"""

from __future__ import annotations

import re

from tests.console_helpers import ok, session

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: COUNT
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"""
HEADER = re.compile(
    r"diff -u -N (/tmp/LIVE-\d+)/apps\.v1\.Deployment\.default\.web "
    r"(/tmp/MERGED-\d+)/apps\.v1\.Deployment\.default\.web\n"
    r"--- \1/apps\.v1\.Deployment\.default\.web\t(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000)\n"
    r"\+\+\+ \2/apps\.v1\.Deployment\.default\.web\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n"
)


def test_diff_of_a_new_object_adds_every_line_against_an_empty_file() -> None:
    s = session({"d.yaml": DEPLOY.replace("COUNT", "1")})
    result = s.run("kubectl diff -f d.yaml")
    assert result.exit_code == 1
    found = HEADER.match(result.stdout)
    assert found is not None, result.stdout
    assert found.group(3) == "1970-01-01 00:00:00.000000000 +0000"
    body = result.stdout[found.end() :].splitlines()
    assert re.fullmatch(r"@@ -0,0 \+1,\d+ @@", body[0])
    assert all(line.startswith("+") for line in body[1:])
    assert "+  replicas: 1" in body
    assert s.cluster.get("Deployment", "web", "default") is None  # nothing was written


def test_diff_of_a_changed_object_shows_the_changed_lines_and_generation() -> None:
    s = session(
        {"one.yaml": DEPLOY.replace("COUNT", "1"), "three.yaml": DEPLOY.replace("COUNT", "3")}
    )
    ok(s, "kubectl apply -f one.yaml")
    same = s.run("kubectl diff -f one.yaml")
    assert (same.exit_code, same.stdout, same.stderr) == (0, "", "")
    changed = s.run("kubectl diff -f three.yaml")
    assert changed.exit_code == 1
    lines = changed.stdout.splitlines()
    assert "-  replicas: 1" in lines and "+  replicas: 3" in lines
    assert "-  generation: 1" in lines and "+  generation: 2" in lines
    assert s.cluster.get("Deployment", "web", "default")["spec"]["replicas"] == 1


def test_diff_errors_exit_above_one() -> None:
    s = session()
    missing = s.run("kubectl diff -f nope.yaml")
    assert (missing.exit_code, missing.stderr) == (
        2,
        'error: the path "nope.yaml" does not exist\n',
    )
