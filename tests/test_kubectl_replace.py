"""``kubectl replace -f`` and ``replace --force``."""

from __future__ import annotations

from tests.console_helpers import ok, session

POD = """apiVersion: v1
kind: Pod
metadata:
  name: kubia
spec:
  containers:
  - name: kubia
    image: IMAGE
"""
LIMITED = POD + "    resources: {limits: {memory: 64Mi}}\n"
# Both tags pull IfNotPresent, so only the image differs between them.


def test_replace_needs_an_existing_object() -> None:
    s = session({"pod.yaml": POD.replace("IMAGE", "luksa/kubia:v1")})
    result = s.run("kubectl replace -f pod.yaml")
    assert (result.exit_code, result.stderr) == (
        1,
        'Error from server (NotFound): error when replacing "pod.yaml": pods "kubia" not found\n',
    )


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


def test_replace_puts_the_whole_object_back() -> None:
    s = session(
        {"one.yaml": DEPLOY.replace("COUNT", "1"), "three.yaml": DEPLOY.replace("COUNT", "3")}
    )
    ok(s, "kubectl apply -f one.yaml")
    assert ok(s, "kubectl replace -f three.yaml").stdout == "deployment.apps/web replaced\n"
    assert s.cluster.get("Deployment", "web", "default")["spec"]["replicas"] == 3


def test_a_bound_pod_cannot_be_replaced_by_a_plain_manifest() -> None:
    """The manifest has no nodeName: on a real cluster too, the update is refused."""
    s = session(
        {
            "pod.yaml": POD.replace("IMAGE", "luksa/kubia:v1"),
            "v2.yaml": POD.replace("IMAGE", "luksa/kubia:v2"),
        }
    )
    ok(s, "kubectl apply -f pod.yaml")
    s.cluster.advance(5)
    result = s.run("kubectl replace -f v2.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith('The Pod "kubia" is invalid: spec: Forbidden: pod updates')


def test_force_recreates_what_cannot_change_in_place() -> None:
    s = session(
        {
            "pod.yaml": POD.replace("IMAGE", "luksa/kubia:v1"),
            "limited.yaml": LIMITED.replace("IMAGE", "luksa/kubia:v1"),
        }
    )
    ok(s, "kubectl apply -f pod.yaml")
    uid = s.cluster.get("Pod", "kubia", "default")["metadata"]["uid"]
    refused = s.run("kubectl replace -f limited.yaml")
    assert refused.exit_code == 1 and refused.stderr.startswith(
        'The Pod "kubia" is invalid: spec: Forbidden'
    )
    forced = ok(s, "kubectl replace --force -f limited.yaml")
    assert forced.stdout == 'pod "kubia" deleted\npod/kubia replaced\n'
    pod = s.cluster.get("Pod", "kubia", "default")
    assert pod["metadata"]["uid"] != uid
    assert pod["spec"]["containers"][0]["resources"]["limits"]["memory"] == "64Mi"
