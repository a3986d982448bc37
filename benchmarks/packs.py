"""How long ``k8stui pack check`` takes on the built-in pack (budget: 5 s for the whole pack).

Run: ``python benchmarks/packs.py``. Prints the per-level proof times and the total, best of
three runs, excluding interpreter start-up (which ``k8stui`` pays once per invocation).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from k8stui.game.locations import builtin_pack_dir
from k8stui.game.proving import check_pack

BUDGET_SECONDS = 5.0


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
    return 0 if elapsed <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
