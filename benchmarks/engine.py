"""Engine performance figures (run: ``python benchmarks/engine.py [--quick]``).

Prints:
- scheduling throughput through the whole engine (pods/s) at 100 and 1,000 nodes;
- the cost of advancing an idle 1,000-node cluster by one simulated hour;
- scenario (a) 100 nodes / 3,000 pods and (b) 1,000 nodes / 30,000 pods: create through
  Deployments, reach all Running, then simulate one hour with 3 node crashes;
  (c) an idle hour on (b); the ratio time(b)/time(a); peak memory (tracemalloc is too slow
  for this size, so the process's max RSS is reported).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import NodeSpec

IMAGES = ["nginx:1.27", "luksa/kubia:v1", "redis:7.4"]


def cluster_of(nodes: int, seed: int = 1) -> Cluster:
    """A cluster of ``nodes`` workers with 32 CPU / 128 Gi each."""
    specs = [
        NodeSpec(name=f"node-{i:04d}", cpu="32", memory="128Gi", zone=f"zone-{i % 3}")
        for i in range(nodes)
    ]
    return Cluster(ClusterConfig(seed=seed, nodes=specs))


def deployment(name: str, replicas: int, image: str) -> dict[str, object]:
    """A Deployment with small requests."""
    container = {
        "name": "app",
        "image": image,
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [container]},
            },
        },
    }


def running(c: Cluster) -> int:
    """Pods in phase Running."""
    return sum(
        1 for p in c.ctx.store.iter_kind("Pod") if (p.get("status") or {}).get("phase") == "Running"
    )


def scheduling_throughput(nodes: int, pods: int) -> float:
    """Bare pods created at once; pods bound per second of wall time."""
    c = cluster_of(nodes)
    for i in range(pods):
        c.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"p{i}"},
                "spec": {
                    "containers": [
                        {
                            "name": "c",
                            "image": "nginx:1.27",
                            "resources": {"requests": {"cpu": "100m"}},
                        }
                    ]
                },
            }
        )
    start = time.perf_counter()
    # Scheduling work is due now; kubelet work is at least a second away.
    c.settle()
    took = time.perf_counter() - start
    bound = sum(1 for p in c.ctx.store.iter_kind("Pod") if p["spec"].get("nodeName"))
    assert bound == pods, bound
    return pods / took


def idle_hour(nodes: int) -> float:
    """Wall seconds to advance an idle cluster by an hour."""
    c = cluster_of(nodes)
    c.advance(10)
    start = time.perf_counter()
    c.advance(3600)
    return time.perf_counter() - start


def scenario(nodes: int, pods: int) -> tuple[float, float, Cluster]:
    """Deployments -> all Running -> an hour with 3 crashes. Returns (wall s, idle-hour s)."""
    c = cluster_of(nodes)
    per = 30
    cpu_start = time.process_time()
    start = time.perf_counter()
    for i in range(pods // per):
        c.create(deployment(f"app-{i:04d}", per, IMAGES[i % len(IMAGES)]))
    ok = c.run_until(lambda cl: running(cl) >= pods, 600)
    assert ok, running(c)
    t_running = time.perf_counter() - start
    for k in range(3):
        c.inject(Fault(kind="crash-node", target=f"node-{k * 7:04d}"), at=c.now + 600 * (k + 1))
    c.advance(3600)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    evicted = sum(1 for line in c.event_log() if "Marking for deletion" in line)
    assert evicted > 0 and running(c) >= pods, (evicted, running(c))
    idle_start = time.perf_counter()
    c.advance(3600)
    idle = time.perf_counter() - idle_start
    print(
        f"    reached {pods} Running in {t_running:.1f} s wall; whole scenario {total:.1f} s wall, "
        f"{cpu:.1f} s CPU; {evicted} pods evicted from the crashed nodes and replaced"
    )
    return total, idle, c


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip scenario (b)")
    args = parser.parse_args()
    for nodes, pods in ((100, 3000), (1000, 5000)):
        print(
            f"scheduling throughput, {nodes} nodes: {scheduling_throughput(nodes, pods):,.0f} pods/s"
        )
    print(f"idle hour, 1,000 nodes: {idle_hour(1000):.3f} s")
    a, _idle_a, _ = scenario(100, 3000)
    print(f"(a) 100 nodes / 3,000 pods + 1 h with 3 crashes: {a:.1f} s wall")
    if args.quick:
        return
    b, idle_b, _ = scenario(1000, 30000)
    print(
        f"(b) 1,000 nodes / 30,000 pods + 1 h with 3 crashes: {b:.1f} s wall ({3600 / b:.0f}x real time)"
    )
    print(f"(c) idle hour on (b): {idle_b:.3f} s")
    print(f"time(b)/time(a): {b / a:.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
