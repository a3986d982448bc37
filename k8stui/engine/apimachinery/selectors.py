"""Label selectors: matching for controllers and the scheduler, parsing for ``kubectl -l``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Requirement:
    """One requirement of a selector: ``key op values``."""

    key: str
    operator: str  # In, NotIn, Exists, DoesNotExist, Gt, Lt
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether ``labels`` satisfy this requirement."""
        present = self.key in labels
        if self.operator == "In":
            return present and labels[self.key] in self.values
        if self.operator == "NotIn":
            return not present or labels[self.key] not in self.values
        if self.operator == "Exists":
            return present
        if self.operator == "DoesNotExist":
            return not present
        if self.operator in ("Gt", "Lt") and present and self.values:
            try:
                have, want = int(labels[self.key]), int(self.values[0])
            except ValueError:
                return False
            return have > want if self.operator == "Gt" else have < want
        return False


@dataclass(frozen=True)
class Selector:
    """A parsed selector: all requirements must hold (an empty selector matches everything)."""

    requirements: tuple[Requirement, ...] = field(default_factory=tuple)

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        """Whether ``labels`` satisfy every requirement."""
        labels = labels or {}
        return all(req.matches(labels) for req in self.requirements)

    @property
    def empty(self) -> bool:
        """True for a selector with no requirements."""
        return not self.requirements


def from_label_selector(selector: Mapping[str, Any] | None) -> Selector:
    """Build a Selector from an API ``LabelSelector`` (matchLabels + matchExpressions)."""
    if not selector:
        return Selector()
    reqs: list[Requirement] = []
    for key, value in sorted((selector.get("matchLabels") or {}).items()):
        reqs.append(Requirement(key, "In", (str(value),)))
    for expr in selector.get("matchExpressions") or []:
        values = tuple(str(v) for v in expr.get("values") or ())
        reqs.append(Requirement(str(expr.get("key", "")), str(expr.get("operator", "")), values))
    return Selector(tuple(reqs))


def from_equality(selector: Mapping[str, Any] | None) -> Selector:
    """Build a Selector from an equality map (RC and Service selectors)."""
    if not selector:
        return Selector()
    return Selector(tuple(Requirement(k, "In", (str(v),)) for k, v in sorted(selector.items())))


def matches_label_selector(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Match an API LabelSelector. An empty or missing selector matches everything."""
    return from_label_selector(selector).matches(labels)


def matches_equality(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Match an equality-based selector map."""
    if not selector:
        return True
    return all(labels.get(k) == str(v) for k, v in selector.items())


def matches_node_selector_terms(
    terms: list[Mapping[str, Any]] | None, labels: Mapping[str, str], fields: Mapping[str, str]
) -> bool:
    """Node affinity terms: terms are ORed, expressions inside a term are ANDed."""
    if not terms:
        return False
    for term in terms:
        exprs = term.get("matchExpressions") or []
        field_exprs = term.get("matchFields") or []
        if not exprs and not field_exprs:
            continue  # an empty term matches no objects
        ok = all(_expr(e).matches(labels) for e in exprs) and all(
            _expr(e).matches(fields) for e in field_exprs
        )
        if ok:
            return True
    return False


def _expr(expr: Mapping[str, Any]) -> Requirement:
    values = tuple(str(v) for v in expr.get("values") or ())
    return Requirement(str(expr.get("key", "")), str(expr.get("operator", "")), values)


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """Render a LabelSelector as kubectl does (``app=web,tier in (a,b)``); ``<none>`` if empty."""
    if not selector:
        return "<none>"
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        op = expr.get("operator")
        key = expr.get("key")
        values = ",".join(sorted(str(v) for v in expr.get("values") or ()))
        if op == "In":
            parts.append(f"{key} in ({values})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif op == "Exists":
            parts.append(str(key))
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts) if parts else "<none>"


class SelectorSyntaxError(ValueError):
    """Raised for a ``-l`` string that cannot be parsed."""


_SET_RE = re.compile(r"^\s*(!?)([A-Za-z0-9_./-]+)\s*(?:(notin|in)\s*\(([^)]*)\))?\s*$")
_EQ_RE = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)\s*$")


def parse_selector(text: str) -> Selector:
    """Parse a kubectl ``-l`` selector: ``a=b,c!=d,e in (x,y),f notin (z),g,!h``."""
    reqs: list[Requirement] = []
    for part in _split_top_level(text):
        if not part.strip():
            raise SelectorSyntaxError("unable to parse requirement: found '', expected: identifier")
        eq = _EQ_RE.match(part)
        if eq:
            key, op, value = eq.groups()
            reqs.append(Requirement(key, "NotIn" if op == "!=" else "In", (value,)))
            continue
        st = _SET_RE.match(part)
        if not st:
            raise SelectorSyntaxError(f"unable to parse requirement: {part.strip()!r}")
        negate, key, op, values = st.groups()
        if op:
            if negate:
                raise SelectorSyntaxError(f"unable to parse requirement: {part.strip()!r}")
            vals = tuple(v.strip() for v in values.split(",") if v.strip())
            reqs.append(Requirement(key, "In" if op == "in" else "NotIn", vals))
        else:
            reqs.append(Requirement(key, "DoesNotExist" if negate else "Exists"))
    return Selector(tuple(reqs))


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts
