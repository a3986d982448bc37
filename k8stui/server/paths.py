"""Kubernetes REST paths to (resource, namespace, name, subresource)."""

from __future__ import annotations

from dataclasses import dataclass

from k8stui.engine.apiserver.resources import RESOURCES, Resource
from k8stui.server.derived import DERIVED

_BY_PATH: dict[tuple[str, str, str], Resource] = {
    (r.group, r.version, r.plural): r for r in (*RESOURCES, *DERIVED)
}
_MAX_SEGMENTS = 12


@dataclass(frozen=True)
class Target:
    """What a resource path names; ``name`` None means the collection."""

    res: Resource
    namespace: str | None
    name: str | None
    subresource: str | None


class NoRoute(Exception):
    """A path that names no resource we serve (404)."""


def _resource(group: str, version: str, plural: str) -> Resource:
    res = _BY_PATH.get((group, version, plural))
    if res is None:
        raise NoRoute(plural)
    return res


def parse(path: str) -> Target:
    """Parse ``/api/v1/...`` or ``/apis/<g>/<v>/...`` below the group-version."""
    parts = [p for p in path.split("/") if p]
    if len(parts) > _MAX_SEGMENTS:
        raise NoRoute(path)
    if parts[:1] == ["api"] and len(parts) >= 3:
        group, version, rest = "", parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 4:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        raise NoRoute(path)
    if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in ("status", "finalize"):
        namespace = rest[1]
        res = _resource(group, version, rest[2])
        if not res.namespaced:
            raise NoRoute(path)
        name = rest[3] if len(rest) >= 4 else None
        sub = rest[4] if len(rest) >= 5 else None
        if len(rest) > 5:
            raise NoRoute(path)
        return Target(res, namespace, name, sub)
    res = _resource(group, version, rest[0])
    name = rest[1] if len(rest) >= 2 else None
    sub = rest[2] if len(rest) >= 3 else None
    if len(rest) > 3 or (res.namespaced and name is not None):
        raise NoRoute(path)
    return Target(res, None, name, sub)
