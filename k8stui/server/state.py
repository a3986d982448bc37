"""What every handler shares: the served cluster (through its host), the watch hub, the clock map."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import Files
from k8stui.server.cli_args import KUBE_VERSIONS
from k8stui.server.timeshift import TimeMap
from k8stui.server.watch import WatchHub


class Host(Protocol):
    """Whoever owns the cluster: a console Session or a game LevelRun (``sim load`` may swap it)."""

    cluster: Cluster
    files: Files


@dataclass(frozen=True)
class ApiRequest:
    """One resource request as the game's goals see it (see docs/api.md)."""

    verb: str
    resource: str
    namespace: str | None
    name: str | None
    subresource: str | None
    code: int

    @property
    def command_line(self) -> str:
        """A ``kubectl <verb> <resource> [<name>]`` line for ``command`` goals."""
        words = ["kubectl", self.verb, self.resource]
        if self.name:
            words.append(self.name)
        return " ".join(words)


@dataclass
class ServerState:
    """Shared by all handlers of one server."""

    host: Host
    hub: WatchHub
    token: str
    kube_version: str = "1.32"
    sim_enabled: bool = True
    on_request: Callable[[ApiRequest], None] | None = None
    address: str = "127.0.0.1:0"
    last_request: float = 0.0
    """Loop time of the latest request (tests wait for clients to go quiet)."""
    timings: list[float] | None = None
    """When a list, each request's server time (seconds) is appended (benchmarks)."""

    @property
    def cluster(self) -> Cluster:
        """The cluster now being served (the hub follows it across ``sim load``)."""
        cluster = self.host.cluster
        self.hub.attach(cluster)
        return cluster

    def time_map(self) -> TimeMap:
        """The sim-to-wall mapping at this moment."""
        cluster = self.host.cluster
        return TimeMap(lambda: cluster.now_ms)

    @classmethod
    def create(cls, host: Host, token: str, **options: Any) -> ServerState:
        """A state bound to the running loop (call from inside it)."""
        state = cls(host=host, hub=WatchHub(asyncio.get_running_loop()), token=token, **options)
        state.hub.attach(host.cluster)
        return state

    def version_info(self) -> dict[str, str]:
        """``/version``: the --kube-version (which picks the kubectl the dispatcher runs)."""
        git = KUBE_VERSIONS.get(self.kube_version, KUBE_VERSIONS["1.32"])
        minor = git.split(".")[1]
        return {
            "major": "1",
            "minor": minor,
            "gitVersion": git,
            "gitCommit": "k8stui",
            "gitTreeState": "clean",
            "buildDate": "2025-01-01T00:00:00Z",
            "goVersion": "go1.23.6",
            "compiler": "gc",
            "platform": "linux/amd64",
        }
