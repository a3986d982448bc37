"""Time ``kubectl get pods -o wide`` (build the server-side table, then render it) for 1,000 pods.

Run: ``python benchmarks/printers.py``. Target: <= 50 ms per build+render.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from k8stui.engine.clock import to_timestamp
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import render_table

POD_COUNT = 1000
TARGET_MS = 50.0


class _View:
    def __init__(self, now_ms: int) -> None:
        self._now = now_ms

    @property
    def now_ms(self) -> int:
        return self._now

    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        return None

    def list(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        return []

    def events_for(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        return []


def _pod(index: int) -> dict[str, Any]:
    created = index * 1000
    restarts = index % 4
    last_state = (
        {
            "terminated": {
                "exitCode": 1,
                "reason": "Error",
                "finishedAt": to_timestamp(created + 500),
            }
        }
        if restarts
        else {}
    )
    ip = f"10.244.{index % 3}.{index % 250 + 2}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"kubia-{index:05d}",
            "namespace": "default",
            "creationTimestamp": to_timestamp(created),
            "labels": {"app": "kubia"},
        },
        "spec": {
            "containers": [{"name": "kubia", "image": "luksa/kubia"}],
            "nodeName": f"node0{index % 3}",
        },
        "status": {
            "phase": "Running",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [
                {
                    "name": "kubia",
                    "ready": True,
                    "restartCount": restarts,
                    "state": {"running": {"startedAt": to_timestamp(created + 600)}},
                    "lastState": last_state,
                }
            ],
        },
    }


def main() -> None:
    """Print the best and median time of several build+render rounds."""
    pods = [_pod(i) for i in range(POD_COUNT)]
    view = _View(2_000_000)
    timings = []
    for _ in range(15):
        start = time.perf_counter()
        text = render_table(build_table("Pod", pods, view), wide=True)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    lines = text.count("\n")
    print(f"get pods -o wide, {POD_COUNT} pods ({lines} lines of output)")
    print(f"  best   {timings[0]:6.1f} ms")
    print(f"  median {timings[len(timings) // 2]:6.1f} ms  (target <= {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
