"""The type error the API server's decoder stops at, for objects that come from elsewhere.

A saved cluster's objects never passed the decoder in this process: a snapshot file can be
edited, so a port list may hold a string or a map of addresses a number. A level pack's
setup objects are created through the engine's API, which takes them as they are, so a
label written as a number (``version: 2``) is refused by the pack loader the same way. Readers of stored
objects trust their types (as Go code can), so such objects are refused when they are read
in, with the decoder's own message. Unknown fields are let through: nothing reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui.manifests.errors import parse_path
from k8stui.manifests.loader import Document
from k8stui.manifests.schema import check_schema, decoder_report, quick_valid


@dataclass(frozen=True)
class DecodingFailure:
    """The decoder's message and the field it stopped at (``("metadata", "labels", "v")``)."""

    message: str
    path: tuple[str | int, ...]


def decoding_failure(obj: dict[str, Any]) -> DecodingFailure | None:
    """Where and why the decoder could not read ``obj`` as its kind, or None (also for kinds
    without a bundled schema)."""
    try:
        if quick_valid(obj):
            return None
        errors = decoder_report(check_schema(Document(obj, 0)))
    except (KeyError, FileNotFoundError, ValueError):
        return None  # a kind without a bundled schema: nothing to check against
    typed = [e for e in errors if "json: cannot unmarshal" in e.message]
    if not typed:
        return None
    return DecodingFailure(typed[0].message, parse_path(typed[0].path or ""))


def decoding_problem(obj: dict[str, Any]) -> str | None:
    """Why the decoder could not read ``obj`` as its kind, or None."""
    failure = decoding_failure(obj)
    return failure.message if failure is not None else None
