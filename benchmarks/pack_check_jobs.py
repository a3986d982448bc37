"""``k8stui pack check levels/`` serially and over a process pool, and what booting costs.

Run: ``python benchmarks/pack_check_jobs.py``. For ``--jobs 1`` and one job per core it prints
the best of three wall times and the CPU time of this process and its (joined) workers, with
the load average, since the machine may be shared. Then the CPU time of booting the
clusters a proof builds (three per level: doing nothing, the reference solution, its replay):
the part a cheaper boot could save.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.game.pack import builtin_pack
from k8stui.game.proving import default_jobs, prove_all

RUNS = 3
CLUSTERS_PER_LEVEL = 3


def cpu_seconds(before: os.times_result, after: os.times_result) -> float:
    """User and system time of this process and its waited-for children."""
    return sum(after[i] - before[i] for i in range(4))


def main() -> int:
    """Print the figures; exit 1 when a level fails to prove."""
    pack = builtin_pack()
    for jobs in sorted({1, default_jobs()}):
        best_wall, best_cpu = float("inf"), float("inf")
        for _ in range(RUNS):
            before, started = os.times(), time.perf_counter()
            proofs = prove_all(pack, jobs=jobs)
            wall, cpu = time.perf_counter() - started, cpu_seconds(before, os.times())
            if not all(proof.ok for proof in proofs):
                print("a level failed to prove; run k8stui pack check levels/")
                return 1
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        print(
            f"prove {len(pack.entries)} levels with {jobs} job(s): {best_wall:.2f} s wall, "
            f"{best_cpu:.2f} s CPU (best of {RUNS}; load {os.getloadavg()[0]:.2f})"
        )
    before = time.process_time()
    for entry in pack.entries:
        setup = entry.level.setup
        config = ClusterConfig(
            seed=setup.seed, nodes=setup.nodes or default_nodes(), timings=setup.timings
        )
        Cluster(config)
    boot = (time.process_time() - before) * CLUSTERS_PER_LEVEL
    print(
        f"booting the {CLUSTERS_PER_LEVEL * len(pack.entries)} clusters those proofs build: "
        f"{boot:.2f} s CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
