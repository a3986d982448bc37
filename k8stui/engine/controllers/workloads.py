"""The controllers of batch work, stateful sets and storage, built together for the cluster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.cronjob import CronJobController
from k8stui.engine.controllers.job import JobController
from k8stui.engine.controllers.pv_binder import PersistentVolumeController
from k8stui.engine.controllers.statefulset import StatefulSetController
from k8stui.engine.controllers.storage_protection import StorageProtectionController
from k8stui.engine.controllers.ttl_after_finished import TTLAfterFinishedController


def workload_controllers(
    ctx: EngineContext, api: ApiServer, erase_volume_data: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Job, CronJob, StatefulSet, PersistentVolume, storage in-use protection and
    TTL-after-finished, by component name.

    ``erase_volume_data`` is the kubelets' hook that drops a deleted volume's files.
    """
    return {
        "job": JobController(ctx, api),
        "cronjob": CronJobController(ctx, api),
        "statefulset": StatefulSetController(ctx, api),
        "persistentvolume": PersistentVolumeController(ctx, erase_volume_data),
        "storage-protection": StorageProtectionController(ctx, api),
        "ttl-after-finished": TTLAfterFinishedController(ctx, api),
    }
