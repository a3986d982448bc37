"""Time ``kubectl get pods`` output forms over 1,000 pods, end to end through ``Session.run``.

Run: ``python benchmarks/kubectl.py``. Targets (median): ``-o wide`` at most 50 ms;
``-o custom-columns=...`` and ``-L app`` at most 20 ms.
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
RUNS = 20
COMMANDS = (
    ("kubectl get pods -o wide", 50),
    ("kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName", 20),
    ("kubectl get pods -L app", 20),
)


def main() -> None:
    """Build a cluster with 1,000 running pods and time the command."""
    cluster = Cluster(ClusterConfig(seed=1, nodes=default_nodes(10, cpu="64", memory="256Gi")))
    session = Session(cluster, VirtualFiles())
    start = time.perf_counter()
    result = session.run(f"kubectl create deployment web --image=nginx:1.27 --replicas={PODS}")
    assert result.exit_code == 0, result.stderr
    session.run("sleep 60")
    setup = time.perf_counter() - start
    lines = session.run("kubectl get pods -o wide").stdout.count("\n") - 1
    assert lines == PODS, lines
    print(f"setup ({PODS} pods running): {setup:.1f} s")
    for line, target in COMMANDS:
        timings = []
        for _ in range(RUNS):
            began = time.perf_counter()
            session.run(line)
            timings.append((time.perf_counter() - began) * 1000)
        print(
            f"{line}, {PODS} pods: median {statistics.median(timings):.1f} ms, "
            f"min {min(timings):.1f} ms, max {max(timings):.1f} ms (target <= {target} ms)"
        )


if __name__ == "__main__":
    main()
