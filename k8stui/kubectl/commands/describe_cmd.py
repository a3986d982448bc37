"""``kubectl describe``: one or more objects, by name, name prefix or selector."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.targets import label_selector, no_resources, parse_targets, select
from k8stui.kubectl.describe import describe

Obj = dict[str, Any]

FLAGS = (
    Flag("all-namespaces", "A", "bool", False, "Describe the object(s) in every namespace"),
    Flag("selector", "l", help="Selector (label query) to filter on"),
)


def run(inv: Invocation) -> None:
    """Run ``kubectl describe``."""
    if not inv.args:
        raise KubectlError(
            'Error: You must specify the type of resource to describe. Use "kubectl '
            'api-resources" for a complete list of supported resources.'
        )
    all_ns = bool(inv.flag("all-namespaces"))
    selector = label_selector(inv.flag("selector"))
    found: list[tuple[str, Obj]] = []
    for target in parse_targets(inv.args):
        listed = select(inv, target.res, all_namespaces=all_ns, selector=selector)
        if target.names is None:
            if not listed:
                inv.out.err(no_resources(inv, target.res, all_ns))
            found += [(target.res.kind, obj) for obj in listed]
            continue
        for name in target.names:
            exact = [o for o in listed if o["metadata"]["name"] == name]
            # describe falls back to every object whose name starts with the word given.
            matches = exact or [o for o in listed if o["metadata"]["name"].startswith(name)]
            if not matches:
                inv.out.fail(
                    f"Error from server (NotFound): {target.res.qualified} {go_quote(name)} not found"
                )
            found += [(target.res.kind, obj) for obj in matches]
    # kubectl separates descriptions with two blank lines (each one already ends in a newline).
    inv.out.out("\n\n".join(describe(kind, obj, inv.view) for kind, obj in found))


COMMAND = Command(
    name="describe",
    summary="Show details of a specific resource or group of resources",
    usage="kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # Describe a node
  kubectl describe nodes worker-1

  # Describe a pod
  kubectl describe pods/nginx

  # Describe all pods managed by the 'frontend' replication controller
  kubectl describe pods frontend""",
)
