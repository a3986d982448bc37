"""API discovery, generated from the engine's one resource table (``RESOURCES``).

Both formats kubectl reads: aggregated (``apidiscovery.k8s.io/v2`` and ``v2beta1``, chosen by
the Accept header, answered with the matching Content-Type, which is all the client looks
at) and legacy (``/api``, ``/api/v1``, ``/apis``, ``/apis/<g>``, ``/apis/<g>/<v>``), which
``kubectl drain`` reads directly to find ``pods/eviction``.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.resources import Resource, served, verbs_of

Obj = dict[str, Any]

_SUB_KIND: dict[str, tuple[str, str, str, list[str]]] = {
    # subresource: (group, version, kind, verbs); "" kind = the resource's own kind.
    "status": ("", "", "", ["get", "patch", "update"]),
    "scale": ("autoscaling", "v1", "Scale", ["get", "patch", "update"]),
    "log": ("", "v1", "Pod", ["get"]),
    "eviction": ("policy", "v1", "Eviction", ["create"]),
    "binding": ("", "v1", "Binding", ["create"]),
    "exec": ("", "v1", "PodExecOptions", ["create", "get"]),
    "attach": ("", "v1", "PodAttachOptions", ["create", "get"]),
    "portforward": ("", "v1", "PodPortForwardOptions", ["create", "get"]),
}
AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


def group_versions() -> dict[str, list[str]]:
    """Group name ("" for core) -> its versions, in discovery order."""
    found: dict[str, list[str]] = {}
    for res in served():
        versions = found.setdefault(res.group, [])
        if res.version not in versions:
            versions.append(res.version)
    return found


def resources_of(group: str, version: str) -> list[Resource]:
    """The resources served under one group-version."""
    return [r for r in served() if r.group == group and r.version == version]


def _sub_kind(res: Resource, sub: str) -> tuple[str, str, str, list[str]]:
    group, version, kind, verbs = _SUB_KIND.get(sub, ("", "", "", ["get"]))
    if not kind:
        return res.group, res.version, res.kind, verbs
    return group, version, kind, verbs


def _aggregated_resource(res: Resource) -> Obj:
    entry: Obj = {
        "resource": res.plural,
        "responseKind": {"group": res.group, "version": res.version, "kind": res.kind},
        "scope": "Namespaced" if res.namespaced else "Cluster",
        "singularResource": res.kind.lower(),
        "verbs": verbs_of(res),
    }
    if res.short_names:
        entry["shortNames"] = list(res.short_names)
    if res.categories:
        entry["categories"] = list(res.categories)
    subs = []
    for sub in res.subresources:
        group, version, kind, verbs = _sub_kind(res, sub)
        subs.append(
            {
                "subresource": sub,
                "responseKind": {"group": group, "version": version, "kind": kind},
                "verbs": verbs,
            }
        )
    if subs:
        entry["subresources"] = subs
    return entry


def aggregated(core: bool, version: str = "v2") -> Obj:
    """``/api`` (core=True) or ``/apis`` as an APIGroupDiscoveryList."""
    items = []
    for group, versions in group_versions().items():
        if (group == "") != core:
            continue
        item: Obj = {
            "metadata": {"name": group, "creationTimestamp": None} if group else {},
            "versions": [
                {
                    "version": v,
                    "resources": [_aggregated_resource(r) for r in resources_of(group, v)],
                    "freshness": "Current",
                }
                for v in versions
            ],
        }
        items.append(item)
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": items,
    }


def wants_aggregated(accept: str) -> str | None:
    """The aggregated media type the client asked for first, or None for legacy."""
    for part in accept.split(","):
        params = {p.strip() for p in part.split(";")}
        if "as=APIGroupDiscoveryList" in params and "g=apidiscovery.k8s.io" in params:
            if "v=v2" in params:
                return AGGREGATED_V2
            if "v=v2beta1" in params:
                return AGGREGATED_V2BETA1
    return None


def api_versions(address: str) -> Obj:
    """Legacy ``/api``."""
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}],
    }


def _api_group(group: str, versions: list[str]) -> Obj:
    listed = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"name": group, "versions": listed, "preferredVersion": listed[0]}


def api_group_list() -> Obj:
    """Legacy ``/apis``."""
    groups = [_api_group(g, vs) for g, vs in group_versions().items() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> Obj | None:
    """Legacy ``/apis/<group>``, or None for a group we do not serve."""
    versions = group_versions().get(group)
    if not group or versions is None:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_api_group(group, versions)}


def resource_list(group: str, version: str) -> Obj | None:
    """Legacy ``/api/v1`` or ``/apis/<g>/<v>`` as an APIResourceList, or None."""
    served = resources_of(group, version)
    if not served:
        return None
    resources: list[Obj] = []
    for res in served:
        entry: Obj = {
            "name": res.plural,
            "singularName": res.kind.lower(),
            "namespaced": res.namespaced,
            "kind": res.kind,
            "verbs": verbs_of(res),
        }
        if res.short_names:
            entry["shortNames"] = list(res.short_names)
        if res.categories:
            entry["categories"] = list(res.categories)
        resources.append(entry)
        for sub in res.subresources:
            sub_group, sub_version, kind, verbs = _sub_kind(res, sub)
            item: Obj = {
                "name": f"{res.plural}/{sub}",
                "singularName": "",
                "namespaced": res.namespaced,
                "kind": kind,
                "verbs": verbs,
            }
            if (sub_group, sub_version) != (group, version):
                item["group"] = sub_group
                item["version"] = sub_version
            resources.append(item)
    group_version = f"{group}/{version}" if group else version
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }
