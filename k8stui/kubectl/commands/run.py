"""``kubectl run``: one Pod (and with ``--expose`` a Service), as kubectl 1.18+ does."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG
from k8stui.kubectl.commands.run_attach import attach
from k8stui.kubectl.commands.writes import client_object, dry_run_mode, emit, report

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
        "stdin",
        "i",
        "bool",
        False,
        "Keep stdin open on the container in the pod, even if nothing is attached.",
    ),
    Flag("tty", "t", "bool", False, "Allocate a TTY for the container in the pod."),
    Flag(
        "attach",
        kind="bool",
        default=False,
        help="If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.",
    ),
    Flag(
        "rm",
        kind="bool",
        default=False,
        help="If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.",
    ),
    Flag(
        "pod-running-timeout",
        kind="duration",
        default=60.0,
        help="The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running",
    ),
    Flag("annotations", kind="list", default=[], help="Annotations to apply to the pod."),
    Flag("image-pull-policy", default="", help="The image pull policy for the container."),
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
    attached = bool(inv.flag("attach") or inv.flag("stdin"))
    if attached and inv.given("dry-run") and inv.flag("dry-run") in ("client", "server"):
        raise inv.usage_error(
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)"
        )
    if inv.flag("rm") and not attached:
        raise KubectlError("error: --rm should only be used for attached containers")
    if inv.flag("tty") and not inv.flag("stdin"):
        inv.out.err("error: -i/--stdin is required for containers with -t/--tty=true")
        inv.out.code = 1
        return
    dry_run = dry_run_mode(inv)
    labels = _labels(inv, name)
    meta: Obj = {"creationTimestamp": None, "labels": labels, "name": name}
    annotations = dict(a.partition("=")[::2] for a in inv.flag("annotations"))
    if annotations:
        meta = {"annotations": annotations, **meta}
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
    container = pod["spec"]["containers"][0]
    if inv.flag("image-pull-policy"):
        container["imagePullPolicy"] = inv.flag("image-pull-policy")
    if attached:
        container.update({"stdin": True, "stdinOnce": True} if inv.flag("stdin") else {})
        if inv.flag("tty"):
            container["tty"] = True
    if attached:  # an attached run prints the container's output, not "pod/x created"
        report(
            inv,
            lambda: inv.cluster.create(client_object(pod, inv.namespace)),
            op="created",
            quiet=True,
        )
    else:
        emit(inv, pod, dry_run)
    if attached and inv.out.code == 0:
        attach(
            inv,
            name,
            inv.namespace,
            rm=bool(inv.flag("rm")),
            tty=bool(inv.flag("tty")),
            timeout_s=float(inv.flag("pod-running-timeout")),
        )


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
