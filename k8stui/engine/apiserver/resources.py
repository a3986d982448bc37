"""The API resources the simulator serves: kinds, plural names, groups, short names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    """One API resource type."""

    kind: str
    plural: str
    group: str  # "" for the core group
    version: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    """Discovery categories (``all`` makes ``kubectl get all`` list the kind)."""
    subresources: tuple[str, ...] = ("status",)
    """Subresources served besides the object (``scale``, ``log``, ``eviction`` ...)."""

    @property
    def api_version(self) -> str:
        """``v1`` or ``apps/v1``."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``pods`` or ``deployments.apps`` as kubectl names a resource in messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def singular_qualified(self) -> str:
        """``pod`` or ``deployment.apps``, as in ``deployment.apps/web created``."""
        singular = self.kind.lower()
        return f"{singular}.{self.group}" if self.group else singular


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "Pod",
        "pods",
        "",
        "v1",
        True,
        ("po",),
        ("all",),
        ("attach", "binding", "eviction", "exec", "log", "portforward", "status"),
    ),
    Resource("Node", "nodes", "", "v1", False, ("no",)),
    Resource("Namespace", "namespaces", "", "v1", False, ("ns",)),
    Resource("Service", "services", "", "v1", True, ("svc",), ("all",)),
    Resource("Endpoints", "endpoints", "", "v1", True, ("ep",), (), ()),
    Resource("Event", "events", "", "v1", True, ("ev",), (), ()),
    Resource(
        "ReplicationController",
        "replicationcontrollers",
        "",
        "v1",
        True,
        ("rc",),
        ("all",),
        ("scale", "status"),
    ),
    Resource("ConfigMap", "configmaps", "", "v1", True, ("cm",), (), ()),
    Resource(
        "ReplicaSet", "replicasets", "apps", "v1", True, ("rs",), ("all",), ("scale", "status")
    ),
    Resource(
        "Deployment", "deployments", "apps", "v1", True, ("deploy",), ("all",), ("scale", "status")
    ),
    Resource("Lease", "leases", "coordination.k8s.io", "v1", True, (), (), ()),
    Resource("DaemonSet", "daemonsets", "apps", "v1", True, ("ds",), ("all",)),
    Resource("ServiceAccount", "serviceaccounts", "", "v1", True, ("sa",), (), ("token",)),
    Resource("Secret", "secrets", "", "v1", True, (), (), ()),
    Resource("Job", "jobs", "batch", "v1", True, (), ("all",)),
    Resource("CronJob", "cronjobs", "batch", "v1", True, ("cj",), ("all",)),
    Resource("PersistentVolume", "persistentvolumes", "", "v1", False, ("pv",)),
    Resource("PersistentVolumeClaim", "persistentvolumeclaims", "", "v1", True, ("pvc",)),
    Resource("StorageClass", "storageclasses", "storage.k8s.io", "v1", False, ("sc",), (), ()),
    Resource(
        "StatefulSet", "statefulsets", "apps", "v1", True, ("sts",), ("all",), ("scale", "status")
    ),
    Resource("ControllerRevision", "controllerrevisions", "apps", "v1", True, (), (), ()),
)

BY_KIND: dict[str, Resource] = {r.kind: r for r in RESOURCES}

ENDPOINT_SLICE = Resource(
    "EndpointSlice", "endpointslices", "discovery.k8s.io", "v1", True, (), (), ()
)
DERIVED: tuple[Resource, ...] = (ENDPOINT_SLICE,)
"""Read-only kinds the API derives from stored ones (``server/derived.py``), never stored."""
METRICS: tuple[Resource, ...] = (
    Resource("NodeMetrics", "nodes", "metrics.k8s.io", "v1beta1", False, (), (), ()),
    Resource("PodMetrics", "pods", "metrics.k8s.io", "v1beta1", True, (), (), ()),
)
"""What metrics-server adds (``kubectl top``), derived from the usage model; never stored."""
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
DERIVED_VERBS = ["get", "list"]


def verbs_of(res: Resource) -> list[str]:
    """What clients may do with a resource (discovery and ``kubectl api-resources -o wide``)."""
    return DERIVED_VERBS if res in DERIVED or res in METRICS else VERBS


def resource_for(kind: str) -> Resource:
    """The resource of a kind (KeyError for kinds the simulator does not serve)."""
    return BY_KIND[kind]


# The real API server lists groups by priority (core first, then apps, ...) and the resources
# of a group-version alphabetically; discovery and ``kubectl get all`` follow that order.
_GROUP_ORDER = (
    "",
    "apps",
    "events.k8s.io",
    "autoscaling",
    "batch",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
)


def discovery_order() -> list[Resource]:
    """Every resource in the order the real API server's discovery lists them."""

    def rank(res: Resource) -> tuple[int, str, str]:
        known = res.group in _GROUP_ORDER
        return (
            _GROUP_ORDER.index(res.group) if known else len(_GROUP_ORDER),
            res.group,
            res.plural,
        )

    return sorted(RESOURCES, key=rank)


def served() -> list[Resource]:
    """The table's resources in discovery order, then the derived read-only ones."""
    return [*discovery_order(), *DERIVED, *METRICS]
