"""The type error the API server's decoder stops at, for objects that come from elsewhere.

A saved cluster's objects never passed the decoder in this process: a snapshot file can be
edited, so a port list may hold a string or a map of addresses a number. Readers of stored
objects trust their types (as Go code can), so such objects are refused when they are read
in, with the decoder's own message. Unknown fields are let through: nothing reads them.
"""

from __future__ import annotations

from typing import Any

from k8stui.manifests.loader import Document
from k8stui.manifests.schema import check_schema, decoder_report, quick_valid


def decoding_problem(obj: dict[str, Any]) -> str | None:
    """Why the decoder could not read ``obj`` as its kind, or None (also for kinds without a
    bundled schema)."""
    try:
        if quick_valid(obj):
            return None
        errors = decoder_report(check_schema(Document(obj, 0)))
    except (KeyError, FileNotFoundError, ValueError):
        return None  # a kind without a bundled schema: nothing to check against
    typed = [e.message for e in errors if "json: cannot unmarshal" in e.message]
    return typed[0] if typed else None
