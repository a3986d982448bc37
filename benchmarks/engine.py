"""Engine performance figures (run: ``python benchmarks/engine.py [--quick] [--profile]``).

Prints:
- issue 19: the time from ``--replicas=1000000`` to the prompt, and the game's frame times
  while that Deployment ramps up (``--hardening`` prints only these);
- scheduling throughput through the whole engine (pods/s) at 100 and 1,000 nodes;
- the cost of advancing an idle 1,000-node cluster by one simulated hour;
- scenario (a) 100 nodes / 3,000 pods, (b) 1,000 nodes / 30,000 pods and (d) 5,000 nodes /
  150,000 pods (issue 17): create through Deployments of 30, reach all Running, then
  simulate one hour with 3 node crashes; (c) an idle hour on (b); the ratio time(b)/time(a).
  Each prints its wall and CPU time (boot apart) and, for (b) and (d), which run in a child
  process of their own, that process's peak memory (max RSS; tracemalloc is too slow here).

The scenarios run with the controller manager's client limits raised as operators of large
clusters raise them (``--kube-api-qps=100 --kube-api-burst=100``, what Kubernetes' own
5,000-node scale tests pass): at the default 20/s, creating 30,000 pods alone takes 25
simulated minutes.

``--profile`` prints the 15 functions with the most cumulative time in scenario (b).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import NodeSpec
from k8stui.engine.store import Obj
from k8stui.engine.timings import Timings

IMAGES = ["nginx:1.27", "luksa/kubia:v1", "redis:7.4"]
LARGE_CLUSTER = Timings(kube_api_qps=100, kube_api_burst=100)
"""The controller manager's client limits of a large cluster (upstream's scale tests)."""
SCENARIOS = {"a": (100, 3_000), "b": (1_000, 30_000), "d": (5_000, 150_000)}


def cluster_of(nodes: int, seed: int = 1, timings: Timings | None = None) -> Cluster:
    """A cluster of ``nodes`` workers with 32 CPU / 128 Gi each."""
    specs = [
        NodeSpec(name=f"node-{i:04d}", cpu="32", memory="128Gi", zone=f"zone-{i % 3}")
        for i in range(nodes)
    ]
    return Cluster(ClusterConfig(seed=seed, nodes=specs, timings=timings or Timings()))


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


class RunningCount:
    """The benchmark's pods in phase Running, kept by watching every pod write.

    Counting the store after each batch of work would cost more than the engine itself
    once pods number in the tens of thousands (run_until checks after every batch). It
    watches pods only (an observer would also be handed every Event), and it runs after
    every component (watchers run in the order they registered), so it changes nothing.
    """

    def __init__(self, c: Cluster) -> None:
        self.value = 0
        c.ctx.store.watch(self._seen, kinds=("Pod",))

    def _seen(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        self.value += _counts(new) - _counts(old)


def _counts(pod: Obj | None) -> int:
    return int(
        pod is not None
        and pod["metadata"].get("namespace") == "default"
        and (pod.get("status") or {}).get("phase") == "Running"
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


@dataclass
class ScenarioResult:
    """Figures of one scenario run (seconds; memory in MiB)."""

    boot_wall: float
    boot_cpu: float
    running_wall: float
    wall: float
    cpu: float
    evicted: int
    idle_hour: float
    events_kept: int
    pods: int
    peak_rss_mib: float


def scenario(nodes: int, pods: int) -> ScenarioResult:
    """Deployments -> all Running -> an hour with 3 crashes, then an idle hour."""
    boot_cpu_start = time.process_time()
    boot_start = time.perf_counter()
    c = cluster_of(nodes, timings=LARGE_CLUSTER)
    boot_wall = time.perf_counter() - boot_start
    boot_cpu = time.process_time() - boot_cpu_start
    count = RunningCount(c)
    per = 30
    cpu_start = time.process_time()
    start = time.perf_counter()
    for i in range(pods // per):
        c.create(deployment(f"app-{i:04d}", per, IMAGES[i % len(IMAGES)]))
    # Creating the pods takes pods/qps simulated seconds; ten minutes more is plenty.
    ok = c.run_until(lambda cl: count.value >= pods, pods / LARGE_CLUSTER.kube_api_qps + 600)
    assert ok and count.value == running(c), (count.value, running(c))
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
    return ScenarioResult(
        boot_wall=boot_wall,
        boot_cpu=boot_cpu,
        running_wall=t_running,
        wall=total,
        cpu=cpu,
        evicted=evicted,
        idle_hour=idle,
        # Events expire after the API server's --event-ttl (1 h): only the last hour stays.
        events_kept=c.ctx.store.count("Event"),
        pods=c.ctx.store.count("Pod"),
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def scenario_in_child(name: str) -> ScenarioResult:
    """Run a scenario in a fresh interpreter, so its peak memory is its own."""
    done = subprocess.run(
        [sys.executable, __file__, "--scenario", name], check=True, capture_output=True, text=True
    )
    return ScenarioResult(**json.loads(done.stdout.strip().splitlines()[-1]))


def print_scenario(name: str, result: ScenarioResult, *, memory: bool) -> None:
    """The scenario's lines."""
    nodes, pods = SCENARIOS[name]
    print(
        f"({name}) {nodes:,} nodes / {pods:,} pods + 1 h with 3 crashes: {result.wall:.1f} s wall "
        f"({3600 / result.wall:.0f}x real time), {result.cpu:.1f} s CPU"
        + (f", peak RSS {result.peak_rss_mib:,.0f} MiB" if memory else "")
    )
    print(
        f"    all Running after {result.running_wall:.1f} s wall; {result.evicted} pods evicted "
        f"from the crashed nodes and replaced; boot (not counted) {result.boot_wall:.1f} s "
        f"wall, {result.boot_cpu:.1f} s CPU; {result.events_kept:,} Events kept (1 h TTL), "
        f"{result.pods:,} pods"
    )


def profile_b() -> None:
    """The top 15 functions by cumulative time over scenario (b)."""
    profiler = cProfile.Profile()
    profiler.enable()
    scenario(*SCENARIOS["b"])
    profiler.disable()
    print("profile of scenario (b), top 15 by cumulative time:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(15)


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
    parser.add_argument("--quick", action="store_true", help="skip scenarios (b) and (d)")
    parser.add_argument("--skip-d", action="store_true", help="skip scenario (d) (minutes)")
    parser.add_argument("--profile", action="store_true", help="only profile scenario (b)")
    parser.add_argument(
        "--hardening", action="store_true", help="only the million-replica figures (issue 19)"
    )
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:  # the child of scenario_in_child: one JSON line
        print(json.dumps(asdict(scenario(*SCENARIOS[args.scenario]))))
        return
    if args.profile:
        profile_b()
        return
    hardening_figures()
    if args.hardening:
        return
    for nodes, pods in ((100, 3000), (1000, 5000)):
        print(
            f"scheduling throughput, {nodes} nodes: {scheduling_throughput(nodes, pods):,.0f} pods/s"
        )
    print(f"idle hour, 1,000 nodes: {idle_hour(1000):.3f} s")
    a = scenario(*SCENARIOS["a"])
    print_scenario("a", a, memory=False)
    if args.quick:
        return
    b = scenario_in_child("b")
    print_scenario("b", b, memory=True)
    print(f"(c) idle hour on (b): {b.idle_hour:.3f} s")
    print(f"time(b)/time(a): {b.wall / a.wall:.1f} wall, {b.cpu / a.cpu:.1f} CPU")
    if not args.skip_d:
        print_scenario("d", scenario_in_child("d"), memory=True)


if __name__ == "__main__":
    main()
