"""What a saved cluster must look like before ``Cluster.restore`` may trust it.

A snapshot file is untrusted input (it can be edited, truncated or crafted), so it is checked
in full first: the envelope and each section against pydantic models, then the invariants the
engine relies on (every object has a kind, a name and a valid spec; queue entries name work
some component does; times lie within the clock's range). A refusal names the place, e.g.
``store.objects.Pod[2].metadata.name: Field required``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from k8stui.engine.apiserver import validation
from k8stui.engine.apiserver.quantity_fields import bad_quantity
from k8stui.engine.clock import MAX_MS
from k8stui.engine.kubelet.runtime_state import KubeletRuntime, missing_container

_Model = TypeVar("_Model", bound=BaseModel)
SimTime = Annotated[int, Field(ge=0, le=MAX_MS)]
_RNG_WORDS = 625  # Mersenne Twister state: 624 words plus the position
_RngWord = Annotated[StrictInt, Field(ge=0, lt=2**32)]  # (the position is 0..624)


class SnapshotError(ValueError):
    """A snapshot that cannot be loaded; the message says where and why."""


@contextmanager
def sections_fit() -> Iterator[None]:
    """Rebuilding from a checked snapshot: what still fails is sections that do not fit."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise SnapshotError(f"the snapshot's sections do not fit together ({exc})") from None


class _Metadata(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: Annotated[str, Field(min_length=1, max_length=253)]
    namespace: StrictStr | None = None
    uid: StrictStr | None = None


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")

    apiVersion: StrictStr
    kind: Annotated[str, Field(min_length=1)]
    metadata: _Metadata


class _Store(BaseModel):
    model_config = ConfigDict(extra="forbid")

    revision: Annotated[int, Field(ge=0)]
    objects: dict[str, list[_Object]]


class _Queue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: Annotated[int, Field(ge=0)]
    heap: list[tuple[StrictInt, StrictInt, StrictStr, dict[str, Any]]]


class _Recorder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: Annotated[int, Field(ge=0)]
    series: list[tuple[list[Any], list[Any]]]
    expiry: list[tuple[list[Any], StrictInt, list[Any], StrictStr]]
    log: list[StrictStr]
    dropped: Annotated[int, Field(ge=0)] = 0


class _Activity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total: Annotated[int, Field(ge=0)]
    lines: list[tuple[StrictInt, StrictStr, StrictStr]]


class SnapshotEnvelope(BaseModel):
    """The top level of a snapshot (``Cluster.snapshot()``), version 1."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    config: dict[str, Any]
    now_ms: SimTime
    rng: tuple[
        StrictInt,
        Annotated[list[_RngWord], Field(min_length=_RNG_WORDS, max_length=_RNG_WORDS)],
        float | None,
    ]
    store: _Store
    queue: _Queue
    recorder: _Recorder
    activity: _Activity
    components: dict[str, dict[str, Any]]


def checked(model: type[_Model], value: Any, where: str = "") -> _Model:
    """``value`` read as ``model``; SnapshotError naming the place (under ``where``) if not."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        parts = [where] if where else []
        place = ".".join(str(part) for part in (*parts, *first["loc"])) or "(top level)"
        raise SnapshotError(f"{place}: {first['msg']}") from None


def check_snapshot(
    data: Any,
    *,
    actions: set[str],
    components: set[str],
    check_object: Callable[[dict[str, Any]], str | None] | None = None,
) -> SnapshotEnvelope:
    """Validate ``data`` (parsed JSON); raises SnapshotError with the first problem's place.

    ``actions`` are the queue actions the cluster has handlers for, ``components`` the
    names of its components: a snapshot mentioning others is from a different build.
    ``check_object`` (optional) finds a further problem in one stored object.
    """
    if not isinstance(data, dict):
        raise SnapshotError("a snapshot is a JSON object (what sim save writes)")
    if data.get("version") != 1:
        raise SnapshotError(f"version: unsupported snapshot version {data.get('version')!r}")
    envelope = checked(SnapshotEnvelope, data)
    for name in envelope.components:
        if name not in components:
            raise SnapshotError(f"components.{name}: no such component")
    for index, (at, _seq, action, _payload) in enumerate(envelope.queue.heap):
        if action not in actions:
            raise SnapshotError(f"queue.heap.{index}: unknown action {action!r}")
        if at < 0:
            raise SnapshotError(f"queue.heap.{index}: a time before the cluster started")
    for kind, objects in data["store"]["objects"].items():
        for index, obj in enumerate(objects):
            _check_object(kind, index, obj)
            problem = check_object(obj) if check_object is not None else None
            if problem is not None:
                raise SnapshotError(f"store.objects.{kind}[{index}]: {problem}")
    if "kubelets" in envelope.components:
        runtime = checked(KubeletRuntime, data["components"]["kubelets"], "components.kubelets")
        problem = missing_container(runtime, _pod_containers(data))
        if problem is not None:
            raise SnapshotError(f"components.kubelets.{problem}")
    return envelope


def _pod_containers(data: dict[str, Any]) -> Callable[[str, str, str], list[str] | None]:
    """The container names of each stored pod, by namespace, name and uid."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for pod in data["store"]["objects"].get("Pod", []):
        meta = pod["metadata"]
        containers = (pod.get("spec") or {}).get("containers") or []
        key = (str(meta.get("namespace")), str(meta["name"]), str(meta.get("uid")))
        found[key] = [str(c.get("name")) for c in containers if isinstance(c, dict)]
    return lambda ns, name, uid: found.get((ns, name, uid))


def _check_object(kind: str, index: int, obj: dict[str, Any]) -> None:
    where = f"store.objects.{kind}[{index}]"
    if obj.get("kind") != kind:
        raise SnapshotError(f"{where}.kind: {obj.get('kind')!r} is stored under {kind}")
    for field in ("spec", "status"):
        if field in obj and not isinstance(obj[field], dict):
            raise SnapshotError(f"{where}.{field}: must be an object")
    _check_status_lists(where, obj.get("status") or {})
    bad = bad_quantity(obj)
    if bad is not None:
        path = ".".join(str(part) for part in bad[0])
        raise SnapshotError(f"{where}.{path}: {bad[1]}")
    try:
        errs = validation.validate_object(obj)
    except (TypeError, KeyError, AttributeError, ValueError, IndexError):
        raise SnapshotError(f"{where}: not a well-formed {kind}") from None
    if errs:
        raise SnapshotError(f"{where}.{errs[0]}")


# Status lists that every reader walks as lists of objects (printers, describe, controllers).
_STATUS_LISTS = ("conditions", "containerStatuses", "initContainerStatuses", "podIPs", "hostIPs")


def _check_status_lists(where: str, status: dict[str, Any]) -> None:
    """A status list that is not a list of objects is refused (validation never sees
    status: the API server resets it at create, and controllers write it)."""
    for field in _STATUS_LISTS:
        items = status.get(field)
        if items is None:
            continue
        if not isinstance(items, list):
            raise SnapshotError(f"{where}.status.{field}: must be a list")
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise SnapshotError(f"{where}.status.{field}[{index}]: must be an object")
