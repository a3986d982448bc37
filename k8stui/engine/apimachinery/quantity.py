"""Kubernetes resource quantities (``500m``, ``1.5``, ``64Mi``, ``1G``) as integers."""

from __future__ import annotations

import math
import re
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from functools import lru_cache

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal(10**3),
    "M": Decimal(10**6),
    "G": Decimal(10**9),
    "T": Decimal(10**12),
    "P": Decimal(10**15),
    "E": Decimal(10**18),
}
_FORMAT = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
_QUANTITY = re.compile(
    r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$"
)


_MAX_EXPONENT = 20
"""Numbers of 1e21 and more are refused before the suffix (an exabyte is 1e18 bytes)."""


class QuantityError(ValueError):
    """Raised for text that is not a Kubernetes quantity."""


def parse_quantity(value: str | int | float) -> Decimal:
    """Parse a quantity into a Decimal number of base units."""
    if isinstance(value, bool):
        raise QuantityError(f"quantities must match the regular expression: {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise QuantityError(_FORMAT)
        value = str(value) if isinstance(value, float) or abs(value) < 10**30 else "1e30"
    if isinstance(value, str) and len(value) <= 64:  # (a hostile huge text is not kept)
        return _parse_remembered(value)
    return _parse_text(value)  # not text: fails as the text path does (TypeError, ...)


def _parse_text(value: str) -> Decimal:
    match = _QUANTITY.match(value.strip()) if len(value) < 10_000 else None
    if not match:
        raise QuantityError(_FORMAT)
    try:
        number = Decimal(match.group(1))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise QuantityError(str(exc)) from exc
    if not number.is_zero() and number.adjusted() > _MAX_EXPONENT:
        # Bounded so that turning the amount into an integer stays cheap: 1e999999999 would
        # otherwise build a billion-digit number.
        raise QuantityError(f"the number in a quantity must be smaller than 1e{_MAX_EXPONENT + 1}")
    suffix = match.group(2) or ""
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    return number * _DECIMAL[suffix]


# Every pod of a Deployment asks for the same few texts. Sound because a Decimal is
# immutable and the result depends on the text alone (nothing changes the decimal context);
# errors are not remembered, they are raised anew.
_parse_remembered = lru_cache(maxsize=4096)(_parse_text)


def is_quantity(value: object) -> bool:
    """True when ``value`` parses as a quantity."""
    try:
        parse_quantity(value)  # type: ignore[arg-type]
    except (QuantityError, TypeError):
        return False
    return True


def parse_cpu(value: str | int | float | None) -> int:
    """CPU quantity to millicores, rounded up as the API server does."""
    if value is None:
        return 0
    return int((parse_quantity(value) * 1000).to_integral_value(rounding=ROUND_CEILING))


def parse_memory(value: str | int | float | None) -> int:
    """Memory quantity to bytes, rounded up."""
    if value is None:
        return 0
    return int(parse_quantity(value).to_integral_value(rounding=ROUND_CEILING))


def format_cpu(millicores: int) -> str:
    """Millicores in the canonical form kubectl prints (``2``, ``500m``)."""
    if millicores % 1000 == 0:
        return str(millicores // 1000)
    return f"{millicores}m"


def format_memory(value: int) -> str:
    """Bytes in the largest exact binary unit (``4Gi``, ``64Mi``, ``1536Ki``)."""
    if value == 0:
        return "0"
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        unit = _BINARY[suffix]
        if value % unit == 0:
            return f"{value // unit}{suffix}"
    return str(value)
