"""The read-only window onto the cluster that printers and describers need.

The engine implements this protocol; printers never touch engine internals, so they can be
tested with plain dicts and a tiny fake view.
"""

from __future__ import annotations

import builtins
from typing import Any, Protocol


class ClusterView(Protocol):
    """What kubectl's printers may ask of the cluster."""

    @property
    def now_ms(self) -> int:
        """Current simulated time in milliseconds."""
        ...

    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        """One object by key (cluster-scoped kinds use ``""`` as namespace), or None."""
        ...

    def list(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """All objects of a kind in a namespace (``None`` = every namespace)."""
        ...

    # ``builtins.list``: inside the class body ``list`` names the method above.
    def events_for(self, obj: dict[str, Any]) -> builtins.list[dict[str, Any]]:
        """Event objects whose involvedObject is ``obj``, in time order."""
        ...
