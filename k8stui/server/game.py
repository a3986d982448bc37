"""The game's API: serve the running level's cluster in the app's own loop.

The play screen calls :meth:`GameApi.start` (one key, see docs/api.md) and shows
:attr:`GameApi.hint`. The game drives the clock itself, so the runner does not; the ``sim``
endpoint is off (the game's clock and waves belong to the game). Each resource request is
offered to ``record`` as a ``kubectl <verb> <resource> [<name>]`` line, which the game adds
to the history its ``command`` goals read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from k8stui.server.kubeconfig import default_path, write
from k8stui.server.runner import ApiRunner, ServeOptions
from k8stui.server.state import ApiRequest, Host

GAME_KUBECONFIG = "game-kubeconfig"


class GameApi:
    """One level's API server; start once, stop when the level ends."""

    def __init__(
        self,
        host: Host,
        record: Callable[[str], None] | None = None,
        kubeconfig: Path | None = None,
    ) -> None:
        self._record = record
        self.path = kubeconfig or default_path().with_name(GAME_KUBECONFIG)
        options = ServeOptions(drive_clock=False, sim_enabled=False, on_request=self._seen)
        self.runner = ApiRunner(host, options)
        self.running = False

    def _seen(self, request: ApiRequest) -> None:
        if self._record is not None and request.code < 400:
            self._record(request.command_line)

    async def start(self) -> str:
        """Serve and write the kubeconfig; returns the one line telling how to connect."""
        if not self.running:
            text = await self.runner.start()
            write(self.path, text)
            self.running = True
        return self.hint

    @property
    def hint(self) -> str:
        """``Your kubectl: export KUBECONFIG=...`` (one line)."""
        return f"Your own kubectl: export KUBECONFIG={self.path}  (API on {self.runner.url})"

    async def stop(self) -> None:
        """Stop serving."""
        if self.running:
            await self.runner.stop()
            self.running = False
