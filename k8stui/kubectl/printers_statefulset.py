"""Server-side table rows for StatefulSets (``printStatefulSet`` in printers.go)."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.duration import since
from k8stui.kubectl.selector_text import container_cells
from k8stui.kubectl.table import ColumnDefinition

Obj = dict[str, Any]

STATEFUL_SET_COLUMNS = [
    ColumnDefinition("Name", description="Name must be unique within a namespace."),
    ColumnDefinition("Ready", description="Number of the pod with ready state"),
    ColumnDefinition("Age", description="CreationTimestamp of the object."),
    ColumnDefinition(
        "Containers", priority=1, description="Names of each container in the template."
    ),
    ColumnDefinition(
        "Images", priority=1, description="Images referenced by each container in the template."
    ),
]


def stateful_set_row(sts: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get statefulsets`` row: READY is ready/desired."""
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    names, images = container_cells(spec.get("template"))
    desired = spec.get("replicas")
    return [
        (sts.get("metadata") or {}).get("name", ""),
        f"{int(status.get('readyReplicas') or 0)}/{1 if desired is None else int(desired)}",
        since((sts.get("metadata") or {}).get("creationTimestamp"), now_ms),
        names,
        images,
    ]
