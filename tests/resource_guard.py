"""Resource guard for hostile-input tests: run code in a fresh interpreter and measure it.

A hostile input must be answered quickly and without inflating memory: the issue's bound is
1 s and 100 MB RSS. Measuring in the test process would mix in everything the suite has
loaded, so the code runs in a subprocess and reports its own ``resource.getrusage``.

API::

    usage = measure(action, setup="...", env={...}, timeout=30.0)
    assert_bounded(usage, seconds=1.0, rss_mb=100.0)

    usages = measure_many({"name": action, ...}, setup="...")   # one child, each case timed
    for name, usage in usages.items():
        assert_bounded(usage)

* ``setup``: Python source run first and not timed (imports, building inputs in memory).
* ``action``: Python source whose run is timed. It may assign a JSON-serialisable value to
  ``result``; that value comes back as ``usage.result``.
* ``env``: extra environment variables for the child (e.g. ``K8STUI_DATA_DIR``).
* The child's address space is capped at :data:`ADDRESS_LIMIT` so a runaway allocation fails
  fast instead of swamping the machine; a child that outlives ``timeout`` is killed and the
  measurement fails with :class:`GuardError` (a hang is a failure, never a stuck suite).

:class:`Usage` holds ``seconds`` (wall time of ``action``), ``peak_rss_mb`` (the child's peak
resident set over its whole life, interpreter and imports included: ``ru_maxrss``; the child
is forked from a small trampoline, not from the test process, whose size Linux would
otherwise pass on to it), ``result`` and the
child's ``stdout``/``stderr``. An exception in ``action`` is reported as
``usage.error = "TypeName: message"`` (the measurement still happens), so a test can assert
that there was none.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from typing import Any

ADDRESS_LIMIT = 2 * 1024**3
_TRAMPOLINE = (
    "import subprocess, sys; sys.exit(subprocess.call([sys.executable, '-c', sys.argv[1]]))"
)
_MARKER = "@@resource-guard@@"
_CHILD = """
import json, resource, sys, time, traceback
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
result = None
{setup}
_error = None
_start = time.perf_counter()
try:
{action}
except BaseException as _exc:  # reported to the parent, which decides
    _error = f"{{type(_exc).__name__}}: {{_exc}}"
    traceback.print_exc()
_seconds = time.perf_counter() - _start
_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sys.stdout.flush()
print({marker!r} + json.dumps({{"seconds": _seconds, "peak": _peak, "result": result,
                               "error": _error}}, default=str))
"""


class GuardError(AssertionError):
    """The child did not finish in time or did not report."""


@dataclass
class Usage:
    """What one guarded run cost."""

    seconds: float
    peak_rss_mb: float
    result: Any
    error: str | None
    stdout: str
    stderr: str


def measure(
    action: str, *, setup: str = "", env: dict[str, str] | None = None, timeout: float = 30.0
) -> Usage:
    """Run ``setup`` then ``action`` (timed) in a fresh interpreter; see the module docstring."""
    source = _CHILD.format(
        limit=ADDRESS_LIMIT,
        setup=textwrap.dedent(setup),
        action=textwrap.indent(textwrap.dedent(action) or "pass", "    "),
        marker=_MARKER,
    )
    # Linux keeps a process's peak RSS across fork and exec, so a child forked straight from
    # the test process would report the test process's size. A small trampoline forks the
    # measured child instead; its own session lets a timeout kill both.
    proc = subprocess.Popen(
        [sys.executable, "-S", "-c", _TRAMPOLINE, source],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise GuardError(f"still running after {timeout:g}s (a hang?)") from exc
    done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    lines = [line for line in done.stdout.splitlines() if line.startswith(_MARKER)]
    if not lines:
        raise GuardError(f"the child did not report (exit {done.returncode}):\n{done.stderr}")
    report = json.loads(lines[-1][len(_MARKER) :])
    return Usage(
        seconds=report["seconds"],
        peak_rss_mb=report["peak"],
        result=report["result"],
        error=report["error"],
        stdout=done.stdout,
        stderr=done.stderr,
    )


def measure_many(
    cases: dict[str, str],
    *,
    setup: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> dict[str, Usage]:
    """Several actions in one child (one interpreter start-up): each is timed on its own, and
    each one's ``peak_rss_mb`` is the child's peak so far (so it bounds that case too)."""
    body = ["_cases = {}"]
    for name, action in cases.items():
        body += [
            "_start = time.perf_counter()",
            "_error = None",
            "try:",
            textwrap.indent(textwrap.dedent(action) or "pass", "    "),
            "except BaseException as _exc:",
            "    _error = f'{type(_exc).__name__}: {_exc}'",
            f"_cases[{name!r}] = {{'seconds': time.perf_counter() - _start, 'result': result,",
            "    'error': _error, 'peak': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}",
            "result = None",
        ]
    usage = measure("\n".join(body) + "\nresult = _cases", setup=setup, env=env, timeout=timeout)
    if usage.error is not None:
        raise GuardError(f"the guard itself failed: {usage.error}\n{usage.stderr}")
    return {
        name: Usage(
            seconds=case["seconds"],
            peak_rss_mb=case["peak"],
            result=case["result"],
            error=case["error"],
            stdout=usage.stdout,
            stderr=usage.stderr,
        )
        for name, case in usage.result.items()
    }


def assert_bounded(
    usage: Usage, *, seconds: float = 1.0, rss_mb: float = 100.0, label: str = "the action"
) -> None:
    """Fail unless the action took at most ``seconds`` and the child at most ``rss_mb``."""
    assert usage.error is None, f"{label} raised {usage.error}\n{usage.stderr}"
    assert usage.seconds <= seconds, f"{label} took {usage.seconds:.2f}s (bound {seconds:g}s)"
    assert usage.peak_rss_mb <= rss_mb, (
        f"{label}: peak RSS {usage.peak_rss_mb:.0f} MB (bound {rss_mb:g} MB)"
    )
