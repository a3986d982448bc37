"""The API on a background thread with its own loop, for synchronous callers.

``k8stui shell --api``, the tests and the benchmarks use it. Every touch of the cluster from
the caller's thread goes through :meth:`BackgroundServer.call`, which runs it on the server's
loop: the engine is only ever used from one thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from k8stui.server.runner import ApiRunner, ServeOptions
from k8stui.server.state import Host

T = TypeVar("T")
START_TIMEOUT = 30.0


class BackgroundServer:
    """Serve ``host`` on a daemon thread; stops at :meth:`stop` or after ``lifetime`` seconds."""

    def __init__(
        self, host: Host, options: ServeOptions | None = None, lifetime: float | None = None
    ) -> None:
        self.runner = ApiRunner(host, options)
        self.kubeconfig = ""
        self._lifetime = lifetime
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="k8stui-api", daemon=True)
        self._started: Future[str] = Future()

    def start(self) -> str:
        """Start serving; returns the kubeconfig text (raises what binding raised)."""
        self._thread.start()
        self.kubeconfig = self._started.result(START_TIMEOUT)
        return self.kubeconfig

    @property
    def port(self) -> int:
        """The bound port."""
        return self.runner.port

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        try:
            text = await self.runner.start()
        except BaseException as exc:
            self._started.set_exception(exc)
            return
        self._started.set_result(text)
        try:
            await asyncio.wait_for(self._stopped.wait(), self._lifetime)
        except TimeoutError:
            pass
        finally:
            await self.runner.stop()

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function()`` on the server's loop thread and return its result."""
        assert self._loop is not None

        async def invoke() -> T:
            return function()

        return asyncio.run_coroutine_threadsafe(invoke(), self._loop).result()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._loop is not None and self._stopped is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(timeout=10)
