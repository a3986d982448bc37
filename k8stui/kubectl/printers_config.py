"""Table rows for DaemonSets, ServiceAccounts, Secrets and ConfigMaps (upstream ``printers.go``:
``printDaemonSet``, ``printServiceAccount``, ``printSecret``, ``printConfigMap``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.kubectl.duration import since
from k8stui.kubectl.table import ColumnDefinition, format_labels

Obj = dict[str, Any]
RowBuilder = Callable[[Obj, int], list[Any]]

_NAME = ColumnDefinition("Name", description="Name must be unique within a namespace.")
_AGE = ColumnDefinition("Age", description="CreationTimestamp of the object.")


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _age(obj: Obj, now_ms: int) -> str:
    return since((obj.get("metadata") or {}).get("creationTimestamp"), now_ms)


DAEMON_SET_COLUMNS = [
    _NAME,
    ColumnDefinition(
        "Desired", "integer", description="The number of nodes that should run the daemon pod."
    ),
    ColumnDefinition("Current", "integer", description="The number of nodes running a daemon pod."),
    ColumnDefinition(
        "Ready", "integer", description="The number of nodes with a ready daemon pod."
    ),
    ColumnDefinition("Up-to-date", "integer", description="Nodes running the updated pod."),
    ColumnDefinition("Available", "integer", description="Nodes with an available daemon pod."),
    ColumnDefinition("Node Selector", description="The node selector of the pods."),
    _AGE,
    ColumnDefinition("Containers", priority=1, description="Container names."),
    ColumnDefinition("Images", priority=1, description="Container images."),
    ColumnDefinition("Selector", priority=1, description="Label selector."),
]


def daemon_set_row(ds: Obj, now_ms: int, selector: Callable[[Any], str]) -> list[Any]:
    """One ``kubectl get ds`` row."""
    spec = ds.get("spec") or {}
    status = ds.get("status") or {}
    template = spec.get("template") or {}
    containers = (template.get("spec") or {}).get("containers") or []
    node_selector = (template.get("spec") or {}).get("nodeSelector")
    return [
        _name(ds),
        _int(status.get("desiredNumberScheduled")),
        _int(status.get("currentNumberScheduled")),
        _int(status.get("numberReady")),
        _int(status.get("updatedNumberScheduled")),
        _int(status.get("numberAvailable")),
        format_labels(node_selector) if node_selector else "<none>",
        _age(ds, now_ms),
        ",".join(str(c.get("name", "")) for c in containers),
        ",".join(str(c.get("image", "")) for c in containers),
        selector(spec.get("selector")),
    ]


SERVICE_ACCOUNT_COLUMNS = [
    _NAME,
    ColumnDefinition("Secrets", "string", description="Secrets is a list of the secrets used."),
    _AGE,
]


def service_account_row(sa: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get sa`` row."""
    return [_name(sa), len(sa.get("secrets") or []), _age(sa, now_ms)]


SECRET_COLUMNS = [
    _NAME,
    ColumnDefinition("Type", description="The type of the secret"),
    ColumnDefinition("Data", description="The number of keys in the secret."),
    _AGE,
]


def secret_row(secret: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get secret`` row."""
    return [
        _name(secret),
        secret.get("type", ""),
        len(secret.get("data") or {}),
        _age(secret, now_ms),
    ]


CONFIG_MAP_COLUMNS = [
    _NAME,
    ColumnDefinition("Data", description="The number of keys in the ConfigMap."),
    _AGE,
]


def config_map_row(cm: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get cm`` row (``data`` plus ``binaryData`` keys)."""
    count = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [_name(cm), count, _age(cm, now_ms)]
