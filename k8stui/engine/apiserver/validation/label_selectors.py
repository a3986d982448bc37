"""Label selectors in controller specs: their rules, their Go rendering, and matching."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.validation.field_checks import (
    Obj,
    add_invalid,
    as_dict,
    as_list,
    str_map,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import (
    FORBIDDEN,
    INVALID,
    REQUIRED,
    FieldError,
    GoLiteral,
    go_quote,
    go_value,
)
from k8stui.engine.apiserver.validation.names import qualified_name


def selector_literal(selector: Any) -> GoLiteral:
    """A LabelSelector as Go prints it (``v1.LabelSelector{MatchLabels:..., ...}``)."""
    selector = as_dict(selector)
    labels = selector.get("matchLabels")
    shown_labels = go_value(str_map(labels)) if labels else "map[string]string(nil)"
    exprs = as_list(selector.get("matchExpressions"))
    if exprs:
        items = []
        for expr in exprs:
            expr = as_dict(expr)
            values = expr.get("values")
            shown = go_value([str(v) for v in as_list(values)]) if values else "[]string(nil)"
            items.append(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(str(expr.get('key', '')))}, "
                f"Operator:{go_quote(str(expr.get('operator', '')))}, Values:{shown}}}"
            )
        shown_exprs = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    else:
        shown_exprs = "[]v1.LabelSelectorRequirement(nil)"
    return GoLiteral(
        f"v1.LabelSelector{{MatchLabels:{shown_labels}, MatchExpressions:{shown_exprs}}}"
    )


def check_label_selector(errs: list[FieldError], selector: Obj, path: str) -> None:
    """Errors in a LabelSelector's labels, operators, values and keys."""
    errs += validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, expr in enumerate(as_list(selector.get("matchExpressions"))):
        expr = as_dict(expr)
        at = f"{path}.matchExpressions[{i}]"
        operator = expr.get("operator")
        if operator in ("In", "NotIn"):
            if not as_list(expr.get("values")):
                errs.append(
                    FieldError(
                        f"{at}.values",
                        REQUIRED,
                        detail="must be specified when `operator` is 'In' or 'NotIn'",
                    )
                )
        elif operator in ("Exists", "DoesNotExist"):
            if as_list(expr.get("values")):
                errs.append(
                    FieldError(
                        f"{at}.values",
                        FORBIDDEN,
                        detail="may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errs.append(
                FieldError(f"{at}.operator", INVALID, operator, "not a valid selector operator")
            )
        add_invalid(errs, f"{at}.key", expr.get("key"), qualified_name(str(expr.get("key") or "")))


def selector_matches(selector: Obj, labels: dict[str, str]) -> bool:
    """True if ``labels`` satisfy ``selector`` (matchLabels and matchExpressions)."""
    for key, value in str_map(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for expr in as_list(selector.get("matchExpressions")):
        expr = as_dict(expr)
        expr_key, operator = str(expr.get("key")), expr.get("operator")
        values = [str(v) for v in as_list(expr.get("values"))]
        present = expr_key in labels
        if (
            (operator == "In" and not (present and labels[expr_key] in values))
            or (operator == "NotIn" and present and labels[expr_key] in values)
            or (operator == "Exists" and not present)
            or (operator == "DoesNotExist" and present)
        ):
            return False
    return True
