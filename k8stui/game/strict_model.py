"""The base of every pack-format model: unknown fields and non-finite numbers are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown fields are errors (a typo must not be silently ignored); so are NaN and inf."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
