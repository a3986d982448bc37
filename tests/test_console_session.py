"""The console session: line splitting, dispatch, history, stdin blocks, sim, docker, curl."""

from __future__ import annotations

import json

from k8stui.console.session import split_commands
from k8stui.kubectl.files import VirtualFiles
from tests.console_helpers import POD_YAML, ok, session


def test_split_commands_quotes_comments_and_semicolons() -> None:
    line = "kubectl get pods -o jsonpath='{.items[*]; x}'; echo 'a # b' # comment"
    assert split_commands(line) == [
        ["kubectl", "get", "pods", "-o", "jsonpath={.items[*]; x}"],
        ["echo", "a # b"],
    ]
    assert split_commands("# only a comment") == []


def test_history_and_several_commands() -> None:
    s = session()
    result = s.run("echo one; echo two")
    assert result.stdout == "one\ntwo\n"
    assert s.history == ["echo one", "echo two"]


def test_unknown_program_and_syntax_errors_and_pipes() -> None:
    s = session()
    missing = s.run("kubeclt get pods")
    assert (missing.exit_code, missing.stderr) == (127, "k8stui: kubeclt: command not found\n")
    quote = s.run("echo 'unterminated")
    assert quote.exit_code == 2 and "No closing quotation" in quote.stderr
    piped = s.run("kubectl get pods | grep web")
    assert piped.exit_code == 2 and "pipes" in piped.stderr


def test_apply_from_the_following_lines_and_edit() -> None:
    s = session()
    script = f"kubectl apply -f -\n{POD_YAML}EOF\nkubectl get pod kubia -o name\n"
    results = [r for _, r in s.run_script(script)]
    assert [r.stdout for r in results] == ["pod/kubia created\n", "pod/kubia\n"]
    # As in an editor, the text starts from the live object (which admission added the
    # service-account volume to), with one label added.
    live = ok(s, "kubectl get pod kubia -o yaml").stdout
    edited = live.replace("    app: kubia\n", "    app: kubia\n    tier: web\n", 1)
    outcome = [r for _, r in s.run_script(f"kubectl edit pod kubia\n{edited}EOF\n")]
    assert outcome[0].stdout == "pod/kubia edited\n"
    assert ok(s, "kubectl get pod kubia --show-labels --no-headers").stdout.split()[-1] == (
        "app=kubia,tier=web"
    )
    again = [r for _, r in s.run_script(f"kubectl edit pod kubia\n{edited}EOF\n")]
    assert again[0].stdout == "Edit cancelled, no changes made.\n"


def test_sim_time_faults_events_and_snapshots() -> None:
    files = VirtualFiles({"pod.yaml": POD_YAML})
    s = session()
    s.files = files
    ok(s, "kubectl apply -f pod.yaml")
    assert ok(s, "sleep 1m").stdout == ""  # silent, like a shell's sleep
    assert ok(s, "sim advance 30s").stdout == "advanced 30s, now t=00:01:30\n"
    assert ok(s, "sim time").stdout == "t=00:01:30\n"
    assert "killed (exit 137)" in ok(s, "sim kill-pod kubia").stdout
    assert ok(s, "sim crash-node worker-1").stdout
    assert "Scheduled" in ok(s, "sim events").stdout
    ok(s, "sim save snap.json")
    assert json.loads(files.read("snap.json"))["now_ms"] == 90_000
    ok(s, "sleep 60")
    assert ok(s, "sim load snap.json").stdout == "loaded snap.json: now t=00:01:30\n"
    assert s.cluster.now_ms == 90_000
    bad = s.run("sim crash-node nope")
    assert bad.exit_code == 1 and 'nodes "nope" not found' in bad.stderr
    assert s.run("sleep soon").stderr.startswith("sim: invalid duration")


def test_curl_from_the_debug_vantage_point() -> None:
    s = session()
    ok(s, "kubectl run kubia --image=luksa/kubia --port=8080 --expose")
    ok(s, "sleep 30")
    body = ok(s, "curl http://kubia.default.svc.cluster.local:8080/").stdout
    assert body.startswith("You've hit kubia")
    assert ok(s, "curl -i kubia:8080").stdout.startswith("HTTP/1.1 200 OK\n\n")
    unresolved = s.run("curl http://nope/")
    assert (unresolved.exit_code, unresolved.stderr) == (
        6,
        "curl: (6) Could not resolve host: nope\n",
    )
    refused = s.run("curl kubia:81")
    assert refused.exit_code == 7 and refused.stderr.startswith("curl: (7) Failed to connect to")
    assert s.run("curl -s kubia:81").stderr == ""
    pod = s.cluster.get("Pod", "kubia")
    assert pod is not None
    ok(s, "sim crash-node " + pod["spec"]["nodeName"])
    pod_ip = pod["status"]["podIP"]
    timeout = s.run(f"curl -m 2 {pod_ip}:8080")
    assert timeout.exit_code == 28
    assert timeout.stderr == "curl: (28) Connection timed out after 2000 milliseconds\n"


def test_docker_build_push_and_run() -> None:
    files = {
        "app/Dockerfile": 'FROM node:7\nADD app.js /app.js\nENTRYPOINT ["node", "app.js"]\n',
        "app/app.js": "console.log('hi')\n",
    }
    s = session(files)
    built = ok(s, "docker build -t player/kubia:v1 app")
    assert "Step 1/3 : FROM node:7" in built.stdout
    assert built.stdout.rstrip().endswith("Successfully tagged player/kubia:v1")
    assert "Using cache" in ok(s, "docker build -t player/kubia:v1 app").stdout
    assert "player/kubia" in ok(s, "docker images").stdout
    assert "ENTRYPOINT" in ok(s, "docker history player/kubia:v1").stdout
    assert "digest: sha256:" in ok(s, "docker push player/kubia:v1").stdout
    denied = s.run("docker push node:7")
    assert denied.exit_code == 1 and denied.stderr.startswith("denied:")
    run = s.run("docker run player/kubia:v1")
    assert run.exit_code == 1 and "kubectl run NAME --image=player/kubia:v1" in run.stderr
    assert s.run("docker frobnicate").stderr.startswith(
        "docker: 'frobnicate' is not a docker command."
    )
    missing = s.run("docker build -t x nowhere")
    assert missing.stderr == 'unable to prepare context: path "nowhere" not found\n'
