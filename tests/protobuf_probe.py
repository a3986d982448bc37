"""A tiny loopback probe server that records the bodies the real kubectl POSTs.

Used by ``tests/test_protobuf.py`` (live check, skipped without kubectl) and to re-record the
fixtures in ``tests/fixtures/protobuf/`` (``python -m tests.protobuf_probe``). The server binds
127.0.0.1 on port 0, answers ``/version`` as Kubernetes 1.32 (so the kubectl dispatcher runs
its kubectl 1.32, which sends protobuf), echoes a minimal object for every POST, and stops
when the ``with`` block ends.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.4", "platform": "linux/amd64"}

# fixture name -> kubectl arguments (after "kubectl create").
COMMANDS: dict[str, list[str]] = {
    "deployment": ["deployment", "web", "--image=nginx:1.25", "--replicas=2", "--port=80"],
    "deployment_command": ["deployment", "sleeper", "--image=busybox", "--", "sleep", "3600"],
    "namespace": ["namespace", "game"],
    "configmap": ["configmap", "cfg", "--from-literal=a=1", "--from-literal=b=two"],
    "secret_generic": ["secret", "generic", "creds", "--from-literal=user=admin"],
    "secret_docker": [
        "secret",
        "docker-registry",
        "reg",
        "--docker-server=r.example",
        "--docker-username=u",
        "--docker-password=p",
    ],
    "service_clusterip": ["service", "clusterip", "web", "--tcp=80:8080"],
    "service_nodeport": ["service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"],
    "service_externalname": ["service", "externalname", "ext", "--external-name=example.com"],
    "job": ["job", "once", "--image=busybox", "--", "echo", "hi"],
    "cronjob": ["cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"],
    "serviceaccount": ["serviceaccount", "robot"],
    "priorityclass": ["priorityclass", "high", "--value=1000", "--description=very important"],
    "quota": ["quota", "q", "--hard=cpu=1,memory=1G,pods=2"],
    "rolebinding": ["rolebinding", "rb", "--role=reader", "--user=alice"],
    "pdb": ["poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=1"],
}


class _Recorder(BaseHTTPRequestHandler):
    bodies: list[tuple[str, str, bytes]]

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, code: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/version"):
            self._send(200, VERSION)
        else:
            self._send(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                    "metadata": {},
                },
            )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.bodies.append((self.path, self.headers.get("Content-Type") or "", body))
        name = "x"
        self._send(
            201,
            {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "code": 201,
                "details": {"name": name},
            },
        )


@contextmanager
def probe() -> Iterator[tuple[int, list[tuple[str, str, bytes]]]]:
    """Start the probe; yields (port, recorded (path, content type, body) list)."""
    bodies: list[tuple[str, str, bytes]] = []
    handler = type("Handler", (_Recorder,), {"bodies": bodies})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], bodies
    finally:
        server.shutdown()
        server.server_close()


def kubectl() -> str | None:
    return shutil.which("kubectl")


def run_create(
    port: int, args: list[str], extra: list[str], cache: str
) -> subprocess.CompletedProcess[str]:
    cmd = [kubectl() or "kubectl", "create", *args[: _dash(args)], *extra, *args[_dash(args) :]]
    cmd[1:1] = [f"--server=http://127.0.0.1:{port}", f"--cache-dir={cache}", "-n", "default"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


def _dash(args: list[str]) -> int:
    return args.index("--") if "--" in args else len(args)


def capture(name: str) -> tuple[bytes, dict[str, object]]:
    """The protobuf body kubectl 1.32 POSTs for a fixture, and its ``--dry-run=client -o json``."""
    with probe() as (port, bodies), tempfile.TemporaryDirectory() as cache:
        run_create(port, COMMANDS[name], [], cache)
        dry = run_create(port, COMMANDS[name], ["--dry-run=client", "-o", "json"], cache)
    posts = [b for path, ctype, b in bodies if "protobuf" in ctype]
    if len(posts) != 1:
        raise RuntimeError(f"{name}: expected one protobuf POST, got {bodies!r}")
    return posts[0], json.loads(dry.stdout)


def main() -> None:
    out = Path(__file__).parent / "fixtures" / "protobuf"
    for name in COMMANDS:
        body, expected = capture(name)
        (out / f"{name}.bin").write_bytes(body)
        (out / f"{name}.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
        print(name, len(body))


if __name__ == "__main__":
    main()
