"""A pre-digested, read-only view of a Pod: everything the scheduler reads, parsed once.

Parsing quantities and walking nested dicts is the expensive part of scheduling a pod in
Python, so it happens here exactly once per pod (and once per bind). The rest of the
scheduler only reads these plain attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from k8stui.engine.apimachinery.selectors import Requirement, Selector, from_label_selector
from k8stui.engine.scheduler.interning import Interner
from k8stui.engine.scheduler.requests import pod_request_pair

# The label every namespace carries automatically; lets us evaluate the common
# ``namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}`` without Namespace objects.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"

# Pods of one workload digest to equal tolerations and node-local shapes: held once.
_TOLERATIONS: Interner[tuple[tuple[str, str, str, str], ...], tuple[Toleration, ...]]
_TOLERATIONS = Interner(4096)
_SHAPES: Interner[tuple[Any, ...], tuple[Any, ...]] = Interner(4096)


@dataclass(frozen=True, slots=True)
class Toleration:
    """One pod toleration (empty operator means Equal, empty effect means all effects)."""

    key: str
    operator: str
    value: str
    effect: str

    def tolerates(self, key: str, value: str, effect: str) -> bool:
        """Whether this toleration tolerates the taint ``key=value:effect``."""
        if self.effect and self.effect != effect:
            return False
        if self.key and self.key != key:
            return False
        if self.operator == "Exists":
            # An empty key with Exists tolerates every taint (key check above is skipped).
            return True
        if self.operator in ("", "Equal"):
            return self.value == value
        return False


def tolerated(tolerations: tuple[Toleration, ...], key: str, value: str, effect: str) -> bool:
    """Whether any toleration tolerates the taint."""
    return any(t.tolerates(key, value, effect) for t in tolerations)


@dataclass(frozen=True, slots=True)
class NamespaceFilter:
    """Which namespaces an affinity term looks at."""

    names: tuple[str, ...]
    selector: Selector | None  # a namespaceSelector; evaluated on the metadata.name label only

    def matches(self, namespace: str) -> bool:
        """Whether pods in ``namespace`` are considered by the term."""
        if namespace in self.names:
            return True
        return self.selector is not None and self.selector.matches(
            {NAMESPACE_NAME_LABEL: namespace}
        )


@dataclass(frozen=True, slots=True)
class AffinityTerm:
    """A pod (anti-)affinity term; ``selector is None`` (no labelSelector) matches no pod."""

    namespaces: NamespaceFilter
    selector: Selector | None
    topology_key: str
    weight: int = 0

    def matches(self, namespace: str, labels: Mapping[str, str]) -> bool:
        """Whether a pod with this namespace and labels matches the term."""
        return (
            self.selector is not None
            and self.namespaces.matches(namespace)
            and self.selector.matches(labels)
        )


@dataclass(frozen=True, slots=True)
class SpreadConstraint:
    """A topologySpreadConstraint (minDomains is not modelled)."""

    max_skew: int
    topology_key: str
    hard: bool  # DoNotSchedule
    selector: Selector | None  # None: no labelSelector, matches no pod
    honor_node_affinity: bool = True  # nodeAffinityPolicy (default Honor)
    honor_taints: bool = False  # nodeTaintsPolicy (default Ignore)


@dataclass(slots=True)
class PodView:
    """The scheduler's view of a pod. Built by :func:`pod_view`; never mutated afterwards."""

    key: str
    namespace: str
    name: str
    labels: dict[str, str]
    node_name: str
    terminating: bool
    cpu: int
    memory: int
    scalar: tuple[tuple[str, int], ...]  # ephemeral-storage and extended resources, sorted
    nz_cpu: int
    nz_memory: int
    host_ports: tuple[tuple[str, int, str], ...]  # (protocol, port, hostIP)
    tolerations: tuple[Toleration, ...]
    node_selector: dict[str, str]
    required_node_terms: list[Mapping[str, Any]] | None
    preferred_node_terms: tuple[tuple[int, Mapping[str, Any]], ...]
    affinity_required: tuple[AffinityTerm, ...]
    affinity_preferred: tuple[AffinityTerm, ...]
    anti_required: tuple[AffinityTerm, ...]
    anti_preferred: tuple[AffinityTerm, ...]
    spread: tuple[SpreadConstraint, ...]
    has_spread_field: bool  # pod declares topologySpreadConstraints (disables system defaults)
    images: tuple[str, ...]
    n_containers: int
    local_key: tuple[tuple[Any, ...], str]  # (shape, node): all node-local checks depend on

    @property
    def has_pod_affinity(self) -> bool:
        """True when the pod carries any inter-pod (anti-)affinity term."""
        return bool(
            self.affinity_required
            or self.affinity_preferred
            or self.anti_required
            or self.anti_preferred
        )

    @property
    def best_effort(self) -> bool:
        """True when the pod requests neither cpu nor memory."""
        return self.cpu == 0 and self.memory == 0


def _make_tolerations(raw: tuple[tuple[str, str, str, str], ...]) -> tuple[Toleration, ...]:
    return tuple(Toleration(*t) for t in raw)


def _same(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    return shape


def pod_key(pod: Mapping[str, Any]) -> str:
    """The identity of a pod in the scheduler cache: its uid, else namespace/name."""
    meta = pod.get("metadata") or {}
    uid = meta.get("uid")
    if uid:
        return str(uid)
    return f"{meta.get('namespace') or 'default'}/{meta.get('name') or ''}"


def normalize_image(name: str) -> str:
    """Image reference as the node reports it: a missing tag means ``:latest``."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name


def _namespace_filter(term: Mapping[str, Any], own_namespace: str) -> NamespaceFilter:
    names = tuple(str(n) for n in term.get("namespaces") or ())
    ns_selector = term.get("namespaceSelector")
    selector = from_label_selector(ns_selector) if ns_selector is not None else None
    if not names and selector is None:
        names = (own_namespace,)
    return NamespaceFilter(names, selector)


def _with_label_keys(
    selector: Selector | None, labels: Mapping[str, str], match: Any, mismatch: Any
) -> Selector | None:
    if selector is None or (not match and not mismatch):
        return selector
    extra: list[Requirement] = []
    for key in match or ():
        if key in labels:
            extra.append(Requirement(key, "In", (labels[key],)))
    for key in mismatch or ():
        if key in labels:
            extra.append(Requirement(key, "NotIn", (labels[key],)))
    return Selector(selector.requirements + tuple(extra))


def _affinity_terms(
    items: Any, weighted: bool, namespace: str, labels: Mapping[str, str]
) -> tuple[AffinityTerm, ...]:
    terms: list[AffinityTerm] = []
    for item in items or ():
        term = (item.get("podAffinityTerm") or {}) if weighted else item
        raw_selector = term.get("labelSelector")
        selector = from_label_selector(raw_selector) if raw_selector is not None else None
        selector = _with_label_keys(
            selector, labels, term.get("matchLabelKeys"), term.get("mismatchLabelKeys")
        )
        terms.append(
            AffinityTerm(
                namespaces=_namespace_filter(term, namespace),
                selector=selector,
                topology_key=str(term.get("topologyKey") or ""),
                weight=int(item.get("weight") or 0) if weighted else 0,
            )
        )
    return tuple(terms)


def _spread(items: Any, labels: Mapping[str, str]) -> tuple[SpreadConstraint, ...]:
    out: list[SpreadConstraint] = []
    for item in items or ():
        raw = item.get("labelSelector")
        selector = from_label_selector(raw) if raw is not None else None
        selector = _with_label_keys(selector, labels, item.get("matchLabelKeys"), None)
        out.append(
            SpreadConstraint(
                max_skew=int(item.get("maxSkew") or 1),
                topology_key=str(item.get("topologyKey") or ""),
                hard=(item.get("whenUnsatisfiable") or "DoNotSchedule") == "DoNotSchedule",
                selector=selector,
                honor_node_affinity=(item.get("nodeAffinityPolicy") or "Honor") == "Honor",
                honor_taints=(item.get("nodeTaintsPolicy") or "Ignore") == "Honor",
            )
        )
    return tuple(out)


def _freeze(value: Any) -> Any:
    """A hashable, order-preserving rendering of plain JSON data (for cache keys)."""
    if isinstance(value, Mapping):
        return tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


_NO_TEXTS: dict[str, str] = {}


def _text_map(value: Any) -> dict[str, str]:
    """A label map as text: the pod's own dict when it already is (views are never changed,
    nor are stored objects: a copy per pod was ~300 bytes of every bound pod's view)."""
    if not value:
        return _NO_TEXTS
    if all(type(k) is str and type(v) is str for k, v in value.items()):
        return value
    return {str(k): str(v) for k, v in value.items()}


def pod_view(pod: Mapping[str, Any]) -> PodView:
    """Digest a Pod object into a :class:`PodView`."""
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    namespace = str(meta.get("namespace") or "default")
    labels = _text_map(meta.get("labels"))
    parts = _parts(spec, namespace, labels)
    key = tuple(map(id, parts))
    found = _DIGESTS.get(key)
    if found is None:
        if len(_DIGESTS) >= DIGESTS_KEPT:
            _DIGESTS.clear()
        found = _DIGESTS[key] = (parts, _digest(spec, namespace, labels))
    digest = found[1]
    node_name = str(spec.get("nodeName") or "")
    head = (pod_key(pod), namespace, str(meta.get("name") or ""), labels, node_name)
    terminating = bool(meta.get("deletionTimestamp"))
    return _new_view(*head, terminating, *digest[:-1], (digest[-1], node_name))


# The spec parts a view digests, by identity. Pods of one workload hold the same objects
# (the API server shares them: apiserver/shared_parts.py) and stored objects are never
# changed in place, so the same objects digest alike: a ReplicaSet's next pod costs the
# lookup only. An entry keeps its parts alive, so no id it is keyed by is reused meanwhile.
_DIGESTS: dict[tuple[int, ...], tuple[list[Any], tuple[Any, ...]]] = {}
DIGESTS_KEPT = 1024
_new_view: Callable[..., PodView] = PodView  # (fields in order: the digest fills the middle)


def _parts(spec: Mapping[str, Any], namespace: str, labels: Mapping[str, str]) -> list[Any]:
    """What :func:`_digest` reads, as objects (the counts keep containers and init
    containers apart)."""
    containers = spec.get("containers") or []
    inits = spec.get("initContainers") or []
    parts: list[Any] = [
        len(containers),
        len(inits),
        namespace,
        labels,
        spec.get("overhead"),
        spec.get("tolerations"),
        spec.get("nodeSelector"),
        spec.get("affinity"),
        spec.get("topologySpreadConstraints"),
    ]
    for container in containers:
        parts += (container.get("resources"), container.get("ports"), container.get("image"))
    for container in inits:
        parts += (
            container.get("resources"),
            container.get("restartPolicy"),
            container.get("image"),
        )
    return parts


def _digest(spec: Mapping[str, Any], namespace: str, labels: Mapping[str, str]) -> tuple[Any, ...]:
    """The view's fields from ``cpu`` to ``n_containers``, then the node-local shape."""
    requests, non_zero = pod_request_pair(spec)
    requests = dict(requests)
    cpu = requests.pop("cpu", 0)
    memory = requests.pop("memory", 0)
    scalar = tuple(sorted((k, v) for k, v in requests.items() if v > 0))

    ports: list[tuple[str, int, str]] = []
    for container in spec.get("containers") or []:
        for port in container.get("ports") or []:
            host_port = int(port.get("hostPort") or 0)
            if host_port > 0:
                protocol = str(port.get("protocol") or "TCP")
                ports.append((protocol, host_port, str(port.get("hostIP") or "0.0.0.0")))

    tolerations = _TOLERATIONS.get(
        tuple(
            (
                str(t.get("key") or ""),
                str(t.get("operator") or ""),
                str(t.get("value") or ""),
                str(t.get("effect") or ""),
            )
            for t in spec.get("tolerations") or []
        ),
        _make_tolerations,
    )
    node_selector = _text_map(spec.get("nodeSelector"))

    affinity = spec.get("affinity") or {}
    node_affinity = affinity.get("nodeAffinity") or {}
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    required_terms = None if required is None else list(required.get("nodeSelectorTerms") or [])
    preferred_nodes = tuple(
        (int(p.get("weight") or 0), p.get("preference") or {})
        for p in node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
    )
    pod_aff = affinity.get("podAffinity") or {}
    pod_anti = affinity.get("podAntiAffinity") or {}
    req_key, pref_key = (
        "requiredDuringSchedulingIgnoredDuringExecution",
        "preferredDuringSchedulingIgnoredDuringExecution",
    )

    images: list[str] = []
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if container.get("image"):
            images.append(normalize_image(str(container["image"])))
    n_containers = len(spec.get("initContainers") or []) + len(spec.get("containers") or [])

    # The view's requests and host ports; the shape starts with them too.
    sized = (cpu, memory, scalar, non_zero.get("cpu", 0), non_zero.get("memory", 0), tuple(ports))
    shape = (
        *sized,
        tolerations,
        tuple(sorted(node_selector.items())),
        _freeze(required_terms),
        _freeze(preferred_nodes),
        tuple(images),
        n_containers,
    )
    shape = _SHAPES.get(shape, _same)
    return (
        *sized,
        tolerations,
        node_selector,
        required_terms,
        preferred_nodes,
        _affinity_terms(pod_aff.get(req_key), False, namespace, labels),
        _affinity_terms(pod_aff.get(pref_key), True, namespace, labels),
        _affinity_terms(pod_anti.get(req_key), False, namespace, labels),
        _affinity_terms(pod_anti.get(pref_key), True, namespace, labels),
        _spread(spec.get("topologySpreadConstraints"), labels),
        bool(spec.get("topologySpreadConstraints")),
        shape[10],
        n_containers,
        shape,
    )


def bound_view(
    view: PodView, before: Mapping[str, Any], after: Mapping[str, Any]
) -> PodView | None:
    """``view`` (of ``before``) moved to ``after``'s node, when ``after`` is ``before`` with
    only ``spec.nodeName`` set: the binding write. None when anything else may differ.

    Objects are never changed in place, so parts that are the same objects hold the same
    data; digesting the bound pod again was 3% of scheduling 30,000 pods.
    """
    spec_a, spec_b = before.get("spec") or {}, after.get("spec") or {}
    node = spec_b.get("nodeName")
    if not node or "nodeName" in spec_a or len(spec_b) != len(spec_a) + 1:
        return None
    if any(spec_b.get(k) is not v for k, v in spec_a.items()):
        return None
    meta_a, meta_b = before.get("metadata") or {}, after.get("metadata") or {}
    for field in ("labels", "name", "namespace", "uid", "deletionTimestamp"):
        if meta_a.get(field) is not meta_b.get(field):
            return None
    moved = PodView(*_view_fields(view))  # (dataclasses.replace is slower than the digest)
    moved.node_name = str(node)
    moved.local_key = (view.local_key[0], moved.node_name)
    return moved


_view_fields = attrgetter(*(f.name for f in fields(PodView)))


def is_terminal(pod: Mapping[str, Any]) -> bool:
    """Succeeded/Failed pods no longer hold node resources."""
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
