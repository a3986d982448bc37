"""Walk the bundled official OpenAPI schemas (kubernetes-validate) for list merge semantics.

Test support for ``test_strategic_merge`` and ``test_server_side_apply``: yields, for every
field path of a kind, the schema's patch strategy, merge key, list type and list map keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = "kubernetes-json-schema/v1.32.0-local-strict"

DEFINITIONS = {
    "Pod": "io.k8s.api.core.v1.Pod",
    "Deployment": "io.k8s.api.apps.v1.Deployment",
    "ReplicaSet": "io.k8s.api.apps.v1.ReplicaSet",
    "ReplicationController": "io.k8s.api.core.v1.ReplicationController",
    "Job": "io.k8s.api.batch.v1.Job",
    "CronJob": "io.k8s.api.batch.v1.CronJob",
    "Service": "io.k8s.api.core.v1.Service",
    "Node": "io.k8s.api.core.v1.Node",
    "Namespace": "io.k8s.api.core.v1.Namespace",
    "ServiceAccount": "io.k8s.api.core.v1.ServiceAccount",
    "ConfigMap": "io.k8s.api.core.v1.ConfigMap",
    "Secret": "io.k8s.api.core.v1.Secret",
    "Endpoints": "io.k8s.api.core.v1.Endpoints",
    "Event": "io.k8s.api.core.v1.Event",
    "Lease": "io.k8s.api.coordination.v1.Lease",
    "PriorityClass": "io.k8s.api.scheduling.v1.PriorityClass",
    "ResourceQuota": "io.k8s.api.core.v1.ResourceQuota",
    "Role": "io.k8s.api.rbac.v1.Role",
    "RoleBinding": "io.k8s.api.rbac.v1.RoleBinding",
    "ClusterRole": "io.k8s.api.rbac.v1.ClusterRole",
    "ClusterRoleBinding": "io.k8s.api.rbac.v1.ClusterRoleBinding",
    "PodDisruptionBudget": "io.k8s.api.policy.v1.PodDisruptionBudget",
}


@cache
def definitions() -> dict[str, Any]:
    import kubernetes_validate

    path = Path(kubernetes_validate.__file__).parent / SCHEMA_DIR / "_definitions.json"
    loaded: dict[str, Any] = json.loads(path.read_text())["$defs"]
    return loaded


def _target(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The struct definition a property leads to (through items/allOf/additionalProperties)."""
    node: Any = schema
    for _ in range(6):
        if not isinstance(node, dict):
            return None
        if "$ref" in node:
            found: dict[str, Any] = definitions()[node["$ref"].rsplit("/", 1)[-1]]
            return found
        if node.get("allOf"):
            node = node["allOf"][0]
        elif isinstance(node.get("items"), dict):
            node = node["items"]
        else:
            return None
    return None


Row = tuple[tuple[str, ...], tuple[str, ...], str | None, str | None, tuple[str, ...]]


def walk(kind: str) -> Iterator[Row]:
    """(path, strategy, merge key, list type, map keys) for every property path of a kind."""
    root = definitions()[DEFINITIONS[kind]]
    yield from _walk(root, (), frozenset())


def _walk(schema: dict[str, Any], path: tuple[str, ...], seen: frozenset[int]) -> Iterator[Row]:
    if id(schema) in seen or len(path) > 14:
        return
    seen = seen | {id(schema)}
    for name, prop in (schema.get("properties") or {}).items():
        here = (*path, name)
        strategy = prop.get("x-kubernetes-patch-strategy")
        yield (
            here,
            tuple(strategy.split(",")) if strategy else (),
            prop.get("x-kubernetes-patch-merge-key"),
            prop.get("x-kubernetes-list-type"),
            tuple(prop.get("x-kubernetes-list-map-keys") or ()),
        )
        child = _target(prop)
        if child is not None:
            yield from _walk(child, here, seen)
