"""Label selectors and pod-template containers as kubectl's printers render them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def selector_string(selector: Mapping[str, Any] | None) -> str:
    """``LabelSelectorAsSelector(...).String()``: requirements sorted by key, ``""`` if empty."""
    if not selector:
        return ""
    reqs: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        reqs.append((str(key), f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        key = str(expr.get("key", ""))
        values = ",".join(sorted(str(v) for v in expr.get("values") or ()))
        operator = expr.get("operator")
        if operator == "In":
            text = f"{key} in ({values})"
        elif operator == "NotIn":
            text = f"{key} notin ({values})"
        elif operator == "Exists":
            text = key
        elif operator == "DoesNotExist":
            text = f"!{key}"
        else:
            text = f"{key} {operator} ({values})"
        reqs.append((key, text))
    reqs.sort(key=lambda item: item[0])
    return ",".join(text for _, text in reqs)


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: the selector string, or ``<none>`` when it is empty."""
    return selector_string(selector) or "<none>"


def container_cells(template: Mapping[str, Any] | None) -> tuple[str, str]:
    """``layoutContainerCells``: container names and images, comma-joined."""
    containers = ((template or {}).get("spec") or {}).get("containers") or []
    names = ",".join(str(c.get("name", "")) for c in containers)
    images = ",".join(str(c.get("image", "")) for c in containers)
    return names, images
