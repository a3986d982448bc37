"""Defaulting and create-time admission for the simulated kinds (pure: returns a new object).

This reproduces what a Kubernetes 1.32 API server adds to what a user posts, so
``kubectl get -o yaml`` in k8stui shows the same fields as a real cluster:

* the versioned defaulting functions (``SetDefaults_*`` of core/v1 and apps/v1);
* for Pods only, the admission plugins that run at creation: ServiceAccount
  (``serviceAccountName: default``), Priority (``priority: 0``), DefaultTolerationSeconds
  (the two 300 s NoExecute tolerations);
* the Service IP-family fields the service registry fills in.

Templates in controllers get PodSpec defaults only: admission runs when each pod is created.
Allocation (clusterIP, nodePort, uid, names from generateName) is the engine's job.
"""

from __future__ import annotations

import base64
from typing import Any

from k8stui.engine.apiserver import batch_defaults, statefulset_defaults, storage_defaults
from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]

CLUSTER_SCOPED = frozenset({"Namespace", "Node", "PersistentVolume", "StorageClass"})
DEFAULT_TOLERATION_SECONDS = 300
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
# The two PriorityClasses every cluster has (scheduling/v1 SystemPriorityClasses).
SYSTEM_PRIORITY_CLASSES = {
    "system-node-critical": 2000001000,
    "system-cluster-critical": 2000000000,
}


def _dict(parent: Obj, key: str) -> Obj:
    """``parent[key]`` as a dict, created when missing (left alone if it is not a dict)."""
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[Obj]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def image_tag(image: str) -> str:
    """The tag of an image reference: ``latest`` when neither tag nor digest is given."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "" if digest else "latest"


def _probe(probe: Any) -> None:
    if not isinstance(probe, dict):
        return
    probe.setdefault("timeoutSeconds", 1)
    probe.setdefault("periodSeconds", 10)
    probe.setdefault("successThreshold", 1)
    probe.setdefault("failureThreshold", 3)
    _handler(probe)


def _handler(handler: Any) -> None:
    if isinstance(handler, dict) and isinstance(handler.get("httpGet"), dict):
        handler["httpGet"].setdefault("scheme", "HTTP")


def _container(ctr: Obj, host_network: bool) -> None:
    ctr.setdefault("terminationMessagePath", "/dev/termination-log")
    ctr.setdefault("terminationMessagePolicy", "File")
    image = ctr.get("image")
    if "imagePullPolicy" not in ctr and isinstance(image, str):
        ctr["imagePullPolicy"] = "Always" if image_tag(image) == "latest" else "IfNotPresent"
    ctr.setdefault("resources", {})
    for port in _dicts(ctr.get("ports")):
        port.setdefault("protocol", "TCP")
        if host_network and "hostPort" not in port and "containerPort" in port:
            port["hostPort"] = port["containerPort"]
    for env in _dicts(ctr.get("env")):
        source = env.get("valueFrom")
        field_ref = source.get("fieldRef") if isinstance(source, dict) else None
        if isinstance(field_ref, dict):
            field_ref.setdefault("apiVersion", "v1")
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        _probe(ctr.get(key))
    lifecycle = ctr.get("lifecycle")
    if isinstance(lifecycle, dict):
        _handler(lifecycle.get("postStart"))
        _handler(lifecycle.get("preStop"))


_MODE_SOURCES = ("secret", "configMap", "downwardAPI", "projected")


def _volume(volume: Obj) -> None:
    for source in _MODE_SOURCES:
        if isinstance(volume.get(source), dict):
            volume[source].setdefault("defaultMode", 420)
    if isinstance(volume.get("hostPath"), dict):
        volume["hostPath"].setdefault("type", "")


def default_pod_spec(spec: Obj) -> None:
    """PodSpec defaults shared by pods and pod templates (mutates ``spec``)."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    host_network = spec.get("hostNetwork") is True
    for group in ("initContainers", "containers"):
        for ctr in _dicts(spec.get(group)):
            _container(ctr, host_network)
    for volume in _dicts(spec.get("volumes")):
        _volume(volume)


def _tolerates(tolerations: list[Obj], key: str) -> bool:
    # An empty key matches every taint key and an empty effect every effect.
    return any(
        t.get("key") in (key, None, "") and t.get("effect") in ("NoExecute", None, "")
        for t in tolerations
    )


def _pod(obj: Obj) -> None:
    spec = _dict(obj, "spec")
    default_pod_spec(spec)
    spec.setdefault("enableServiceLinks", True)
    for group in ("initContainers", "containers"):
        for ctr in _dicts(spec.get(group)):
            resources = ctr.get("resources")
            limits = resources.get("limits") if isinstance(resources, dict) else None
            if isinstance(limits, dict) and limits:
                requests = _dict(resources, "requests")  # type: ignore[arg-type]
                for name, amount in limits.items():
                    requests.setdefault(name, amount)
    # Admission (ServiceAccount, Priority, DefaultTolerationSeconds).
    # Mirror pods of static pods run outside the ServiceAccount plugin's reach.
    if "kubernetes.io/config.mirror" not in (_dict(obj, "metadata").get("annotations") or {}):
        spec.setdefault("serviceAccountName", spec.get("serviceAccount") or "default")
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
    if not spec.get("priorityClassName"):
        spec.setdefault("priority", 0)
    elif spec["priorityClassName"] in SYSTEM_PRIORITY_CLASSES:
        spec.setdefault("priority", SYSTEM_PRIORITY_CLASSES[spec["priorityClassName"]])
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    tolerations = spec.get("tolerations")
    if tolerations is None:
        tolerations = spec["tolerations"] = []
    if isinstance(tolerations, list):
        existing = _dicts(tolerations)
        for key in (NOT_READY_TAINT, UNREACHABLE_TAINT):
            if not _tolerates(existing, key):
                tolerations.append(
                    {
                        "effect": "NoExecute",
                        "key": key,
                        "operator": "Exists",
                        "tolerationSeconds": DEFAULT_TOLERATION_SECONDS,
                    }
                )


def _template_spec(spec: Obj) -> None:
    template = _dict(spec, "template")
    # A stored template's ObjectMeta keeps its zero creationTimestamp, serialised as null.
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    default_pod_spec(_dict(template, "spec"))


def _replication_controller(obj: Obj) -> None:
    spec = _dict(obj, "spec")
    template = spec.get("template")
    meta = template.get("metadata") if isinstance(template, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if isinstance(labels, dict) and labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        own = _dict(obj, "metadata")
        if not own.get("labels"):
            own["labels"] = dict(labels)
    spec.setdefault("replicas", 1)
    if isinstance(template, dict):
        _dict(template, "metadata").setdefault("creationTimestamp", None)
        default_pod_spec(_dict(template, "spec"))


def _replica_set(obj: Obj) -> None:
    spec = _dict(obj, "spec")
    spec.setdefault("replicas", 1)
    # minReadySeconds is an omitempty int32: a zero never shows in what the server returns.
    if spec.get("minReadySeconds") == 0:
        del spec["minReadySeconds"]
    _template_spec(spec)


def _deployment(obj: Obj) -> None:
    spec = _dict(obj, "spec")
    spec.setdefault("replicas", 1)
    strategy = _dict(spec, "strategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = _dict(strategy, "rollingUpdate")
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    _template_spec(spec)


def _daemon_set(obj: Obj) -> None:
    spec = _dict(obj, "spec")
    strategy = _dict(spec, "updateStrategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = _dict(strategy, "rollingUpdate")
        rolling.setdefault("maxUnavailable", 1)
        rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    _template_spec(spec)


def _secret(obj: Obj) -> None:
    if not obj.get("type"):
        obj["type"] = "Opaque"
    # The API server folds write-only stringData into data (its values win) and drops it.
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = _dict(obj, "data")
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


def _service(obj: Obj) -> None:
    spec = _dict(obj, "spec")
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    kind = spec["type"]
    for port in _dicts(spec.get("ports")):
        port.setdefault("protocol", "TCP")
        if port.get("targetPort") in (None, 0, "") and "port" in port:
            port["targetPort"] = port["port"]
    if kind in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
    if kind == "ExternalName":
        return
    # What the service registry sets on a single-stack IPv4 cluster.
    if spec.get("clusterIP") == "None" and not spec.get("selector"):
        spec.setdefault("ipFamilyPolicy", "RequireDualStack")
        families = spec.setdefault("ipFamilies", ["IPv4"])
        single = spec["ipFamilyPolicy"] == "SingleStack"
        if not single and isinstance(families, list) and len(families) == 1:
            families.append("IPv6" if families[0] == "IPv4" else "IPv4")
        return
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    spec.setdefault("ipFamilies", ["IPv4"])


def _namespace(obj: Obj) -> None:
    meta = _dict(obj, "metadata")
    name = meta.get("name")
    if isinstance(name, str) and name:
        _dict(meta, "labels")["kubernetes.io/metadata.name"] = name
    spec = _dict(obj, "spec")
    spec.setdefault("finalizers", ["kubernetes"])
    _dict(obj, "status").setdefault("phase", "Active")


def _endpoints(obj: Obj) -> None:
    for subset in _dicts(obj.get("subsets")):
        for port in _dicts(subset.get("ports")):
            port.setdefault("protocol", "TCP")


_BY_KIND = {
    "Job": lambda obj: batch_defaults.default_job(obj, default_pod_spec),
    "CronJob": lambda obj: batch_defaults.default_cron_job(obj, default_pod_spec),
    "PersistentVolume": storage_defaults.default_persistent_volume,
    "PersistentVolumeClaim": storage_defaults.default_persistent_volume_claim,
    "StorageClass": storage_defaults.default_storage_class,
    "StatefulSet": lambda obj: statefulset_defaults.default_stateful_set(obj, default_pod_spec),
    "Pod": _pod,
    "ReplicationController": _replication_controller,
    "ReplicaSet": _replica_set,
    "Deployment": _deployment,
    "DaemonSet": _daemon_set,
    "Secret": _secret,
    "Service": _service,
    "Namespace": _namespace,
    "Endpoints": _endpoints,
}


def apply_defaults(obj: Obj) -> Obj:
    """Return a new, defaulted (and for Pods, admitted) copy of ``obj``.

    Unknown kinds only get the namespace default. Malformed parts (e.g. ``containers`` that
    is not a list) are left as they are for validation to report.
    """
    out: Obj = copy_json(obj)
    kind = out.get("kind") if isinstance(out.get("kind"), str) else ""
    meta = _dict(out, "metadata")
    if kind not in CLUSTER_SCOPED and not meta.get("namespace"):
        meta["namespace"] = "default"
    rule = _BY_KIND.get(str(kind))
    if rule is not None:
        rule(out)
    return out
