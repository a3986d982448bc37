"""``kubectl label`` and ``kubectl annotate``: add, change (``--overwrite``) and remove keys."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG, result_line
from k8stui.kubectl.commands.targets import label_selector, parse_targets, target_objects
from k8stui.kubectl.commands.writes import dry_run_mode, dry_run_note

Obj = dict[str, Any]

FLAGS = (
    Flag(
        "overwrite",
        kind="bool",
        default=False,
        help="If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.",
    ),
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag(
        "all",
        kind="bool",
        default=False,
        help="Select all resources, in the namespace of the specified resource types",
    ),
    Flag(
        "list", kind="bool", default=False, help="If true, display the labels for a given resource."
    ),
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
)


def _split(args: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """Resource words, then ``key=value`` changes and ``key-`` removals."""
    resources: list[str] = []
    changes: dict[str, str] = {}
    removals: list[str] = []
    for arg in args:
        if "=" in arg:
            key, _, value = arg.partition("=")
            changes[key] = value
        elif arg.endswith("-") and len(arg) > 1:
            removals.append(arg[:-1])
        else:
            resources.append(arg)
    return resources, changes, removals


def _update(inv: Invocation, obj: Obj, field: str, noun: str, mode: str = "") -> None:
    _, changes, removals = _split(inv.args)
    meta = obj.get("metadata") or {}
    current: dict[str, str] = dict(meta.get(field) or {})
    if not inv.flag("overwrite"):
        taken = [k for k, v in changes.items() if k in current and current[k] != v]
        if taken and noun == "label":
            key = taken[0]
            raise KubectlError(
                f"error: '{key}' already has a value ({current[key]}), and --overwrite is false"
            )
        if taken:
            listed = ", ".join(f"'{k}' already has a value ({current[k]})" for k in taken)
            raise KubectlError(
                f"error: --overwrite is false but found the following declared annotation(s): {listed}"
            )
    for key in removals:
        if key not in current:
            inv.out.out(f'{noun} "{key}" not found.')
    updated = {k: v for k, v in current.items() if k not in removals}
    updated.update(changes)
    kind = str(obj.get("kind"))
    name = str(meta.get("name"))
    res_name = f"{_prefix(kind)}/{name}"
    done = "labeled" if noun == "label" else "annotated"
    if updated == current:
        inv.out.out(f"{res_name} not labeled" if noun == "label" else f"{res_name} {done}")
        return
    shrunk = len(updated) < len(current) and not inv.flag("overwrite")
    word = "unlabeled" if shrunk and noun == "label" else done
    fmt = inv.flag("output") if "output" in inv.parsed.values else None
    if mode == "client":  # the object as it would be, nothing sent
        changed = {**obj, "metadata": {**meta, field: updated}}
        inv.out.out(result_line(changed, word + dry_run_note(mode), fmt))
        return
    # In a merge patch, null deletes a key.
    patch: dict[str, str | None] = dict(changes)
    patch.update({k: None for k in removals if k in current})
    namespace = meta.get("namespace") or ""
    if mode:  # target_objects read it, so it exists; a server dry run changes nothing
        obj = {**obj, "metadata": {**meta, field: updated}}
    else:
        try:
            obj = inv.cluster.patch(kind, name, {"metadata": {field: patch}}, namespace).obj
        except ApiError as exc:
            inv.out.fail(exc.kubectl_text())
            return
    inv.out.out(result_line(obj, word + dry_run_note(mode), fmt))


def _prefix(kind: str) -> str:
    res = BY_KIND.get(kind)
    return res.singular_qualified if res else kind.lower()


def _run(inv: Invocation, field: str, noun: str) -> None:
    resources, changes, removals = _split(inv.args)
    if not resources:
        raise KubectlError(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if inv.flag("list"):
        for target in parse_targets(resources):
            for name in target.names or []:
                obj = inv.lookup(target.res, name)
                for key, value in sorted(((obj.get("metadata") or {}).get(field) or {}).items()):
                    inv.out.out(f"{key}={value}")
        return
    if not changes and not removals:
        raise KubectlError(f"error: at least one {noun} update is required")
    selector = label_selector(inv.flag("selector"))
    mode = dry_run_mode(inv)
    for _target, obj in target_objects(inv, resources, selector):
        try:
            _update(inv, obj, field, noun, mode)
        except KubectlError as exc:
            inv.out.fail(exc.text)


def run_label(inv: Invocation) -> None:
    """Run ``kubectl label``."""
    _run(inv, "labels", "label")


def run_annotate(inv: Invocation) -> None:
    """Run ``kubectl annotate``."""
    _run(inv, "annotations", "annotate")


LABEL = Command(
    name="label",
    summary="Update the labels on a resource",
    usage="kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    flags=FLAGS,
    handler=run_label,
    examples="""  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  kubectl label pods foo unhealthy=true

  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
  kubectl label --overwrite pods foo status=unhealthy

  # Update pod 'foo' by removing a label named 'bar' if it exists
  kubectl label pods foo bar-""",
)

ANNOTATE = Command(
    name="annotate",
    summary="Update the annotations on a resource",
    usage="kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    flags=FLAGS,
    handler=run_annotate,
    examples="""  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
  kubectl annotate pods foo description='my frontend'

  # Update pod 'foo' by removing an annotation named 'description' if it exists
  kubectl annotate pods foo description-""",
)
