"""What container processes do: shell command forms, image programs, HTTP answers."""

from __future__ import annotations

import pytest

from k8stui.engine.images.catalog import builtin_registry
from k8stui.engine.images.model import Image
from k8stui.engine.images.registry import Registry
from k8stui.engine.runtime.http_answers import http_answer
from k8stui.engine.runtime.placeholders import unix_date
from k8stui.engine.runtime.process import resolve, write_content

HOST = {"HOSTNAME": "pod-a"}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return builtin_registry()


def image(registry: Registry, name: str) -> Image:
    found = registry.resolve(name)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("command", "args", "exit_after_ms", "code"),
    [
        (None, None, 0, 0),  # busybox's sh without a tty exits at once
        (["sleep", "5"], None, 5_000, 0),
        (["sh", "-c", "sleep 7"], None, 7_000, 0),
        (None, ["sleep", "99999"], 99_999_000, 0),
        (["/bin/sleep", "1.5"], None, 1_500, 0),
        (["sh", "-c", "exit 3"], None, 0, 3),
        (["sh", "-c", "sleep 2; exit 1"], None, 2_000, 1),
        (["false"], None, 0, 1),
        (["true"], None, 0, 0),
        (["sh", "-c", "false || exit 4"], None, 0, 4),
        (["sh", "-c", "true && sleep 1m"], None, 60_000, 0),
    ],
)
def test_shell_forms_that_exit(
    registry: Registry,
    command: list[str] | None,
    args: list[str] | None,
    exit_after_ms: int,
    code: int,
) -> None:
    spec = resolve(image(registry, "busybox"), command, args, HOST)
    assert not spec.runs_forever
    assert (spec.exit_after_ms, spec.exit_code) == (exit_after_ms, code)
    assert spec.start_error is None


@pytest.mark.parametrize(
    "command",
    [
        ["sleep", "infinity"],
        ["tail", "-f", "/dev/null"],
        ["sh", "-c", "while true; do sleep 5; done"],
        ["sh", "-c", "while :\ndo\n  echo tick\n  sleep 1\ndone"],
        ["/bin/sh", "-c", "trap : TERM INT; sleep infinity & wait"],
    ],
)
def test_shell_forms_that_run_forever(registry: Registry, command: list[str]) -> None:
    spec = resolve(image(registry, "alpine"), command, None, HOST)
    assert spec.runs_forever and spec.exit_after_ms is None


def test_echo_logs_and_exits(registry: Registry) -> None:
    spec = resolve(image(registry, "busybox"), ["echo", "hello", "world"], None, HOST)
    assert [line.text for line in spec.logs] == ["hello world"]
    assert spec.exit_code == 0 and spec.exit_after_ms == 0
    timed = resolve(
        image(registry, "busybox"), ["sh", "-c", "echo a; sleep 2; echo $HOSTNAME"], None, HOST
    )
    assert [(line.at_ms, line.text) for line in timed.logs] == [(0, "a"), (2_000, "pod-a")]


def test_unknown_commands(registry: Registry) -> None:
    spec = resolve(image(registry, "busybox"), ["sh", "-c", "fooo --bar"], None, HOST)
    assert spec.exit_code == 127 and [line.text for line in spec.logs] == ["sh: fooo: not found"]
    # Without a shell around it, the runtime cannot even start the process.
    exec_form = resolve(image(registry, "busybox"), ["fooo"], None, HOST)
    assert exec_form.start_error is not None
    assert 'exec: "fooo": executable file not found in $PATH' in exec_form.start_error


def test_periodic_loop_and_busy_loop(registry: Registry) -> None:
    loop = resolve(
        image(registry, "busybox"),
        ["sh", "-c", "while true; do echo tick; date > /data/now; sleep 10; done"],
        None,
        HOST,
    )
    assert loop.periodic_logs == ("tick",) and loop.log_every_ms == 10_000
    assert [(w.path, w.every_ms) for w in loop.writes] == [("/data/now", 10_000)]
    busy = resolve(image(registry, "busybox"), ["sh", "-c", "while true; do :; done"], None, HOST)
    assert busy.runs_forever and busy.cpu_millicores == 1000


def test_k8s_variable_expansion(registry: Registry) -> None:
    spec = resolve(
        image(registry, "busybox"),
        ["sleep", "$(SECONDS_TO_WAIT)"],
        None,
        {"SECONDS_TO_WAIT": "4"},
    )
    assert spec.exit_after_ms == 4_000


def test_kubia_program_and_http(registry: Registry) -> None:
    spec = resolve(image(registry, "luksa/kubia"), None, None, HOST)
    assert spec.runs_forever and spec.ports == (8080,)
    assert [line.text for line in spec.logs] == ["Kubia server starting..."]
    answer = http_answer(spec.http, 1, hostname="kubia-x7d2k", pod_ip="10.244.1.3")
    assert answer is not None and answer.status == 200
    assert answer.body == "You've hit kubia-x7d2k\n"
    assert answer.log == "Received request from ::ffff:10.244.0.1"
    # A command override on kubia (node image has a shell) runs that command instead.
    assert resolve(image(registry, "luksa/kubia"), ["sleep", "3"], None, HOST).exit_after_ms == 3000


def test_kubia_v3_fails_after_five_requests(registry: Registry) -> None:
    spec = resolve(image(registry, "luksa/kubia:v3"), None, None, HOST)
    answers = [http_answer(spec.http, n, hostname="k", pod_ip="ip") for n in range(1, 8)]
    assert [a.status for a in answers if a] == [200] * 5 + [500] * 2
    assert answers[0] and answers[0].body == "This is v3 running in pod k\n"


def test_nginx_serves_the_file_or_its_default_page(registry: Registry) -> None:
    spec = resolve(image(registry, "nginx:alpine"), None, None, HOST)
    assert spec.ports == (80,) and spec.runs_forever
    default = http_answer(spec.http, 1, hostname="web", pod_ip="ip")
    assert default is not None and "Welcome to nginx!" in default.body
    files = {"/usr/share/nginx/html/index.html": "fortune of the day\n"}
    served = http_answer(spec.http, 2, hostname="web", pod_ip="ip", read_file=files.get)
    assert served is not None and served.body == "fortune of the day\n"
    missing = http_answer(
        spec.http, 3, hostname="web", pod_ip="ip", path="/nope", read_file=files.get
    )
    assert missing is not None and missing.status == 404


def test_fortune_writes_and_intervals(registry: Registry) -> None:
    spec = resolve(image(registry, "luksa/fortune"), None, None, HOST)
    (write,) = spec.writes
    assert write.path == "/var/htdocs/index.html" and write.every_ms == 10_000
    first = write_content(write, 0, "fortune")
    assert first == write_content(write, 0, "fortune") and first.strip() in write.choices
    args = resolve(image(registry, "luksa/fortune:args"), None, ["2"], HOST)
    assert args.writes[0].every_ms == 2_000 and args.log_every_ms == 2_000
    assert args.logs[0].text == "Configured to generate new fortune every 2 seconds"
    env = resolve(image(registry, "luksa/fortune:env"), None, None, {"INTERVAL": "30"})
    assert env.writes[0].every_ms == 30_000


def test_memory_hungry_and_crashing_images(registry: Registry) -> None:
    hog = resolve(image(registry, "k8stui/memhog"), None, None, HOST)
    assert hog.memory_at(0) == 10 * 2**20 and hog.memory_at(5_000) == 60 * 2**20
    crasher = resolve(image(registry, "k8stui/crasher"), None, None, HOST)
    assert (crasher.exit_after_ms, crasher.exit_code) == (5_000, 1)
    # A non-shell image cannot run a foreign command.
    assert resolve(image(registry, "k8stui/crasher"), ["sleep", "1"], None, HOST).start_error
    capped = resolve(image(registry, "luksa/memoryhog"), None, ["1500000000"], HOST)
    assert capped.memory_max_bytes == 1_500_000_000


def test_nginx_args_run_through_its_entrypoint_wrapper(registry: Registry) -> None:
    spec = resolve(image(registry, "nginx"), None, ["sleep", "9"], HOST)
    assert spec.exit_after_ms == 9_000
    own = resolve(image(registry, "nginx"), ["nginx", "-g", "daemon off;"], None, HOST)
    assert own.ports == (80,)


def test_unix_date() -> None:
    assert unix_date(10_000) == "Wed Jan  1 00:00:10 UTC 2025"
