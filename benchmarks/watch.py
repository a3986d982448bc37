"""Time ``kubectl get pods -w`` over 1,000 pods: the first list, and a poll after a change
that rewrites 100 pods (a scale-down with their deletions).

Run: ``python benchmarks/watch.py``. Prints figures; the console polls ten times a second, so
a poll should stay well under 100 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.kubectl.files import VirtualFiles

PODS = 1_000
RUNS = 5


def main() -> None:
    """Build 1,000 running pods, start a watch, scale down, time the list and the polls."""
    cluster = Cluster(ClusterConfig(seed=1, nodes=default_nodes(10, cpu="64", memory="256Gi")))
    session = Session(cluster, VirtualFiles())
    other = Session(cluster, VirtualFiles())
    session.run(f"kubectl create deployment web --image=nginx:1.27 --replicas={PODS}")
    session.run("sleep 60")
    lists, polls, rows = [], [], []
    for run in range(RUNS):
        began = time.perf_counter()
        session.run("kubectl get pods -w")
        lists.append((time.perf_counter() - began) * 1000)
        other.run(f"kubectl scale deploy web --replicas={PODS - 100 * (run % 2 + 1)}")
        cluster.advance(1)
        began = time.perf_counter()
        printed = session.poll_stream()
        polls.append((time.perf_counter() - began) * 1000)
        rows.append(sum(text.count("\n") for _, text in printed))
        session.stop_stream()
    print(f"get pods -w, first list of {PODS} pods: median {statistics.median(lists):.1f} ms")
    print(
        f"poll after a scale ({statistics.median(rows):.0f} rows): "
        f"median {statistics.median(polls):.1f} ms"
    )


if __name__ == "__main__":
    main()
