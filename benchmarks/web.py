"""What one browser session of ``k8stui web`` costs: memory, CPU and bandwidth per game.

Run: ``python benchmarks/web.py [--sessions N] [--seconds S]``. Starts ``k8stui web`` on
127.0.0.1 (any free port), connects websocket clients the way textual.js does (a browser adds
nothing on the server), and reads each game process's CPU time and resident memory from
/proc (Linux). Phases, per session:

* ``select``: the level list, nothing moving;
* ``paused``: a level open with the sim clock paused (F6), the state a tab left open is in;
* ``playing``: level 1 at 1x with the clock running.

Then N sessions play at once, to check that cost adds up linearly, and the script prints how
many sessions one 2-core machine holds at 80% CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
ENTER, ESCAPE = "\r", "\x1b"
PAUSE = "\x1b[17~"  # F6 pauses even while a text field has focus
FASTER = "\x1b[19~"  # F8 doubles the clock speed
DOWN = "\x1b[B"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mib(pid: int) -> float:
    """Memory of a process: its proportional share (PSS) where the kernel reports it, so
    pages that game processes share are not counted once per game; else its RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


def children(pid: int) -> list[int]:
    """Direct children of a process."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass
class Session:
    """One connected tab, read all the time as a browser would (unread sockets miss the
    server's heartbeat and are hung up on)."""

    socket: aiohttp.ClientWebSocketResponse
    received: int = 0
    reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += len(message.data)
        raise RuntimeError(f"the server hung up: {self.socket.close_code}")

    async def keys(self, text: str) -> None:
        await self.socket.send_str(json.dumps(["stdin", text]))

    async def settle(self, quiet: float = 2.0, limit: float = 60.0) -> None:
        """Wait until nothing has arrived for ``quiet`` seconds (start-up is over)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = self.received
            await self.drain(quiet)
            if self.received == before and before > 0:
                return

    async def drain(self, seconds: float) -> None:
        """Let ``seconds`` pass while the reader counts what arrives."""
        await asyncio.sleep(seconds)
        if self.reader is not None and self.reader.done():
            self.reader.result()


async def measure(
    pids: list[int], sessions: list[Session], seconds: float
) -> tuple[float, float, float]:
    """CPU fraction (sum over pids), memory (MiB, sum) and KiB/s sent over ``seconds``."""
    before = [cpu_seconds(p) for p in pids]
    sent = sum(s.received for s in sessions)
    started = time.monotonic()
    await asyncio.gather(*(s.drain(seconds) for s in sessions))
    elapsed = time.monotonic() - started
    used = sum(cpu_seconds(p) - b for p, b in zip(pids, before, strict=True))
    memory = sum(rss_mib(p) for p in pids)
    rate = (sum(s.received for s in sessions) - sent) / 1024 / elapsed
    return used / elapsed, memory, rate


async def run(url: str, server_pid: int, count: int, seconds: float, level: int) -> None:
    async with aiohttp.ClientSession() as http:
        known: set[int] = set()

        async def open_session(index: int) -> tuple[Session, int]:
            socket = await http.ws_connect(f"{url}ws/{index:032x}?width=120&height=40")
            session = Session(socket)
            session.start()
            for _ in range(100):
                fresh = set(children(server_pid)) - known
                if fresh:
                    pid = fresh.pop()
                    known.add(pid)
                    break
                await session.drain(0.1)
            else:
                raise RuntimeError("no game process appeared")
            await session.settle()  # start-up: imports, first frames
            return session, pid

        one, pid = await open_session(1)
        rows = []
        cpu, mem, rate = await measure([pid], [one], seconds)
        rows.append(("select (level list)", cpu, mem, rate))
        await one.keys(DOWN * (level - 1) + ENTER)
        await one.drain(2.0)
        await one.keys(ENTER)
        await one.drain(4.0)
        await one.keys(ESCAPE)  # skip the first-play tour, which holds the clock
        await one.drain(2.0)
        await one.keys(PAUSE)
        await one.drain(2.0)
        cpu, mem, rate = await measure([pid], [one], seconds)
        rows.append(("paused in the level", cpu, mem, rate))
        await one.keys(PAUSE)
        cpu, mem, rate = await measure([pid], [one], seconds)
        rows.append(("playing at 1x", cpu, mem, rate))
        await one.keys(FASTER * 3)
        cpu8, mem8, rate8 = await measure([pid], [one], seconds)
        await one.keys(PAUSE + PAUSE)  # back to 1x is not needed: the phase is over
        server_cpu, server_mem, _ = await measure([server_pid], [one], 5.0)
        print(f"one session of level {level}, {seconds:g} s per phase (CPU = share of one core):")
        print(f"  {'phase':22} {'CPU':>7} {'PSS MiB':>8} {'KiB/s':>7}")
        for name, c, m, r in rows:
            print(f"  {name:22} {c * 100:6.1f}% {m:8.1f} {r:7.1f}")
        print(f"  {'playing at 8x':22} {cpu8 * 100:6.1f}% {mem8:8.1f} {rate8:7.1f}")
        print(f"  {'server process':22} {server_cpu * 100:6.1f}% {server_mem:8.1f}")

        others = [await open_session(i + 2) for i in range(count - 1)]
        sessions = [one] + [s for s, _ in others]
        pids = [pid] + [p for _, p in others]
        for session in sessions[1:]:
            await session.keys(DOWN * (level - 1) + ENTER)
        await asyncio.sleep(2)
        for session in sessions[1:]:
            await session.keys(ENTER)
        await asyncio.gather(*(s.drain(4.0) for s in sessions))
        for session in sessions[1:]:
            await session.keys(ESCAPE)
        await asyncio.gather(*(s.drain(2.0) for s in sessions))
        cpu, mem, rate = await measure([*pids, server_pid], sessions, seconds)
        playing = rows[2][1]
        print(
            f"{count} sessions playing at 1x at once: {cpu * 100:.1f}% of one core in all "
            f"({cpu / count * 100:.1f}% each), {mem:.0f} MiB, {rate:.0f} KiB/s"
        )
        per_session_mem = rows[2][2]
        by_cpu = int(2 * 0.8 / max(playing, cpu / count))
        print(
            f"one 2-core machine at 80% CPU: about {by_cpu} sessions playing at 1x; memory for "
            f"them: {by_cpu * per_session_mem:.0f} MiB (+ {server_mem:.0f} MiB for the server); "
            "paused or idle sessions cost memory only"
        )
        for session in sessions:
            if session.reader is not None:
                session.reader.cancel()
            await session.socket.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4, help="sessions at once (default 4)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--level", type=int, default=1, help="level number to play (default 1)")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="k8stui-bench-web-")
    log = Path(data) / "server.log"
    with log.open("w") as sink:
        # A file, not a pipe: a pipe nobody reads would stall the server once it fills.
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "k8stui", "web", "--port", "0", "--exit-after", "900"),
                *("--max-sessions", str(args.sessions + 1), "--data-dir", data),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, K8STUI_DATA_DIR=data),
        )
    try:
        url = None
        for _ in range(300):
            found = re.search(r"serving on (http://\S+/)", log.read_text())
            if found:
                url = found.group(1)
                break
            time.sleep(0.1)
        if url is None:
            print("the server did not start", file=sys.stderr)
            return 1
        asyncio.run(run(url, server.pid, args.sessions, args.seconds, args.level))
    except Exception:
        print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
