"""Field conditions on API objects: a dotted path, an operator and a value.

Paths read like the ones ``kubectl explain`` prints: ``spec.replicas``,
``spec.containers[0].resources.limits.memory``, ``spec.containers[*].image`` (any element),
``metadata.labels["app.kubernetes.io/name"]`` (a key containing dots). A path with ``[*]``
yields several values and the condition holds when any of them satisfies it.

Ordering operators compare numbers; quantities such as ``128Mi`` or ``500m`` are compared by
their value (bytes or millicores), so ``limits.memory ge 64Mi`` means what an author expects.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.game import patterns

Operator = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "exists", "contains", "matches"]
_TOKEN = re.compile(r"""\.?([A-Za-z_$][\w$-]*)|\[(\d+|\*|"[^"]*"|'[^']*')\]""")
_MISSING = object()


class PathError(ValueError):
    """A path that cannot be parsed."""


def parse_path(text: str) -> list[str | int]:
    """``spec.containers[0].image`` -> ``["spec", "containers", 0, "image"]`` (``"*"`` = any)."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or (pos == 0 and text.startswith(".")):
            raise PathError(f"cannot read field path {text!r} at character {pos + 1}")
        name, index = match.groups()
        if name is not None:
            parts.append(name)
        elif index == "*":
            parts.append("*")
        elif index.isdigit():
            parts.append(int(index))
        else:
            parts.append(index[1:-1])
        pos = match.end()
    if not parts:
        raise PathError("empty field path")
    return parts


def values_at(obj: Any, path: list[str | int]) -> list[Any]:
    """Every value ``path`` reaches in ``obj`` (empty when nothing is there)."""
    current = [obj]
    for part in path:
        following: list[Any] = []
        for value in current:
            if part == "*":
                if isinstance(value, list):
                    following.extend(value)
                elif isinstance(value, dict):
                    following.extend(value.values())
            elif isinstance(part, int):
                if isinstance(value, list) and 0 <= part < len(value):
                    following.append(value[part])
            elif isinstance(value, dict) and part in value:
                following.append(value[part])
        current = following
    return current


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float(parse_quantity(text))
    except (QuantityError, KeyError, ArithmeticError):
        return None


class FieldCondition(BaseModel):
    """One condition: ``path`` ``op`` ``value``."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="Dotted path, e.g. spec.containers[0].resources.limits.memory")
    op: Operator = "eq"
    value: Any = Field(None, description="Compared value; a list for 'in'; a regex for 'matches'.")

    @field_validator("path")
    @classmethod
    def _valid_path(cls, text: str) -> str:
        parse_path(text)
        return text

    @field_validator("value")
    @classmethod
    def _plain_value(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and len(value) > 500:
            raise ValueError("value longer than 500 characters")
        if info.data.get("op") == "matches":
            # Checked here, at load time, so a pattern RE2 refuses is reported with its place.
            patterns.checked(str(value))
        return value

    def holds(self, obj: Any) -> bool:
        """True when some value at the path satisfies the operator."""
        found = values_at(obj, parse_path(self.path))
        if self.op == "exists":
            wanted = True if self.value is None else bool(self.value)
            return bool(found) == wanted
        return any(self._one(v) for v in found)

    def _one(self, actual: Any) -> bool:
        op, wanted = self.op, self.value
        if op == "eq":
            return _equal(actual, wanted)
        if op == "ne":
            return not _equal(actual, wanted)
        if op == "in":
            return isinstance(wanted, list) and any(_equal(actual, w) for w in wanted)
        if op == "contains":
            if isinstance(actual, list):
                return any(_equal(item, wanted) for item in actual)
            return isinstance(actual, str) and str(wanted) in actual
        if op == "matches":
            return isinstance(actual, str | int | float) and patterns.search(
                str(wanted), str(actual)
            )
        left, right = _number(actual), _number(wanted)
        if left is None or right is None:
            return False
        return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[
            op
        ]

    def text(self) -> str:
        """``spec.replicas ge 3``."""
        if self.op == "exists":
            return f"{self.path} {'exists' if self.value in (None, True) else 'is absent'}"
        return f"{self.path} {self.op} {self.value!r}"

    def actual_text(self, obj: Any) -> str:
        """What the object holds at the path, for explanations."""
        found = values_at(obj, parse_path(self.path))
        if not found:
            return f"{self.path} is not set"
        shown = ", ".join(repr(v) if not isinstance(v, dict | list) else "{…}" for v in found[:4])
        return f"{self.path} is {shown}"


def _equal(actual: Any, wanted: Any) -> bool:
    if actual == wanted:
        return True
    # YAML authors write 3 where the API holds "3" (and the reverse): compare as text too.
    return not isinstance(actual, dict | list) and str(actual) == str(wanted)
