"""kind's default StorageClass ``standard`` (its local-path provisioner binds on first use)."""

from __future__ import annotations

import uuid
from typing import Any

Obj = dict[str, Any]


def default_storage_class() -> Obj:
    """The ``standard`` class kind installs, marked as the cluster default.

    Its uid is derived from its name rather than drawn from the cluster's random source, so
    adding it leaves every other generated name and uid of a seed as it was.
    """
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": "standard",
            "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, "k8stui/storageclass/standard")),
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            "labels": {"addonmanager.kubernetes.io/mode": "EnsureExists"},
        },
        "provisioner": "rancher.io/local-path",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }
