"""``kubectl get``: tables, ``-o wide|yaml|json|name|jsonpath``, selectors and sorting."""

from __future__ import annotations

import re
from typing import Any

from k8stui.kubectl.commands import get_watch
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import (
    OUTPUT_FLAG,
    TABLE_FORMATS,
    as_list,
    exact_output,
    format_object,
    inline_file_format,
    resource_name,
    split_format,
    unsupported_format,
)
from k8stui.kubectl.commands.targets import (
    Target,
    field_filter,
    label_selector,
    no_resources,
    parse_targets,
    select,
)
from k8stui.kubectl.custom_columns import (
    Column,
    CustomColumnsError,
    parse_file,
    parse_spec,
    render,
)
from k8stui.kubectl.jsonpath import JSONPathError, jsonpath
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import render_table

Obj = dict[str, Any]

_COLUMN_FORMATS = ("custom-columns", "custom-columns-file")
_FORMATS = (
    *("", "wide", "yaml", "json", "name", "jsonpath", "jsonpath-as-json", "go-template"),
    *("template", "go-template-file", "templatefile", *_COLUMN_FORMATS),
)

_NO_TYPE = """You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples"""

FLAGS = (
    OUTPUT_FLAG,
    Flag(
        "all-namespaces", "A", "bool", False, "List the requested object(s) across all namespaces"
    ),
    Flag("selector", "l", help="Selector (label query) to filter on, e.g. -l key1=value1,key2"),
    Flag("field-selector", help="Selector (field query) to filter on, e.g. status.phase=Running"),
    Flag("show-labels", kind="bool", default=False, help="Show all labels as the last column"),
    Flag("sort-by", help="Sort list types using this JSONPath expression, e.g. '{.metadata.name}'"),
    Flag("no-headers", kind="bool", default=False, help="Don't print headers"),
    Flag(
        "label-columns",
        "L",
        "list",
        split=True,
        help="Accepts a comma separated list of labels that are going to be presented as columns",
    ),
    Flag(
        "show-kind",
        kind="bool",
        default=False,
        help="If present, list the resource type for the requested object(s)",
    ),
    *get_watch.FLAGS,
)


def _sort(objects: list[Obj], expression: str) -> list[Obj]:
    """``--sort-by``: numbers sort as numbers, everything else as text."""
    template = expression if expression.startswith("{") else "{" + expression + "}"
    if not re.match(r"^\{\.?[^{}]*\}$", template):
        raise KubectlError(
            "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        )
    template = template if template.startswith("{.") else "{." + template[1:]
    keyed: list[tuple[tuple[int, float, str], Obj]] = []
    for obj in objects:
        try:
            text = jsonpath(obj, template)
        except JSONPathError as exc:
            raise KubectlError(f"error: {exc}") from None
        try:
            keyed.append(((0, float(text), ""), obj))
        except ValueError:
            keyed.append(((1, 0.0, text), obj))
    keyed.sort(key=lambda item: item[0])
    return [obj for _, obj in keyed]


def _collect(inv: Invocation, target: Target, all_ns: bool, errors: list[str]) -> list[Obj]:
    selector_text = inv.flag("selector")
    selector = label_selector(selector_text)
    fields = field_filter(target.res, inv.flag("field-selector"), selector_text)
    if target.names is None:
        return select(inv, target.res, all_namespaces=all_ns, selector=selector, fields=fields)
    found: list[Obj] = []
    for name in target.names:
        try:
            found.append(inv.lookup(target.res, name))
        except KubectlError as exc:
            # kubectl prints what it found first and the errors after it.
            errors.append(exc.text)
    return found


def _human(
    inv: Invocation, groups: list[tuple[Target, list[Obj]]], with_kind: bool, wide: bool
) -> None:
    blocks: list[str] = []
    for target, objects in groups:
        if not objects:
            continue
        table = build_table(target.res.kind, objects, inv.view)
        if with_kind or inv.flag("show-kind"):
            column = next(
                (i for i, c in enumerate(table.column_definitions) if c.name == "Name"), None
            )
            if column is not None:
                for row in table.rows:
                    row.cells[column] = resource_name(row.object)
        blocks.append(
            render_table(
                table,
                wide=wide,
                show_labels=bool(inv.flag("show-labels")),
                all_namespaces=bool(inv.flag("all-namespaces")),
                no_headers=bool(inv.flag("no-headers")),
                label_columns=_label_columns(inv),
            )
        )
    inv.out.out("\n".join(blocks))


def _label_columns(inv: Invocation) -> list[str]:
    """``-L a,b -L c``: every key, in order (the parser splits a string slice's commas)."""
    return [key for key in inv.flag("label-columns") or [] if key]


def _custom_columns(inv: Invocation, fmt: str) -> list[Column]:
    name, arg = split_format(fmt)
    try:
        if name == "custom-columns":
            return parse_spec(arg)
        if not arg:
            raise KubectlError("error: template format specified but no template given")
        try:
            text = inv.files.read(arg)
        except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
            raise KubectlError(f"error: open {arg}: no such file or directory") from None
        return parse_file(text)
    except CustomColumnsError as exc:
        raise KubectlError(f"error: {exc}") from None


def run(inv: Invocation) -> None:
    """Run ``kubectl get``."""
    if not inv.args:
        raise KubectlError(_NO_TYPE)
    fmt = inv.flag("output") or ""
    fmt_name, _ = split_format(fmt)
    if fmt_name not in _FORMATS:
        raise unsupported_format(fmt, TABLE_FORMATS)
    columns = _custom_columns(inv, fmt) if fmt_name in _COLUMN_FORMATS else None
    fmt = inline_file_format(fmt, inv.files.read)
    targets = parse_targets(inv.args)
    if get_watch.watching(inv):
        get_watch.check_targets(targets)
    if inv.flag("selector") and any(t.names is not None for t in targets):
        raise KubectlError("error: name cannot be provided when a selector is specified")
    all_ns = bool(inv.flag("all-namespaces"))
    errors: list[str] = []
    groups = [(t, _collect(inv, t, all_ns, errors)) for t in targets]
    if inv.flag("sort-by"):
        groups = [(t, _sort(objs, inv.flag("sort-by"))) for t, objs in groups]
    objects = [obj for _, objs in groups for obj in objs]
    if get_watch.watching(inv):
        for error in errors:
            raise KubectlError(error)
        get_watch.start(inv, targets[0], objects, fmt, columns)
        return
    if columns is not None:
        inv.out.out(render(columns, objects, no_headers=bool(inv.flag("no-headers"))))
    else:
        _print(inv, targets, groups, objects, fmt)
    for error in errors:
        inv.out.fail(error)


def _print(
    inv: Invocation,
    targets: list[Target],
    groups: list[tuple[Target, list[Obj]]],
    objects: list[Obj],
    fmt: str,
) -> None:
    fmt_name, _ = split_format(fmt)
    all_ns = bool(inv.flag("all-namespaces"))
    named = any(t.names is not None for t in targets)
    single = len(targets) == 1 and targets[0].names is not None and len(targets[0].names) == 1
    if fmt_name in ("", "wide"):
        if not objects and not named:
            only = targets[0].res if len(targets) == 1 else None
            inv.out.err(no_resources(inv, only, all_ns))
            return
        _human(inv, groups, len(targets) > 1, fmt_name == "wide")
        return
    if fmt_name == "name":
        inv.out.out("".join(format_object(obj, fmt) for obj in objects))
        return
    if single:
        if objects:
            inv.out.out(format_object(objects[0], fmt), newline=not exact_output(fmt))
        return
    inv.out.out(format_object(as_list(objects), fmt), newline=not exact_output(fmt))


COMMAND = Command(
    name="get",
    summary="Display one or many resources",
    usage="kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List a single pod in JSON output format
  kubectl get -o json pod web-pod-13je7

  # List one pod and one service, by type and name
  kubectl get pod/web-pod-13je7 service/frontend

  # Pods on a given node, sorted by creation time
  kubectl get pods --field-selector spec.nodeName=worker-1 --sort-by=.metadata.creationTimestamp""",
)
