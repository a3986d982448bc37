"""Describers for DaemonSet, ServiceAccount, Secret, ConfigMap and Namespace (kubectl 1.32
``pkg/describe/describe.go``: ``describeDaemonSet``, ``describeServiceAccount``,
``describeSecret``, ``describeConfigMap``, ``describeNamespace``).

Go iterates maps in random order; the keys of Secrets and ConfigMaps are printed sorted here
so a transcript is stable. Secret values are never printed, only their size in bytes.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from k8stui.engine.apimachinery.selectors import matches_label_selector
from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    annotations_multiline,
    controller_uid,
    describe_events,
    describe_header,
    labels_multiline,
    text,
)
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.printers import format_label_selector
from k8stui.kubectl.table import format_labels
from k8stui.kubectl.view import ClusterView


def _meta(obj: Obj) -> dict[str, Any]:
    return obj.get("metadata") or {}


def _decoded_size(value: Any) -> int:
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))


def describe_daemon_set(ds: Obj, view: ClusterView) -> str:
    """``kubectl describe ds`` (which, unlike its siblings, prints no Namespace line)."""
    meta = _meta(ds)
    spec = ds.get("spec") or {}
    status = ds.get("status") or {}
    template = spec.get("template") or {}
    w = DescribeWriter()
    w.write(0, f"Name:\t{text(meta.get('name'))}\n")
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    node_selector = (template.get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(
        0, f"Desired Number of Nodes Scheduled: {int(status.get('desiredNumberScheduled') or 0)}\n"
    )
    w.write(
        0, f"Current Number of Nodes Scheduled: {int(status.get('currentNumberScheduled') or 0)}\n"
    )
    w.write(
        0,
        "Number of Nodes Scheduled with Up-to-date Pods: "
        f"{int(status.get('updatedNumberScheduled') or 0)}\n",
    )
    w.write(
        0,
        f"Number of Nodes Scheduled with Available Pods: {int(status.get('numberAvailable') or 0)}\n",
    )
    w.write(0, f"Number of Nodes Misscheduled: {int(status.get('numberMisscheduled') or 0)}\n")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    uid = text(meta.get("uid"))
    for pod in view.list("Pod", text(meta.get("namespace"))):
        labels = _meta(pod).get("labels") or {}
        if controller_uid(pod) != uid or not matches_label_selector(spec.get("selector"), labels):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    w.write(
        0,
        f"Pods Status:\t{counts['Running']} Running / {counts['Pending']} Waiting / "
        f"{counts['Succeeded']} Succeeded / {counts['Failed']} Failed\n",
    )
    describe_pod_template(w, template)
    describe_events(w, view.events_for(ds), view.now_ms)
    return w.result()


def _names(items: list[Obj] | None) -> list[str]:
    return [text(item.get("name")) for item in items or []]


def describe_service_account(sa: Obj, view: ClusterView) -> str:
    """``kubectl describe sa``."""
    meta = _meta(sa)
    w = DescribeWriter()
    describe_header(w, meta)
    for title, names in (
        ("Image pull secrets", _names(sa.get("imagePullSecrets"))),
        ("Mountable secrets", _names(sa.get("secrets"))),
        ("Tokens", []),
    ):
        if not names:
            w.write(0, f"{title}:\t<none>\n")
            continue
        for index, name in enumerate(names):
            w.write(0, f"{title + ':' if index == 0 else ''}\t{name}\n")
    describe_events(w, view.events_for(sa), view.now_ms)
    return w.result()


def describe_secret(secret: Obj, _view: ClusterView) -> str:
    """``kubectl describe secret``: sizes of the values, never the values."""
    meta = _meta(secret)
    w = DescribeWriter()
    describe_header(w, meta)
    w.write(0, f"\nType:\t{text(secret.get('type'))}\n")
    w.write(0, "\nData\n====\n")
    token_type = secret.get("type") == "kubernetes.io/service-account-token"
    for key, value in sorted((secret.get("data") or {}).items()):
        if token_type and key == "token":
            w.write(0, f"{key}:\t{base64.b64decode(str(value)).decode(errors='replace')}\n")
        else:
            w.write(0, f"{key}:\t{_decoded_size(value)} bytes\n")
    return w.result()


def describe_config_map(cm: Obj, view: ClusterView) -> str:
    """``kubectl describe cm``: every value printed in full under its key."""
    meta = _meta(cm)
    w = DescribeWriter()
    describe_header(w, meta)
    w.write(0, "\nData\n====\n")
    for key, value in sorted((cm.get("data") or {}).items()):
        w.write(0, f"{key}:\n----\n")
        # kubectl ends each value with a blank line (DescribeConfigMap).
        w.write(0, f"{text(value)}\n\n")
    w.write(0, "\nBinaryData\n====\n")
    for key, value in sorted((cm.get("binaryData") or {}).items()):
        w.write(0, f"{key}: {_decoded_size(value)} bytes\n")
    w.write(0, "\n")
    describe_events(w, view.events_for(cm), view.now_ms)
    return w.result()


def describe_namespace(ns: Obj, _view: ClusterView) -> str:
    """``kubectl describe ns`` (no quota or limit objects exist in the simulator)."""
    meta = _meta(ns)
    w = DescribeWriter()
    describe_header(w, meta, namespaced=False)
    w.write(0, f"Status:\t{text((ns.get('status') or {}).get('phase'))}\n")
    w.write(0, "\nNo resource quota.\n")
    w.write(0, "\nNo LimitRange resource.\n")
    return w.result()
