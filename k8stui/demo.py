"""A short scripted scenario, printed as it happens (what ``k8stui`` runs until the game UI)."""

from __future__ import annotations

from typing import TextIO

from k8stui.engine.cluster import Cluster

_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "kubia", "labels": {"run": "kubia"}},
    "spec": {
        "containers": [
            {"name": "kubia", "image": "luksa/kubia", "ports": [{"containerPort": 8080}]}
        ]
    },
}


def run_demo(seed: int, out: TextIO) -> int:
    """Create a pod on a fresh cluster and print the events until it runs."""
    cluster = Cluster(seed=seed)
    out.write("$ kubectl run kubia --image=luksa/kubia --port=8080\npod/kubia created\n")
    cluster.create(_POD)
    cluster.advance(30)
    for line in cluster.event_log():
        out.write(line + "\n")
    pod = cluster.get("Pod", "kubia")
    phase = (pod or {}).get("status", {}).get("phase", "?")
    out.write(f"\npod/kubia is {phase} on {(pod or {}).get('spec', {}).get('nodeName')}\n")
    return 0
