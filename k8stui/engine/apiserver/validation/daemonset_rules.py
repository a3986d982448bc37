"""Rules for a DaemonSet (upstream ``ValidateDaemonSetSpec``): selector, template, strategy.

The selector and template checks are the ReplicaSet's; the update strategy is ``RollingUpdate``
(whose ``maxUnavailable``/``maxSurge`` follow the Deployment's rules) or ``OnDelete``.
"""

from __future__ import annotations

from k8stui.engine.apiserver.validation.field_checks import Obj, as_dict, check_nonnegative
from k8stui.engine.apiserver.validation.field_errors import (
    UNSUPPORTED,
    FieldError,
    GoLiteral,
    go_value,
)
from k8stui.engine.apiserver.validation.workload_rules import (
    check_replica_set,
    rolling_update_rules,
)

STRATEGIES = ("RollingUpdate", "OnDelete")


def check_daemon_set(obj: Obj, errs: list[FieldError]) -> None:
    """DaemonSet rules, in the API server's order."""
    spec = as_dict(obj.get("spec"))
    # replicas has no meaning here; the ReplicaSet checks cover selector and template.
    check_replica_set({**obj, "spec": {k: v for k, v in spec.items() if k != "replicas"}}, errs)
    check_nonnegative(errs, "spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"))
    strategy = as_dict(spec.get("updateStrategy"))
    kind = strategy.get("type")
    if kind is not None and kind not in STRATEGIES:
        # The whole strategy struct is the reported value, printed with Go's %#v.
        shown = GoLiteral(
            f"apps.DaemonSetUpdateStrategy{{Type:{go_value(kind)}, "
            "RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}"
        )
        errs.append(
            FieldError(
                "spec.updateStrategy",
                UNSUPPORTED,
                shown,
                'supported values: "RollingUpdate", "OnDelete"',
            )
        )
    if kind == "RollingUpdate":
        rolling_update_rules(
            errs, as_dict(strategy.get("rollingUpdate")), "spec.updateStrategy.rollingUpdate"
        )
