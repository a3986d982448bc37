"""``fieldValidation``: Strict refuses unknown fields (400), Warn reports them, Ignore drops them.

The checks are the built-in kubectl's (the official schemas via ``k8stui.manifests``), so the
real kubectl and ours print the same decoding errors. Type errors are refused in every mode,
as the real decoder cannot read them at all.
"""

from __future__ import annotations

from typing import Any

from k8stui.manifests.loader import Document
from k8stui.manifests.schema import check_schema, decoder_report
from k8stui.manifests.unknown_fields import drop_field, unknown_fields
from k8stui.server.status import StatusError

Obj = dict[str, Any]
_MODES = ("", "Strict", "Warn", "Ignore")


def check_fields(obj: Obj, mode: str) -> list[str]:
    """Warnings to send back; raises a 400 Status for refused objects.

    Unknown fields that Warn (the default) or Ignore let through are removed from ``obj``,
    as the API server's decoder drops them.
    """
    if mode not in _MODES:
        raise StatusError(
            400,
            f'fieldValidation parameter unsupported: {mode!r} (use "Ignore", "Warn" or "Strict")',
            "BadRequest",
        )
    try:
        errors = decoder_report(check_schema(Document(obj, 0)))
    except (KeyError, FileNotFoundError, ValueError):
        return []  # a kind without a bundled schema: nothing to check against
    decoding = [e.message for e in errors if "cannot be handled as a" in e.message]
    if not decoding:
        return []
    unknown_only = all("strict decoding error" in m for m in decoding)
    if unknown_only and mode != "Strict":
        fields = unknown_fields(decoding)
        for path in fields:
            # The real decoder never keeps a field the schema does not know.
            drop_field(obj, path)
        return [f'unknown field "{f}"' for f in fields] if mode in ("", "Warn") else []
    first = decoding[0]
    prefix = first[: first.index("error:") + len("error:")] if "error:" in first else ""
    rest = [m.removeprefix(prefix).strip() for m in decoding]
    raise StatusError(
        400, f"{prefix} {', '.join(rest)}" if prefix else "; ".join(rest), "BadRequest"
    )
