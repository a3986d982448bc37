"""Figures for the API's pure building blocks (run: ``python benchmarks/patches.py``).

Per call, median and p99 over repeated runs: decoding kubectl's protobuf Deployment body;
the strategic merge patch ``kubectl apply`` sends, applied to a Deployment; kubectl apply's
three-way patch computation; a 3-operation JSON patch; a server-side apply with a second
manager; and one exec (``hostname``) answered as channel frames. Also the worst case of each
hostile input: a 3 MiB body of random bytes to the protobuf decoder.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from k8stui.engine.apiserver.json_patch import apply_json_patch
from k8stui.engine.apiserver.server_side_apply import apply
from k8stui.engine.apiserver.strategic_diff import three_way_patch
from k8stui.engine.apiserver.strategic_merge import apply_strategic_merge_patch
from k8stui.engine.cluster import Cluster
from k8stui.server.channels import handle_exec
from k8stui.server.protobuf import ProtobufError, decode

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _time(name: str, call: Callable[[], object], runs: int = 300) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    p99 = samples[int(len(samples) * 0.99) - 1]
    print(f"{name:<44} p50 {statistics.median(samples):8.1f} us   p99 {p99:8.1f} us")


def main() -> None:
    body = (FIXTURES / "protobuf" / "deployment.bin").read_bytes()
    _time("protobuf decode (Deployment, 230 B)", lambda: decode(body))
    record = json.loads(
        (FIXTURES / "apply_patches" / "deploy_env_removed_container_added.json").read_text()
    )
    live, patch = record["live"], record["patch"]
    _time(
        "strategic merge patch (apply's PATCH)",
        lambda: apply_strategic_merge_patch(live, patch, "Deployment"),
    )
    original = json.loads(
        live["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    )
    manifest = record["manifest"]
    _time(
        "three-way patch (kubectl apply)",
        lambda: three_way_patch(original, manifest, live, "Deployment"),
    )
    ops = [
        {"op": "replace", "path": "/spec/replicas", "value": 5},
        {"op": "add", "path": "/metadata/labels/x", "value": "y"},
        {"op": "test", "path": "/spec/replicas", "value": 5},
    ]
    _time("JSON patch (3 operations)", lambda: apply_json_patch(live, ops))
    first = apply(None, manifest, kind="Deployment", manager="a", time="2025-01-01T00:00:00Z")
    _time(
        "server-side apply (second manager)",
        lambda: apply(first, manifest, kind="Deployment", manager="b", time="2025-01-01T00:00:01Z"),
    )
    cluster = Cluster(seed=1)
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "app", "image": "luksa/kubia"}]},
        }
    )
    cluster.advance(60)
    _time(
        "exec hostname -> frames",
        lambda: handle_exec(cluster, "default", "web", None, ["hostname"]),
        100,
    )
    junk = random.Random(1).randbytes(3 << 20)

    def hostile() -> None:
        with contextlib.suppress(ProtobufError):
            decode(b"k8s\x00" + junk)

    _time("protobuf decode of 3 MiB random bytes", hostile, 5)


if __name__ == "__main__":
    main()
