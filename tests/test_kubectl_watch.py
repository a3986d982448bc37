"""``kubectl get -w`` / ``events -w`` in the built-in kubectl: the list, then one piece per
change as simulated time passes; how a watch ends (next command, timeout, Ctrl+C, sim load)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.console.session import Session
from k8stui.shell import build_parser, run
from k8stui.shell_prompt import follow
from tests.console_helpers import ok, session

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "w", "namespace": "default", "labels": {"app": "w"}},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


def _text(chunks: list[tuple[int, str]]) -> str:
    return "".join(text for _, text in chunks)


def test_rows_follow_the_clock_and_columns_only_grow() -> None:
    s = session()
    result = ok(s, "kubectl get pods -w")
    assert (result.stdout, result.stderr) == ("", "")  # an empty list prints nothing at all
    assert result.stream is not None and s.stream is result.stream
    s.cluster.create(POD)
    rows = _text(s.poll_stream()).splitlines()
    assert rows[:3] == [
        "NAME   READY   STATUS    RESTARTS   AGE",  # the header comes with the first row
        "w      0/1     Pending   0          0s",
        "w      0/1     Pending   0          0s",
    ]
    assert rows[3] == "w      0/1     ContainerCreating   0          0s"
    s.cluster.advance(5)
    rows = _text(s.poll_stream()).splitlines()
    assert rows[-1] == "w      1/1     Running             0          5s"  # wider for good
    s.stop_stream()
    assert s.stream is None and s.poll_stream() == []


def test_watch_only_prints_the_header_with_the_first_change_and_events_mark_rows() -> None:
    s = session()
    ok(s, "kubectl create namespace early")
    assert ok(s, "kubectl get ns --watch-only --output-watch-events").stdout == ""
    ok(Session(s.cluster, s.files), "kubectl create namespace late")
    lines = _text(s.poll_stream()).splitlines()
    assert lines[0].split() == ["EVENT", "NAME", "STATUS", "AGE"]
    assert lines[1].split() == ["ADDED", "late", "Active", "0s"]


def test_selectors_turn_changes_into_added_and_deleted() -> None:
    s = session()
    ok(s, "kubectl get pods -l app=w -w --output-watch-events -o jsonpath={.type},")
    other = Session(s.cluster, s.files)
    s.cluster.create(POD)
    types = _text(s.poll_stream()).split(",")
    assert types[0] == "ADDED" and set(types[1:-1]) == {"MODIFIED"}
    ok(other, "kubectl label pod w app=x --overwrite")
    ok(other, "kubectl label pod w extra=1")  # out of the selector: not this watch's business
    ok(other, "kubectl label pod w app=w --overwrite")
    assert _text(s.poll_stream()) == "DELETED,ADDED,"


def test_structured_output_prints_one_object_per_event() -> None:
    s = session()
    ok(s, "kubectl create namespace a")
    out = ok(s, "kubectl get ns a -w -o yaml").stdout
    assert out.startswith("apiVersion: v1\nkind: Namespace\n") and "---" not in out
    ok(Session(s.cluster, s.files), "kubectl label ns a x=y")
    assert _text(s.poll_stream()).startswith("---\napiVersion: v1\n")
    s.stop_stream()
    json_line = ok(s, "kubectl get ns a -w -o json --output-watch-events").stdout
    assert json_line.startswith('{"type":"ADDED","object":{"apiVersion":"v1","kind":"Namespace"')
    assert json_line.count("\n") == 1


def test_the_next_command_ends_a_watch_and_so_does_a_later_command_on_the_line() -> None:
    s = session()
    ok(s, "kubectl get pods -w")
    ok(s, "kubectl get nodes")
    assert s.stream is None
    result = s.run("kubectl get pods -w; echo next")
    assert result.stream is None and s.stream is None


def test_request_timeout_ends_a_script_watch_after_simulated_time() -> None:
    s = session()
    ok(s, "kubectl run w --image=nginx")
    start = s.cluster.now_ms
    [(_, result)] = list(s.run_script("kubectl get pods -w --request-timeout=10s\n"))
    assert s.cluster.now_ms == start + 10_000
    assert s.stream is None
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "NAME" and lines[-1].split()[2] == "Running"
    [(_, quick)] = list(s.run_script("kubectl get pods -w\n"))  # no timeout: ends at once
    assert len(quick.stdout.splitlines()) == 2 and s.cluster.now_ms == start + 10_000


def test_shell_script_watch_runs_to_its_timeout() -> None:
    out, err = io.StringIO(), io.StringIO()
    args = build_parser().parse_args(
        ["-c", "kubectl run w --image=nginx; kubectl get pods -w --request-timeout=8"]
    )
    assert run(args, io.StringIO(""), out, err) == 0
    assert "Running" in out.getvalue().splitlines()[-1], out.getvalue()


def test_prompt_follow_moves_the_clock_until_the_timeout() -> None:
    s = session()
    ok(s, "kubectl run w --image=nginx")
    start = s.cluster.now_ms
    ok(s, "kubectl get pods -w --request-timeout=1s")
    out, err = io.StringIO(), io.StringIO()

    def write(chunks: list[tuple[int, str]], out_: io.StringIO, err_: io.StringIO) -> None:
        for fd, text in chunks:
            (out_ if fd == 1 else err_).write(text)

    follow(s, out, err, write)  # type: ignore[arg-type]
    assert s.stream is None and s.cluster.now_ms == start + 1000
    assert out.getvalue().count("\n") >= 0 and err.getvalue() == ""


def test_sim_load_ends_a_watch() -> None:
    s = session()
    ok(s, "kubectl get ns -w")
    stream = s.stream
    assert stream is not None
    s.cluster.ctx.store = type(s.cluster.ctx.store)(lambda: 0, s.cluster.ctx.rng)
    assert s.poll_stream() == [] and stream.finished and s.stream is None


def test_watch_errors_are_kubectls() -> None:
    s = session()
    ok(s, "kubectl create namespace a")
    both = s.run("kubectl get pods,svc -w")
    assert (both.stdout, both.stderr, both.exit_code) == (
        "",
        "error: you may only specify a single resource type\n",
        1,
    )
    two = s.run("kubectl get ns a default -w")
    assert two.stdout.splitlines()[0].split() == ["NAME", "STATUS", "AGE"]
    assert (
        two.stderr == "error: you may only watch a single resource or type of resource at a time\n"
    )
    assert s.stream is None
    bad = s.run("kubectl get ns -w --request-timeout=abc")
    assert bad.stderr.startswith("error: Invalid timeout value.") and bad.exit_code == 1
    missing = s.run("kubectl get pod nope -w")
    assert missing.stderr == 'Error from server (NotFound): pods "nope" not found\n'
    sort = s.run("kubectl get ns -w --sort-by=.metadata.name")
    assert sort.stderr == (
        "warning: --watch requested, --sort-by will be ignored for watch events received\n"
    )


def test_events_watch_prints_each_event_as_its_own_row() -> None:
    s = session()
    ok(s, "kubectl events -w --types=Warning")
    ok(Session(s.cluster, s.files), "kubectl run bad --image=nope:1")
    s.cluster.advance(20)
    lines = _text(s.poll_stream()).splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert lines[1:] and all(" Warning " in line and "Pod/bad" in line for line in lines[1:])


WATCH_FLAGS = (
    "-w",
    "--watch-only",
    "--output-watch-events",
    "--request-timeout=3s",
    "--request-timeout=0",
    "--request-timeout=x",
    "-o name",
    "-o json",
    "-o yaml",
    "-o wide",
    "-o custom-columns=N:.metadata.name",
    "-o jsonpath={.metadata.name}",
    "-A",
    "-l app=w",
    "--field-selector status.phase=Running",
    "--no-headers",
    "--show-kind",
    "-L app",
    "--sort-by=.metadata.name",
)


@settings(max_examples=60, deadline=None)
@given(
    resource=st.sampled_from(["pods", "ns", "deploy", "pod w", "pods/w", "events", "nodes"]),
    flags=st.lists(st.sampled_from(WATCH_FLAGS), max_size=5),
    steps=st.integers(0, 3),
)
def test_random_watch_lines_never_raise(resource: str, flags: list[str], steps: int) -> None:
    s = session()
    s.cluster.create(POD)
    result = s.run(f"kubectl get {resource} {' '.join(flags)}")
    assert "internal" not in result.stderr, result
    for _ in range(steps):
        s.cluster.advance(2)
        s.poll_stream()
    s.stop_stream()
