"""Stopping and starting control-plane components (``sim stop-component``, CKA troubleshooting).

A stopped component does no work: its timed work is held back and released, in order, when
it starts again. With the scheduler down new pods stay Pending without an event; with the
controller manager down nothing is replaced, scaled or evicted. etcd and the API server take
the whole control plane with them (nothing can read or write), and kubectl fails as it does
against such a cluster. Stopping a static-pod component removes its manifest, so the
kubelet stops the container and the mirror pod disappears; starting puts both back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]

COMPONENTS = ("apiserver", "controller-manager", "etcd", "scheduler")
STATIC_POD = {
    "apiserver": "kube-apiserver",
    "controller-manager": "kube-controller-manager",
    "etcd": "etcd",
    "scheduler": "kube-scheduler",
}
# The static pods' names are what a player sees in kube-system, so they name components too.
_BY_POD_NAME = {pod: component for component, pod in STATIC_POD.items()}
# Timed work by component (queue action prefixes).
_SCHEDULER = ("scheduler.",)
_CONTROLLER_MANAGER = (
    "replication.",
    "deployment.",
    "daemonset.",
    "nodelifecycle.",
    "taint.",
    "podgc.",
    "endpoints.",
    "serviceaccounts.",
    "rootca.",
)
_APISERVER = ("apiserver.",)
APISERVER_REFUSED = (
    "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host "
    "or port?"
)
ETCD_TIMEOUT = "Error from server: etcdserver: request timed out"


class ComponentError(ValueError):
    """An unknown component, or one already in the requested state."""


class ControlPlane:
    """Which components run, and the work held back for the stopped ones."""

    def __init__(self) -> None:
        self.stopped: list[str] = []
        self.held: list[list[Any]] = []
        self._prefixes: tuple[str, ...] = ()
        self.on_change: list[Callable[[str, bool], None]] = []

    def is_running(self, component: str) -> bool:
        """Whether ``component`` runs."""
        return component not in self.stopped

    def api_error(self) -> str | None:
        """What a client gets from the API right now (None when it answers)."""
        if "apiserver" in self.stopped:
            return APISERVER_REFUSED
        if "etcd" in self.stopped:
            return ETCD_TIMEOUT
        return None

    def stop(self, component: str) -> None:
        """Stop ``component`` (one of :data:`COMPONENTS`, or its static pod's name)."""
        component = _check(component)
        if component in self.stopped:
            raise ComponentError(f"{component} is already stopped")
        self.stopped.append(component)
        self._refresh()
        for listener in self.on_change:
            listener(component, False)

    def start(self, component: str) -> list[list[Any]]:
        """Start ``component``; returns the held work it may now run (``[at, action, payload]``).

        ``component`` may also be its static pod's name (``kube-scheduler``).
        """
        component = _check(component)
        if component not in self.stopped:
            raise ComponentError(f"{component} is already running")
        self.stopped.remove(component)
        self._refresh()
        released = [item for item in self.held if not self.holds(item[1])]
        self.held = [item for item in self.held if self.holds(item[1])]
        for listener in self.on_change:
            listener(component, True)
        return released

    def holds(self, action: str) -> bool:
        """Whether work named ``action`` belongs to a stopped component."""
        return bool(self._prefixes) and action.startswith(self._prefixes)

    def hold(self, at: int, action: str, payload: Obj) -> None:
        """Keep one piece of due work until its component starts."""
        self.held.append([at, action, payload])

    def _refresh(self) -> None:
        prefixes: tuple[str, ...] = ()
        down = set(self.stopped)
        if down & {"apiserver", "etcd"}:
            prefixes = _SCHEDULER + _CONTROLLER_MANAGER + _APISERVER
        else:
            if "scheduler" in down:
                prefixes += _SCHEDULER
            if "controller-manager" in down:
                prefixes += _CONTROLLER_MANAGER
        self._prefixes = prefixes

    def to_json(self) -> dict[str, Any]:
        """Plain-data state."""
        return {"stopped": list(self.stopped), "held": [list(i) for i in self.held]}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.stopped = list(data.get("stopped", []))
        self.held = [list(i) for i in data.get("held", [])]
        self._refresh()


def _check(component: str) -> str:
    """The short name of ``component`` (given short or as its static pod's name)."""
    component = _BY_POD_NAME.get(component, component)
    if component not in COMPONENTS:
        raise ComponentError(f'unknown component "{component}" (one of: {", ".join(COMPONENTS)})')
    return component
