"""The kubelets' runtime state as a snapshot holds it, checked before the engine trusts it.

The runtime state is plain data the kubelet code reads without guards (``crt["stage"]``,
arithmetic on times and counts, timestamps parsed back), so a crafted or damaged snapshot
must not reach it with a wrong type, an unknown stage or a pod whose runtime record lacks a
container its spec names: the engine would fail later, far from the cause. These models give
the types of the keys the kubelet reads; keys they do not name are let through (nothing
reads them). :func:`missing_container` checks what must fit the store: the runtime record of
a pod that still exists holds each of its containers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
)

from k8stui.engine.clock import MAX_MS, from_timestamp
from k8stui.engine.kubelet import status as ks
from k8stui.engine.kubelet.volumes import TOKEN_FILE

Ms = Annotated[StrictInt, Field(ge=-MAX_MS, le=MAX_MS)]
"""A sim time in ms (system pods start before the clock's zero)."""
Count = Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]


def _timestamp(text: str) -> str:
    try:
        from_timestamp(text)
    except ValueError:
        raise ValueError("not an RFC 3339 timestamp") from None
    return text


Timestamp = Annotated[StrictStr, AfterValidator(_timestamp)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Exit(BaseModel):
    """``term`` / ``last``: copied verbatim into ``status`` (so only its own keys)."""

    model_config = ConfigDict(extra="forbid")

    exitCode: StrictInt
    reason: StrictStr
    startedAt: Timestamp
    finishedAt: Timestamp
    containerID: StrictStr
    message: StrictStr = ""


class _Backoff(_Open):
    d: StrictFloat = Field(ge=0)
    t: Ms


_STAGES = (
    ks.PENDING,
    ks.PULLING,
    ks.PULL_FAILED,
    ks.PULL_BACKOFF,
    ks.RUNNING,
    ks.CRASH_BACKOFF,
    ks.EXITED,
)


def _stage(text: str) -> str:
    if text not in _STAGES:
        raise ValueError(f"not a container stage (one of {', '.join(_STAGES)})")
    return text


class _Container(_Open):
    stage: Annotated[StrictStr, AfterValidator(_stage)]
    restarts: Count = 0
    tok: StrictInt
    container_id: StrictStr | None = None
    ever_started: StrictBool = False
    started_ms: Ms | None = None
    finished_ms: Ms | None = None
    ready: StrictBool | None = None
    requests: Count | None = None
    probe_failures: Count | None = None
    ports: list[StrictInt] = []
    ignores_sigterm: StrictBool = False
    image_id: StrictStr | None = None
    reason: StrictStr | None = None
    message: StrictStr | None = None
    term: _Exit | None = None
    last: _Exit | None = None
    prev_logs: list[StrictStr] = []
    prev_log_ms: list[Ms] = []
    extra_logs: list[StrictStr] = []
    extra_log_ms: list[Ms] = []
    env: dict[StrictStr, StrictStr] | None = None
    bo: _Backoff | None = None
    pbo: _Backoff | None = None
    retry_at: Ms | None = None
    pull_ms: Count | None = None


class _Writer(BaseModel):
    """A file a program rewrites (see ``volumes.add_writer``)."""

    model_config = ConfigDict(extra="forbid")

    start: Ms
    every: Count | None
    content: StrictStr
    choices: list[StrictStr]
    host: StrictStr


class _Token(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    seed: StrictStr = Field(alias=TOKEN_FILE)


def _file_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "token" if TOKEN_FILE in value else "writer"
    return None


File = Annotated[
    Annotated[StrictStr, Tag("text")]
    | Annotated[_Token, Tag("token")]
    | Annotated[_Writer, Tag("writer")],
    Discriminator(
        _file_kind,
        custom_error_type="file",
        custom_error_message="a file is its text, a token record or a writer record",
    ),
]
Files = dict[StrictStr, File]


class _Volume(_Open):
    files: Files = {}
    disk: StrictStr | None = None


class _Pod(_Open):
    ns: StrictStr
    name: StrictStr
    host_ip: StrictStr
    ip: StrictStr | None = None
    start_ms: Ms
    boot: StrictInt
    volumes: dict[StrictStr, _Volume]
    containers: dict[StrictStr, _Container]
    rootfs: dict[StrictStr, Files] = {}
    sandbox_pending: StrictBool = False
    terminating: StrictBool = False
    unmounted: StrictBool = False


class _Node(_Open):
    index: Count
    host_ip: StrictStr
    up: StrictBool
    kubelet: StrictBool
    boot: StrictInt
    started_ms: Ms
    stopped_ms: Ms | None = None
    partitioned: StrictBool = False
    images: list[tuple[StrictStr, StrictStr]] | dict[StrictStr, StrictStr]
    layers: list[StrictStr] = []
    ip_next: Count
    pods: dict[StrictStr, _Pod]


class KubeletRuntime(BaseModel):
    """The kubelets' section of a snapshot (``Kubelets.to_json``)."""

    model_config = ConfigDict(extra="forbid")

    nodes: dict[StrictStr, _Node]
    disks: dict[StrictStr, _Volume] = {}


def missing_container(
    runtime: KubeletRuntime, pod_containers: Callable[[str, str, str], list[str] | None]
) -> str | None:
    """The first runtime record of a stored pod lacking one of its containers (its path and
    the container), or None.

    ``pod_containers(namespace, name, uid)``: the container names of that stored pod, or
    None when no such pod is stored (the kubelet drops such records).
    """
    for node_name, node in runtime.nodes.items():
        for uid, pod in node.pods.items():
            names = pod_containers(pod.ns, pod.name, uid)
            missing = [n for n in names or [] if n not in pod.containers]
            if missing:
                return f"nodes.{node_name}.pods.{uid}.containers: no record of {missing[0]!r}"
    return None
