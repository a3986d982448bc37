"""Container probes (readiness, liveness) evaluated against the simulated process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8stui.engine.runtime.http_answers import http_answer
from k8stui.engine.runtime.process import ProcessSpec

Obj = dict[str, Any]


@dataclass(frozen=True)
class ProbeResult:
    """Outcome of one probe and, on failure, the kubelet's event text."""

    ok: bool
    message: str = ""


def _port(value: Any, container: Obj) -> int | None:
    if isinstance(value, int):
        return value
    for port in container.get("ports") or []:
        if port.get("name") == value:
            return int(port["containerPort"])
    return int(value) if isinstance(value, str) and value.isdigit() else None


def run_probe(
    probe: Obj,
    container: Obj,
    spec: ProcessSpec,
    *,
    request_number: int,
    hostname: str,
    pod_ip: str,
    now_ms: int,
    read_file: Callable[[str], str | None],
) -> ProbeResult:
    """Run ``probe`` once. ``request_number`` counts HTTP requests the process has served."""
    if "httpGet" in probe:
        http = probe["httpGet"] or {}
        port = _port(http.get("port"), container)
        path = str(http.get("path", "/"))
        if port is None or port not in spec.ports:
            return ProbeResult(
                False,
                f'Get "http://{pod_ip}:{port}{path}": dial tcp {pod_ip}:{port}: connect: connection refused',
            )
        answer = http_answer(
            spec.http,
            request_number,
            hostname=hostname,
            pod_ip=pod_ip,
            path=path,
            now_ms=now_ms,
            read_file=read_file,
        )
        if answer is None:
            return ProbeResult(False, f'Get "http://{pod_ip}:{port}{path}": EOF')
        if 200 <= answer.status < 400:
            return ProbeResult(True)
        return ProbeResult(False, f"HTTP probe failed with statuscode: {answer.status}")
    if "tcpSocket" in probe:
        port = _port((probe["tcpSocket"] or {}).get("port"), container)
        if port in spec.ports:
            return ProbeResult(True)
        return ProbeResult(False, f"dial tcp {pod_ip}:{port}: connect: connection refused")
    if "exec" in probe:
        command = [str(w) for w in (probe["exec"] or {}).get("command") or []]
        return _exec_probe(command, read_file)
    return ProbeResult(True)


def _exec_probe(command: list[str], read_file: Callable[[str], str | None]) -> ProbeResult:
    # Enough for the classic readiness checks: `ls FILE`, `cat FILE`, `test -e FILE`.
    if len(command) >= 2 and command[0] in ("ls", "cat", "stat"):
        path = command[-1]
        if read_file(path) is not None:
            return ProbeResult(True)
        verb = {"ls": "ls: cannot access", "cat": "cat: can't open", "stat": "stat: can't stat"}[
            command[0]
        ]
        return ProbeResult(False, f"{verb} '{path}': No such file or directory")
    if len(command) >= 3 and command[0] in ("test", "[") and command[1] in ("-e", "-f"):
        ok = read_file(command[2]) is not None
        return ProbeResult(ok, "" if ok else "command terminated with non-zero exit code: 1")
    if command and command[0] in ("true", "echo"):
        return ProbeResult(True)
    if command and command[0] == "false":
        return ProbeResult(False, "command terminated with non-zero exit code: 1")
    return ProbeResult(True)
