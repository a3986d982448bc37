"""Stored objects are never changed in place, whoever reads them.

The engine shares parts between objects (a pod's conditions with other pods', the service
account projection, Events' sources) and between an object's versions (writes copy only the
top levels they change). Both are sound only while nobody edits a stored dict in place, so
this test keeps a deep copy of every version ever written while a session exercises the
engine, the controllers and kubectl, and checks each version still equals its copy.
"""

from __future__ import annotations

from typing import Any

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.engine.jsoncopy import copy_json
from k8stui.kubectl.files import VirtualFiles

Obj = dict[str, Any]

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      tolerations: [{key: spot, operator: Exists, effect: NoSchedule}]
      containers:
      - name: app
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 100m, memory: 64Mi}}
        readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""

COMMANDS = [
    "kubectl apply -f app.yaml",
    "sleep 30",
    "kubectl get pods -o yaml",
    "kubectl get deploy web -o json",
    "kubectl describe pod",
    "kubectl describe node",
    "kubectl label pod --all tier=front",
    "kubectl annotate deploy web note=one",
    "kubectl scale deploy web --replicas=5",
    "kubectl set image deploy/web app=nginx:1.28",
    'kubectl patch deploy web -p \'{"spec":{"replicas":4}}\'',
    'kubectl patch deploy web --type=json -p \'[{"op":"replace","path":"/spec/replicas","value":2}]\'',
    "kubectl apply -f app.yaml --server-side --force-conflicts",
    "sleep 40",
    "kubectl rollout undo deploy/web",
    "kubectl create job once --image=busybox -- echo done",
    "kubectl create configmap settings --from-literal=mode=fast",
    "kubectl run solo --image=redis:7.4 --env=MODE=fast",
    "sleep 30",
    "kubectl logs job/once",
    "kubectl get events -o yaml",
    "kubectl get all -A -o wide",
    "kubectl delete pod solo",
    "kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data",
    "sleep 20",
    "kubectl uncordon worker-1",
    "kubectl top pods",
]


def test_no_stored_version_changes_after_it_is_written() -> None:
    cluster = Cluster()
    versions: list[tuple[Obj, Obj]] = []

    def keep(_kind: str, new: Obj | None, _old: Obj | None) -> None:
        if new is not None:
            versions.append((new, copy_json(new)))

    cluster.ctx.store.observe(keep)
    session = Session(cluster, VirtualFiles({"app.yaml": APP}))
    for line in COMMANDS:
        session.run(line)
    cluster.inject(Fault(kind="crash-node", target="worker-2"), at=cluster.now + 1)
    session.run("sleep 400")
    session.run("kubectl get pods -o yaml")
    assert len(versions) > 250  # the session really wrote a lot
    changed = [(v["kind"], v["metadata"].get("name")) for v, copy in versions if v != copy]
    assert changed == []
