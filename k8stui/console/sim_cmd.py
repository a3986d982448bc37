"""``sim ...`` (and ``sleep``): drive the simulator itself: time, faults, events, snapshots."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Protocol

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.engine.faults import Fault
from k8stui.kubectl.duration import human_duration
from k8stui.kubectl.files import Files


class Session(Protocol):
    """What ``sim`` acts on: the console session's cluster (``sim load`` replaces it) and files."""

    cluster: Cluster
    files: Files


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
  sim events                the engine's event log (every event emitted, in order)
  sim save FILE             write a snapshot of the whole cluster (JSON)
  sim load FILE             replace the cluster with a saved snapshot
"""


class SimError(Exception):
    """A sim command that cannot run (printed as ``sim: <text>``)."""


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``90s``, ``2m``, ``1h30m``, ``500ms``."""
    try:
        return float(text)
    except ValueError:
        pass
    match = _DURATION.match(text)
    if not text or match is None or not any(match.groups()):
        raise SimError(f'invalid duration "{text}" (try 90s, 2m or 1h30m)')
    hours, minutes, seconds, millis = match.groups()
    return (
        int(hours or 0) * 3600
        + int(minutes or 0) * 60
        + float(seconds or 0)
        + int(millis or 0) / 1000
    )


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
    session.cluster.advance(seconds)
    return f"advanced {human_duration(seconds) if seconds >= 1 else f'{seconds * 1000:g}ms'}, now {clock_text(session.cluster.now_ms)}"


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


def _save(session: Session, args: list[str]) -> str:
    path = _need(args, "file name")
    session.files.write(path, session.cluster.snapshot_json() + "\n")
    return f"saved the cluster at {clock_text(session.cluster.now_ms)} to {path}"


def _load(session: Session, args: list[str]) -> str:
    path = _need(args, "file name")
    try:
        data = json.loads(session.files.read(path))
        session.cluster = Cluster.restore(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
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
