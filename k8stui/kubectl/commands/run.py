"""``kubectl run``: one Pod (and with ``--expose`` a Service), as kubectl 1.18+ does."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.create import emit
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG, check_dry_run

Obj = dict[str, Any]

# Printed after pflag's "unknown flag: --generator": the flag's history is a lesson in itself.
GENERATOR_HINT = """k8stui hint: --generator was removed from kubectl in 1.21. Up to 1.17,
`kubectl run NAME --image=IMAGE --generator=run/v1` created a ReplicationController
(label run=NAME) instead of a bare Pod; since 1.18 `kubectl run` only creates Pods.
For the same result today, write a ReplicationController manifest and `kubectl apply -f` it,
or use a Deployment: `kubectl create deployment NAME --image=IMAGE`."""

FLAGS = (
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("image", help="The image for the container to run."),
    Flag("port", default="", help="The port that this container exposes."),
    Flag(
        "labels",
        "l",
        default="",
        help="Comma separated labels to apply to the pod. Will override the default run=NAME label.",
    ),
    Flag("env", kind="list", default=[], help="Environment variables to set in the container."),
    Flag(
        "restart",
        default="Always",
        help="The restart policy for this Pod. Legal values [Always, OnFailure, Never].",
    ),
    Flag(
        "expose",
        kind="bool",
        default=False,
        help="If true, create a ClusterIP service associated with the pod. Requires `--port`.",
    ),
    Flag(
        "command",
        kind="bool",
        default=False,
        help="If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.",
    ),
)


def _labels(inv: Invocation, name: str) -> dict[str, str]:
    text = inv.flag("labels")
    if not text:
        return {"run": name}
    labels: dict[str, str] = {}
    for pair in text.split(","):
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise KubectlError(f"error: invalid label spec: {pair}")
        labels[key] = value
    return labels


def _container(inv: Invocation, name: str, extra: list[str]) -> Obj:
    container: Obj = {"image": inv.flag("image"), "name": name, "resources": {}}
    if extra:
        container = {("command" if inv.flag("command") else "args"): extra, **container}
    env: list[Obj] = []
    for pair in inv.flag("env"):
        key, sep, value = pair.partition("=")
        if not sep:
            raise KubectlError(f"error: invalid env: {pair}")
        env.append({"name": key, "value": value})
    if env:
        container["env"] = env
    if inv.flag("port"):
        try:
            container["ports"] = [{"containerPort": int(inv.flag("port"))}]
        except ValueError:
            raise KubectlError(f"error: invalid port: {inv.flag('port')}") from None
    return container


def run(inv: Invocation) -> None:
    """Run ``kubectl run``."""
    names = inv.args if inv.parsed.dash_at < 0 else inv.args[: inv.parsed.dash_at]
    extra = [] if not names else inv.args[1:]
    if not names:
        raise inv.usage_error("NAME is required for run")
    name = names[0]
    if not inv.flag("image"):
        raise KubectlError('error: required flag(s) "image" not set')
    restart = inv.flag("restart")
    if restart not in ("Always", "OnFailure", "Never"):
        raise inv.usage_error(f"invalid restart policy: {restart}")
    if inv.flag("expose") and not inv.flag("port"):
        raise inv.usage_error("--port must be set when exposing a service")
    dry_run, warning = check_dry_run(inv.flag("dry-run"))
    if warning:
        inv.out.err(f"Warning: {warning}")
    labels = _labels(inv, name)
    meta: Obj = {"creationTimestamp": None, "labels": labels, "name": name}
    if inv.given("namespace"):
        meta["namespace"] = inv.namespace
    pod: Obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": [_container(inv, name, extra)],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    }
    if inv.flag("expose"):
        port = int(inv.flag("port"))
        service: Obj = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "creationTimestamp": None,
                "name": name,
                **({"namespace": inv.namespace} if inv.given("namespace") else {}),
            },
            "spec": {
                "ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
                "selector": labels,
            },
            "status": {"loadBalancer": {}},
        }
        emit(inv, service, dry_run)
    emit(inv, pod, dry_run)


COMMAND = Command(
    name="run",
    summary="Run a particular image on the cluster",
    usage='kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
    flags=FLAGS,
    handler=run,
    long_help="Create and run a particular image in a pod.",
    examples="""  # Start a nginx pod
  kubectl run nginx --image=nginx

  # Start a hazelcast pod and let the container expose port 5701
  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701

  # Start a hazelcast pod and set environment variables "DNS_DOMAIN=cluster" and "POD_NAMESPACE=default" in the container
  kubectl run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"

  # Start a busybox pod and keep it in the foreground, don't restart it if it exits
  kubectl run busybox --image=busybox --restart=Never -- sleep 3600""",
)
