"""``sim ...`` (and ``sleep``): drive the simulator itself: time, faults, events, snapshots."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Protocol

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.clock import MAX_DURATION_MS, ClockError, go_duration_text
from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.engine.faults import Fault
from k8stui.engine.snapshot import SnapshotError
from k8stui.engine.system.control_plane import ComponentError
from k8stui.kubectl.duration import human_duration
from k8stui.kubectl.files import Files, FileTooLarge
from k8stui.manifests.decoding import decoding_problem


class Session(Protocol):
    """What ``sim`` acts on: the console session's cluster (``sim load`` replaces it) and files."""

    cluster: Cluster
    files: Files


_BARE_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")
_MAX_DURATION_TEXT = 40  # longer text cannot be a duration below Go's limit anyway
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$")

# Faults by sub-command: sim <word> NAME.
FAULT_WORDS: dict[str, str] = {
    "crash-node": "crash-node",
    "recover-node": "recover-node",
    "partition-node": "partition-node",
    "heal-node": "heal-node",
    "stop-kubelet": "stop-kubelet",
    "start-kubelet": "start-kubelet",
    "delete-node": "delete-node",
    "delete-image": "delete-image",
}
SUBCOMMANDS: tuple[str, ...] = (
    "advance",
    "time",
    *FAULT_WORDS,
    "kill-pod",
    "stop-component",
    "start-component",
    "events",
    "save",
    "load",
    "help",
)

HELP = """sim: control the simulated cluster.

  sim advance DURATION      let time pass (90s, 2m, 1h30m, 1.5s, 500ms; a bare number is seconds)
  sleep DURATION            the same as sim advance
  sim time                  the current simulated time
  sim crash-node NODE       power the machine off (no heartbeats, pods stop answering)
  sim recover-node NODE     power it back on (the kubelet re-registers and restarts pods)
  sim partition-node NODE   cut the node off the network (it keeps running, unseen)
  sim heal-node NODE        reconnect it
  sim stop-kubelet NODE     stop the kubelet (containers keep running, no status updates)
  sim start-kubelet NODE    start it again
  sim delete-node NODE      remove the Node object and the machine
  sim delete-image IMAGE    delete an image from the registry (later pulls fail)
  sim kill-pod POD [-n NS]  kill the pod's containers (exit code 137, as SIGKILL)
  sim stop-component C      stop a control-plane component: scheduler, controller-manager,
                            etcd or apiserver, or by its pod's name: kube-scheduler,
                            kube-controller-manager, etcd, kube-apiserver (its static pod
                            manifest is moved away)
  sim start-component C     start it again
  sim events                the engine's event log (every event emitted, in order)
  sim save FILE             write a snapshot of the whole cluster (JSON)
  sim load FILE             replace the cluster with a saved snapshot
"""


MAX_WORK_PER_ADVANCE = 100_000
"""Pieces of engine work one ``sim advance`` may run (a few seconds), so a command over a
busy cluster (a million replicas ramping up, years of CronJobs) comes back to the prompt."""
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024
"""The largest snapshot ``sim load`` reads (a 30,000-pod cluster saves to about 100 MB)."""


class SimError(Exception):
    """A sim command that cannot run (printed as ``sim: <text>``)."""


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``1.5``, ``90s``, ``2m``, ``1h30m``, ``500ms``.

    No exponents, ``inf`` or ``nan``, and nothing longer than Go's longest duration
    (about 292 years): such text is refused with a SimError.
    """
    match = _DURATION.match(text) if len(text) <= _MAX_DURATION_TEXT else None
    if _BARE_SECONDS.match(text) and len(text) <= _MAX_DURATION_TEXT:
        seconds = float(text)
    elif not text or match is None or not any(match.groups()):
        raise SimError(f"invalid duration {go_quote(text)} (try 90s, 2m or 1h30m)")
    else:
        hours, minutes, secs, millis = match.groups()
        seconds = (
            int(hours or 0) * 3600
            + int(minutes or 0) * 60
            + float(secs or 0)
            + int(millis or 0) / 1000
        )
    if seconds * 1000 > MAX_DURATION_MS:
        raise SimError(
            f"duration {go_quote(text)} is too long: the longest is "
            f"{go_duration_text(MAX_DURATION_MS)} (Go's time.Duration)"
        )
    return seconds


def clock_text(ms: int) -> str:
    """``t=00:04:12.500`` style sim time."""
    seconds, millis = divmod(ms, 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"t={hours:02d}:{minutes:02d}:{secs:02d}"
    return text + (f".{millis:03d}" if millis else "")


def _need(args: list[str], what: str) -> str:
    if len(args) != 1:
        raise SimError(f"expected exactly one {what}")
    return args[0]


def _advance(session: Session, args: list[str]) -> str:
    seconds = parse_duration(_need(args, "duration"))
    if seconds < 0:
        raise SimError("time only moves forward")
    start = session.cluster.now_ms
    try:
        session.cluster.advance(seconds, max_work=MAX_WORK_PER_ADVANCE)
    except ClockError as exc:
        raise SimError(str(exc)) from None
    done = (session.cluster.now_ms - start) / 1000
    if session.cluster.now_ms - start < round(seconds * 1000):
        return (
            f"advanced {_spoken(done)} of {_spoken(seconds)} and stopped: the cluster did "
            f"{MAX_WORK_PER_ADVANCE} pieces of work (run sim advance again to go on), "
            f"now {clock_text(session.cluster.now_ms)}"
        )
    return f"advanced {human_duration(seconds) if seconds >= 1 else f'{seconds * 1000:g}ms'}, now {clock_text(session.cluster.now_ms)}"


def _spoken(seconds: float) -> str:
    return human_duration(seconds) if seconds >= 1 else f"{seconds * 1000:g}ms"


def _kill_pod(session: Session, args: list[str]) -> str:
    namespace = "default"
    if "-n" in args:
        at = args.index("-n")
        if at + 1 >= len(args):
            raise SimError("-n needs a namespace")
        namespace = args[at + 1]
        args = args[:at] + args[at + 2 :]
    name = _need(args, "pod name")
    pod = session.cluster.get("Pod", name, namespace)
    if pod is None:
        raise SimError(f'pod "{name}" not found in namespace {namespace}')
    lines = []
    for container in pod["spec"]["containers"]:
        fault = Fault(
            kind="kill-container", target=name, namespace=namespace, container=container["name"]
        )
        try:
            lines.append(session.cluster.inject(fault))
        except ValueError as exc:
            lines.append(str(exc))
    return "\n".join(lines)


def _component(session: Session, args: list[str], start: bool) -> str:
    component = _need(args, "component (scheduler, controller-manager, etcd, apiserver)")
    try:
        if start:
            session.cluster.start_component(component)
        else:
            session.cluster.stop_component(component)
    except ComponentError as exc:
        raise SimError(str(exc)) from None
    return f"{component} {'started' if start else 'stopped'}"


def _save(session: Session, args: list[str]) -> str:
    path = _need(args, "file name")
    if not path.strip():
        raise SimError("sim save needs a file name")
    try:
        session.files.write(path, session.cluster.snapshot_json() + "\n")
    except OSError as exc:
        raise SimError(f"cannot save to {path}: {(exc.strerror or str(exc)).lower()}") from None
    return f"saved the cluster at {clock_text(session.cluster.now_ms)} to {path}"


def _load(session: Session, args: list[str]) -> str:
    path = _need(args, "file name")
    try:
        raw = session.files.read_capped(path, MAX_SNAPSHOT_BYTES)
    except FileTooLarge:
        raise SimError(f"cannot load {path}: larger than {MAX_SNAPSHOT_BYTES} bytes") from None
    except OSError as exc:
        raise SimError(f"cannot load {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise SimError(f"cannot load {path}: not JSON ({exc})") from None
    try:
        session.cluster = Cluster.load_snapshot(data, check_object=decoding_problem)
    except SnapshotError as exc:
        raise SimError(f"cannot load {path}: {exc}") from None
    return f"loaded {path}: now {clock_text(session.cluster.now_ms)}"


def run_sim(session: Session, args: list[str]) -> tuple[str, str, int]:
    """Run ``sim ARGS``; returns (stdout, stderr, exit code)."""
    if not args or args[0] in ("help", "-h", "--help"):
        return HELP, "", 0
    word, rest = args[0], args[1:]
    actions: dict[str, Callable[[Session, list[str]], str]] = {
        "advance": _advance,
        "time": lambda s, a: clock_text(s.cluster.now_ms),
        "kill-pod": _kill_pod,
        "stop-component": lambda s, a: _component(s, a, start=False),
        "start-component": lambda s, a: _component(s, a, start=True),
        "events": lambda s, a: "\n".join(s.cluster.event_log()),
        "save": _save,
        "load": _load,
    }
    try:
        if word in FAULT_WORDS:
            target = _need(rest, "name")
            fault = Fault.model_validate({"kind": FAULT_WORDS[word], "target": target})
            text = session.cluster.inject(fault)
        elif word in actions:
            text = actions[word](session, rest)
        else:
            raise SimError(f'unknown sim command "{word}" (see `sim help`)')
    except SimError as exc:
        return "", f"sim: {exc}\n", 1
    except ApiError as exc:
        return "", exc.kubectl_text() + "\n", 1
    except (KeyError, ValueError) as exc:
        return "", f"sim: {exc}\n", 1
    return (text + "\n" if text else ""), "", 0
