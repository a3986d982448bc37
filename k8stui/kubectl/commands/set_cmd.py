"""``kubectl set image|env|resources``: change the containers of workloads in place.

Targets are ``TYPE/NAME``, ``TYPE NAME...``, ``-l`` selections or ``-f`` files; ``--local``
changes the objects from ``-f`` without a server and prints them. Each change replaces the
object (with its resourceVersion, so a concurrent change is a Conflict, as on a cluster).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import FILENAME_FLAG, read_objects
from k8stui.kubectl.commands.printing import (
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
    exact_output,
    format_object,
    resource_name,
)
from k8stui.kubectl.commands.targets import label_selector, parse_targets, select
from k8stui.kubectl.commands.writes import dry_run_flag

Obj = dict[str, Any]
Change = Callable[[Obj], list[str]]
"""Changes a pod spec in place; returns the errors (a container that is not there)."""

_LOCAL_NEEDS_FILE = """error: you must specify resources by --filename when --local is set.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'"""


def pod_spec(obj: Obj) -> Obj | None:
    """The pod spec a workload's containers live in (Pods, templates, CronJob job templates)."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    template = spec.get("template")
    return template.get("spec") if isinstance(template, dict) else None


def _containers(spec: Obj, wanted: str, init: bool = True) -> list[Obj]:
    groups = ["initContainers", "containers"] if init else ["containers"]
    found = [c for group in groups for c in spec.get(group) or [] if isinstance(c, dict)]
    return [c for c in found if wanted == "*" or c.get("name") == wanted]


def _objects(inv: Invocation, positional: list[str]) -> list[Obj]:
    local = bool(inv.flag("local"))
    if inv.flag("filename"):
        return [item.obj for item in read_objects(inv, "set")]
    if local:
        raise KubectlError(_LOCAL_NEEDS_FILE)
    if not positional:
        raise KubectlError(
            "error: You must provide one or more resources by argument or filename.\n"
            "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
            "   '<resource> <name>'\n   '<resource>'"
        )
    found: list[Obj] = []
    selector = label_selector(inv.flag("selector"))
    for target in parse_targets(positional):
        if target.names is None:
            if not inv.flag("all") and selector is None:
                raise KubectlError("error: resource(s) were provided, but no name was specified")
            found += select(inv, target.res, selector=selector)
        else:
            found += [inv.lookup(target.res, name) for name in target.names]
    return found


def _apply(inv: Invocation, objects: list[Obj], change: Change, what: str) -> None:
    dry_run = dry_run_flag(inv)
    fmt = inv.flag("output")
    for original in objects:
        obj = copy.deepcopy(original)
        spec = pod_spec(obj)
        if spec is None:
            inv.out.fail(f"error: {resource_name(obj)} has no pod template")
            continue
        messages = change(spec)
        if messages:
            for message in messages:
                inv.out.fail(message)
            continue
        if inv.flag("local") or dry_run:
            if fmt:
                inv.out.out(format_object(obj, fmt, typed=True), newline=not exact_output(fmt))
            else:
                suffix = " (dry run)" if dry_run and not inv.flag("local") else ""
                inv.out.out(f"{resource_name(obj)} {what}{suffix}")
            continue
        try:
            result = inv.cluster.replace(obj)
        except ApiError as exc:
            inv.out.fail(exc.kubectl_text())
            continue
        if fmt:
            inv.out.out(format_object(result.obj, fmt, typed=True), newline=not exact_output(fmt))
        else:
            inv.out.out(f"{resource_name(result.obj)} {what}")


def _split_positional(inv: Invocation) -> tuple[list[str], list[str]]:
    """Resources come first, then the KEY=VALUE (or KEY-) arguments."""
    args = list(inv.args)
    first_pair = next((i for i, a in enumerate(args) if "=" in a or a.endswith("-")), len(args))
    return args[:first_pair], args[first_pair:]


def run_image(inv: Invocation) -> None:
    """``kubectl set image TARGET CONTAINER=IMAGE ...`` (``*`` means every container)."""
    resources, pairs = _split_positional(inv)
    images = {}
    for pair in pairs:
        name, sep, image = pair.partition("=")
        if not sep or not name or not image:
            raise inv.usage_error(f"invalid image update: {pair}")
        images[name] = image
    if not images:
        raise KubectlError("error: at least one image update is required")

    def change(spec: Obj) -> list[str]:
        missing: list[str] = []
        for name, image in images.items():
            matched = _containers(spec, name)
            if not matched:
                missing.append(f'error: unable to find container named "{name}"')
            for container in matched:
                container["image"] = image
        return missing

    _apply(inv, _objects(inv, resources), change, "image updated")


def run_env(inv: Invocation) -> None:
    """``kubectl set env TARGET KEY=VALUE ... KEY- ...`` on the chosen containers."""
    resources, pairs = _split_positional(inv)
    updates: list[tuple[str, str | None]] = []
    for pair in pairs:
        if pair.endswith("-") and "=" not in pair:
            updates.append((pair[:-1], None))
            continue
        key, _, value = pair.partition("=")
        if not key:
            raise inv.usage_error(f"invalid env: {pair}")
        updates.append((key, value))
    if not updates:
        raise KubectlError("error: at least one environment variable must be provided")
    wanted = inv.flag("containers") or "*"

    def change(spec: Obj) -> list[str]:
        matched = _containers(spec, wanted)
        if not matched:
            return [f'error: unable to find container named "{wanted}"']
        for container in matched:
            env = [e for e in container.get("env") or [] if isinstance(e, dict)]
            for key, value in updates:
                if value is None:
                    env = [e for e in env if e.get("name") != key]
                    continue
                existing = next((e for e in env if e.get("name") == key), None)
                if existing is None:
                    env.append({"name": key, "value": value})
                else:
                    existing.clear()
                    existing.update({"name": key, "value": value})
            if env:
                container["env"] = env
            else:
                container.pop("env", None)
        return []

    _apply(inv, _objects(inv, resources), change, "env updated")


def _resource_list(text: str | None) -> dict[str, str]:
    pairs = {}
    for item in (text or "").split(","):
        if not item:
            continue
        name, sep, quantity = item.partition("=")
        if not sep or not quantity:
            raise KubectlError(f"error: invalid argument syntax {item}")
        pairs[name] = quantity
    return pairs


def run_resources(inv: Invocation) -> None:
    """``kubectl set resources TARGET --limits=cpu=..,memory=.. --requests=...``."""
    limits, requests = _resource_list(inv.flag("limits")), _resource_list(inv.flag("requests"))
    if not limits and not requests:
        raise KubectlError(
            "error: you must specify an update to requests or limits (in the form of --requests/--limits)"
        )
    wanted = inv.flag("containers") or "*"

    def change(spec: Obj) -> list[str]:
        matched = _containers(spec, wanted)
        if not matched:
            return [f'error: unable to find container named "{wanted}"']
        for container in matched:
            resources = container.setdefault("resources", {})
            if limits:
                resources["limits"] = {**(resources.get("limits") or {}), **limits}
            if requests:
                resources["requests"] = {**(resources.get("requests") or {}), **requests}
        return []

    _apply(inv, _objects(inv, list(inv.args)), change, "resource requirements updated")


_COMMON = (
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    FILENAME_FLAG,
    Flag(
        "local",
        kind="bool",
        default=False,
        help="If true, set will NOT contact api-server but run locally.",
    ),
    Flag(
        "all",
        kind="bool",
        default=False,
        help="Select all resources, in the namespace of the specified resource types",
    ),
    Flag("selector", "l", help="Selector (label query) to filter on"),
)
_CONTAINERS = Flag(
    "containers",
    "c",
    default="*",
    help="The names of containers in the selected pod templates to change - may use wildcards",
)

COMMAND = Command(
    name="set",
    summary="Set specific features on objects",
    usage="kubectl set SUBCOMMAND [options]",
    flags=(),
    long_help="Configure application resources.\n\n These commands help you make changes to existing application resources.",
    subcommands=(
        Command(
            name="env",
            summary="Update environment variables on a pod template",
            usage="kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
            flags=(*_COMMON, _CONTAINERS),
            handler=run_env,
            examples="  # Update deployment 'registry' with a new environment variable\n  kubectl set env deployment/registry STORAGE_DIR=/local",
        ),
        Command(
            name="image",
            summary="Update the image of a pod template",
            usage="kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
            flags=_COMMON,
            handler=run_image,
            examples="  # Set a deployment's nginx container image to 'nginx:1.9.1'\n  kubectl set image deployment/nginx nginx=nginx:1.9.1",
        ),
        Command(
            name="resources",
            summary="Update resource requests/limits on objects with pod templates",
            usage="kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]",
            flags=(
                *_COMMON,
                _CONTAINERS,
                Flag(
                    "limits",
                    help="The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.",
                ),
                Flag(
                    "requests",
                    help="The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.",
                ),
            ),
            handler=run_resources,
            examples='  # Set a deployments nginx container cpu limits to "200m" and memory to "512Mi"\n  kubectl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi',
        ),
    ),
)
