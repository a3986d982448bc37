"""Sending objects to the API server and reporting the outcome as kubectl does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.engine.apiserver.server import WriteResult
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.base import Invocation
from k8stui.kubectl.commands.printing import (
    check_dry_run,
    exact_output,
    format_object,
    resource_name,
    result_line,
)
from k8stui.kubectl.klog import klog_line

Obj = dict[str, Any]


def report(
    inv: Invocation,
    write: Callable[[], WriteResult],
    *,
    source: str | None = None,
    verb: str = "creating",
    dry_run: bool | str = False,
    op: str | None = None,
    quiet: bool = False,
    typed: bool = False,
    failure: str | None = None,
) -> Obj | None:
    """Run one write; print warnings and ``kind/name op`` (or ``-o``), or the API error.

    ``quiet`` leaves out the ``kind/name op`` line (errors and warnings still print);
    ``typed`` prints the answer as kubectl's Go struct (``as_struct``; ``-o json`` in the
    API's field order, see ``format_object``); ``failure`` is the prefix a ``create``
    generator wraps the server's message in (``error: failed to create deployment: ...``).
    """
    try:
        result = write()
    except ApiError as exc:
        if failure is not None:
            inv.out.fail(f"error: {failure}{exc.message}")
        else:
            inv.out.fail(exc.kubectl_text(source, verb))
        return None
    for warning in result.warnings:
        inv.out.err(f"Warning: {warning}")
    word = (op or result.op).removesuffix(" (dry run)")
    if dry_run:
        word += dry_run_note(dry_run if isinstance(dry_run, str) else "client")
    fmt = inv.flag("output") if "output" in inv.parsed.values else None
    if not quiet:
        shown = as_struct(result.obj) if typed else result.obj
        exact = bool(fmt) and exact_output(str(fmt))
        inv.out.out(result_line(shown, word, fmt, typed), newline=not exact)
    return result.obj


def as_struct(obj: Obj) -> Obj:
    """The server's answer as kubectl prints it after decoding it into its Go struct: an unset
    ``creationTimestamp`` shows as ``null`` and a kind's status struct as ``{}``."""
    meta = obj.get("metadata") or {}
    shown = {**obj, "metadata": {"creationTimestamp": None, **meta}}
    res = BY_KIND.get(str(obj.get("kind") or ""))
    if res is not None and "status" in res.subresources and "status" not in obj:
        shown["status"] = {}
    return shown


def client_object(obj: Obj, namespace: str | None = None) -> Obj:
    """What kubectl sends for an object it built itself: without the ``null`` timestamp and
    empty status that only show in ``--dry-run=client -o yaml``, in ``namespace`` (the
    request's namespace: ``-n`` or the current context's) unless the object names its own."""
    sent = {k: v for k, v in obj.items() if k != "status"}
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "creationTimestamp"}
    res = BY_KIND.get(str(obj.get("kind") or ""))
    if namespace and "namespace" not in meta and (res is None or res.namespaced):
        meta["namespace"] = namespace
    sent["metadata"] = meta
    if "template" in (sent.get("spec") or {}):
        template = sent["spec"]["template"]
        template_meta = {
            k: v for k, v in (template.get("metadata") or {}).items() if k != "creationTimestamp"
        }
        sent["spec"] = {**sent["spec"], "template": {**template, "metadata": template_meta}}
    return sent


def dry_run_flag(inv: Invocation) -> bool:
    """``--dry-run``: whether it asks for a client dry run (logging kubectl's warning about a
    deprecated value)."""
    dry_run, warning = check_dry_run(inv.flag("dry-run"))
    if warning is not None:
        inv.out.err(klog_line("W", inv.cluster.now_ms, *warning))
    return dry_run


def dry_run_mode(inv: Invocation) -> str:
    """``--dry-run`` as "" (none), "client" or "server", warning about deprecated values."""
    if not dry_run_flag(inv):
        return ""
    return "server" if inv.flag("dry-run") == "server" else "client"


def dry_run_note(mode: str) -> str:
    """What kubectl adds to the operation word: `` (dry run)`` or `` (server dry run)``."""
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


def print_unsent(inv: Invocation, obj: Obj, op: str) -> None:
    """A client dry run: the object as kubectl holds it, never sent, or ``kind/name op``."""
    fmt = inv.flag("output") if "output" in inv.parsed.values else None
    inv.out.out(result_line(obj, op + dry_run_note("client"), fmt))


def emit(
    inv: Invocation,
    obj: Obj,
    dry_run: bool | str,
    op: str = "created",
    failure: str | None = None,
) -> None:
    """Create an object kubectl built itself, or dry-run it: ``dry_run`` is a ``dry_run_mode``
    ("server" sends it with ``dryRun=All`` and prints the server's answer; "client" or True
    just prints it). ``failure``: see ``report``."""
    if dry_run == "server":
        sent = client_object(obj, inv.namespace)
        report(
            inv,
            lambda: inv.cluster.create(sent, dry_run=True),
            op=op,
            typed=True,
            dry_run="server",
            failure=failure,
        )
        return
    fmt = inv.flag("output")
    if dry_run and fmt:
        inv.out.out(format_object(obj, fmt, typed=True), newline=not exact_output(fmt))
        return
    if dry_run:
        inv.out.out(f"{resource_name(obj)} {op} (dry run)")
        return
    sent = client_object(obj, inv.namespace)
    report(inv, lambda: inv.cluster.create(sent), op=op, typed=True, failure=failure)
