"""``kubectl create -f`` and the generators ``create deployment|service|namespace``."""

from __future__ import annotations

from functools import partial
from typing import Any

from k8stui.engine.names import random_suffix
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.create_batch import CRON_JOB_COMMAND, JOB_COMMAND
from k8stui.kubectl.commands.create_config import (
    CONFIGMAP_COMMAND,
    SECRET_COMMAND,
    SERVICEACCOUNT_COMMAND,
)
from k8stui.kubectl.commands.filenames import (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    read_objects,
    resource_of,
)
from k8stui.kubectl.commands.printing import (
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
)
from k8stui.kubectl.commands.writes import dry_run_mode, emit, print_unsent, report

Obj = dict[str, Any]


def _one_name(inv: Invocation) -> str:
    if len(inv.args) != 1:
        raise inv.usage_error(f"exactly one NAME is required, got {len(inv.args)}")
    return inv.args[0]


def run_files(inv: Invocation) -> None:
    """``kubectl create -f``."""
    mode = dry_run_mode(inv)
    if not inv.flag("filename"):
        raise KubectlError("error: must specify one of -f and -k")
    for item in read_objects(inv):
        try:
            resource_of(item)
        except KubectlError as exc:
            inv.out.fail(exc.text)
            continue
        if mode == "client":  # kubectl prints the file's object and sends nothing
            print_unsent(inv, item.obj, "created")
            continue
        report(
            inv,
            partial(inv.cluster.create, item.obj, dry_run=bool(mode)),
            source=item.source,
            dry_run=mode,
        )


def container_name(image: str, inv: Invocation) -> str:
    """kubectl's container name for an image: the last path part without tag or digest."""
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    if "_" in name:
        # kubectl makes such names valid and unique with a random suffix.
        name = name.replace("_", "-") + "-" + random_suffix(inv.cluster.ctx.rng)
    return name


def run_deployment(inv: Invocation) -> None:
    """``kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=P] [-- CMD]``."""
    name = _one_name(inv) if inv.parsed.dash_at < 0 else _name_before_dash(inv)
    images: list[str] = inv.flag("image")
    if not images:
        raise KubectlError('error: required flag(s) "image" not set')
    command = inv.args[inv.parsed.dash_at :] if inv.parsed.dash_at >= 0 else []
    if command and len(images) > 1:
        raise KubectlError("error: cannot specify multiple --image options and command")
    dry_run = dry_run_mode(inv)
    labels = {"app": name}
    containers: list[Obj] = []
    for image in images:
        container: Obj = {"image": image, "name": container_name(image, inv), "resources": {}}
        if command:
            container = {"command": command, **container}
        if inv.flag("port") != -1:
            container["ports"] = [{"containerPort": inv.flag("port")}]
        containers.append(container)
    obj: Obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"creationTimestamp": None, "labels": labels, "name": name},
        "spec": {
            "replicas": inv.flag("replicas"),
            "selector": {"matchLabels": labels},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": labels},
                "spec": {"containers": containers},
            },
        },
        "status": {},
    }
    _set_namespace(inv, obj)
    emit(inv, obj, dry_run, failure="failed to create deployment: ")


def _name_before_dash(inv: Invocation) -> str:
    names = inv.args[: inv.parsed.dash_at]
    if len(names) != 1:
        raise inv.usage_error(f"exactly one NAME is required, got {len(names)}")
    return names[0]


def _set_namespace(inv: Invocation, obj: Obj) -> None:
    # Generated objects carry the namespace only when -n was given (as kubectl's do).
    if inv.given("namespace"):
        obj["metadata"]["namespace"] = inv.namespace


def _service_ports(specs: list[str]) -> list[Obj]:
    ports: list[Obj] = []
    for spec in specs:
        port_text, _, target_text = spec.partition(":")
        try:
            port = int(port_text)
            target: int | str = int(target_text) if target_text else port
        except ValueError:
            raise KubectlError(f"error: invalid port specifier: {spec}") from None
        name = f"{port}-{target}" if target_text else str(port)
        ports.append({"name": name, "port": port, "protocol": "TCP", "targetPort": target})
    return ports


def _run_service(inv: Invocation, service_type: str) -> None:
    name = _one_name(inv)
    specs: list[str] = inv.flag("tcp")
    cluster_ip = inv.flag("clusterip") if "clusterip" in inv.parsed.values else ""
    if not specs and cluster_ip != "None" and service_type != "ExternalName":
        raise KubectlError("error: at least one tcp port specifier must be provided")
    dry_run = dry_run_mode(inv)
    ports = _service_ports(specs) if specs else []
    node_port = inv.flag("node-port") if service_type == "NodePort" else 0
    if node_port:
        ports = [{**ports[0], "nodePort": node_port}, *ports[1:]]
    spec: Obj = {"selector": {"app": name}, "type": service_type}
    if service_type == "ExternalName":
        spec = {"externalName": inv.flag("external-name"), **spec}
    if ports:
        spec = {"ports": ports, **spec}
    if cluster_ip:
        spec = {"clusterIP": cluster_ip, **spec}
    obj: Obj = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"creationTimestamp": None, "labels": {"app": name}, "name": name},
        "spec": spec,
        "status": {"loadBalancer": {}},
    }
    _set_namespace(inv, obj)
    emit(inv, obj, dry_run, failure=f"failed to create {service_type} service: ")


def run_loadbalancer(inv: Invocation) -> None:
    """``kubectl create service loadbalancer NAME --tcp=PORT[:TARGET]``."""
    _run_service(inv, "LoadBalancer")


def run_externalname(inv: Invocation) -> None:
    """``kubectl create service externalname NAME --external-name=HOST [--tcp=...]``."""
    if not inv.flag("external-name"):
        raise KubectlError('error: required flag(s) "external-name" not set')
    _run_service(inv, "ExternalName")


def run_clusterip(inv: Invocation) -> None:
    """``kubectl create service clusterip NAME --tcp=PORT[:TARGET]``."""
    _run_service(inv, "ClusterIP")


def run_nodeport(inv: Invocation) -> None:
    """``kubectl create service nodeport NAME --tcp=PORT[:TARGET] [--node-port=N]``."""
    _run_service(inv, "NodePort")


def run_namespace(inv: Invocation) -> None:
    """``kubectl create namespace NAME``."""
    name = _one_name(inv)
    dry_run = dry_run_mode(inv)
    obj: Obj = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"creationTimestamp": None, "name": name},
        "spec": {},
        "status": {},
    }
    emit(inv, obj, dry_run)


_WRITE_FLAGS = (OUTPUT_FLAG, DRY_RUN_FLAG)
_TCP = Flag(
    "tcp",
    kind="list",
    default=[],
    split=True,
    help="Port pairs can be specified as '<port>:<targetPort>'.",
)

_SERVICE = Command(
    name="service",
    summary="Create a service using a specified subcommand",
    usage="kubectl create service [flags] [options]",
    flags=(),
    aliases=("svc",),
    subcommands=(
        Command(
            name="clusterip",
            summary="Create a ClusterIP service",
            usage="kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
            flags=(
                *_WRITE_FLAGS,
                _TCP,
                Flag(
                    "clusterip",
                    default="",
                    help="Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
                ),
            ),
            handler=run_clusterip,
            examples="  # Create a new ClusterIP service named my-cs\n  kubectl create service clusterip my-cs --tcp=5678:8080",
        ),
        Command(
            name="nodeport",
            summary="Create a NodePort service",
            usage="kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
            flags=(
                *_WRITE_FLAGS,
                _TCP,
                Flag(
                    "node-port",
                    kind="int",
                    default=0,
                    help="Port used to expose the service on each node in a cluster.",
                ),
                Flag("clusterip", default="", help="Assign your own ClusterIP."),
            ),
            handler=run_nodeport,
            examples="  # Create a new NodePort service named my-ns\n  kubectl create service nodeport my-ns --tcp=5678:8080",
        ),
        Command(
            name="loadbalancer",
            summary="Create a LoadBalancer service",
            usage="kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
            flags=(*_WRITE_FLAGS, _TCP),
            handler=run_loadbalancer,
            examples="  # Create a new LoadBalancer service named my-lbs\n  kubectl create service loadbalancer my-lbs --tcp=5678:8080",
        ),
        Command(
            name="externalname",
            summary="Create an ExternalName service",
            usage="kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
            flags=(
                *_WRITE_FLAGS,
                _TCP,
                Flag("external-name", help="External name of service"),
            ),
            handler=run_externalname,
            examples="  # Create a new ExternalName service named my-ns\n  kubectl create service externalname my-ns --external-name bar.com",
        ),
    ),
)

COMMAND = Command(
    name="create",
    summary="Create a resource from a file or from stdin",
    usage="kubectl create -f FILENAME [options]",
    flags=(FILENAME_FLAG, RECURSIVE_FLAG, *_WRITE_FLAGS),
    handler=run_files,
    examples="""  # Create a pod using the data in pod.json
  kubectl create -f ./pod.json

  # Create a deployment named my-dep that runs the nginx image with 3 replicas
  kubectl create deployment my-dep --image=nginx --replicas=3""",
    subcommands=(
        Command(
            name="deployment",
            summary="Create a deployment with the specified name",
            usage="kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
            flags=(
                *_WRITE_FLAGS,
                Flag(
                    "image",
                    kind="list",
                    default=[],
                    split=True,
                    help="Image names to run. A deployment can have multiple images set for multi-container pod.",
                ),
                Flag("replicas", "r", "int32", 1, "Number of replicas to create. Default is 1."),
                Flag(
                    "port",
                    kind="int32",
                    default=-1,
                    help="The containerPort that this deployment exposes.",
                ),
            ),
            handler=run_deployment,
            aliases=("deploy",),
            examples="  # Create a deployment named my-dep that runs the busybox image\n  kubectl create deployment my-dep --image=busybox",
        ),
        _SERVICE,
        CONFIGMAP_COMMAND,
        SECRET_COMMAND,
        SERVICEACCOUNT_COMMAND,
        JOB_COMMAND,
        CRON_JOB_COMMAND,
        Command(
            name="namespace",
            summary="Create a namespace with the specified name",
            usage="kubectl create namespace NAME [--dry-run=server|client|none] [options]",
            flags=_WRITE_FLAGS,
            handler=run_namespace,
            aliases=("ns",),
            examples="  # Create a new namespace named my-namespace\n  kubectl create namespace my-namespace",
        ),
    ),
)
