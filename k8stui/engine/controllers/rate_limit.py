"""The client-side rate limit of a controller's API calls, and upstream's slow-start batches.

kube-controller-manager talks to the API server through clients limited to 20 requests per
second with bursts of 30 (its ``--kube-api-qps`` / ``--kube-api-burst`` defaults). That
limit is what spreads a million-replica ReplicaSet over hours instead of one instant, so
the simulator keeps it for the calls that scale with replicas: pod creations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

API_QPS = 20
"""Requests per second a controller's client may make (kube-controller-manager default)."""
API_BURST = 30
"""Requests a rested client may make at once."""
SLOW_START_INITIAL_BATCH = 1
"""The first batch of upstream's slowStartBatch; each successful batch doubles the next."""

_MILLI = 1000  # tokens are counted in thousandths so refills stay exact integers


@dataclass
class TokenBucket:
    """A token bucket on sim time: ``burst`` tokens, refilled at ``qps`` per second (the
    operator's ``--kube-api-qps``/``--kube-api-burst``, from the cluster's timings)."""

    milli_tokens: int = API_BURST * _MILLI
    updated_ms: int = 0
    qps: float = API_QPS
    burst: int = API_BURST

    def _refill(self, now_ms: int) -> None:
        if now_ms > self.updated_ms:
            gained = int((now_ms - self.updated_ms) * self.qps)  # per ms: qps/1000 tokens
            self.milli_tokens = min(self.burst * _MILLI, self.milli_tokens + gained)
            self.updated_ms = now_ms

    def available(self, now_ms: int) -> int:
        """Whole requests that may be made right now."""
        self._refill(now_ms)
        return self.milli_tokens // _MILLI

    def take(self, count: int, now_ms: int) -> None:
        """Spend ``count`` requests (at most :meth:`available`)."""
        self._refill(now_ms)
        self.milli_tokens -= count * _MILLI

    def ready_at(self, count: int, now_ms: int) -> int:
        """The sim time at which ``count`` requests (capped at the burst) may be made."""
        self._refill(now_ms)
        need = min(count, self.burst) * _MILLI - self.milli_tokens
        return now_ms if need <= 0 else now_ms + math.ceil(need / self.qps)

    def to_json(self) -> list[int]:
        """``[milli_tokens, updated_ms]``."""
        return [self.milli_tokens, self.updated_ms]

    @classmethod
    def from_json(
        cls, data: list[int], qps: float = API_QPS, burst: int = API_BURST
    ) -> TokenBucket:
        """Inverse of :meth:`to_json` (the limits come from the cluster's timings)."""
        return cls(int(data[0]), int(data[1]), qps, burst)


def slow_start_batches(total: int) -> Iterator[int]:
    """Batch sizes 1, 2, 4, ... adding up to ``total`` (upstream's ``slowStartBatch``)."""
    size, left = SLOW_START_INITIAL_BATCH, total
    while left > 0:
        batch = min(size, left)
        yield batch
        left -= batch
        size *= 2


def run_slow_start(total: int, attempt: Callable[[], bool]) -> tuple[int, int]:
    """Call ``attempt`` up to ``total`` times in slow-start batches.

    A batch with a failure is the last one (its other calls still run, as upstream's
    goroutines do); returns (successes, attempts).
    """
    successes = attempts = 0
    for batch in slow_start_batches(total):
        failed = False
        for _ in range(batch):
            attempts += 1
            if attempt():
                successes += 1
            else:
                failed = True
        if failed:
            break
    return successes, attempts
