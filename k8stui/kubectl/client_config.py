"""The kubeconfig the built-in kubectl reads: contexts, the current one and its namespace.

A session keeps one in memory, so ``kubectl config set-context --current --namespace=team``
changes the namespace of every later command, exactly as it does on a learner's machine.
The credentials are placeholders (the built-in kubectl talks to the engine directly); they
print as kubectl prints secrets, ``DATA+OMITTED`` and ``REDACTED``, unless ``--raw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CLUSTER = "k8stui"
SERVER = "https://127.0.0.1:6443"
_CA_DATA = "azhzdHVpLWNhLXBsYWNlaG9sZGVy"  # base64 of a placeholder, never a real key
_TOKEN = "k8stui-placeholder-token"


@dataclass
class Context:
    """One context: which cluster, which user, which namespace."""

    cluster: str = ""
    user: str = ""
    namespace: str = ""


@dataclass
class ClientConfig:
    """Contexts by name and the current one."""

    contexts: dict[str, Context] = field(
        default_factory=lambda: {CLUSTER: Context(CLUSTER, CLUSTER)}
    )
    current: str = CLUSTER

    @property
    def namespace(self) -> str:
        """The current context's namespace, or ``default``."""
        context = self.contexts.get(self.current)
        return (context.namespace if context else "") or "default"

    def document(self, *, minify: bool = False, raw: bool = False) -> dict[str, Any]:
        """The kubeconfig as ``kubectl config view`` shows it (keys in kubectl's order)."""
        names = [self.current] if minify else sorted(self.contexts)
        contexts: list[dict[str, Any]] = []
        for name in names:
            context = self.contexts.get(name)
            if context is None:
                continue
            body: dict[str, str] = {"cluster": context.cluster}
            if context.namespace:
                body["namespace"] = context.namespace
            body["user"] = context.user
            contexts.append({"context": body, "name": name})
        wanted = {c["context"]["cluster"] for c in contexts} if minify else {CLUSTER}
        users = {c["context"]["user"] for c in contexts} if minify else {CLUSTER}
        clusters = [
            {
                "cluster": {
                    "certificate-authority-data": _CA_DATA if raw else "DATA+OMITTED",
                    "server": SERVER,
                },
                "name": CLUSTER,
            }
            for name in sorted(wanted)
            if name == CLUSTER
        ]
        user_list = [
            {"name": CLUSTER, "user": {"token": _TOKEN if raw else "REDACTED"}}
            for name in sorted(users)
            if name == CLUSTER
        ]
        return {
            "apiVersion": "v1",
            "clusters": clusters or None,
            "contexts": contexts or None,
            "current-context": self.current,
            "kind": "Config",
            "preferences": {},
            "users": user_list or None,
        }
