"""``kubectl describe statefulset`` (kubectl ``describeStatefulSet``)."""

from __future__ import annotations

from k8stui.engine.apimachinery.selectors import matches_label_selector
from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    annotations_multiline,
    controller_uid,
    describe_events,
    format_rfc1123z,
    labels_multiline,
    text,
)
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.printers_storage import claim_class
from k8stui.kubectl.selector_text import selector_string
from k8stui.kubectl.view import ClusterView


def _pod_counts(sts: Obj, view: ClusterView) -> tuple[int, int, int, int]:
    meta = sts.get("metadata") or {}
    selector = (sts.get("spec") or {}).get("selector")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in view.list("Pod", text(meta.get("namespace"))):
        labels = (pod.get("metadata") or {}).get("labels") or {}
        if controller_uid(pod) != meta.get("uid") or not matches_label_selector(selector, labels):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _claim_templates(w: DescribeWriter, templates: list[Obj]) -> None:
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
        return
    w.write(0, "Volume Claims:\n")
    for claim in templates:
        meta = claim.get("metadata") or {}
        spec = claim.get("spec") or {}
        w.write(1, f"Name:\t{text(meta.get('name'))}\n")
        w.write(1, f"StorageClass:\t{claim_class(claim)}\n")
        labels_multiline(w, "Labels", meta.get("labels"), "  ")
        labels_multiline(w, "Annotations", meta.get("annotations"), "  ")
        storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        w.write(1, f"Capacity:\t{'<default>' if storage is None else text(storage)}\n")
        w.write(1, f"Access Modes:\t[{' '.join(str(m) for m in spec.get('accessModes') or [])}]\n")


def describe_stateful_set(sts: Obj, view: ClusterView) -> str:
    """The ``kubectl describe statefulset`` text."""
    meta = sts.get("metadata") or {}
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    w = DescribeWriter()
    w.write(0, f"Name:\t{text(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{text(meta.get('namespace'))}\n")
    w.write(0, f"CreationTimestamp:\t{format_rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    replicas = int(spec.get("replicas", 1))
    w.write(0, f"Replicas:\t{replicas} desired | {int(status.get('replicas') or 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{text(strategy.get('type'))}\n")
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict) and rolling.get("partition") is not None:
        w.write(1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    running, waiting, succeeded, failed = _pod_counts(sts, view)
    w.write(
        0,
        f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / "
        f"{failed} Failed\n",
    )
    describe_pod_template(w, spec.get("template"))
    _claim_templates(w, spec.get("volumeClaimTemplates") or [])
    describe_events(w, view.events_for(sts), view.now_ms)
    return w.result()
