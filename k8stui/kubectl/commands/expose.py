"""``kubectl expose``: a Service for a pod, RC, RS, Deployment or Service."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG
from k8stui.kubectl.commands.targets import parse_targets
from k8stui.kubectl.commands.writes import dry_run_mode, emit

Obj = dict[str, Any]

_NOTHING = """error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'"""

FLAGS = (
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("port", default="", help="The port that the service should serve on."),
    Flag(
        "target-port",
        default="",
        help="Name or number for the port on the container that the service should direct traffic to.",
    ),
    Flag("name", default="", help="The name for the newly created object."),
    Flag(
        "type",
        default="",
        help="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName.",
    ),
    Flag(
        "protocol",
        default="",
        help="The network protocol for the service to be created. Default is 'TCP'.",
    ),
    Flag("selector", default="", help="A label selector to use for this service."),
    Flag("labels", "l", default="", help="Labels to apply to the service created by this call."),
    Flag(
        "cluster-ip",
        default="",
        help="ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.",
    ),
)


def _selector(inv: Invocation, obj: Obj) -> dict[str, str]:
    if inv.flag("selector"):
        return dict(pair.split("=", 1) for pair in inv.flag("selector").split(",") if "=" in pair)
    kind = obj["kind"]
    spec = obj.get("spec") or {}
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise KubectlError("error: the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind in ("ReplicationController", "Service"):
        selector = spec.get("selector") or {}
        if not selector:
            raise KubectlError(
                f"error: the {kind.lower()} has no selector and cannot be exposed"
                if kind == "Service"
                else "error: couldn't retrieve selectors via --selector flag or introspection"
            )
        return dict(selector)
    selector = spec.get("selector") or {}
    expressions = selector.get("matchExpressions") or []
    if expressions:
        raise KubectlError(
            f'error: couldn\'t convert expressions - "{expressions[0]}" to map-based selector format'
        )
    return dict(selector.get("matchLabels") or {})


def _introspected_ports(obj: Obj) -> list[Obj]:
    kind = obj["kind"]
    spec = obj.get("spec") or {}
    if kind == "Service":
        return [
            {k: v for k, v in p.items() if k in ("name", "port", "protocol", "targetPort")}
            for p in spec.get("ports") or []
        ]
    pod_spec = spec if kind == "Pod" else (spec.get("template") or {}).get("spec") or {}
    found: list[Obj] = []
    for container in pod_spec.get("containers") or []:
        for port in container.get("ports") or []:
            found.append({"port": port["containerPort"], "protocol": port.get("protocol", "TCP")})
    return found


def _ports(inv: Invocation, obj: Obj) -> list[Obj]:
    protocol = inv.flag("protocol")
    if inv.flag("port"):
        numbers = inv.flag("port").split(",")
        ports = []
        for number in numbers:
            try:
                ports.append({"port": int(number), "protocol": protocol or "TCP"})
            except ValueError:
                raise KubectlError(f"error: invalid port: {number}") from None
    else:
        ports = _introspected_ports(obj)
        if not ports:
            raise KubectlError("error: couldn't find port via --port flag or introspection")
    named = len(ports) > 1
    out: list[Obj] = []
    for index, port in enumerate(ports, 1):
        item: Obj = {}
        if named and "name" not in port:
            item["name"] = f"port-{index}"
        item.update(port)
        if protocol:
            item["protocol"] = protocol
        target = inv.flag("target-port")
        if target:
            item["targetPort"] = int(target) if target.isdigit() else target
        else:
            item.setdefault("targetPort", item["port"])
        out.append(item)
    return out


def run(inv: Invocation) -> None:
    """Run ``kubectl expose``."""
    if not inv.args:
        raise KubectlError(_NOTHING)
    dry_run = dry_run_mode(inv)
    for target in parse_targets(inv.args):
        if target.res.kind not in (
            "Pod",
            "Service",
            "ReplicationController",
            "ReplicaSet",
            "Deployment",
        ):
            raise KubectlError(f"error: cannot expose a {target.res.kind}")
        for name in target.names or []:
            obj = inv.lookup(target.res, name)
            labels = (obj.get("metadata") or {}).get("labels") or {}
            if inv.flag("labels"):
                labels = dict(p.split("=", 1) for p in inv.flag("labels").split(",") if "=" in p)
            meta: Obj = {"creationTimestamp": None}
            if labels:
                meta["labels"] = dict(labels)
            meta["name"] = inv.flag("name") or name
            if inv.given("namespace"):
                meta["namespace"] = inv.namespace
            spec: Obj = {"ports": _ports(inv, obj), "selector": _selector(inv, obj)}
            if inv.flag("cluster-ip"):
                spec["clusterIP"] = inv.flag("cluster-ip")
            if inv.flag("type"):
                spec["type"] = inv.flag("type")
            service: Obj = {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": meta,
                "spec": spec,
                "status": {"loadBalancer": {}},
            }
            emit(inv, service, dry_run, op="exposed")


COMMAND = Command(
    name="expose",
    summary="Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
    usage="kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    flags=FLAGS,
    handler=run,
    examples="""  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000
  kubectl expose rc nginx --port=80 --target-port=8000

  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
  kubectl expose pod valid-pod --port=444 --name=frontend

  # Create a NodePort service for a deployment
  kubectl expose deployment nginx --port=80 --type=NodePort""",
)
