"""Which (apiVersion, kind) pairs exist, which k8stui simulates, and which were removed.

The API server answers an unknown pair with ``no matches for kind "X" in version "Y"``.
Learners mostly hit that with manifests written for old releases (books, blog posts), so
for removed versions we add a hint naming the version to use today.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum

SIMULATED: tuple[tuple[str, str], ...] = (
    ("v1", "Pod"),
    ("v1", "ReplicationController"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "Endpoints"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("apps/v1", "DaemonSet"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "ControllerRevision"),
)

# Built-in kinds of Kubernetes 1.32 that k8stui does not simulate: kind -> served versions,
# preferred first.
NOT_SIMULATED: dict[str, tuple[str, ...]] = {
    "ResourceQuota": ("v1",),
    "LimitRange": ("v1",),
    "PodTemplate": ("v1",),
    "Event": ("v1", "events.k8s.io/v1"),
    "Binding": ("v1",),
    "Ingress": ("networking.k8s.io/v1",),
    "IngressClass": ("networking.k8s.io/v1",),
    "NetworkPolicy": ("networking.k8s.io/v1",),
    "CSIDriver": ("storage.k8s.io/v1",),
    "CSINode": ("storage.k8s.io/v1",),
    "VolumeAttachment": ("storage.k8s.io/v1",),
    "Role": ("rbac.authorization.k8s.io/v1",),
    "ClusterRole": ("rbac.authorization.k8s.io/v1",),
    "RoleBinding": ("rbac.authorization.k8s.io/v1",),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1",),
    "HorizontalPodAutoscaler": ("autoscaling/v2", "autoscaling/v1"),
    "PodDisruptionBudget": ("policy/v1",),
    "CustomResourceDefinition": ("apiextensions.k8s.io/v1",),
    "PriorityClass": ("scheduling.k8s.io/v1",),
    "EndpointSlice": ("discovery.k8s.io/v1",),
    "Lease": ("coordination.k8s.io/v1",),
    "RuntimeClass": ("node.k8s.io/v1",),
    "CertificateSigningRequest": ("certificates.k8s.io/v1",),
    "MutatingWebhookConfiguration": ("admissionregistration.k8s.io/v1",),
    "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io/v1",),
    "ValidatingAdmissionPolicy": ("admissionregistration.k8s.io/v1",),
    "ValidatingAdmissionPolicyBinding": ("admissionregistration.k8s.io/v1",),
    "APIService": ("apiregistration.k8s.io/v1",),
    "FlowSchema": ("flowcontrol.apiserver.k8s.io/v1",),
    "PriorityLevelConfiguration": ("flowcontrol.apiserver.k8s.io/v1",),
}

# Removed group-versions: (apiVersion, kind) -> the release that stopped serving it.
_REMOVED_1_16 = {
    "extensions/v1beta1": ("Deployment", "ReplicaSet", "DaemonSet", "NetworkPolicy"),
    "apps/v1beta1": ("Deployment", "StatefulSet", "ControllerRevision"),
    "apps/v1beta2": ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"),
}
_REMOVED_1_22 = {
    "extensions/v1beta1": ("Ingress",),
    "networking.k8s.io/v1beta1": ("Ingress", "IngressClass"),
    "apiextensions.k8s.io/v1beta1": ("CustomResourceDefinition",),
    "apiregistration.k8s.io/v1beta1": ("APIService",),
    "rbac.authorization.k8s.io/v1beta1": (
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
    ),
    "rbac.authorization.k8s.io/v1alpha1": (
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
    ),
    "storage.k8s.io/v1beta1": ("StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"),
    "scheduling.k8s.io/v1beta1": ("PriorityClass",),
    "certificates.k8s.io/v1beta1": ("CertificateSigningRequest",),
    "coordination.k8s.io/v1beta1": ("Lease",),
    "admissionregistration.k8s.io/v1beta1": (
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ),
}
_REMOVED_1_25 = {
    "batch/v1beta1": ("CronJob",),
    "batch/v2alpha1": ("CronJob",),
    "policy/v1beta1": ("PodDisruptionBudget",),
    "autoscaling/v2beta1": ("HorizontalPodAutoscaler",),
    "discovery.k8s.io/v1beta1": ("EndpointSlice",),
    "events.k8s.io/v1beta1": ("Event",),
    "node.k8s.io/v1beta1": ("RuntimeClass",),
}
_REMOVED_LATER = {
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "1.26",
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"): "1.26",
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"): "1.26",
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"): "1.29",
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration"): "1.29",
}
# Kinds that left Kubernetes altogether: kind -> (release, what replaced it).
GONE: dict[str, tuple[str, str]] = {
    "PodSecurityPolicy": (
        "1.25",
        "Pod Security Admission (pod-security.kubernetes.io/* namespace labels) replaced it",
    ),
}

REMOVED: dict[tuple[str, str], str] = {
    **{(gv, k): "1.16" for gv, kinds in _REMOVED_1_16.items() for k in kinds},
    **{(gv, k): "1.22" for gv, kinds in _REMOVED_1_22.items() for k in kinds},
    **{(gv, k): "1.25" for gv, kinds in _REMOVED_1_25.items() for k in kinds},
    **_REMOVED_LATER,
}

_CURRENT: dict[str, tuple[str, ...]] = {
    **{kind: (version,) for version, kind in SIMULATED},
    **NOT_SIMULATED,
}
_BUILTIN_GROUPS = frozenset(
    gv.rpartition("/")[0]
    for gv in [*(v for versions in _CURRENT.values() for v in versions), *(gv for gv, _ in REMOVED)]
)


class Support(Enum):
    """What k8stui does with an (apiVersion, kind) pair."""

    SIMULATED = "simulated"
    NOT_SIMULATED = "not simulated"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolution:
    """The outcome of looking a pair up; ``message`` is empty for simulated kinds."""

    support: Support
    message: str = ""


def _hint(api_version: str, kind: str) -> str:
    if kind in GONE:
        release, replacement = GONE[kind]
        return f"{kind} was removed in Kubernetes {release}; {replacement}."
    if api_version.rpartition("/")[0] not in _BUILTIN_GROUPS:
        return "ensure CRDs are installed first (custom resources are not simulated in k8stui)."
    current = _CURRENT.get(kind)
    removed_in = REMOVED.get((api_version, kind))
    if current and removed_in:
        return (
            f"{api_version} {kind} was removed in Kubernetes {removed_in}; "
            f"use apiVersion: {current[0]}."
        )
    if current:
        return f"{kind} is served as apiVersion: {current[0]}."
    lowered = {k.lower(): k for k in _CURRENT}
    if kind.lower() in lowered:
        return f'kinds are case-sensitive: did you mean "{lowered[kind.lower()]}"?'
    close = difflib.get_close_matches(kind, list(_CURRENT), n=1, cutoff=0.75)
    if close:
        return f'did you mean "{close[0]}"?'
    return ""


def resolve(api_version: str, kind: str) -> Resolution:
    """Classify ``apiVersion``/``kind`` as the API server would, with a learner's hint."""
    if (api_version, kind) in SIMULATED:
        return Resolution(Support.SIMULATED)
    if api_version in NOT_SIMULATED.get(kind, ()):
        return Resolution(
            Support.NOT_SIMULATED,
            f"{kind} ({api_version}) is a valid Kubernetes kind, but k8stui does not simulate "
            "it yet",
        )
    message = f'no matches for kind "{kind}" in version "{api_version}"'
    hint = _hint(api_version, kind)
    return Resolution(Support.UNKNOWN, f"{message}. Hint: {hint}" if hint else message)
