"""``kubectl scale``: set replicas of Deployments, ReplicaSets and ReplicationControllers."""

from __future__ import annotations

from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG, result_line
from k8stui.kubectl.commands.targets import label_selector, target_objects
from k8stui.kubectl.commands.writes import dry_run_mode, dry_run_note

_SCALABLE = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")

FLAGS = (
    Flag("replicas", kind="int", default=0, help="The new desired number of replicas. Required."),
    Flag("current-replicas", kind="int", default=-1, help="Precondition for current size."),
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag(
        "all",
        kind="bool",
        default=False,
        help="Select all resources in the namespace of the specified resource types",
    ),
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
)


def run(inv: Invocation) -> None:
    """Run ``kubectl scale``."""
    if not inv.given("replicas"):
        raise KubectlError('error: required flag(s) "replicas" not set')
    replicas = int(inv.flag("replicas"))
    if replicas < 0:
        raise KubectlError(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or "
            "equal to 0"
        )
    if not inv.args:
        raise inv.usage_error("required resource not specified")
    selector = label_selector(inv.flag("selector"))
    mode = dry_run_mode(inv)
    for target, obj in target_objects(inv, inv.args, selector):
        name = obj["metadata"]["name"]
        if target.res.kind not in _SCALABLE:
            inv.out.fail(
                "Error from server (NotFound): the server could not find the requested resource"
            )
            continue
        current = int((obj.get("spec") or {}).get("replicas", 1))
        expected = int(inv.flag("current-replicas"))
        if expected >= 0 and expected != current:
            inv.out.fail(f"error: Expected replicas to be {expected}, was {current}")
            continue
        fmt = inv.flag("output") if "output" in inv.parsed.values else None
        if mode:  # kubectl shows the object it read, unscaled, and sends nothing
            inv.out.out(result_line(obj, "scaled" + dry_run_note(mode), fmt))
            continue
        try:
            inv.cluster.scale(
                target.res.kind, name, replicas, obj["metadata"].get("namespace", inv.namespace)
            )
        except ApiError as exc:
            inv.out.fail(exc.kubectl_text())
            continue
        inv.out.out(f"{target.res.singular_qualified}/{name} scaled")


COMMAND = Command(
    name="scale",
    summary="Set a new size for a deployment, replica set, or replication controller",
    usage="kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # Scale a replica set named 'foo' to 3
  kubectl scale --replicas=3 rs/foo

  # Scale a replication controller named 'kubia' to 3
  kubectl scale rc kubia --replicas=3

  # If the deployment named mysql's current size is 2, scale mysql to 3
  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql""",
)
