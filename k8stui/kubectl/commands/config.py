"""``kubectl config``: view the kubeconfig and switch contexts and namespaces."""

from __future__ import annotations

import json
from typing import Any

from k8stui.kubectl.client_config import Context
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import split_format
from k8stui.kubectl.jsonpath import JSONPathError, jsonpath
from k8stui.kubectl.output import to_yaml
from k8stui.kubectl.table import TABLE_MIN_WIDTH, TABLE_PADDING
from k8stui.kubectl.tabwriter import align

# The order kubectl's JSON printer writes a Config in (its Go struct order).
_JSON_ORDER = (
    "kind",
    "apiVersion",
    "preferences",
    "clusters",
    "users",
    "contexts",
    "current-context",
)


def _view(inv: Invocation) -> None:
    doc = inv.config.document(minify=bool(inv.flag("minify")), raw=bool(inv.flag("raw")))
    name, arg = split_format(inv.flag("output") or "yaml")
    if name == "yaml":
        inv.out.out(to_yaml(doc))
    elif name == "json":
        ordered = {key: _json_value(key, doc[key]) for key in _JSON_ORDER}
        inv.out.out(json.dumps(ordered, indent=4))
    elif name == "jsonpath":
        try:
            inv.out.out(jsonpath(doc, arg), newline=False)
        except JSONPathError as exc:
            raise KubectlError(f"error: {exc}") from None
    else:
        raise KubectlError(
            f'error: unable to match a printer suitable for the output format "{inv.flag("output")}", '
            "allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml"
        )


# Field orders of the Go structs behind each entry (the YAML printer sorts; JSON does not).
_BODY_ORDER = {
    "cluster": ("server", "certificate-authority-data"),
    "user": ("token",),
    "context": ("cluster", "user", "namespace"),
}


def _json_value(key: str, value: Any) -> Any:
    if key in ("clusters", "users", "contexts") and value is not None:
        body = {"clusters": "cluster", "users": "user", "contexts": "context"}[key]
        return [
            {
                "name": item["name"],
                body: {f: item[body][f] for f in _BODY_ORDER[body] if f in item[body]},
            }
            for item in value
        ]
    return value


def _get_contexts(inv: Invocation) -> None:
    config = inv.config
    names = inv.args or sorted(config.contexts)
    missing = [n for n in names if n not in config.contexts]
    if inv.flag("output") == "name":
        inv.out.out("".join(f"{n}\n" for n in names if n in config.contexts))
    elif inv.flag("output"):
        raise KubectlError(
            f"error: --output {inv.flag('output')} is not available in kubectl config "
            "get-contexts; resetting to default output format"
        )
    else:
        rows = (
            []
            if inv.flag("no-headers")
            else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        )
        for name in names:
            context = config.contexts.get(name)
            if context is not None:
                current = "*" if name == config.current else ""
                rows.append([current, name, context.cluster, context.user, context.namespace])
        inv.out.out(align(rows, minwidth=TABLE_MIN_WIDTH, padding=TABLE_PADDING))
    for name in missing:
        inv.out.fail(f"error: context {name} not found")


def _current_context(inv: Invocation) -> None:
    inv.out.out(inv.config.current)


def _use_context(inv: Invocation) -> None:
    if len(inv.args) != 1:
        raise KubectlError(f"error: Unexpected args: {_go_list(inv.args)}")
    name = inv.args[0]
    if name not in inv.config.contexts:
        raise KubectlError(f'error: no context exists with the name: "{name}"')
    inv.config.current = name
    inv.out.out(f'Switched to context "{name}".')


def _set_context(inv: Invocation) -> None:
    current = bool(inv.flag("current"))
    if current and inv.args:
        raise KubectlError("error: you cannot specify a context name and --current")
    if not current and len(inv.args) != 1:
        raise inv.usage_error("you must specify a non-empty context name or --current")
    name = inv.config.current if current else inv.args[0]
    context = inv.config.contexts.get(name)
    created = context is None
    if context is None:
        context = inv.config.contexts[name] = Context()
    for flag, attribute in (("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")):
        if inv.given(flag):
            setattr(context, attribute, str(inv.flag(flag) or ""))
    inv.out.out(f'Context "{name}" {"created" if created else "modified"}.')


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


COMMAND = Command(
    name="config",
    summary="Modify kubeconfig files",
    usage="kubectl config SUBCOMMAND [options]",
    flags=(),
    long_help=(
        'Modify kubeconfig files using subcommands like "kubectl config set current-context '
        'my-context".\n\n In k8stui the kubeconfig lives in the session: contexts and their '
        "namespaces last until the session ends."
    ),
    subcommands=(
        Command(
            name="current-context",
            summary="Display the current-context",
            usage="kubectl config current-context [flags] [options]",
            flags=(),
            handler=_current_context,
            examples="""  # Print the name of the context kubectl uses now
  kubectl config current-context""",
        ),
        Command(
            name="get-contexts",
            summary="Describe one or many contexts",
            usage="kubectl config get-contexts [(-o|--output=)name)] [options]",
            flags=(
                Flag("output", "o", help="Output format. One of: (name)."),
                Flag(
                    "no-headers",
                    kind="bool",
                    default=False,
                    help="When using the default or custom-column output format, don't print headers (default print headers).",
                ),
            ),
            handler=_get_contexts,
            examples="""  # Every context of the kubeconfig, the current one starred
  kubectl config get-contexts

  # Only the context named k8stui
  kubectl config get-contexts k8stui""",
        ),
        Command(
            name="set-context",
            summary="Set a context entry in kubeconfig",
            usage="kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
            flags=(
                Flag("current", kind="bool", default=False, help="Modify the current context"),
                Flag("cluster", help="cluster for the context entry in kubeconfig"),
                Flag("user", help="user for the context entry in kubeconfig"),
            ),
            handler=_set_context,
            examples="""  # Set the namespace of the current context
  kubectl config set-context --current --namespace=team""",
        ),
        Command(
            name="use-context",
            summary="Set the current-context in a kubeconfig file",
            usage="kubectl config use-context CONTEXT_NAME [options]",
            flags=(),
            handler=_use_context,
            aliases=("use",),
            examples="""  # Make the k8stui context the one later commands use
  kubectl config use-context k8stui""",
        ),
        Command(
            name="view",
            summary="Display merged kubeconfig settings or a specified kubeconfig file",
            usage="kubectl config view [flags] [options]",
            flags=(
                Flag(
                    "output",
                    "o",
                    default="yaml",
                    help="Output format. One of: (json, yaml, jsonpath)",
                ),
                Flag(
                    "minify",
                    kind="bool",
                    default=False,
                    help="Remove all information not used by current-context from the output",
                ),
                Flag(
                    "raw",
                    kind="bool",
                    default=False,
                    help="Display raw byte data and sensitive data",
                ),
            ),
            handler=_view,
            examples="""  # The kubeconfig as kubectl reads it, secrets hidden
  kubectl config view

  # Only what the current context uses
  kubectl config view --minify

  # The namespace of the current context
  kubectl config view --minify -o jsonpath='{..namespace}'""",
        ),
    ),
)
