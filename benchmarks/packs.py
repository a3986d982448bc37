"""How long ``k8stui pack check`` takes on the built-in pack (budget: 5 s for the whole pack),
and how long ``k8stui grade`` takes for a class (budget: 30 s for 100 submissions of a
3-level pack on 2 cores).

Run: ``python benchmarks/packs.py``. Prints the per-level proof times and the total, best of
three runs, excluding interpreter start-up (which ``k8stui`` pays once per invocation); then
the grading wall time with one worker process and with one per core. Grading spreads the
students over a pool of worker processes, each playing whole submissions, so the cores work
on different students at once.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test class

from classroom_class import make_class, make_pack

from k8stui.game.grade_class import find_submissions, grade_class
from k8stui.game.locations import builtin_pack_dir
from k8stui.game.proving import check_pack

BUDGET_SECONDS = 5.0
GRADE_BUDGET_SECONDS = 30.0
STUDENTS = 100
ANSWER_KINDS = ["right", "rightzip", "partial", "wrong"]


def main() -> int:
    """Prove the built-in pack three times; report the best total."""
    best = None
    for _ in range(3):
        started = time.perf_counter()
        report = check_pack(builtin_pack_dir())
        elapsed = time.perf_counter() - started
        if not report.ok:
            print(report.render())
            return 1
        if best is None or elapsed < best[0]:
            best = (elapsed, report)
    assert best is not None
    elapsed, report = best
    for proof in report.proofs:
        print(f"{proof.level_id:16} {proof.seconds * 1000:7.1f} ms")
    print(
        f"{'total':16} {elapsed * 1000:7.1f} ms for {len(report.proofs)} levels "
        f"(budget {BUDGET_SECONDS:g} s)"
    )
    graded_ok = grade_benchmark()
    return 0 if elapsed <= BUDGET_SECONDS and graded_ok else 1


def grade_benchmark() -> bool:
    """Grade a generated class of 100 with 1 worker and with one per core."""
    with tempfile.TemporaryDirectory(prefix="k8stui-bench-grade-") as scratch:
        root = Path(scratch)
        pack = make_pack(root / "pack")
        make_class(root / "subs", STUDENTS, ANSWER_KINDS)
        paths = find_submissions(root / "subs")
        cores = os.cpu_count() or 1
        timings = {}
        for jobs in sorted({1, cores}):
            before = os.times()
            started = time.perf_counter()
            grades = grade_class(pack, paths, jobs=jobs)
            timings[jobs] = time.perf_counter() - started
            after = os.times()
            # CPU of this process and of the (joined) workers: what the run cost, whatever
            # else the machine was doing at the time.
            cpu = sum(after[i] - before[i] for i in range(4))
            plays = sum(len(g.levels) for g in grades)
            print(
                f"grade {len(grades)} submissions x 3 levels ({plays} plays) with {jobs} "
                f"worker(s): {timings[jobs]:.1f} s wall, {cpu:.1f} s CPU"
            )
        best = timings[cores]
        print(
            f"grading on {cores} core(s): {best:.1f} s (budget {GRADE_BUDGET_SECONDS:g} s), "
            f"{timings[1] / best:.2f}x the speed of one worker"
        )
        return best <= GRADE_BUDGET_SECONDS


if __name__ == "__main__":
    sys.exit(main())
