"""Workload performance figures (run: ``python benchmarks/workloads.py``).

Prints:
- a CronJob every minute for 24 simulated hours with ``successfulJobsHistoryLimit: 3``:
  wall time, and the live keys and traced memory after 2, 6, 12, 24, 48 and 72 hours; the
  event log (the determinism witness) keeps its last ``LOG_KEEP`` lines, so its share is
  printed apart: it stops growing once full, and the rest staying flat means no component
  keeps anything per finished run;
- a 100-replica StatefulSet with a claim per pod (Parallel management, the default
  local-path class): created until all pods are Ready, scaled to 0, then back to 100.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import NodeSpec


def cron_job() -> dict[str, object]:
    """A CronJob running a short busybox Job every minute."""
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "tick"},
        "spec": {
            "schedule": "*/1 * * * *",
            "successfulJobsHistoryLimit": 3,
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "OnFailure",
                            "containers": [{"name": "tick", "image": "busybox"}],
                        }
                    }
                }
            },
        },
    }


def stateful_set(replicas: int) -> dict[str, object]:
    """A StatefulSet with one claim template."""
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "replicas": replicas,
            "podManagementPolicy": "Parallel",
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {
                    "containers": [
                        {
                            "name": "db",
                            "image": "nginx:1.27",
                            "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}},
                    },
                }
            ],
        },
    }


def bench_cron() -> None:
    """24 simulated hours of a per-minute CronJob timed, then 72 with tracemalloc on."""
    cluster = Cluster(seed=1)
    cluster.create(cron_job())
    start, cpu = time.perf_counter(), time.process_time()
    runs = 0
    for _hour in range(24):  # read the log as it goes: it keeps only its last lines
        seen = cluster.event_count
        cluster.advance(3600)
        runs += sum(1 for line in cluster.event_log_since(seen) if "Created job tick-" in line)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"cronjob every minute, 24 h: {runs} runs in {wall:.2f} s wall, {cpu:.2f} s CPU")
    cluster = Cluster(seed=1)
    cluster.create(cron_job())
    tracemalloc.start()
    for hour in range(1, 73):
        cluster.advance(3600)
        if hour in (2, 6, 12, 24, 48, 72):
            gc.collect()
            current, _peak = tracemalloc.get_traced_memory()
            jobs = cluster.ctx.store.count("Job")
            pods = cluster.ctx.store.count("Pod")
            # The event log (the determinism witness) is shown apart: it grows until it holds
            # LOG_KEEP lines; the rest must not grow with the runs at all.
            log = cluster.ctx.recorder.log  # (not a copy: that would be traced too)
            log_bytes = sys.getsizeof(log) + sum(sys.getsizeof(line) for line in log)
            print(
                f"  after {hour:2d} h: {cluster.key_count():6d} keys ({jobs} jobs, {pods} pods), "
                f"{cluster.ctx.store.count('Event'):6d} events, "
                f"{cluster.event_count:6d} event-log lines, {len(log):6d} kept "
                f"({log_bytes / 1e6:4.1f} MB), "
                f"traced memory {current / 1e6:4.1f} MB, "
                f"{(current - log_bytes) / 1e6:4.2f} MB without the log"
            )
    tracemalloc.stop()


def bench_stateful_set() -> None:
    """100 replicas with claims: create, scale to 0 and back."""
    nodes = [NodeSpec(name=f"node-{i:02d}", cpu="32", memory="128Gi") for i in range(10)]
    cluster = Cluster(ClusterConfig(seed=1, nodes=nodes))

    def ready(c: Cluster) -> int:
        return int((c.get("StatefulSet", "db") or {}).get("status", {}).get("readyReplicas", 0))

    start, cpu = time.perf_counter(), time.process_time()
    cluster.create(stateful_set(100))
    assert cluster.run_until(lambda c: ready(c) == 100, 600)
    created = time.perf_counter() - start
    cluster.scale("StatefulSet", "db", 0)
    assert cluster.run_until(
        lambda c: not [p for p in c.list("Pod") if p["metadata"]["name"].startswith("db-")], 600
    )
    down = time.perf_counter() - start - created
    cluster.scale("StatefulSet", "db", 100)
    assert cluster.run_until(lambda c: ready(c) == 100, 600)
    total = time.perf_counter() - start
    claims = cluster.ctx.store.count("PersistentVolumeClaim")
    volumes = cluster.ctx.store.count("PersistentVolume")
    print(
        f"statefulset 100 replicas with claims: create {created:.2f} s, scale to 0 {down:.2f} s, "
        f"back to 100 {total - created - down:.2f} s, total {total:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s CPU "
        f"({claims} claims, {volumes} volumes kept)"
    )


def main() -> None:
    """Run both workload benchmarks."""
    bench_cron()
    bench_stateful_set()


if __name__ == "__main__":
    main()
