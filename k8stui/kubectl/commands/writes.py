"""Sending objects to the API server and reporting the outcome as kubectl does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.apiserver.server import WriteResult
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.base import Invocation
from k8stui.kubectl.commands.printing import result_line

Obj = dict[str, Any]


def report(
    inv: Invocation,
    write: Callable[[], WriteResult],
    *,
    source: str | None = None,
    verb: str = "creating",
    dry_run: bool = False,
    op: str | None = None,
) -> Obj | None:
    """Run one write; print warnings and ``kind/name op`` (or ``-o``), or the API error."""
    try:
        result = write()
    except ApiError as exc:
        inv.out.fail(exc.kubectl_text(source, verb))
        return None
    for warning in result.warnings:
        inv.out.err(f"Warning: {warning}")
    word = (op or result.op).removesuffix(" (dry run)")
    if dry_run:
        word += " (dry run)"
    fmt = inv.flag("output") if "output" in inv.parsed.values else None
    inv.out.out(result_line(result.obj, word, fmt))
    return result.obj


def client_object(obj: Obj) -> Obj:
    """What kubectl sends for an object it built itself: without the ``null`` timestamp and
    empty status that only show in ``--dry-run=client -o yaml``."""
    sent = {k: v for k, v in obj.items() if k != "status"}
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "creationTimestamp"}
    sent["metadata"] = meta
    if "template" in (sent.get("spec") or {}):
        template = sent["spec"]["template"]
        template_meta = {
            k: v for k, v in (template.get("metadata") or {}).items() if k != "creationTimestamp"
        }
        sent["spec"] = {**sent["spec"], "template": {**template, "metadata": template_meta}}
    return sent
