"""Printing objects the way kubectl's ``-o`` printers do, shared by get and the write commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.kubectl.commands.args import GO_FALSE, GO_TRUE, Flag
from k8stui.kubectl.commands.base import KubectlError
from k8stui.kubectl.gofmt import go_v
from k8stui.kubectl.gotemplate import TemplateExecError, TemplateSyntaxError, execute
from k8stui.kubectl.output import (
    JSONPathError,
    jsonpath,
    to_json,
    to_json_compact,
    to_name,
    to_yaml,
    unstructured,
)

Obj = dict[str, Any]

OUTPUT_FLAG = Flag("output", "o", help="Output format: json, yaml, name, wide, jsonpath=TEMPLATE")
DRY_RUN_FLAG = Flag(
    "dry-run",
    default="none",
    no_value="unchanged",
    help='Must be "none", "server", or "client". With "client", only print the object',
)
# The formats a command that prints objects (not tables) accepts, as kubectl lists them.
OBJECT_FORMATS = (
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
    "templatefile,yaml"
)
TABLE_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)


def unsupported_format(fmt: str, allowed: str = OBJECT_FORMATS) -> KubectlError:
    """kubectl's error for ``-o`` values it has no printer for."""
    return KubectlError(
        f'error: unable to match a printer suitable for the output format "{fmt}", '
        f"allowed formats are: {allowed}"
    )


def resource_name(obj: Obj) -> str:
    """``pod/x`` or ``deployment.apps/x``."""
    kind = str(obj.get("kind", ""))
    res = BY_KIND.get(kind)
    prefix = res.singular_qualified if res else kind.lower()
    return f"{prefix}/{(obj.get('metadata') or {}).get('name', '')}"


def as_list(objects: list[Obj]) -> Obj:
    """The ``kind: List`` wrapper kubectl prints for several objects."""
    return {
        "apiVersion": "v1",
        "items": objects,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def split_format(fmt: str) -> tuple[str, str]:
    """``jsonpath={.x}`` to (``jsonpath``, ``{.x}``); other formats have no argument."""
    name, _, arg = fmt.partition("=")
    return name, arg


def format_object(
    data: Any, fmt: str, allowed: str = OBJECT_FORMATS, *, typed: bool = False
) -> str:
    """Render one object (or a List) as ``-o yaml|json|name|jsonpath=...`` asks.

    ``typed``: kubectl holds the object as its Go struct (it built it, or decoded it to change
    it), so ``-o json`` keeps the API's field order; ``-o yaml`` is sorted either way.
    """
    name, arg = split_format(fmt)
    if name == "yaml":
        return to_yaml(data)
    if name == "json":
        return to_json(data, typed=typed)
    if name == "name":
        return to_name(data)
    if name in ("jsonpath", "jsonpath-as-json"):
        if not arg:
            raise KubectlError("error: template format specified but no template given")
        try:
            return jsonpath(data, arg, as_json=name == "jsonpath-as-json")
        except JSONPathError as exc:
            raise KubectlError(f"error: {exc}") from None
    if name in ("go-template", "template"):
        if not arg:
            raise KubectlError("error: template format specified but no template given")
        return go_template(data, arg)
    raise unsupported_format(fmt, allowed)


_FILE_FORMATS = {
    "go-template-file": "go-template",
    "templatefile": "template",
    "jsonpath-file": "jsonpath",
}


def inline_file_format(fmt: str, read: Callable[[str], str]) -> str:
    """``go-template-file=PATH`` (and the other ``-file`` forms) as the inline format."""
    name, arg = split_format(fmt)
    if name not in _FILE_FORMATS:
        return fmt
    if not arg:
        raise KubectlError("error: template format specified but no template given")
    try:
        text = read(arg)
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
        raise KubectlError(
            f"error: error reading --template {arg}, open {arg}: no such file or directory"
        ) from None
    return f"{_FILE_FORMATS[name]}={text}"


def exact_output(fmt: str) -> bool:
    """Formats kubectl prints byte for byte, with no newline added (templates, JSONPath)."""
    name = split_format(fmt)[0]
    return name in ("go-template", "template", "jsonpath", "jsonpath-file")


def go_template(data: Any, template: str) -> str:
    """``-o go-template=...``, with kubectl's two-part report when the template fails."""
    try:
        return execute(template, unstructured(data))
    except TemplateSyntaxError as exc:
        raise KubectlError(f"error: error parsing template {template}, {exc}") from None
    except TemplateExecError as exc:
        raw = to_json_compact(data)
        debug = (
            f"Error executing template: {exc}. Printing more information for debugging the "
            f"template:\n\ttemplate was:\n\t\t{template}\n\traw data was:\n\t\t{raw}\n"
            f"\tobject given to template engine was:\n\t\t{go_v(unstructured(data))}\n\n"
        )
        raise KubectlError(
            f"error: error executing template {go_quote(template)}: {exc}",
            stdout=exc.partial + debug,
        ) from None


def result_line(obj: Obj, op: str, fmt: str | None, typed: bool = False) -> str:
    """What a write command prints: ``pod/x created`` or the object in the ``-o`` format."""
    if fmt:
        return format_object(obj, fmt, typed=typed)
    return f"{resource_name(obj)} {op}\n"


def check_dry_run(value: str) -> tuple[bool, tuple[str, str] | None]:
    """Whether ``--dry-run`` asks for a dry run (server is treated as client), and the klog
    warning kubectl 1.32 logs for the deprecated forms: (its source line, its words)."""
    if value in ("client", "server"):
        return True, None
    if value == "none":
        return False, None
    if value == "unchanged":  # a bare --dry-run
        return True, (
            "helpers.go:702",
            "--dry-run is deprecated and can be replaced with --dry-run=client.",
        )
    if value in GO_TRUE or value in GO_FALSE:  # strconv.ParseBool's words
        dry_run = value in GO_TRUE
        return dry_run, (
            f"helpers.go:{716 if dry_run else 719}",
            f"--dry-run={value} is deprecated (boolean value) and can be replaced with "
            f"--dry-run={'client' if dry_run else 'none'}.",
        )
    raise KubectlError(
        f'error: Invalid dry-run value ({value}). Must be "none", "server", or "client".'
    )
