"""Which Services, RCs and RSs select a pod, for the scheduler's default topology spreading.

Kept per namespace by the cluster and updated as those objects change.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.selectors import Selector, from_equality, from_label_selector

Obj = dict[str, Any]

SPREAD_KINDS = ("Service", "ReplicationController", "ReplicaSet")


def pod_selector(kind: str, obj: Obj) -> Selector | None:
    """The pod selector of a Service, RC (equality map) or RS (LabelSelector); None if empty."""
    spec = obj.get("spec") or {}
    if kind == "ReplicaSet":
        sel = from_label_selector(spec.get("selector"))
    else:
        sel = from_equality(spec.get("selector"))
    return None if sel.empty else sel


class SelectorIndex:
    """The pod selectors of one namespace, indexed by one ``key=value`` each requires.

    A pod only needs checking against selectors that require one of its own labels, which
    keeps default spreading cheap with thousands of ReplicaSets in a namespace. Entries are
    kept by (kind, name) and returned in that order, so the result does not depend on the
    history of writes.
    """

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], tuple[Selector, tuple[str, str] | None]] = {}
        self.by_label: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self.always: set[tuple[str, str]] = set()

    def put(self, key: tuple[str, str], sel: Selector | None) -> None:
        """Add, replace (or with None, remove) the selector of one object."""
        old = self.entries.pop(key, None)
        if old is not None:
            anchor = old[1]
            (self.always if anchor is None else self.by_label[anchor]).discard(key)
        if sel is None:
            return
        req = next((r for r in sel.requirements if r.operator == "In" and len(r.values) == 1), None)
        anchor = None if req is None else (req.key, req.values[0])
        self.entries[key] = (sel, anchor)
        if anchor is None:
            self.always.add(key)
        else:
            self.by_label.setdefault(anchor, set()).add(key)

    def matching(self, labels: dict[str, str]) -> list[Selector]:
        """Selectors that match ``labels``, ordered by (kind, name)."""
        keys = set(self.always)
        for item in labels.items():
            keys |= self.by_label.get(item, set())
        found = []
        for key in sorted(keys, key=lambda k: (SPREAD_KINDS.index(k[0]), k[1])):
            sel = self.entries[key][0]
            if sel.matches(labels):
                found.append(sel)
        return found
