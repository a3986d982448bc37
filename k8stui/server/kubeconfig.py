"""The kubeconfig ``k8stui serve`` writes (context ``k8stui``) and ``k8stui sim`` reads back."""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONTEXT = "k8stui"


class KubeconfigError(Exception):
    """A kubeconfig that cannot be written or read (one line for the user)."""


def default_path() -> Path:
    """``<user data dir>/k8stui/kubeconfig`` (never ~/.kube/config)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("k8stui", appauthor=False)) / "kubeconfig"


def render(server: str, ca_pem: bytes, token: str, namespace: str = "default") -> str:
    """The kubeconfig text."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT,
                "cluster": {
                    "server": server,
                    "certificate-authority-data": base64.b64encode(ca_pem).decode(),
                },
            }
        ],
        "users": [{"name": CONTEXT, "user": {"token": token}}],
        "contexts": [
            {
                "name": CONTEXT,
                "context": {"cluster": CONTEXT, "user": CONTEXT, "namespace": namespace},
            }
        ],
        "current-context": CONTEXT,
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False)


def write(path: Path, text: str) -> None:
    """Write atomically with mode 0600 (the token is a credential)."""
    home_config = Path.home() / ".kube" / "config"
    if path.expanduser().resolve() == home_config.resolve():
        raise KubeconfigError(f"refusing to overwrite {home_config}; choose another --kubeconfig")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".kubeconfig-")
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise KubeconfigError(f"cannot write kubeconfig {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class Endpoint:
    """Where a kubeconfig's k8stui context points."""

    server: str
    ca_pem: bytes
    token: str


def read(path: Path) -> Endpoint:
    """The ``k8stui`` context (or the current one) of a kubeconfig."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KubeconfigError(f"cannot read kubeconfig {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError:
        raise KubeconfigError(f"{path}: not a kubeconfig (YAML error)") from None
    try:
        contexts = {c["name"]: c["context"] for c in data["contexts"]}
        name = CONTEXT if CONTEXT in contexts else data["current-context"]
        context = contexts[name]
        cluster = {c["name"]: c["cluster"] for c in data["clusters"]}[context["cluster"]]
        user = {u["name"]: u["user"] for u in data["users"]}[context["user"]]
        return Endpoint(
            server=str(cluster["server"]),
            ca_pem=base64.b64decode(cluster["certificate-authority-data"]),
            token=str(user["token"]),
        )
    except (KeyError, TypeError, ValueError):
        raise KubeconfigError(f"{path}: no usable k8stui context (run k8stui serve)") from None
