"""Engine performance figures (run: ``python benchmarks/engine.py [--quick]``).

Prints:
- issue 19: the time from ``--replicas=1000000`` to the prompt, and the game's frame times
  while that Deployment ramps up (``--hardening`` prints only these);
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
import subprocess
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
    """The benchmark's pods (namespace default, not kube-system's) in phase Running."""
    return sum(
        1
        for p in c.ctx.store.iter_kind("Pod")
        if (p.get("status") or {}).get("phase") == "Running"
        and p["metadata"].get("namespace") == "default"
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
    bound = sum(
        1
        for p in c.ctx.store.iter_kind("Pod")
        if p["spec"].get("nodeName") and p["metadata"].get("namespace") == "default"
    )
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


MILLION = "kubectl create deployment big --image=nginx --replicas=1000000"
FRAME_SECONDS = 1 / 60
FRAME_WORK = 500
"""A frame's work budget for LevelRun.advance (pieces of engine work)."""


def million_replicas_prompt() -> tuple[float, float]:
    """Seconds from the million-replica command to the prompt: in a session, and for a whole
    ``k8stui shell -c`` run (interpreter start-up included)."""
    from k8stui.console.session import Session
    from k8stui.kubectl.files import VirtualFiles

    session = Session(Cluster(), VirtualFiles({}))
    start = time.perf_counter()
    session.run(MILLION)
    in_session = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "k8stui.cli", "shell", "-c", MILLION],
        check=True, capture_output=True, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    return in_session, time.perf_counter() - start


def ramp_frames(seconds: float, speed: int, budget: int | None) -> tuple[float, float, int]:
    """Frame times (p95, max, in ms) of the first built-in level while the million-replica
    Deployment ramps up, advancing ``speed`` x real time per 60 Hz frame; and the pods made."""
    from k8stui.game.pack import builtin_pack
    from k8stui.game.runner import LevelRun

    pack = builtin_pack()
    run = LevelRun(pack.levels[0], pack)
    assert run.session is not None
    run.session.run(MILLION)
    frames: list[float] = []
    for _ in range(round(seconds / FRAME_SECONDS)):
        start = time.perf_counter()
        run.advance(FRAME_SECONDS * speed, max_work=budget)
        frames.append((time.perf_counter() - start) * 1000)
    frames.sort()
    p95 = frames[int(len(frames) * 0.95)]
    return p95, frames[-1], len(run.cluster.list("Pod"))


def hardening_figures() -> None:
    """Issue 19's figures: the prompt after a million replicas, and frame times meanwhile."""
    in_session, whole = million_replicas_prompt()
    print(f"--replicas=1000000 to the prompt: {in_session * 1000:.0f} ms in a session, "
          f"{whole:.2f} s for a whole `k8stui shell -c` (start-up included)")  # fmt: skip
    for speed, budget in ((1, None), (1, FRAME_WORK), (8, FRAME_WORK)):
        p95, worst, pods = ramp_frames(30.0, speed, budget)
        label = f"budget {budget}" if budget else "no budget"
        print(f"frames while it ramps ({speed}x, 30 s of frames, {label}): p95 {p95:.1f} ms, "
              f"max {worst:.1f} ms, {pods:,} pods made")  # fmt: skip


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip scenario (b)")
    parser.add_argument(
        "--hardening", action="store_true", help="only the million-replica figures (issue 19)"
    )
    args = parser.parse_args()
    hardening_figures()
    if args.hardening:
        return
    for nodes, pods in ((100, 3000), (1000, 5000)):
        print(
            f"scheduling throughput, {nodes} nodes: {scheduling_throughput(nodes, pods):,.0f} pods/s"
        )
    print(f"idle hour, 1,000 nodes: {idle_hour(1000):.3f} s")
    a, _idle_a, _ = scenario(100, 3000)
    print(f"(a) 100 nodes / 3,000 pods + 1 h with 3 crashes: {a:.1f} s wall")
    if args.quick:
        return
    b, idle_b, big = scenario(1000, 30000)
    print(
        f"(b) 1,000 nodes / 30,000 pods + 1 h with 3 crashes: {b:.1f} s wall ({3600 / b:.0f}x real time)"
    )
    print(f"(c) idle hour on (b): {idle_b:.3f} s")
    print(f"time(b)/time(a): {b / a:.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {rss:.0f} MiB")
    # Events expire after the API server's --event-ttl (1 h): (b) keeps only its last hour.
    events = big.ctx.store.count("Event")
    print(
        f"Event objects kept at the end of (b) (1 h TTL): {events:,}; pods: {len(big.list('Pod', None)):,}"
    )


if __name__ == "__main__":
    main()
