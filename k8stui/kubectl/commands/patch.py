"""``kubectl patch``: a strategic merge, JSON merge or JSON patch on live objects or files.

The patch is applied here with the engine's own patch modules (the same code the API server
runs), and the result goes back through ``Cluster.replace``, so validation, defaulting and
``resourceVersion`` behave as for any write. ``--local`` patches the objects read with ``-f``
and only prints them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import yaml

from k8stui.engine.apiserver.json_patch import JsonPatchError, apply_json_patch
from k8stui.engine.apiserver.merge import json_merge_patch
from k8stui.engine.apiserver.resources import Resource
from k8stui.engine.apiserver.strategic_merge import StrategicPatchError, apply_strategic_merge_patch
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    read_objects,
    resource_of,
)
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG, format_object, resource_name
from k8stui.kubectl.commands.targets import parse_targets
from k8stui.kubectl.commands.writes import dry_run_flag
from k8stui.manifests import load_documents

Obj = dict[str, Any]

PATCH_TYPES = ("json", "merge", "strategic")
FLAGS = (
    replace(
        FILENAME_FLAG,
        help="Filename, directory, or URL to files identifying the resource to update",
    ),
    RECURSIVE_FLAG,
    replace(
        OUTPUT_FLAG,
        help="Output format. One of: (json, yaml, name, go-template, go-template-file, template, "
        "templatefile, jsonpath, jsonpath-as-json, jsonpath-file).",
    ),
    replace(
        DRY_RUN_FLAG,
        help='Must be "none", "server", or "client". If client strategy, only print the object '
        "that would be sent, without sending it. If server strategy, submit server-side request "
        "without persisting the resource.",
    ),
    Flag("patch", "p", help="The patch to be applied to the resource JSON file."),
    Flag("patch-file", help="A file containing a patch to be applied to the resource."),
    Flag(
        "type",
        default="strategic",
        help="The type of patch being provided; one of [json merge strategic]",
    ),
    Flag(
        "local",
        kind="bool",
        default=False,
        help="If true, patch will operate on the content of the file, not the server-side resource.",
    ),
    Flag(
        "subresource",
        default="",
        help="If specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.",
    ),
    Flag(
        "field-manager",
        default="kubectl-patch",
        help="Name of the manager used to track field ownership.",
    ),
)
_CONTEXT_LINE = re.compile(r" \(while (parsing|scanning) [^)]* at line (\d+), column \d+\)$")


def _yaml_error(text: str) -> str:
    """go-yaml's wording of why ``text`` is not YAML (``yaml: line 1: ...``)."""
    errors = load_documents(text + "\n", "patch").errors
    first = errors[0]
    message = first.message.removeprefix("error converting YAML to JSON: ").removeprefix("yaml: ")
    context = _CONTEXT_LINE.search(message)
    message = _CONTEXT_LINE.sub("", message)
    # go-yaml reports the problem's zero-based line for parser errors, one-based for scanner
    # errors, and leaves the line out when that mark is on the first line.
    zero_based = first.line - 1
    if context is not None and context.group(1) == "parsing":
        line = zero_based
    else:
        line = first.line if zero_based else 0
    return f"yaml: line {line}: {message}" if line else f"yaml: {message}"


def decode_patch(text: str) -> Any:
    """The patch as JSON data: JSON is taken as it is; anything else must be YAML.

    Text that starts with ``{`` goes through untouched (as kubectl's ``ToJSON`` does), so a
    broken JSON object fails later as an invalid document rather than as YAML.
    """
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            return _INVALID
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise KubectlError(
            f"error: unable to parse {json.dumps(text)}: {_yaml_error(text)}"
        ) from None


class _Invalid:
    """A patch body that is not JSON at all."""


_INVALID = _Invalid()


def apply_patch(obj: Obj, patch: Any, patch_type: str) -> Obj:
    """``obj`` after ``patch`` (raises the patch module's ``ApiError`` when it does not apply)."""
    if patch_type == "json":
        if isinstance(patch, _Invalid):
            raise JsonPatchError(
                400, "BadRequest", "invalid JSON document", "invalid JSON document"
            )
        if isinstance(patch, dict):
            detail = "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
            raise JsonPatchError(400, "BadRequest", detail, detail)
        return dict(apply_json_patch(obj, patch))
    if isinstance(patch, _Invalid) or not isinstance(patch, dict):
        if patch_type == "merge" and isinstance(patch, list):
            detail = "json: cannot unmarshal array into Go value of type unstructured.detector"
            raise StrategicPatchError(400, "BadRequest", detail, detail)
        raise StrategicPatchError(
            400, "BadRequest", "invalid JSON document", "invalid JSON document"
        )
    if patch_type == "merge":
        return dict(json_merge_patch(obj, patch))
    return apply_strategic_merge_patch(obj, patch, str(obj.get("kind") or ""))


def _patch_text(inv: Invocation) -> str:
    text = str(inv.flag("patch") or "")
    path = str(inv.flag("patch-file") or "")
    if text and path:
        raise KubectlError("error: cannot specify --patch and --patch-file together")
    if path:
        try:
            text = inv.files.read(path)
        except OSError:
            raise KubectlError(
                f"error: unable to read patch file: open {path}: no such file or directory"
            ) from None
    if not text:
        raise KubectlError(
            "error: must specify --patch or --patch-file containing the contents of the patch"
        )
    return text


def _print(inv: Invocation, obj: Obj, op: str) -> None:
    fmt = inv.flag("output")
    if fmt:
        inv.out.out(format_object(obj, fmt))
    else:
        inv.out.out(f"{resource_name(obj)} {op}")


def _local(inv: Invocation, patch: Any, patch_type: str) -> None:
    for item in read_objects(inv, "patch", local=True):
        try:
            patched = apply_patch(item.obj, patch, patch_type)
        except (JsonPatchError, StrategicPatchError) as exc:
            raise KubectlError(f"error: {exc.detail}") from None
        _print(inv, patched, "patched" if patched != item.obj else "patched (no change)")


def _write(inv: Invocation, res: Resource, live: Obj, patch: Any, patch_type: str) -> None:
    """Patch one live object (or its ``status``/``scale`` subresource) and report it."""
    dry_run = dry_run_flag(inv)
    subresource = str(inv.flag("subresource") or "")
    name = str(live["metadata"]["name"])
    namespace = str(live["metadata"].get("namespace") or "")
    try:
        if subresource == "scale":
            scale = {"spec": {"replicas": (live.get("spec") or {}).get("replicas", 0)}}
            replicas = apply_patch(
                scale, patch, "merge" if patch_type == "strategic" else patch_type
            )
            wanted = int((replicas.get("spec") or {}).get("replicas", 0))
            if wanted == scale["spec"]["replicas"] or dry_run:
                changed = wanted != scale["spec"]["replicas"]
                result_obj, op = live, "patched" if changed else "patched (no change)"
            else:
                result_obj, op = inv.cluster.scale(res.kind, name, wanted, namespace).obj, "patched"
        else:
            patched = apply_patch(live, patch, patch_type)
            if subresource == "status":
                patched = {**live, "status": patched.get("status", {})}
                if patched == live or dry_run:
                    result_obj = patched
                    op = "patched" if patched != live else "patched (no change)"
                else:
                    result_obj, op = inv.cluster.api.update_status(patched), "patched"
                    inv.cluster.settle()
            else:
                result = inv.cluster.replace(patched, dry_run=dry_run)
                for warning in result.warnings:
                    inv.out.err(f"Warning: {warning}")
                result_obj = result.obj
                op = "patched (no change)" if result.op == "unchanged" else "patched"
    except ApiError as exc:
        inv.out.fail(exc.kubectl_text(None, "patching"))
        return
    if dry_run:
        op += " (dry run)"
    _print(inv, result_obj, op)


def run(inv: Invocation) -> None:
    """Run ``kubectl patch``."""
    patch_type = str(inv.flag("type"))
    if patch_type not in PATCH_TYPES:
        raise KubectlError(
            f'error: --type must be one of [json merge strategic], not "{patch_type}"'
        )
    if inv.flag("subresource") not in ("", "status", "scale"):
        raise KubectlError(
            f'error: invalid subresource value: "{inv.flag("subresource")}". Must be one of '
            "[status scale]"
        )
    text = _patch_text(inv)
    if inv.flag("local"):
        if inv.args:
            raise KubectlError("error: cannot specify --local and server resources")
        _local(inv, decode_patch(text), patch_type)
        return
    patch = decode_patch(text)
    if inv.flag("filename"):
        if inv.args:
            raise inv.usage_error("Unexpected args: " + str(inv.args).replace("'", ""))
        for item in read_objects(inv, "patch"):
            res = resource_of(item)
            namespace = str((item.obj.get("metadata") or {}).get("namespace") or "")
            try:
                live = inv.lookup(res, item.name, namespace)
            except KubectlError as exc:
                inv.out.fail(exc.text)
                continue
            _write(inv, res, live, patch, patch_type)
        return
    if not inv.args:
        raise inv.usage_error("You must provide one or more resources by argument or filename.")
    targets = parse_targets(inv.args)
    for target in targets:
        if not target.names:
            raise KubectlError("error: resource(s) were provided, but no name was specified")
        for name in target.names:
            try:
                live = inv.lookup(target.res, name)
            except KubectlError as exc:
                inv.out.fail(exc.text)
                continue
            _write(inv, target.res, live, patch, patch_type)


COMMAND = Command(
    name="patch",
    summary="Update fields of a resource",
    usage="kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    flags=FLAGS,
    handler=run,
    long_help=(
        "Update fields of a resource using strategic merge patch, a JSON merge patch, or a "
        "JSON patch.\n\n JSON and YAML formats are accepted.\n\n Note: Strategic merge patch "
        "is not supported for custom resources."
    ),
    examples="""  # Partially update a node using a strategic merge patch, specifying the patch as JSON
  kubectl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'

  # Partially update a node using a strategic merge patch, specifying the patch as YAML
  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'

  # Partially update a node identified by the type and name specified in "node.json" using strategic merge patch
  kubectl patch -f node.json -p '{"spec":{"unschedulable":true}}'

  # Update a container's image; spec.containers[*].name is required because it's a merge key
  kubectl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'

  # Update a container's image using a JSON patch with positional arrays
  kubectl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'

  # Update a deployment's replicas through the 'scale' subresource using a merge patch
  kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'""".replace(
        "\n\n", "\n  \n"
    ),  # kubectl indents the blank lines too
)
