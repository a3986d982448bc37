"""``kubectl cluster-info``: where the control plane and the cluster's add-on services answer.

The real command colours the names and addresses only on a terminal; what it writes to a
pipe, and what the built-in kubectl prints, is plain text. ``cluster-info dump`` is not
simulated.
"""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.client_config import SERVER
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.upstream import not_simulated

Obj = dict[str, Any]
_ADD_ON_LABEL = "kubernetes.io/cluster-service"
_DUMP_HINT = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"


def _link(service: Obj) -> str:
    """The address kubectl gives a service: its load balancer, else the API server's proxy."""
    spec = service.get("spec") or {}
    ports = spec.get("ports") or []
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        host = ingress[0].get("ip") or ingress[0].get("hostname") or ""
        return "".join(f"http://{host}:{port.get('port')} " for port in ports)
    meta = service["metadata"]
    name = meta["name"]
    if ports:
        port_name = ports[0].get("name") or ""
        scheme = "https" if port_name == "https" or ports[0].get("port") == 443 else ""
        # <scheme>:<service>:<port name>, leaving out the empty parts at either end.
        name = ":".join(p for p in (scheme, name) if p) if not port_name else f"{name}:{port_name}"
        if scheme and port_name:
            name = f"{scheme}:{name}"
    return f"{SERVER}/api/v1/namespaces/{meta['namespace']}/services/{name}/proxy"


def _run(inv: Invocation) -> None:
    lines = [f"Kubernetes control plane is running at {SERVER}"]
    for service in inv.cluster.list("Service", "kube-system"):
        meta = service["metadata"]
        labels = meta.get("labels") or {}
        if labels.get(_ADD_ON_LABEL) != "true":
            continue
        lines.append(
            f"{labels.get('kubernetes.io/name') or meta['name']} is running at {_link(service)}"
        )
    inv.out.out("\n".join(lines) + "\n" + _DUMP_HINT, newline=False)


def _dump(inv: Invocation) -> None:
    raise KubectlError(not_simulated("cluster-info dump"))


DUMP = Command(
    name="dump",
    summary="Dump relevant information for debugging and diagnosis",
    usage="kubectl cluster-info dump [flags] [options]",
    flags=(),
    handler=_dump,
    long_help="Dump the cluster's state and logs for debugging (not simulated by k8stui).",
    examples="""  # Everything, to the terminal
  kubectl cluster-info dump""",
)

COMMAND = Command(
    name="cluster-info",
    summary="Display cluster information",
    usage="kubectl cluster-info [flags] [options]",
    flags=(),
    handler=_run,
    long_help=(
        "Show where the control plane answers, and the add-on services labelled "
        "kubernetes.io/cluster-service=true.\n"
        "For more, 'kubectl cluster-info dump' (not simulated by k8stui)."
    ),
    examples="""  # Where the control plane and the cluster's services answer
  kubectl cluster-info""",
    subcommands=(DUMP,),
)
