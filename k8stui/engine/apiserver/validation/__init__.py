"""API-server semantic validation for the simulated kinds (pure functions, no engine state).

The schema check in ``k8stui.manifests`` catches structure (unknown fields, wrong types);
this package enforces what the API server's validation adds on top: names, labels, required
fields, enums, ranges, selector/template agreement and immutability. Messages follow the
server's field-error texts (Kubernetes 1.32) character for character, because players will
compare them with what a real cluster prints.

Objects may be validated before or after defaulting: a field the server would default is
only checked when present.

Modules: ``field_errors`` (the error type and Go value rendering), ``names`` (name and label
syntax), ``field_checks`` (shared per-field checks), ``metadata_rules``, ``pod_rules``,
``label_selectors``, ``workload_rules`` (RC/RS/Deployment), ``service_rules``,
``configmap_rules``, ``create_rules`` (:func:`validate_object`), ``update_rules``
(:func:`validate_update`) and ``api_warnings`` (:func:`warnings`).
"""

from k8stui.engine.apiserver.validation.api_warnings import warnings
from k8stui.engine.apiserver.validation.create_rules import validate_object
from k8stui.engine.apiserver.validation.field_errors import FieldError, format_invalid, go_value
from k8stui.engine.apiserver.validation.update_rules import validate_update

__all__ = [
    "FieldError",
    "format_invalid",
    "go_value",
    "validate_object",
    "validate_update",
    "warnings",
]
