"""Rules for ``metadata``: names (per kind), generateName, namespace, labels, annotations."""

from __future__ import annotations

from collections.abc import Callable

from k8stui.engine.apiserver.validation.field_checks import (
    Obj,
    add_invalid,
    as_dict,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import REQUIRED, TOO_LONG, FieldError
from k8stui.engine.apiserver.validation.names import (
    dns1035_label,
    dns1123_label,
    dns1123_subdomain,
    qualified_name,
)
from k8stui.engine.store import CLUSTER_SCOPED  # also names PersistentVolume, never validated

_NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "Service": dns1035_label,
    "Namespace": dns1123_label,
}
_ANNOTATIONS_MAX = 256 * 1024


def validate_meta(obj: Obj) -> list[FieldError]:
    """Errors in ``obj``'s metadata, with the name rule its kind uses."""
    kind = str(obj.get("kind", ""))
    meta = as_dict(obj.get("metadata"))
    rule = _NAME_RULES.get(kind, dns1123_subdomain)
    errs: list[FieldError] = []
    name, generate = meta.get("name"), meta.get("generateName")
    if isinstance(generate, str) and generate:
        # A prefix may end in "-": mask it the way the server does before checking.
        masked = generate[:-1] + "a" if generate.endswith("-") else generate
        add_invalid(errs, "metadata.generateName", generate, rule(masked))
    if not name and not generate:
        errs.append(
            FieldError("metadata.name", REQUIRED, detail="name or generateName is required")
        )
    elif isinstance(name, str) and name:
        add_invalid(errs, "metadata.name", name, rule(name))
    namespace = meta.get("namespace")
    if kind not in CLUSTER_SCOPED and isinstance(namespace, str) and namespace:
        add_invalid(errs, "metadata.namespace", namespace, dns1123_label(namespace))
    errs += validate_labels(meta.get("labels"), "metadata.labels")
    annotations = as_dict(meta.get("annotations"))
    size = 0
    for key, value in annotations.items():
        add_invalid(errs, "metadata.annotations", key, qualified_name(key))
        size += len(key.encode()) + len(str(value).encode())
    if size > _ANNOTATIONS_MAX:
        errs.append(
            FieldError(
                "metadata.annotations",
                TOO_LONG,
                detail=f"may not be more than {_ANNOTATIONS_MAX} bytes",
            )
        )
    return errs
