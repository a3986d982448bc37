"""Helpers for the API tests: a paused cluster served on 127.0.0.1:0 for one test module."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.kubectl.files import RealFiles
from k8stui.server.background import BackgroundServer
from k8stui.server.runner import ServeOptions

LIFETIME = 600.0
"""A test server stops by itself after this long, whatever happens to the test run."""
KUBECTL = shutil.which("kubectl")


@dataclass
class Served:
    """A running test server and what a client needs to reach it."""

    server: BackgroundServer
    session: Session
    kubeconfig: Path
    cache_dir: Path

    def kubectl_env(self) -> dict[str, str]:
        """Environment for the real kubectl: this kubeconfig, a private cache and HOME."""
        return {
            **os.environ,
            "KUBECONFIG": str(self.kubeconfig),
            "KUBECACHEDIR": str(self.cache_dir),
            "HOME": str(self.cache_dir),
        }

    def kubectl(
        self, *words: str, timeout: float = 60, stdin: str | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the real kubectl against this server."""
        assert KUBECTL is not None
        return subprocess.run(
            [KUBECTL, *words],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.kubectl_env(),
            input=stdin,
            check=False,
        )

    def advance(self, seconds: float) -> None:
        """Move the paused clock (on the server's thread)."""
        self.server.call(lambda: self.session.cluster.advance(seconds))


def new_session(seed: int = 0, nodes: int = 3, cwd: str = ".") -> Session:
    """A fresh, settled console session on a seeded cluster."""
    cluster = Cluster(ClusterConfig(seed=seed, nodes=default_nodes(nodes)))
    return Session(cluster, RealFiles(cwd))


@contextmanager
def served(tmp: Path, session: Session | None = None, **options: object) -> Iterator[Served]:
    """Serve ``session`` (a new seed-0 one by default), paused, until the block ends."""
    session = session or new_session()
    server = BackgroundServer(session, ServeOptions(**options), lifetime=LIFETIME)  # type: ignore[arg-type]
    text = server.start()
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "kubeconfig"
    path.write_text(text, encoding="utf-8")
    cache = tmp / "kube-cache"
    cache.mkdir(exist_ok=True)
    try:
        yield Served(server, session, path, cache)
    finally:
        server.stop()
