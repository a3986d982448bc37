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
    Resource("Pod", "pods", "", "v1", True, ("po",)),
    Resource("Node", "nodes", "", "v1", False, ("no",)),
    Resource("Namespace", "namespaces", "", "v1", False, ("ns",)),
    Resource("Service", "services", "", "v1", True, ("svc",)),
    Resource("Endpoints", "endpoints", "", "v1", True, ("ep",)),
    Resource("Event", "events", "", "v1", True, ("ev",)),
    Resource("ReplicationController", "replicationcontrollers", "", "v1", True, ("rc",)),
    Resource("ConfigMap", "configmaps", "", "v1", True, ("cm",)),
    Resource("ReplicaSet", "replicasets", "apps", "v1", True, ("rs",)),
    Resource("Deployment", "deployments", "apps", "v1", True, ("deploy",)),
    Resource("Lease", "leases", "coordination.k8s.io", "v1", True, ()),
)

BY_KIND: dict[str, Resource] = {r.kind: r for r in RESOURCES}


def resource_for(kind: str) -> Resource:
    """The resource of a kind (KeyError for kinds the simulator does not serve)."""
    return BY_KIND[kind]
