"""Mutated snapshots: ``sim load`` refuses them cleanly or loads a cluster that keeps working.

Default runs are modest; ``K8STUI_FUZZ=1`` runs 10,000 examples (0 tracebacks, 0 ``internal:``).
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import VirtualFiles
from tests.console_helpers import POD_YAML

PROFILE = settings(
    max_examples=10_000 if os.environ.get("K8STUI_FUZZ") == "1" else 15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

_SOURCE = Session(Cluster(seed=3), VirtualFiles({"pod.yaml": POD_YAML}))
_SOURCE.run("kubectl apply -f pod.yaml; kubectl create deployment web --image=nginx; sleep 30")
BASE: dict[str, Any] = json.loads(_SOURCE.cluster.snapshot_json())
SESSION = Session(Cluster(seed=3), VirtualFiles({}))
LATER = (
    "kubectl get all -A",
    "kubectl describe pods",
    "sleep 5",
    "kubectl get events",
    "kubectl logs kubia",
    "kubectl exec kubia -- ls /var/run/secrets/kubernetes.io/serviceaccount",
    "kubectl exec kubia -- cat /var/run/secrets/kubernetes.io/serviceaccount/token",
    "kubectl delete pod kubia --wait=false",
    "sleep 40",
)

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(node: Any, path: tuple[Any, ...] = (), depth: int = 0) -> list[tuple[Any, ...]]:
    found = [path]
    if depth > 6:
        return found
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key), depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node[:5]):
            found += _paths(value, (*path, index), depth + 1)
    return found


PATHS = [p for p in _paths(BASE) if p]


@st.composite
def mutated_snapshot(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["set", "delete"]))
            if action == "delete" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif action == "delete" and isinstance(parent, list) and path[-1] < len(parent):
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    return data


@PROFILE
@given(mutated_snapshot())
def test_mutated_snapshots_are_refused_or_keep_working(data: dict[str, Any]) -> None:
    SESSION.files.write("s.json", json.dumps(data))
    before = SESSION.cluster
    result = SESSION.run("sim load s.json")
    assert "internal:" not in result.stderr, result.stderr
    if result.exit_code:
        assert result.stderr.startswith("sim: cannot load s.json: "), result.stderr
        assert SESSION.cluster is before
        return
    for line in LATER:
        later = SESSION.run(line)
        assert "internal:" not in later.stderr, (line, later.stderr)


def test_the_unmutated_snapshot_loads() -> None:
    SESSION.files.write("s.json", json.dumps(BASE))
    assert SESSION.run("sim load s.json").exit_code == 0
