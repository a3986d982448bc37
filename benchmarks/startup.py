"""Start-up time: k8stui's first frame against a bare Textual app with a YAML TextArea.

Each app starts in a fresh interpreter (cold imports) and renders headless; the time from
launching the interpreter to the app's first frame (the moment its auto-pilot runs) is
measured on the shared monotonic clock. Both apps are measured in the same run, alternating,
and the medians compared. Target: k8stui within 1.5x of the bare app.

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

_BARE = """
import os, time
from textual.app import App
from textual.widgets import TextArea

class Bare(App):
    def compose(self):
        yield TextArea.code_editor("apiVersion: v1\\nkind: Pod\\n", language="yaml")

async def first_frame(pilot):
    print(time.perf_counter(), flush=True)
    os._exit(0)

Bare().run(headless=True, auto_pilot=first_frame)
"""

_K8STUI = """
import os, time
from k8stui.tui.app import make_app

async def first_frame(pilot):
    print(time.perf_counter(), flush=True)
    os._exit(0)

make_app().run(headless=True, auto_pilot=first_frame)
"""


_K8STUI_LISTED = """
import asyncio, os, time
from k8stui.tui.app import make_app

async def listed(pilot):
    while pilot.app.progress is None:
        await asyncio.sleep(0.005)
    await pilot.pause()
    print(time.perf_counter(), flush=True)
    os._exit(0)

make_app().run(headless=True, auto_pilot=listed)
"""


def _time(code: str, env: dict[str, str]) -> float:
    """Seconds from launching the interpreter to the first frame (perf_counter is the same
    monotonic clock in both processes on Linux and macOS)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
    return float(out.stdout.decode().strip().splitlines()[-1]) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        # A scratch data folder: no user packs or saves change what is measured.
        env = {**os.environ, "K8STUI_DATA_DIR": data}
        bare, ours, listed = [], [], []
        for _ in range(args.runs):
            bare.append(_time(_BARE, env))
            ours.append(_time(_K8STUI, env))
            listed.append(_time(_K8STUI_LISTED, env))
    b, k = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual + YAML TextArea, first frame: {b * 1000:7.1f} ms (median of {args.runs})")
    print(f"k8stui, first frame:                       {k * 1000:7.1f} ms")
    print(f"k8stui, level list filled in:              {statistics.median(listed) * 1000:7.1f} ms")
    print(f"ratio (first frames): {k / b:.2f}x (target <= 1.50x)")


if __name__ == "__main__":
    main()
