"""The ServiceAccount admission plugin (``plugin/pkg/admission/serviceaccount``).

Every pod runs as a ServiceAccount (``default`` unless it names one). Unless the pod or its
account sets ``automountServiceAccountToken: false``, the plugin adds a projected volume
``kube-api-access-<5 chars>`` (token, cluster CA, namespace) and mounts it read-only at
``/var/run/secrets/kubernetes.io/serviceaccount`` in every container. Mirror pods of static
pods are left alone.
"""

from __future__ import annotations

import random
from typing import Any

from k8stui.engine import errors
from k8stui.engine.names import random_suffix
from k8stui.engine.store import Store

Obj = dict[str, Any]
MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
VOLUME_PREFIX = "kube-api-access-"
TOKEN_EXPIRATION_SECONDS = 3607
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


# Every pod's volume carries the same projection: one shared dict (~2.4 KB a pod), sound
# because stored objects are replaced, never changed in place.
_PROJECTION: Obj = {
    "defaultMode": 420,
    "sources": [
        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {
            "downwardAPI": {
                "items": [
                    {
                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                        "path": "namespace",
                    }
                ]
            }
        },
    ],
}


def api_access_volume(name: str) -> Obj:
    """The projected volume as the plugin writes it (its projection is shared: read only)."""
    return {"name": name, "projected": _PROJECTION}


def admit(pod: Obj, store: Store, rng: random.Random) -> None:
    """Mutate ``pod`` (already defaulted) as the plugin does; ApiError when the account is missing."""
    meta = pod.get("metadata") or {}
    if MIRROR_ANNOTATION in (meta.get("annotations") or {}):
        return
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    account_name = str(spec.get("serviceAccountName") or "default")
    namespace = str(meta.get("namespace") or "default")
    account = store.get("ServiceAccount", namespace, account_name)
    # The default account can lag a brand-new namespace by a moment; the real plugin
    # retries briefly for it, so only a named account that does not exist is refused.
    if account is None and account_name != "default":
        raise errors.forbidden(
            f'pods "{meta.get("name", "")}" is forbidden: error looking up service account '
            f'{namespace}/{account_name}: serviceaccount "{account_name}" not found'
        )
    if _automount(spec, account) is False:
        return
    volumes = spec.get("volumes")
    if volumes is None:
        volumes = spec["volumes"] = []
    if not isinstance(volumes, list):
        return
    containers = [
        c
        for group in ("initContainers", "containers")
        for c in spec.get(group) or []
        if isinstance(c, dict)
    ]
    if any(
        isinstance(m, dict) and m.get("mountPath") == MOUNT_PATH
        for c in containers
        for m in c.get("volumeMounts") or []
    ):
        return  # the pod mounts something there itself
    name = VOLUME_PREFIX + random_suffix(rng)
    volumes.append(api_access_volume(name))
    for container in containers:
        mounts = container.setdefault("volumeMounts", [])
        if isinstance(mounts, list):
            mounts.append({"mountPath": MOUNT_PATH, "name": name, "readOnly": True})


def _automount(spec: Obj, account: Obj | None) -> bool:
    if spec.get("automountServiceAccountToken") is not None:
        return bool(spec["automountServiceAccountToken"])
    if account is not None and account.get("automountServiceAccountToken") is not None:
        return bool(account["automountServiceAccountToken"])
    return True
