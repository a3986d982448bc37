"""Scheduler throughput: pods/s at 100 and 1,000 nodes, pods bound as they are scheduled.

Run: ``python benchmarks/scheduler.py`` (``--quick`` for a shorter run). Four workloads:
plain pods with requests; pods of a ReplicaSet behind a Service (system-default
topology spreading); 2 % of pods carrying a required pod anti-affinity; and ``deploy``,
which mirrors the engine benchmark: Deployments of 30 replicas (one ReplicaSet selector
each, so every pod gets the system-default spreading over its own 30 siblings), three
images, and a node status write (``upsert_node`` with the new ``status.images``) the first
time an image lands on a node, as the kubelet's image pull does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from k8stui.engine.apimachinery.selectors import Selector, from_equality, from_label_selector
from k8stui.engine.scheduler import Scheduler

SIZES = ((100, 3_000), (1_000, 30_000))
WORKLOADS = ("plain", "service", "anti", "deploy")
IMAGES = ("nginx:1.27", "luksa/kubia:v1", "redis:7.4")
REPLICAS = 30


def make_node(i: int) -> dict[str, Any]:
    """A 32-CPU, 128Gi worker in one of three zones."""
    name = f"worker-{i}"
    return {
        "metadata": {
            "name": name,
            "labels": {
                "kubernetes.io/hostname": name,
                "topology.kubernetes.io/zone": f"zone-{i % 3}",
            },
        },
        "spec": {},
        "status": {"allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110"}},
    }


def make_pod(i: int, app: str, anti: bool = False) -> dict[str, Any]:
    """A pod with requests (three shapes), optionally with hostname anti-affinity."""
    cpu = ("100m", "250m", "500m")[i % 3]
    mem = ("128Mi", "256Mi", "512Mi")[i % 3]
    spec: dict[str, Any] = {
        "containers": [
            {
                "name": "main",
                "image": "kubia",
                "resources": {"requests": {"cpu": cpu, "memory": mem}},
            }
        ],
        "tolerations": [
            {
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            },
            {
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            },
        ],
    }
    labels = {"app": app}
    if anti:
        labels = {"app": f"{app}-solo-{i}", "solo": "true"}
        spec["affinity"] = {
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "labelSelector": {"matchLabels": {"solo": "true"}},
                        "topologyKey": "kubernetes.io/hostname",
                    }
                ]
            }
        }
    return {
        "metadata": {
            "name": f"{app}-{i}",
            "namespace": "default",
            "uid": f"uid-{app}-{i}",
            "labels": labels,
        },
        "spec": spec,
    }


def make_deploy_pod(i: int) -> tuple[dict[str, Any], Selector]:
    """Replica ``i % 30`` of Deployment ``i // 30`` (100m / 128Mi), with its RS selector."""
    app = f"app-{i // REPLICAS:04d}"
    labels = {"app": app, "pod-template-hash": f"h{i // REPLICAS:x}"}
    image = IMAGES[(i // REPLICAS) % len(IMAGES)]
    container = {
        "name": "app",
        "image": image,
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
    }
    pod = {
        "metadata": {
            "name": f"{app}-{i}",
            "namespace": "default",
            "uid": f"u{i}",
            "labels": labels,
        },
        "spec": {"containers": [container]},
    }
    return pod, from_label_selector({"matchLabels": labels})


def run_deploy(nodes: int, pods: int) -> tuple[float, float]:
    """The ``deploy`` workload (see module docstring); returns like :func:`run`."""
    scheduler = Scheduler()
    node_objs = [make_node(i) for i in range(nodes)]
    for node in node_objs:
        scheduler.upsert_node(node)
    by_name = {n["metadata"]["name"]: n for n in node_objs}
    # Each RS's selector is built once, as the engine's selector cache does.
    pod_list = [make_deploy_pod(i) for i in range(pods)]
    started = time.perf_counter()
    cpu_started = time.process_time()
    for pod, selector in pod_list:
        result = scheduler.schedule(pod, [selector])
        assert result.node is not None
        pod["spec"]["nodeName"] = result.node
        scheduler.add_pod(pod)
        node = by_name[result.node]
        images = node["status"].setdefault("images", [])
        image = pod["spec"]["containers"][0]["image"]
        if not any(image in entry["names"] for entry in images):
            images.append({"names": [image], "sizeBytes": 50 * 1024 * 1024})
            scheduler.upsert_node(node)
    elapsed = time.perf_counter() - started
    cpu_elapsed = time.process_time() - cpu_started
    return pods / elapsed, pods / cpu_elapsed


def run(nodes: int, pods: int, workload: str) -> tuple[float, float]:
    """Schedule and bind ``pods`` pods on ``nodes`` nodes.

    Returns pods per second of wall time and of process CPU time (the latter is steadier
    on a busy machine).
    """
    if workload == "deploy":
        return run_deploy(nodes, pods)
    scheduler = Scheduler()
    for i in range(nodes):
        scheduler.upsert_node(make_node(i))
    selectors = [from_equality({"app": "web"})] if workload == "service" else []
    pod_list = [make_pod(i, "web", anti=(workload == "anti" and i % 50 == 0)) for i in range(pods)]
    started = time.perf_counter()
    cpu_started = time.process_time()
    placed = 0
    for pod in pod_list:
        result = scheduler.schedule(pod, selectors)
        if result.node is not None:
            pod["spec"]["nodeName"] = result.node
            scheduler.add_pod(pod)
            placed += 1
    elapsed = time.perf_counter() - started
    cpu_elapsed = time.process_time() - cpu_started
    assert placed == pods, f"only {placed}/{pods} placed"
    return pods / elapsed, pods / cpu_elapsed


def main() -> None:
    """Print pods/s per cluster size and workload."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the pods")
    parser.add_argument("--workload", choices=WORKLOADS, action="append", help="repeatable")
    args = parser.parse_args()
    for nodes, pods in SIZES:
        if args.quick:
            pods //= 10
        for workload in args.workload or WORKLOADS:
            wall, cpu = run(nodes, pods, workload)
            print(
                f"{nodes:>5} nodes  {pods:>6} pods  {workload:<8} "
                f"{wall:>9,.0f} pods/s wall  {cpu:>9,.0f} pods/s cpu"
            )


if __name__ == "__main__":
    main()
