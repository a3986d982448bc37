"""``-o json`` of typed objects in the API's field order (issue 12, audit fix 8).

kubectl prints what it holds as a Go struct (``run``, ``create <generator>``, ``expose``,
``set``) in the struct's declaration order, and what it holds as a map (``get``, ``-f``
files) sorted; the API server writes every object in struct order. The real kubectl is the
oracle offline: ``set image --local -f - -o json`` decodes any workload into its struct and
prints it back, so it shows the order for every field a stored object of ours carries.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from k8stui.engine.apimachinery.field_order import go_order
from tests.api_helpers import new_session, served
from tests.console_helpers import session

KUBECTL = shutil.which("kubectl")

# `kubectl run t --image=nginx --dry-run=client -o json`, as the real kubectl 1.32 prints it.
RUN_JSON = """{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "t",
        "creationTimestamp": null,
        "labels": {
            "run": "t"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "t",
                "image": "nginx",
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
"""

RICH_POD = """apiVersion: v1
kind: Pod
metadata:
  name: rich
  labels: {b: "2", a: "1"}
  annotations: {z: "1", y: "2"}
spec:
  nodeSelector: {disk: ssd}
  tolerations:
  - {effect: NoSchedule, operator: Exists, key: k}
  securityContext: {runAsUser: 1000, fsGroup: 2000}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{values: [a], operator: In, key: zone}]
  volumes:
  - name: cfg
    configMap: {name: cfg, items: [{path: p, key: k}]}
  - name: tmp
    emptyDir: {sizeLimit: 1Gi, medium: Memory}
  - name: info
    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
  containers:
  - name: app
    image: luksa/kubia
    ports: [{protocol: TCP, containerPort: 8080, name: http}]
    env:
    - {value: "1", name: A}
    - name: B
      valueFrom: {configMapKeyRef: {key: k, name: cfg}}
    envFrom: [{configMapRef: {name: cfg}, prefix: P_}]
    resources: {requests: {memory: 64Mi, cpu: 100m}, limits: {cpu: 200m}}
    volumeMounts: [{readOnly: true, mountPath: /cfg, name: cfg}]
    readinessProbe:
      periodSeconds: 5
      httpGet: {port: 8080, path: /}
    livenessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 3
    lifecycle:
      preStop: {exec: {command: [sleep, "1"]}}
"""


def test_run_dry_run_json_is_in_struct_order() -> None:
    result = session().run("kubectl run t --image=nginx --dry-run=client -o json")
    assert result.stdout == RUN_JSON


def test_get_json_stays_sorted() -> None:
    s = session()
    s.run("kubectl run t --image=nginx")
    top = list(json.loads(s.run("kubectl get pod t -o json").stdout))
    assert top == ["apiVersion", "kind", "metadata", "spec", "status"]


def _key_paths(value: Any, prefix: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append(f"{prefix}.{key}")
            found.extend(_key_paths(item, f"{prefix}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_key_paths(item, f"{prefix}[{index}]"))
    return found


def _stored_objects() -> list[dict[str, Any]]:
    s = session({"rich.yaml": RICH_POD})
    for line in (
        "kubectl apply -f rich.yaml",
        "kubectl create deployment web --image=nginx --replicas=2 --port=80",
        "kubectl run p --image=busybox --env=A=1 --port=80 -- sleep 3600",
        "kubectl create job j --image=busybox -- echo hi",
        "kubectl create cronjob cj --image=busybox --schedule=@hourly",
    ):
        assert s.run(line).exit_code == 0, line
    s.cluster.advance(60)
    cluster = s.cluster
    return [
        cluster.get("Pod", "rich"),
        cluster.get("Pod", "p"),
        cluster.get("Deployment", "web"),
        cluster.list("ReplicaSet")[0],
        cluster.get("Job", "j"),
        cluster.get("CronJob", "cj"),
        cluster.list("DaemonSet", None)[0],
        *cluster.list("Pod", "kube-system")[:4],
    ]


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
def test_struct_order_matches_the_real_decoder() -> None:
    mismatches = []
    for obj in _stored_objects():
        real = subprocess.run(
            [str(KUBECTL), "set", "image", "--local", "-f", "-", "*=x", "-o", "json"],
            input=json.dumps(obj),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        theirs = _key_paths(json.loads(real.stdout))
        ours = _key_paths(go_order(obj))
        common = set(theirs) & set(ours)
        # Compare the order of the fields both carry (typed printing drops zero values).
        if [p for p in theirs if p in common] != [p for p in ours if p in common]:
            mismatches.append(obj["metadata"]["name"])
        assert len(common) > 0.9 * len(ours), obj["metadata"]["name"]
    assert mismatches == []


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
def test_served_bodies_are_in_struct_order(tmp_path: Path) -> None:
    s = new_session()
    s.run("kubectl run p --image=nginx")
    with served(tmp_path, s) as srv:
        raw = srv.kubectl("get", "--raw", "/api/v1/namespaces/default/pods/p").stdout
    assert raw.startswith('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":')
    body = json.loads(raw)
    assert list(body["spec"])[:3] == ["volumes", "containers", "restartPolicy"]
    assert list(body["status"]["containerStatuses"][0])[:3] == ["name", "state", "lastState"]
