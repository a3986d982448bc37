"""``kubectl wait --for=condition=C|delete|jsonpath=...``: let simulated time pass until done.

Each named (or selected) object is waited for in turn, up to ``--timeout`` (30 s unless
given) of simulated time, exactly as kubectl gives each object the remaining time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8stui.engine.cluster import Cluster
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import resource_name
from k8stui.kubectl.commands.targets import label_selector, parse_targets, select
from k8stui.kubectl.jsonpath import JSONPathError, jsonpath

Obj = dict[str, Any]
Test = Callable[[Obj | None], bool]

FLAGS = (
    Flag(
        "for",
        help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]].",
    ),
    Flag(
        "timeout",
        kind="duration",
        default=30.0,
        help="The length of time to wait before giving up.",
    ),
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag(
        "all",
        kind="bool",
        default=False,
        help="Select all resources in the namespace of the specified resource types",
    ),
    Flag(
        "all-namespaces",
        "A",
        "bool",
        False,
        "If present, list the requested object(s) across all namespaces.",
    ),
)


def _condition_test(spec: str) -> Test:
    name, _, wanted = spec.partition("=")
    wanted = wanted or "true"

    def test(obj: Obj | None) -> bool:
        for condition in ((obj or {}).get("status") or {}).get("conditions") or []:
            if str(condition.get("type", "")).lower() == name.lower():
                return str(condition.get("status", "")).lower() == wanted.lower()
        return False

    return test


def _jsonpath_test(spec: str) -> Test:
    expression, sep, wanted = spec.rpartition("=")
    if not sep or not expression:
        expression, wanted = spec, ""
    expression = expression.strip("'\"")
    if not expression.startswith("{"):
        raise KubectlError(f'error: unrecognized condition: "jsonpath={spec}"')

    def test(obj: Obj | None) -> bool:
        if obj is None:
            return False
        try:
            value = jsonpath(obj, expression)
        except JSONPathError:
            return False
        return value == wanted if sep else bool(value)

    return test


def _test(spec: str) -> Test:
    if spec == "delete":
        return lambda obj: obj is None
    if spec == "create":
        return lambda obj: obj is not None
    kind, _, rest = spec.partition("=")
    if kind == "condition" and rest:
        return _condition_test(rest)
    if kind == "jsonpath" and rest:
        return _jsonpath_test(rest)
    raise KubectlError(f'error: unrecognized condition: "{spec}"')


def run(inv: Invocation) -> None:
    """Run ``kubectl wait``."""
    spec = inv.flag("for")
    if not spec:
        raise KubectlError("error: --for must be specified")
    test = _test(spec)
    if not inv.args:
        raise KubectlError("error: resource(s) were provided, but no name was specified")
    keys: list[tuple[str, str, str, str]] = []  # kind, namespace, name, label for messages
    selector = label_selector(inv.flag("selector"))
    for target in parse_targets(inv.args):
        ns = inv.namespace if target.res.namespaced else ""
        if target.names is None:
            if selector is None and not inv.flag("all"):
                raise KubectlError("error: resource(s) were provided, but no name was specified")
            objects = select(
                inv, target.res, selector=selector, all_namespaces=bool(inv.flag("all-namespaces"))
            )
            if not objects:
                raise KubectlError("error: no matching resources found")
            keys += [
                (
                    target.res.kind,
                    o["metadata"].get("namespace", ""),
                    o["metadata"]["name"],
                    resource_name(o),
                )
                for o in objects
            ]
            continue
        for name in target.names:
            if (
                spec != "create"
                and spec != "delete"
                and inv.cluster.get(target.res.kind, name, ns) is None
            ):
                raise KubectlError(
                    f'Error from server (NotFound): {target.res.qualified} "{name}" not found'
                )
            keys.append((target.res.kind, ns, name, f"{target.res.singular_qualified}/{name}"))
    deadline_ms = inv.cluster.now_ms + round(float(inv.flag("timeout")) * 1000)
    for kind, ns, name, label in keys:

        def done(cluster: Cluster, kind: str = kind, ns: str = ns, name: str = name) -> bool:
            return test(cluster.get(kind, name, ns))

        left = max(0.0, (deadline_ms - inv.cluster.now_ms) / 1000)
        if inv.cluster.run_until(done, left):
            inv.out.out(f"{label} condition met")
        else:
            plural = label.split("/")[0].split(".")[0] + "s"
            inv.out.fail(f"error: timed out waiting for the condition on {plural}/{name}")


COMMAND = Command(
    name="wait",
    summary="Experimental: Wait for a specific condition on one or many resources",
    usage="kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    flags=FLAGS,
    handler=run,
    long_help="Experimental: Wait for a specific condition on one or many resources.\n\n In k8stui the simulated clock moves on while kubectl waits.",
    examples="""  # Wait for the pod "busybox1" to contain the status condition of type "Ready"
  kubectl wait --for=condition=Ready pod/busybox1

  # Wait for the pod "busybox1" to contain the status phase to be "Running"
  kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1

  # Wait for the pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command
  kubectl delete pod/busybox1
  kubectl wait --for=delete pod/busybox1 --timeout=60s""",
)
