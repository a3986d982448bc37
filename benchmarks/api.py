"""API server figures (run: ``python benchmarks/api.py [--quick]``).

Prints server time per request, p50 and p99, measured inside the server (from the request's
arrival at the app to its answer): GET one pod; LIST 1,000 pods as a Table; apply of a
Deployment (the strategic merge PATCH ``kubectl apply`` sends); and a watch delivering 1,000
events (per event, from the burst of writes to the last event read by the client). Then the
whole ``kubectl get pods`` over 1,000 pods against our server and against a minimal server
that answers the same requests with the same bytes from memory, in the same run.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from aiohttp import web

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.kubectl.files import VirtualFiles
from k8stui.server.background import BackgroundServer
from k8stui.server.credentials import generate
from k8stui.server.kubeconfig import render
from k8stui.server.runner import ServeOptions

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


class Client:
    """One keep-alive HTTPS connection with the server's token."""

    def __init__(self, kubeconfig: str, ca_path: Path) -> None:
        data = yaml.safe_load(kubeconfig)
        ca_path.write_bytes(
            base64.b64decode(data["clusters"][0]["cluster"]["certificate-authority-data"])
        )
        self.token = data["users"][0]["user"]["token"]
        port = int(data["clusters"][0]["cluster"]["server"].rsplit(":", 1)[1])
        context = ssl.create_default_context(cafile=str(ca_path))
        self.conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=60)

    def request(
        self, method: str, path: str, body: Any = None, **headers: str
    ) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(
            method, path, body=data, headers={"Authorization": f"Bearer {self.token}", **headers}
        )
        response = self.conn.getresponse()
        return response.status, response.read()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(name: str, values: list[float]) -> None:
    print(
        f"{name:<42} p50 {pct(values, 0.5):8.2f} ms   p99 {pct(values, 0.99):8.2f} ms   (n={len(values)})"
    )


def build(pods: int) -> Session:
    cluster = Cluster(ClusterConfig(seed=1, nodes=default_nodes(max(3, pods // 100 + 1))))
    for index in range(pods):
        cluster.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"p{index:04d}",
                    "namespace": "default",
                    "labels": {"app": "bench"},
                },
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            }
        )
    cluster.advance(60)
    return Session(cluster, VirtualFiles({}))


def deployment(replicas: int, note: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "annotations": {"note": note}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
            },
        },
    }


def server_times(server: BackgroundServer, client: Client, rounds: int) -> None:
    state = server.runner.state
    assert state is not None

    def measure(name: str, count: int, send: Any) -> None:
        state.timings = []
        for _ in range(count):
            send()
        report(name, state.timings)
        state.timings = None

    measure(
        "GET one pod",
        rounds * 10,
        lambda: client.request("GET", "/api/v1/namespaces/default/pods/p0001"),
    )
    measure(
        "LIST 1,000 pods as a Table",
        rounds,
        lambda: client.request("GET", "/api/v1/namespaces/default/pods?limit=500", Accept=TABLE),
    )
    client.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment(1, "0"))
    counter = iter(range(1, 10**6))
    measure(
        "apply of a Deployment (strategic merge)",
        rounds * 2,
        lambda: client.request(
            "PATCH",
            "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl-client-side-apply",
            {"metadata": {"annotations": {"note": str(next(counter))}}},
            **{"Content-Type": "application/strategic-merge-patch+json"},
        ),
    )


def watch_time(server: BackgroundServer, client: Client, session: Session, events: int) -> None:
    _status, body = client.request("GET", "/api/v1/namespaces/default/pods?limit=1")
    rv = json.loads(body)["metadata"]["resourceVersion"]
    conn = client.conn
    conn.request(
        "GET",
        f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={rv}&timeoutSeconds=120",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    response = conn.getresponse()

    def burst() -> None:
        for index in range(events):
            pod = session.cluster.get("Pod", f"p{index % 1000:04d}", "default")
            assert pod is not None
            labels = {**pod["metadata"].get("labels", {}), "n": str(index)}
            session.cluster.api.update_status(
                {**pod, "metadata": {**pod["metadata"], "labels": labels}}
            )

    started = time.perf_counter()
    server.call(burst)
    seen = 0
    while seen < events:
        line = response.readline()
        if not line:
            break
        seen += 1
    elapsed = time.perf_counter() - started
    print(
        f"{f'watch delivering {events} events':<42} {elapsed * 1000 / max(seen, 1):8.3f} ms per event ({seen} read, {elapsed:.2f} s)"
    )
    conn.close()


def kubectl_ratio(server: BackgroundServer, kubeconfig: str, folder: Path, runs: int) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        print("kubectl get pods: skipped (no kubectl on this machine)")
        return
    # Record what our server answers to the requests `kubectl get pods` makes (both pages).
    recorded: dict[tuple[str, frozenset[tuple[str, str]]], tuple[bytes, str]] = {}
    client = Client(kubeconfig, folder / "ca1.crt")
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    wanted = [("/version", {}, "application/json"), ("/api", {}, accept), ("/apis", {}, accept)]
    wanted.append(("/api/v1/namespaces/default/pods", {"limit": "500"}, TABLE))
    while wanted:
        path, query, acc = wanted.pop(0)
        target = path + ("?" + urllib.parse.urlencode(query) if query else "")
        client.conn.request(
            "GET", target, headers={"Authorization": f"Bearer {client.token}", "Accept": acc}
        )
        response = client.conn.getresponse()
        body = response.read()
        recorded[(path, frozenset(query.items()))] = (body, response.headers["Content-Type"])
        token = json.loads(body).get("metadata", {}).get("continue") if "pods" in path else None
        if token:
            wanted.append((path, {"limit": "500", "continue": token}, TABLE))
    creds = generate()

    async def answer(request: web.Request) -> web.Response:
        query = {k: v for k, v in request.query.items() if k != "timeout"}
        key = (request.path, frozenset(query.items()))
        body, ctype = recorded.get(key, (b"{}", "application/json"))
        return web.Response(body=body, headers={"Content-Type": ctype})

    minimal = web.Application()
    minimal.router.add_get("/{tail:.*}", answer)
    ready = threading.Event()
    port_box: list[int] = []

    def serve_minimal() -> None:
        import asyncio

        async def main() -> None:
            runner = web.AppRunner(minimal, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=creds.ssl_context())
            await site.start()
            port_box.append(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
            ready.set()
            await asyncio.sleep(3600)

        asyncio.run(main())

    threading.Thread(target=serve_minimal, daemon=True).start()
    ready.wait(10)
    minimal_config = render(f"https://127.0.0.1:{port_box[0]}", creds.ca_pem, creds.token)
    results = {}
    for name, text in (("ours", kubeconfig), ("minimal", minimal_config)):
        path = folder / f"{name}.kubeconfig"
        path.write_text(text)
        env = {**os.environ, "KUBECONFIG": str(path), "KUBECACHEDIR": str(folder / f"cache-{name}")}
        subprocess.run(
            [kubectl, "get", "pods"], env=env, capture_output=True, check=True, timeout=60
        )  # warm the cache
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [kubectl, "get", "pods"], env=env, capture_output=True, check=True, timeout=60
            )
            times.append(time.perf_counter() - started)
        results[name] = statistics.median(times)
    ratio = results["ours"] / results["minimal"]
    print(
        f"kubectl get pods, 1,000 pods (median of {runs}): ours {results['ours'] * 1000:.0f} ms, "
        f"minimal server {results['minimal'] * 1000:.0f} ms, ratio {ratio:.2f}"
    )


class _Charged(list[float]):
    """Server times that are also charged to the play screen's current frame."""

    def __init__(self, probe: Any) -> None:
        super().__init__()
        self.probe = probe

    def append(self, seconds: float) -> None:
        super().append(seconds)
        self.probe.charge("api", seconds)


async def _frames_with_client(seconds: float, folder: Path) -> None:
    import asyncio

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ui  # the UI benchmark's frame probe

    from k8stui.tui.app import make_app

    probe = ui.Probe()
    with ui.instrumented(probe):
        app = make_app(progress_path=folder / "progress.db", screen="play", paused=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await ui.play_screen(app, pilot)
            from k8stui.server.game import GameApi
            from k8stui.tui.screens.play import PlayScreen

            await pilot.pause(0.5)
            while not isinstance(app.screen, PlayScreen):  # the first-run tour
                await pilot.press("escape")
                await pilot.pause(0.2)
            screen = app.screen

            api = GameApi(screen.run, kubeconfig=folder / "game-kubeconfig")
            await api.start()
            assert api.runner.state is not None
            api.runner.state.timings = _Charged(probe)
            client = Client(api.runner.kubeconfig, folder / "game-ca.crt")
            stop = threading.Event()

            def lister() -> None:
                while not stop.is_set():
                    client.request("GET", "/api/v1/pods?limit=500", Accept=TABLE)
                    stop.wait(0.1)

            thread = threading.Thread(target=lister, daemon=True)
            screen.speed = 1
            screen.paused = False
            screen.action_focus_nodes()
            probe.frames.clear()
            probe.recording_frames = True
            thread.start()
            await asyncio.sleep(seconds)
            stop.set()
            probe.stop_frames()
            thread.join(5)
            requests = len(api.runner.state.timings)
            await api.stop()
    cost = [sum(f.values()) for f in probe.frames]
    api_share = [f.get("api", 0.0) for f in probe.frames]
    print(
        f"play screen at 1x, a client listing pods 10/s ({requests} requests, {len(cost)} frames): "
        f"frame p95 {pct(cost, 0.95):.2f} ms (API work in it p95 {pct(api_share, 0.95):.2f} ms), "
        f"max {max(cost) * 1000:.2f} ms"
    )


class _Charged(list[float]):
    """Server times that are also charged to the play screen's current frame."""

    def __init__(self, probe: Any) -> None:
        super().__init__()
        self.probe = probe

    def append(self, seconds: float) -> None:
        super().append(seconds)
        self.probe.charge("api", seconds)


async def _frames_with_client(seconds: float, folder: Path) -> None:
    import asyncio

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ui  # the UI benchmark's frame probe

    from k8stui.tui.app import make_app

    probe = ui.Probe()
    with ui.instrumented(probe):
        app = make_app(progress_path=folder / "progress.db", screen="play", paused=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await ui.play_screen(app, pilot)
            from k8stui.server.game import GameApi
            from k8stui.tui.screens.play import PlayScreen

            await pilot.pause(0.5)
            while not isinstance(app.screen, PlayScreen):  # the first-run tour
                await pilot.press("escape")
                await pilot.pause(0.2)
            screen = app.screen

            api = GameApi(screen.run, kubeconfig=folder / "game-kubeconfig")
            await api.start()
            assert api.runner.state is not None
            api.runner.state.timings = _Charged(probe)
            client = Client(api.runner.kubeconfig, folder / "game-ca.crt")
            stop = threading.Event()

            def lister() -> None:
                while not stop.is_set():
                    client.request("GET", "/api/v1/pods?limit=500", Accept=TABLE)
                    stop.wait(0.1)

            thread = threading.Thread(target=lister, daemon=True)
            screen.speed = 1
            screen.paused = False
            screen.action_focus_nodes()
            probe.frames.clear()
            probe.recording_frames = True
            thread.start()
            await asyncio.sleep(seconds)
            stop.set()
            probe.stop_frames()
            thread.join(5)
            requests = len(api.runner.state.timings)
            await api.stop()
    cost = [sum(f.values()) for f in probe.frames]
    api_share = [f.get("api", 0.0) for f in probe.frames]
    print(
        f"play screen at 1x, a client listing pods 10/s ({requests} requests, {len(cost)} frames): "
        f"frame p95 {pct(cost, 0.95):.2f} ms (API work in it p95 {pct(api_share, 0.95):.2f} ms), "
        f"max {max(cost) * 1000:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    rounds = 10 if args.quick else 50
    session = build(1000)
    server = BackgroundServer(session, ServeOptions())
    kubeconfig = server.start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        client = Client(kubeconfig, folder / "ca.crt")
        server_times(server, client, rounds)
        watch_time(server, client, session, 1000)
        kubectl_ratio(server, kubeconfig, folder, 5 if args.quick else 15)
    server.stop()
    import asyncio

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["K8STUI_DATA_DIR"] = tmp
        asyncio.run(_frames_with_client(5 if args.quick else 15, Path(tmp)))


if __name__ == "__main__":
    main()
