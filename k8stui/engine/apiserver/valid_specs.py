"""Pod specs the API server found valid, remembered for the pods made after them.

A controller makes its pods from one template, so after defaulting each of a ReplicaSet's
pods carries a spec equal to the one before it. Whether a spec's quantities decode and
whether it passes validation depend on the spec alone, so once one passed, an equal one
(the same ``repr``: types and key order count) passes too, and only the rest of the pod
needs checking. Bounded: the oldest is forgotten first, and long specs are not remembered
(hostile input is not kept around).
"""

from __future__ import annotations

from typing import Any

KEEP = 1024
"""Specs remembered."""
LONGEST = 16_384
"""Specs whose ``repr`` is longer are not remembered."""


class ValidSpecs:
    """A bounded memory of pod specs that passed the quantity decoding and validation."""

    def __init__(self) -> None:
        self._known: dict[str, None] = {}

    def key(self, obj: Any) -> str | None:
        """The memory's key for a Pod's spec (None for other kinds, odd shapes, long specs)."""
        if type(obj) is not dict or obj.get("kind") != "Pod":
            return None
        spec = obj.get("spec")
        if type(spec) is not dict:
            return None
        text = repr(spec)
        return text if len(text) <= LONGEST else None

    def known(self, key: str | None) -> bool:
        """Whether a spec with this key passed before."""
        return key is not None and key in self._known

    def add(self, key: str | None) -> None:
        """A spec with this key passed."""
        if key is None or key in self._known:
            return
        if len(self._known) >= KEEP:
            del self._known[next(iter(self._known))]
        self._known[key] = None
