"""The service-account controller: every namespace has a ``default`` ServiceAccount.

Upstream ``pkg/controller/serviceaccount/serviceaccounts_controller.go`` ensures the account
when a namespace appears and puts it back when someone deletes it.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext

Obj = dict[str, Any]
DEFAULT_ACCOUNT = "default"


class ServiceAccountsController:
    """Creates the ``default`` ServiceAccount in each active namespace."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        ctx.queue.register("serviceaccounts.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Namespace", "ServiceAccount"))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Namespace" and new is not None and old is None:
            self._enqueue(new["metadata"]["name"])
        elif (
            kind == "ServiceAccount"
            and new is None
            and old is not None
            and old["metadata"]["name"] == DEFAULT_ACCOUNT
        ):
            self._enqueue(old["metadata"].get("namespace", "default"))

    def _enqueue(self, namespace: str) -> None:
        self.ctx.queue.push_once(
            self.ctx.now, "serviceaccounts.sync", f"sa/{namespace}", {"ns": namespace}
        )

    def _on_sync(self, p: Obj) -> None:
        ns = self.ctx.store.get("Namespace", "", p["ns"])
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        if self.ctx.store.get("ServiceAccount", p["ns"], DEFAULT_ACCOUNT) is not None:
            return
        account = {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": DEFAULT_ACCOUNT, "namespace": p["ns"]},
        }
        try:
            self.api.create(account)
        except errors.ApiError:
            return

    def to_json(self) -> dict[str, Any]:
        """Stateless: the store holds every fact."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
