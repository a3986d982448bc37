"""A pod's effective resource requests, as the scheduler counts them.

Upstream's rule: the sum of the app containers and sidecars, or the peak of the init steps
if higher, plus the pod's overhead. For scoring only, a container without a cpu or memory
request counts as 100m / 200Mi.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory

# Upstream's defaults for containers without requests, used for *scoring* only.
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 1024 * 1024

# Quantities repeat a lot across pods of one workload: memoise the Decimal parsing.
_cpu = lru_cache(maxsize=4096)(parse_cpu)
_bytes = lru_cache(maxsize=4096)(parse_memory)

Resources = dict[str, int]


def _quantity(name: str, value: Any) -> int:
    if name == "cpu":
        return _cpu(value)
    return _bytes(value)


def _add(into: Resources, other: Mapping[str, int]) -> None:
    for name, value in other.items():
        into[name] = into.get(name, 0) + value


def _max(into: Resources, other: Mapping[str, int]) -> None:
    for name, value in other.items():
        if value > into.get(name, 0):
            into[name] = value


def _container_requests(container: Mapping[str, Any]) -> Resources:
    resources = container.get("resources")
    if not resources:
        return {}
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    out: Resources = {name: _quantity(name, value) for name, value in requests.items()}
    # The API server defaults a missing request to the limit; do the same in case the
    # object did not pass through defaulting.
    for name, value in limits.items():
        if name not in out:
            out[name] = _quantity(name, value)
    return out


def _non_missing(requests: Resources) -> Resources:
    if "cpu" in requests and "memory" in requests:
        return requests
    return {"cpu": DEFAULT_MILLI_CPU, "memory": DEFAULT_MEMORY, **requests}


def pod_request_pair(spec: Mapping[str, Any]) -> tuple[Resources, Resources]:
    """(actual requests, requests with the 100m/200Mi defaults), parsing each container once."""
    containers = [_container_requests(c) for c in spec.get("containers") or []]
    inits = [
        (_container_requests(c), c.get("restartPolicy") == "Always")
        for c in spec.get("initContainers") or []
    ]
    overhead = {n: _quantity(n, v) for n, v in (spec.get("overhead") or {}).items()}
    actual = _combine(containers, inits, overhead)
    non_zero = _combine(
        [_non_missing(r) for r in containers],
        [(_non_missing(r), sidecar) for r, sidecar in inits],
        overhead,
    )
    return actual, non_zero


def _combine(
    containers: list[Resources], inits: list[tuple[Resources, bool]], overhead: Resources
) -> Resources:
    total: Resources = {}
    for reqs in containers:
        _add(total, reqs)
    sidecars: Resources = {}
    init_peak: Resources = {}
    for reqs, sidecar in inits:
        if sidecar:
            # A sidecar keeps running: it adds to the app sum and to every later init step.
            _add(total, reqs)
            _add(sidecars, reqs)
            step = dict(sidecars)
        else:
            step = dict(reqs)
            _add(step, sidecars)
        _max(init_peak, step)
    _max(total, init_peak)
    _add(total, overhead)
    return total
