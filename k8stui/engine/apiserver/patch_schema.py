"""How the fields of the served kinds merge: patch strategy, merge key, list type, map keys.

Strategic merge patch and server-side apply both need, for a field, whether a list is merged
by key (``containers`` by ``name``), merged as a set (``finalizers``) or replaced whole
(``args``, ``tolerations``), and which struct type its items or value have. These are the
``x-kubernetes-patch-strategy``, ``x-kubernetes-patch-merge-key``, ``x-kubernetes-list-type``
and ``x-kubernetes-list-map-keys`` values of the official 1.32 OpenAPI schemas. They are kept
here as a table (the engine reads no files); ``tests/test_strategic_merge.py`` walks the
bundled schemas and fails if the table and the schemas disagree anywhere.

Fields not in the table are untyped from there down: maps merge key by key and lists are
atomic, which is the schemas' default as well.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldMeta:
    """Merge semantics of one field; ``type`` names the struct of the value or list items."""

    type: str | None = None
    strategy: tuple[str, ...] = ()  # e.g. ("merge",), ("merge", "retainKeys"), ("retainKeys",)
    merge_key: str | None = None
    list_type: str | None = None  # "atomic" | "set" | "map" (None: not a list, or atomic)
    map_keys: tuple[str, ...] = ()

    @property
    def merges(self) -> bool:
        """True when a strategic merge patch merges this list instead of replacing it."""
        return "merge" in self.strategy


UNTYPED = FieldMeta()


def _keyed(type_: str | None, key: str, *more: str, retain: bool = False) -> FieldMeta:
    strategy = ("merge", "retainKeys") if retain else ("merge",)
    return FieldMeta(type_, strategy, key, "map", (key, *more))


_CONDITIONS = _keyed(None, "type")
_STATUS_WITH_CONDITIONS = {"conditions": _CONDITIONS}
_TEMPLATE = FieldMeta("PodTemplateSpec")
_META = FieldMeta("ObjectMeta")
_CONTAINER_FIELDS = {
    "env": _keyed(None, "name"),
    "ports": _keyed(None, "containerPort", "protocol"),
    "volumeDevices": _keyed(None, "devicePath"),
    "volumeMounts": _keyed(None, "mountPath"),
    "resources": FieldMeta("ResourceRequirements"),
}

TYPES: dict[str, dict[str, FieldMeta]] = {
    "ObjectMeta": {
        "finalizers": FieldMeta(None, ("merge",), None, "set"),
        "ownerReferences": _keyed(None, "uid"),
    },
    "Pod": {"metadata": _META, "spec": FieldMeta("PodSpec"), "status": FieldMeta("PodStatus")},
    "PodTemplateSpec": {"metadata": _META, "spec": FieldMeta("PodSpec")},
    "PodSpec": {
        "containers": _keyed("Container", "name"),
        "initContainers": _keyed("Container", "name"),
        "ephemeralContainers": _keyed("Container", "name"),
        "hostAliases": _keyed(None, "ip"),
        "imagePullSecrets": _keyed(None, "name"),
        "resourceClaims": _keyed(None, "name", retain=True),
        "schedulingGates": _keyed(None, "name"),
        "topologySpreadConstraints": _keyed(None, "topologyKey", "whenUnsatisfiable"),
        "volumes": _keyed("Volume", "name", retain=True),
        "resources": FieldMeta("ResourceRequirements"),
    },
    "Volume": {"ephemeral": FieldMeta("EphemeralVolume")},
    "EphemeralVolume": {"volumeClaimTemplate": FieldMeta("Plain")},
    "Container": _CONTAINER_FIELDS,
    "ResourceRequirements": {"claims": FieldMeta(None, (), None, "map", ("name",))},
    "PodStatus": {
        "conditions": _CONDITIONS,
        "podIPs": _keyed(None, "ip"),
        "hostIPs": FieldMeta(None, ("merge",), "ip", "atomic"),
        "resourceClaimStatuses": _keyed(None, "name", retain=True),
        "containerStatuses": FieldMeta("ContainerStatus"),
        "initContainerStatuses": FieldMeta("ContainerStatus"),
        "ephemeralContainerStatuses": FieldMeta("ContainerStatus"),
    },
    "ContainerStatus": {
        "allocatedResourcesStatus": _keyed("ResourceStatus", "name"),
        "volumeMounts": _keyed(None, "mountPath"),
        "resources": FieldMeta("ResourceRequirements"),
    },
    "ResourceStatus": {"resources": FieldMeta(None, (), None, "map", ("resourceID",))},
    "Deployment": {
        "metadata": _META,
        "spec": FieldMeta("DeploymentSpec"),
        "status": FieldMeta("WithConditions"),
    },
    "DeploymentSpec": {"template": _TEMPLATE, "strategy": FieldMeta(None, ("retainKeys",))},
    "WorkloadSpec": {"template": _TEMPLATE},
    "WithConditions": _STATUS_WITH_CONDITIONS,
    "ReplicaSet": {
        "metadata": _META,
        "spec": FieldMeta("WorkloadSpec"),
        "status": FieldMeta("WithConditions"),
    },
    "ReplicationController": {
        "metadata": _META,
        "spec": FieldMeta("WorkloadSpec"),
        "status": FieldMeta("WithConditions"),
    },
    "Job": {"metadata": _META, "spec": FieldMeta("JobSpec"), "status": FieldMeta("JobStatus")},
    "JobSpec": {"template": _TEMPLATE, "podFailurePolicy": FieldMeta("PodFailurePolicy")},
    "PodFailurePolicy": {"rules": FieldMeta("PodFailurePolicyRule")},
    "PodFailurePolicyRule": {"onExitCodes": FieldMeta("ExitCodes")},
    "ExitCodes": {"values": FieldMeta(None, (), None, "set")},
    "JobStatus": {
        "conditions": FieldMeta(None, ("merge",), "type", "atomic"),
        "uncountedTerminatedPods": FieldMeta("UncountedPods"),
    },
    "UncountedPods": {
        "failed": FieldMeta(None, (), None, "set"),
        "succeeded": FieldMeta(None, (), None, "set"),
    },
    "CronJob": {"metadata": _META, "spec": FieldMeta("CronJobSpec")},
    "CronJobSpec": {"jobTemplate": FieldMeta("JobTemplateSpec")},
    "JobTemplateSpec": {"metadata": _META, "spec": FieldMeta("JobSpec")},
    "Service": {
        "metadata": _META,
        "spec": FieldMeta("ServiceSpec"),
        "status": FieldMeta("WithConditions"),
    },
    "ServiceSpec": {"ports": _keyed(None, "port", "protocol")},
    "Node": {"metadata": _META, "spec": FieldMeta("NodeSpec"), "status": FieldMeta("NodeStatus")},
    "NodeSpec": {"podCIDRs": FieldMeta(None, ("merge",), None, "set")},
    "NodeStatus": {"addresses": _keyed(None, "type"), "conditions": _CONDITIONS},
    "Namespace": {"metadata": _META, "status": FieldMeta("WithConditions")},
    "ServiceAccount": {"metadata": _META, "secrets": _keyed(None, "name")},
    "Plain": {"metadata": _META},
}

# The root type of each kind (kinds without keyed lists below metadata share "Plain").
KIND_TYPES: dict[str, str] = {
    "Pod": "Pod",
    "Deployment": "Deployment",
    "ReplicaSet": "ReplicaSet",
    "ReplicationController": "ReplicationController",
    "Job": "Job",
    "CronJob": "CronJob",
    "Service": "Service",
    "Node": "Node",
    "Namespace": "Namespace",
    "ServiceAccount": "ServiceAccount",
    "ConfigMap": "Plain",
    "Secret": "Plain",
    "Endpoints": "Plain",
    "Event": "Plain",
    "Lease": "Plain",
    "PriorityClass": "Plain",
    "ResourceQuota": "Plain",
    "Role": "Plain",
    "RoleBinding": "Plain",
    "ClusterRole": "Plain",
    "ClusterRoleBinding": "Plain",
    "PodDisruptionBudget": "PodDisruptionBudget",
}
TYPES["PodDisruptionBudget"] = {
    "metadata": _META,
    "spec": FieldMeta("PodDisruptionBudgetSpec"),
    "status": FieldMeta("WithConditions"),
}
TYPES["PodDisruptionBudgetSpec"] = {"selector": FieldMeta(None, ("replace",))}


def root_type(kind: str) -> str | None:
    """The table type of a kind's top level (None for kinds without a table entry)."""
    return KIND_TYPES.get(kind)


def field_meta(type_name: str | None, field: str) -> FieldMeta:
    """The merge semantics of ``field`` inside a value of ``type_name`` (UNTYPED if unknown)."""
    if type_name is None:
        return UNTYPED
    return TYPES.get(type_name, {}).get(field, UNTYPED)
