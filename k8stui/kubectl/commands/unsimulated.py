"""Resource type words of Kubernetes 1.32 kinds that k8stui does not simulate.

``kubectl get statefulsets`` must not answer "the server doesn't have a resource type": that
tells a learner the kind does not exist. These words get the simulator's own message instead.
"""

from __future__ import annotations

from k8stui.manifests.kinds import NOT_SIMULATED

# Short names from the real API discovery (kubectl api-resources, 1.32).
_SHORT_NAMES = {
    "PersistentVolume": ("pv",),
    "PersistentVolumeClaim": ("pvc",),
    "ResourceQuota": ("quota",),
    "LimitRange": ("limits",),
    "StatefulSet": ("sts",),
    "Ingress": ("ing",),
    "NetworkPolicy": ("netpol",),
    "StorageClass": ("sc",),
    "HorizontalPodAutoscaler": ("hpa",),
    "PodDisruptionBudget": ("pdb",),
    "CustomResourceDefinition": ("crd", "crds"),
    "PriorityClass": ("pc",),
    "CronJob": ("cj",),
    "CertificateSigningRequest": ("csr",),
}


def _plural(kind: str) -> str:
    lower = kind.lower()
    if lower.endswith("y"):
        return lower[:-1] + "ies"
    if lower.endswith(("s", "x", "ch")):
        return lower + "es"
    return lower + "s"


def _words() -> dict[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {}
    for kind, versions in NOT_SIMULATED.items():
        version = versions[0]
        group = version.rpartition("/")[0]
        names = {kind.lower(), _plural(kind), *_SHORT_NAMES.get(kind, ())}
        if group:
            names |= {f"{_plural(kind)}.{group}", f"{kind.lower()}.{group}"}
        for name in names:
            words.setdefault(name, (kind, version))
    return words


WORDS = _words()


def not_simulated_text(word: str) -> str | None:
    """The message for a resource word naming an unsimulated kind, or None."""
    found = WORDS.get(word.lower())
    if found is None:
        return None
    kind, version = found
    return f"{kind} ({version}) is a valid Kubernetes kind, but k8stui does not simulate it yet"
