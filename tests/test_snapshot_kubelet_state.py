"""The kubelets' runtime state in a snapshot: every state the engine reaches loads again
byte for byte, and a damaged one is refused with the place of the damage."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from k8stui.engine.cluster import Cluster
from k8stui.engine.snapshot import SnapshotError
from tests.console_helpers import ok, session

Obj = dict[str, Any]

FILES = {
    "crash.yaml": """apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - {name: main, image: busybox, command: ["sh", "-c", "echo bye; exit 3"]}
""",
    "fortune.yaml": """apiVersion: v1
kind: Pod
metadata: {name: fortune}
spec:
  containers:
  - name: html-generator
    image: luksa/fortune
    volumeMounts: [{name: html, mountPath: /var/htdocs}]
  - name: web-server
    image: nginx:alpine
    volumeMounts: [{name: html, mountPath: /usr/share/nginx/html, readOnly: true}]
  volumes: [{name: html, emptyDir: {}}]
""",
    "slow.yaml": """apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  terminationGracePeriodSeconds: 120
  containers:
  - {name: main, image: busybox, command: ["sh", "-c", "trap '' TERM; sleep 3600"]}
""",
    "nomount.yaml": """apiVersion: v1
kind: Pod
metadata: {name: nomount}
spec:
  containers:
  - name: main
    image: nginx:1.27
    volumeMounts: [{name: conf, mountPath: /etc/conf}]
  volumes: [{name: conf, configMap: {name: not-there}}]
""",
}


def _rich() -> Iterator[tuple[str, str]]:
    """Snapshots of the runtime states a session reaches: sandboxes and pulls under way,
    crash loops, failed pulls and mounts, files written and rewritten, finished jobs,
    terminating pods, crashed and partitioned nodes."""
    s = session(dict(FILES))
    ok(s, "kubectl apply -f crash.yaml -f fortune.yaml -f slow.yaml -f nomount.yaml")
    ok(s, "sleep 0.5")
    yield "starting", s.cluster.snapshot_json()
    for line in (
        "kubectl run bad --image=nginx:no-such-tag",
        "kubectl create job once --image=busybox -- sh -c 'echo done'",
        "kubectl create deployment web --image=nginx:1.27 --replicas=3",
        "sleep 90",
        "kubectl exec fortune -c web-server -- touch /tmp/note",
    ):
        ok(s, line)
    yield "running", s.cluster.snapshot_json()
    ok(s, "kubectl delete pod slow --wait=false")
    ok(s, "sleep 5")
    yield "terminating", s.cluster.snapshot_json()
    node = s.cluster.ctx.store.get("Pod", "default", "fortune")["spec"]["nodeName"]
    ok(s, f"sim crash-node {node}")
    ok(s, "sleep 30")
    yield "crashed", s.cluster.snapshot_json()
    ok(s, f"sim recover-node {node}")
    other = next(
        n["metadata"]["name"]
        for n in s.cluster.ctx.store.list("Node")
        if n["metadata"]["name"] != node and "control-plane" not in n["metadata"]["name"]
    )
    ok(s, f"sim partition-node {other}")
    ok(s, "sleep 60")
    yield "recovered and partitioned", s.cluster.snapshot_json()


STATES = list(_rich())


@pytest.mark.parametrize("text", [t for _, t in STATES], ids=[n for n, _ in STATES])
def test_every_reached_state_loads_again_byte_for_byte(text: str) -> None:
    loaded = Cluster.load_snapshot(json.loads(text))
    assert loaded.snapshot_json() == text


def test_the_states_hold_every_kind_of_record() -> None:
    """(So the test above sees each key the models type, not only the common ones.)"""
    seen: set[str] = set()
    for _, text in STATES:
        for node in json.loads(text)["components"]["kubelets"]["nodes"].values():
            seen |= {f"node.{k}" for k in node}
            for pod in node["pods"].values():
                seen |= {f"pod.{k}" for k in pod}
                for crt in pod["containers"].values():
                    seen |= {f"container.{k}" for k in crt}
    wanted = {
        "node.partitioned",
        "node.stopped_ms",
        "pod.sandbox_pending",
        "pod.terminating",
        "pod.unmounted",
        "pod.rootfs",
        "container.bo",
        "container.pbo",
        "container.term",
        "container.last",
        "container.prev_logs",
        "container.retry_at",
        "container.env",
    }
    assert wanted <= seen, wanted - seen


BASE: Obj = json.loads(STATES[1][1])


def _pods(snap: Obj) -> Iterator[Obj]:
    for node in snap["components"]["kubelets"]["nodes"].values():
        yield from node["pods"].values()


def _fortune(snap: Obj) -> Obj:
    return next(p for p in _pods(snap) if p["name"] == "fortune")


def _set(where: Callable[[Obj], Obj], key: str, value: Any) -> Callable[[Obj], None]:
    return lambda snap: where(snap).__setitem__(key, value)


def _container(snap: Obj) -> Obj:
    return _fortune(snap)["containers"]["web-server"]


def _volume_files(snap: Obj) -> Obj:
    return _fortune(snap)["volumes"]["html"]["files"]


DAMAGE: list[tuple[str, Callable[[Obj], None], str]] = [
    ("a time as text", _set(_container, "started_ms", "x"), "containers.web-server.started_ms"),
    ("an unknown stage", _set(_container, "stage", "dancing"), "containers.web-server.stage"),
    ("a stage of the wrong type", _set(_container, "stage", 5), "containers.web-server.stage"),
    ("restarts as text", _set(_container, "restarts", "x"), "containers.web-server.restarts"),
    ("containers as a list", _set(_fortune, "containers", []), ".containers:"),
    ("an address as a number", _set(_fortune, "ip", 5), ".ip:"),
    ("volumes as a list", _set(_fortune, "volumes", [1]), ".volumes:"),
    ("a file as a list", _set(_volume_files, "index.html", [1, 2]), "files.index.html"),
    (
        "an exit without its time",
        _set(_container, "last", {"exitCode": 1, "reason": "Error"}),
        "containers.web-server.last",
    ),
    (
        "an exit at no time",
        _set(
            _container,
            "last",
            {
                "exitCode": 1,
                "reason": "Error",
                "startedAt": "yesterday",
                "finishedAt": "2025-01-01T00:00:00Z",
                "containerID": "",
            },
        ),
        "last.startedAt: Value error, not an RFC 3339 timestamp",
    ),
    (
        "a missing container record",
        lambda snap: _fortune(snap)["containers"].pop("web-server"),
        "containers: no record of 'web-server'",
    ),
]


@pytest.mark.parametrize("damage", [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_damaged_runtime_state_is_refused_with_its_place(
    damage: tuple[Callable[[Obj], None], str],
) -> None:
    change, place = damage
    snap = copy.deepcopy(BASE)
    change(snap)
    with pytest.raises(SnapshotError) as refused:
        Cluster.load_snapshot(snap)
    message = str(refused.value)
    assert message.startswith("components.kubelets.nodes."), message
    assert place in message, message
