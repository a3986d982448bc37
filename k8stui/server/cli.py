"""``k8stui serve`` (a headless cluster with the API) and ``k8stui sim VERB ...`` (its clock)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import ssl
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from k8stui.server.kubeconfig import KubeconfigError, default_path, read, write
from k8stui.server.runner import ApiRunner, PortInUse, ServeOptions
from k8stui.server.sim_endpoint import SIM_PATH

SIM_TIMEOUT = 30.0


LevelHost = Callable[[argparse.Namespace, TextIO], Any]
"""Builds the host for ``--level``/``--pack`` (the game layer, above this one, provides it)."""


def _host(args: argparse.Namespace, err: TextIO, level_host: LevelHost | None) -> Any:
    from k8stui.console.session import Session
    from k8stui.engine.cluster import Cluster, ClusterConfig
    from k8stui.engine.nodes import default_nodes
    from k8stui.kubectl.files import RealFiles

    if args.level or args.pack:
        if not args.level:
            err.write("k8stui serve: --pack needs --level\n")
            return None
        if level_host is None:
            err.write("k8stui serve: levels are not available here\n")
            return None
        return level_host(args, err)
    if args.nodes < 1:
        err.write("k8stui serve: --nodes must be at least 1\n")
        return None
    cluster = Cluster(ClusterConfig(seed=args.seed, nodes=default_nodes(args.nodes)))
    return Session(cluster, RealFiles("."))


async def _serve(runner: ApiRunner, path: Path, out: TextIO, stop: asyncio.Event) -> int:
    text = await runner.start()
    try:
        write(path, text)
    except KubeconfigError:
        await runner.stop()
        raise
    clock = "paused" if runner.options.paused else f"{runner.options.speed:g}x"
    out.write(
        f"k8stui API on {runner.url} (kubectl {runner.options.kube_version}, clock {clock})\n"
    )
    out.write(f"export KUBECONFIG={path}\n")
    out.flush()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.stop()
    return 0


def run_serve(
    args: argparse.Namespace,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    level_host: LevelHost | None = None,
) -> int:
    """``k8stui serve``."""
    path = args.kubeconfig or default_path()
    if path.exists() and path.is_dir():
        err.write(f"k8stui serve: --kubeconfig {path} is a folder\n")
        return 2
    if not 0 <= args.port <= 65535:
        err.write(f"k8stui serve: invalid --port {args.port}\n")
        return 2
    host = _host(args, err, level_host)
    if host is None:
        return 2
    options = ServeOptions(
        port=args.port,
        kube_version=args.kube_version,
        drive_clock=True,
        speed=args.speed,
        paused=args.paused,
    )
    runner = ApiRunner(host, options)
    try:
        return asyncio.run(_serve(runner, path, out, asyncio.Event()))
    except PortInUse as exc:
        err.write(f"k8stui serve: {exc}\n")
        return 2
    except KubeconfigError as exc:
        err.write(f"k8stui serve: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 0


def post_sim(path: Path, words: list[str]) -> tuple[str, str, int]:
    """Send ``sim WORDS`` to the server a kubeconfig names; (stdout, stderr, code)."""
    endpoint = read(path)
    with tempfile.NamedTemporaryFile(suffix=".crt") as ca:
        ca.write(endpoint.ca_pem)
        ca.flush()
        context = ssl.create_default_context(cafile=ca.name)
    request = urllib.request.Request(
        endpoint.server + SIM_PATH,
        data=json.dumps({"args": words}).encode(),
        headers={"Authorization": f"Bearer {endpoint.token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=SIM_TIMEOUT, context=context) as response:
            data = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("message", str(exc))
        except ValueError:
            message = str(exc)
        return "", f"k8stui sim: {message}\n", 1
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return (
            "",
            f"k8stui sim: cannot reach {endpoint.server}: {reason} (is k8stui serve running?)\n",
            2,
        )
    return str(data.get("stdout", "")), str(data.get("stderr", "")), int(data.get("code", 1))


def run_sim(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """``k8stui sim VERB ...``."""
    path = args.kubeconfig or default_path()
    try:
        stdout, stderr, code = post_sim(path, list(args.words))
    except KubeconfigError as exc:
        err.write(f"k8stui sim: {exc}\n")
        return 2
    out.write(stdout)
    err.write(stderr)
    return code
