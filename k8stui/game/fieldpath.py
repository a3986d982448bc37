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
from k8stui.engine.apiserver.serviceaccount_admission import (
    MOUNT_PATH,
    VOLUME_PREFIX,
    api_access_volume,
)
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
        """What the object holds at the path, for explanations.

        The service-account volume and mounts the admission plugin added are left out: the
        player compares this with what they wrote (``holds`` still sees the whole object),
        unless the condition is about them (it holds only with them in).
        """
        written = _as_written(obj)
        about_added = written is not obj and self.holds(obj) and not self.holds(written)
        found = values_at(obj if about_added else written, parse_path(self.path))
        if not found:
            return f"{self.path} is not set"
        shown = ", ".join(repr(v) if not isinstance(v, dict | list) else "{…}" for v in found[:4])
        return f"{self.path} is {shown}"


def _as_written(obj: Any) -> Any:
    """A pod without the ``kube-api-access-*`` volume and mounts ServiceAccount admission adds."""
    spec = obj.get("spec") if isinstance(obj, dict) and obj.get("kind") == "Pod" else None
    volumes = spec.get("volumes") if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or not isinstance(volumes, list):
        return obj
    added = {
        v["name"]
        for v in volumes
        if isinstance(v, dict)
        and str(v.get("name", "")).startswith(VOLUME_PREFIX)
        and v == api_access_volume(v["name"])
    }
    if not added:
        return obj

    def player_mount(mount: Any) -> bool:
        return not (
            isinstance(mount, dict)
            and mount.get("name") in added
            and mount.get("mountPath") == MOUNT_PATH
        )

    written = dict(
        spec, volumes=[v for v in volumes if not (isinstance(v, dict) and v.get("name") in added)]
    )
    for key in ("initContainers", "containers", "ephemeralContainers"):
        if isinstance(spec.get(key), list):
            written[key] = [
                dict(c, volumeMounts=list(filter(player_mount, c["volumeMounts"])))
                if isinstance(c, dict) and isinstance(c.get("volumeMounts"), list)
                else c
                for c in spec[key]
            ]
    return dict(obj, spec=written)


def _equal(actual: Any, wanted: Any) -> bool:
    if actual == wanted:
        return True
    # YAML authors write 3 where the API holds "3" (and the reverse): compare as text too.
    return not isinstance(actual, dict | list) and str(actual) == str(wanted)
