"""Create-time validation: metadata for every simulated kind, then the kind's own rules."""

from __future__ import annotations

from collections.abc import Callable

from k8stui.engine.apiserver.validation.configmap_rules import check_config_map
from k8stui.engine.apiserver.validation.cronjob_rules import check_cron_job
from k8stui.engine.apiserver.validation.daemonset_rules import check_daemon_set
from k8stui.engine.apiserver.validation.field_checks import Obj
from k8stui.engine.apiserver.validation.field_errors import FieldError
from k8stui.engine.apiserver.validation.job_rules import check_job
from k8stui.engine.apiserver.validation.metadata_rules import validate_meta
from k8stui.engine.apiserver.validation.pod_rules import validate_pod_spec
from k8stui.engine.apiserver.validation.secret_rules import check_secret
from k8stui.engine.apiserver.validation.service_rules import check_service
from k8stui.engine.apiserver.validation.statefulset_rules import check_stateful_set
from k8stui.engine.apiserver.validation.storage_rules import (
    check_persistent_volume,
    check_persistent_volume_claim,
    check_storage_class,
)
from k8stui.engine.apiserver.validation.workload_rules import (
    check_deployment,
    check_replica_set,
    check_replication_controller,
)

_KIND_RULES: dict[str, Callable[[Obj, list[FieldError]], None]] = {
    "Pod": lambda obj, errs: errs.extend(validate_pod_spec(obj.get("spec"), "spec")),
    "ReplicaSet": check_replica_set,
    "Deployment": check_deployment,
    "ReplicationController": check_replication_controller,
    "Service": check_service,
    "ConfigMap": check_config_map,
    "Secret": check_secret,
    "DaemonSet": check_daemon_set,
    "Job": check_job,
    "CronJob": check_cron_job,
    "PersistentVolume": check_persistent_volume,
    "PersistentVolumeClaim": check_persistent_volume_claim,
    "StorageClass": check_storage_class,
    "StatefulSet": check_stateful_set,
}
VALIDATED_KINDS = frozenset({*_KIND_RULES, "Namespace", "Node", "Endpoints", "ServiceAccount"})


def validate_object(obj: Obj, *, spec_known_valid: bool = False) -> list[FieldError]:
    """Create-time validation of one object, as the API server does it (all errors, in order).

    Kinds outside the simulated set (Event, Lease, ...) are accepted without checks.
    ``spec_known_valid``: the object is a Pod whose spec is known to pass (an equal one did),
    so only its metadata is checked.
    """
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in VALIDATED_KINDS:
        return []
    errs = validate_meta(obj)
    rule = _KIND_RULES.get(str(kind))
    if rule is not None and not (spec_known_valid and kind == "Pod"):
        rule(obj, errs)
    return errs
