"""The simulated etcd: versioned object storage with change notifications.

Objects are Kubernetes JSON dicts, stored by reference. Readers must treat what ``get`` and
``list`` return as read-only; writers pass a new (shallow-copied) dict to ``update`` so that
watchers receive distinct old and new versions without the cost of deep copies.

Events of the recorder's shape are the exception: they are kept as a tuple of their values
(``event_form``, a third of the memory) and every read builds an equal dict of them anew.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any, overload

from k8stui.engine.clock import to_timestamp
from k8stui.engine.event_form import Frozen, event_dict, freeze, frozen_event, thaw
from k8stui.engine.names import new_uid_number, uid_text

Obj = dict[str, Any]
StrList = list[str]
ObjList = list[Obj]  # spelled out here: the classes below define a list() method
Watcher = Callable[[str, Obj | None, Obj | None], None]
Stored = Obj | Frozen

CLUSTER_SCOPED = frozenset({"Node", "Namespace", "PersistentVolume", "StorageClass"})
# Kinds whose writes do not wake controllers (nobody reconciles them).
_UNWATCHED = frozenset({"Event", "Lease"})
# The kind kept in a compact form where its shape allows (see event_form); reads thaw it.
_COMPACT = "Event"


class Conflict(Exception):
    """Raised when an object with the same key already exists."""


class NotFound(Exception):
    """Raised when an object is missing."""


def object_key(obj: Obj) -> tuple[str, str, str]:
    """(kind, namespace, name) of an object; cluster-scoped kinds use the empty namespace."""
    meta = obj.get("metadata") or {}
    kind = obj.get("kind", "")
    namespace = "" if kind in CLUSTER_SCOPED else meta.get("namespace") or "default"
    return kind, namespace, meta.get("name", "")


class Store:
    """Objects by kind, with a monotonic revision like etcd's."""

    def __init__(self, now: Callable[[], int], rng: random.Random) -> None:
        self._now = now
        self._rng = rng
        self._objects: dict[str, dict[tuple[str, str], Stored]] = {}
        self._pods_by_node: dict[str, dict[tuple[str, str], Obj]] = {}
        self._by_owner: dict[str, dict[tuple[str, str, str], None]] = {}
        self._watchers: dict[str | None, list[Watcher]] = {None: []}
        self._ranks: dict[Watcher, int] = {}
        self._dispatch: dict[str, list[Watcher]] = {}
        self._observers: list[Watcher] = []
        self.revision = 0

    # -- watching -------------------------------------------------------------------------
    def watch(self, watcher: Watcher, kinds: tuple[str, ...] | None = None) -> None:
        """Call ``watcher(kind, new, old)`` after every write (new None on delete).

        With ``kinds``, only writes of those kinds are delivered. Watchers run in the order
        they registered, whatever their kinds.
        """
        self._dispatch.clear()
        rank = len(self._ranks)
        for kind in kinds or (None,):
            self._watchers.setdefault(kind, []).append(watcher)
            self._ranks[watcher] = rank

    def observe(self, observer: Watcher) -> None:
        """Call ``observer(kind, new, old)`` after every write of every kind, Events and
        Leases included (API watch streams; nothing that decides anything in the engine)."""
        self._observers.append(observer)

    def _notify(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        for observer in self._observers:
            observer(kind, new, old)
        if kind in _UNWATCHED:
            return
        targets = self._dispatch.get(kind)
        if targets is None:
            merged = self._watchers[None] + self._watchers.get(kind, [])
            targets = self._dispatch[kind] = sorted(merged, key=self._ranks.__getitem__)
        for watcher in targets:
            watcher(kind, new, old)

    # -- reads ----------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        """The stored object, or None."""
        ns = "" if kind in CLUSTER_SCOPED else namespace
        return _read(self._objects.get(kind, {}).get((ns, name)))

    def list(self, kind: str, namespace: str | None = None) -> ObjList:
        """Objects of ``kind`` in creation order; ``namespace=None`` means all namespaces."""
        objs = self._objects.get(kind, {})
        if kind == _COMPACT:
            return [_read(o) for (ns, _n), o in objs.items() if namespace in (None, ns)]
        if namespace is None or kind in CLUSTER_SCOPED:
            return list(objs.values())  # type: ignore[arg-type]  # (only Events are kept frozen)
        return [o for (ns, _n), o in objs.items() if ns == namespace]  # type: ignore[misc]

    def iter_kind(self, kind: str) -> Iterator[Obj]:
        """Iterate without copying the list (callers must not write while iterating)."""
        objs = self._objects.get(kind, {})
        if kind == _COMPACT:
            return map(_read, objs.values())
        return iter(objs.values())  # type: ignore[arg-type]

    def pods_on_node(self, node: str) -> ObjList:
        """Pods bound to ``node``, by namespace and name (an index kept on every write).

        Sorted so the order does not depend on the history of writes, which a snapshot
        does not keep: a restored cluster must iterate exactly like the original.
        """
        bucket = self._pods_by_node.get(node, {})
        return [bucket[k] for k in sorted(bucket)]

    def owned(self, owner_uid: str, kind: str | None = None) -> ObjList:
        """Objects with an ownerReference to ``owner_uid`` (optionally of one kind)."""
        found = []
        for k, ns, name in sorted(self._by_owner.get(owner_uid, {})):
            if kind is None or k == kind:
                obj = _read(self._objects.get(k, {}).get((ns, name)))
                if obj is not None:
                    found.append(obj)
        return found

    def count(self, kind: str | None = None) -> int:
        """Number of stored keys, in total or for one kind."""
        if kind is not None:
            return len(self._objects.get(kind, {}))
        return sum(len(v) for v in self._objects.values())

    def kinds(self) -> StrList:
        """Kinds that have at least one object."""
        return [k for k, v in self._objects.items() if v]

    # -- writes ---------------------------------------------------------------------------
    def create(self, obj: Obj) -> Obj:
        """Store a new object: assigns uid, resourceVersion, creationTimestamp, generation."""
        kind, ns, name = object_key(obj)
        bucket = self._objects.setdefault(kind, {})
        if (ns, name) in bucket:
            raise Conflict(name)
        meta = dict(obj.get("metadata") or {})
        if kind not in CLUSTER_SCOPED:
            meta["namespace"] = ns
        uid = None
        if "uid" not in meta:  # (setdefault would draw from the RNG even when unused)
            uid = new_uid_number(self._rng)
            meta["uid"] = uid_text(uid)
        meta.setdefault("creationTimestamp", to_timestamp(self._now()))
        if "spec" in obj and kind not in ("Pod", "Service", "Node"):
            meta["generation"] = 1
        self.revision += 1
        meta["resourceVersion"] = str(self.revision)
        new = {**obj, "metadata": meta}
        if kind == _COMPACT:  # (the numbers just made need not be parsed back)
            bucket[(ns, name)] = freeze(new, uid, self.revision) or new
        else:
            bucket[(ns, name)] = new
        self._index(kind, ns, name, None, new)
        self._notify(kind, new, None)
        return new

    def create_event(self, namespace: str, name: str, values: tuple[Any, ...]) -> None:
        """:meth:`create` of an Event of the recorder's shape, given as the values that follow
        its metadata (``event_form.frozen_event``): kept in its compact form straight away,
        without the dict, unless an observer is to be handed one. Same uid, stamps and
        revision as :meth:`create`."""
        if self._observers:
            self.create(event_dict(name, namespace, values))
            return
        bucket = self._objects.setdefault(_COMPACT, {})
        if (namespace, name) in bucket:
            raise Conflict(name)
        uid = new_uid_number(self._rng)
        created = to_timestamp(self._now())
        self.revision += 1
        bucket[(namespace, name)] = frozen_event(
            name, namespace, uid, created, self.revision, values
        )

    def update(self, obj: Obj, *, spec_changed: bool | None = None) -> Obj:
        """Replace a stored object; bumps generation when ``spec`` changed (for workloads)."""
        kind, ns, name = object_key(obj)
        bucket = self._objects.get(kind, {})
        old = _read(bucket.get((ns, name)))
        if old is None:
            raise NotFound(name)
        meta = dict(obj.get("metadata") or {})
        if "generation" in meta:
            changed = (
                spec_changed if spec_changed is not None else obj.get("spec") != old.get("spec")
            )
            if changed:
                meta["generation"] = int(meta["generation"]) + 1
        self.revision += 1
        meta["resourceVersion"] = str(self.revision)
        new = {**obj, "metadata": meta}
        bucket[(ns, name)] = _stored(kind, new)
        self._index(kind, ns, name, old, new)
        self._notify(kind, new, old)
        return new

    def delete(self, kind: str, namespace: str, name: str) -> Obj:
        """Remove an object for good and return its last version."""
        ns = "" if kind in CLUSTER_SCOPED else namespace
        bucket = self._objects.get(kind, {})
        old = _read(bucket.pop((ns, name), None))
        if old is None:
            raise NotFound(name)
        self.revision += 1
        self._index(kind, ns, name, old, None)
        self._notify(kind, None, old)
        return old

    def discard(self, kind: str, namespace: str, name: str) -> bool:
        """:meth:`delete` the object if it is stored; whether it was.

        A compact Event nobody can see go (no observer; watchers never see Events) is
        dropped without being thawed back into a dict first.
        """
        ns = "" if kind in CLUSTER_SCOPED else namespace
        bucket = self._objects.get(kind, {})
        stored = bucket.get((ns, name))
        if stored is None:
            return False
        if type(stored) is not tuple or self._observers:
            self.delete(kind, namespace, name)
            return True
        del bucket[(ns, name)]
        self.revision += 1  # (compact Events have no owners to unindex)
        return True

    def _index(self, kind: str, ns: str, name: str, old: Obj | None, new: Obj | None) -> None:
        """Keep the owner and node indexes of the object at (kind, ns, name) current.

        Most writes are status writes that keep the owners and the node: those cost two
        lookups (bucket order does not matter, readers sort).
        """
        old_refs = old.get("metadata", {}).get("ownerReferences") if old is not None else None
        new_refs = new.get("metadata", {}).get("ownerReferences") if new is not None else None
        if old_refs is not new_refs and old_refs != new_refs:
            entry = (kind, ns, name)
            for ref in old_refs or ():
                owner = str(ref.get("uid", ""))
                bucket = self._by_owner.setdefault(owner, {})
                bucket.pop(entry, None)
                if not bucket:  # owners come and go: keep no empty buckets
                    del self._by_owner[owner]
            for ref in new_refs or ():
                self._by_owner.setdefault(str(ref.get("uid", "")), {})[entry] = None
        if kind != "Pod":
            return
        old_node = (old.get("spec") or {}).get("nodeName") if old is not None else None
        new_node = (new.get("spec") or {}).get("nodeName") if new is not None else None
        if old_node and old_node != new_node:
            self._pods_by_node.get(old_node, {}).pop((ns, name), None)
        if new_node and new is not None:
            self._pods_by_node.setdefault(new_node, {})[(ns, name)] = new

    # -- snapshot -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Every object, kind by kind, in creation order."""
        return {
            "revision": self.revision,
            "objects": {k: list(map(_read, v.values())) for k, v in self._objects.items()},
        }

    def load_json(self, data: dict[str, Any]) -> None:
        """Replace the contents without notifying watchers (restore path)."""
        self.revision = int(data["revision"])
        self._objects = {}
        self._pods_by_node = {}
        self._by_owner = {}
        for kind, objs in data["objects"].items():
            bucket = self._objects.setdefault(kind, {})
            for obj in objs:
                _k, ns, name = object_key(obj)
                bucket[(ns, name)] = _stored(kind, obj)
                self._index(kind, ns, name, None, obj)


def _stored(kind: str, obj: Obj) -> Stored:
    """What the store keeps for ``obj``: its compact form when it has one."""
    if kind == _COMPACT:
        return freeze(obj) or obj
    return obj


@overload
def _read(stored: Stored) -> Obj: ...
@overload
def _read(stored: Stored | None) -> Obj | None: ...
def _read(stored: Stored | None) -> Obj | None:
    """The object as written (a compact Event thawed into an equal dict)."""
    return thaw(stored) if type(stored) is tuple else stored  # type: ignore[return-value]
