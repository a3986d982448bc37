"""Regression tests for issue 19's engine, manifests, kubectl, console and shell items.

Each test runs the exact reproduction from the issue; the resource-guarded ones run it in a
subprocess and insist on an answer within 1 s and 100 MB RSS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from k8stui.console.session import Session
from k8stui.engine.clock import MAX_MS
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.controllers.rate_limit import slow_start_batches
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import NodeSpec, default_nodes
from k8stui.engine.snapshot import SnapshotError
from k8stui.kubectl.files import RealFiles, VirtualFiles
from k8stui.kubectl.goint import GoIntError, parse_go_int
from k8stui.kubectl.terminal_text import escape_terminal
from k8stui.manifests import load_documents
from tests.console_helpers import session
from tests.resource_guard import assert_bounded, measure_many

ROOT = Path(__file__).resolve().parent.parent
QUANTITY_RE = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


def run(s: Session, line: str) -> str:
    result = s.run(line)
    assert "internal" not in result.stderr, result.stderr
    return result.combined


# -- 1: huge replica counts -------------------------------------------------------------------
def test_million_replicas_returns_at_once_and_ramps_in_bounded_batches() -> None:
    s = session()
    assert run(s, "kubectl create deployment big --image=nginx --replicas=1000000") == (
        "deployment.apps/big created\n"
    )
    # The first sync makes one client burst (30 pods); the rate limit (20/s) does the rest.
    assert len(s.cluster.list("Pod")) == 30
    run(s, "sim advance 10s")
    assert 200 <= len(s.cluster.list("Pod")) <= 240


def test_slow_start_batches_double_from_one() -> None:
    assert list(slow_start_batches(20)) == [1, 2, 4, 8, 5]
    assert sum(slow_start_batches(500)) == 500


def test_replicas_outside_int32_are_refused_like_kubectl() -> None:
    s = session()
    out = run(s, "kubectl create deployment big --image=nginx --replicas=2147483648")
    assert out.startswith(
        'Error: invalid argument "2147483648" for "-r, --replicas" flag: strconv.ParseInt: '
        'parsing "2147483648": value out of range'
    )
    run(s, "kubectl create deployment web --image=nginx")
    assert run(s, "kubectl scale deploy web --replicas=2147483648") == (
        "Error from server (BadRequest): json: cannot unmarshal number 2147483648 into Go "
        "struct field ScaleSpec.spec.replicas of type int32\n"
    )
    assert "value out of range" in run(s, "kubectl scale deploy web --replicas=" + "9" * 20)


@pytest.mark.parametrize(
    ("text", "bits", "value"),
    [
        ("0x10", 32, 16),
        ("010", 32, 8),
        ("1_0", 32, 10),
        ("+5", 32, 5),
        ("-2147483648", 32, -(2**31)),
    ],
)
def test_flags_parse_ints_with_go_base_zero(text: str, bits: int, value: int) -> None:
    assert parse_go_int(text, bits) == value


@pytest.mark.parametrize("text", [" 5", "0x", "08", "1__0", "０", "2147483648", "9" * 5000])
def test_flags_refuse_what_go_refuses(text: str) -> None:
    with pytest.raises(GoIntError):
        parse_go_int(text, 32)


def test_a_frame_budget_stops_advance_early() -> None:
    c = Cluster()
    c.create(_deployment(1_000_000))
    before = c.now_ms
    done = c.advance(60, max_work=50)
    assert done == 50
    assert before < c.now_ms < before + 60_000


def _deployment(replicas: int) -> dict[str, object]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "big"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "big"}},
            "template": {
                "metadata": {"labels": {"app": "big"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }


# -- 2: alias amplification and the ConfigMap data limit --------------------------------------
def test_aliases_expanding_past_the_request_limit_are_refused() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: &s "
        + "x" * 2_000_000
        + "\n"
        + "".join(f"  k{i}: *s\n" for i in range(1000))
    )
    result = load_documents(text, "cm.yaml")
    assert [str(e) for e in result.errors] == [
        "cm.yaml:6:7: document is larger than the API server's request limit of 3145728 "
        "bytes once its aliases are expanded"
    ]


def test_configmap_data_over_one_mib_gets_the_api_server_message() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: &s "
        + "y" * 600_000
        + "\n  b: *s\n"
    )
    s = session({"cm.yaml": text})
    assert run(s, "kubectl create -f cm.yaml") == (
        'The ConfigMap "c" is invalid: []: Too long: may not be more than 1048576 bytes\n'
    )


# -- 4: -f reading --------------------------------------------------------------------------
def test_f_refuses_devices_and_huge_files_and_reads_one_level(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"")
    os.truncate(tmp_path / "big.yaml", 600 * 1024 * 1024)  # sparse: no disk used
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "sub" / "p.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec:\n"
        "  containers: [{name: c, image: nginx}]\n"
    )
    s = Session(Cluster(), RealFiles(tmp_path))
    assert run(s, "kubectl apply -f /dev/zero") == (
        "error: /dev/zero is not a regular file: -f reads files, folders or - (the lines that "
        "follow)\n"
    )
    assert "is larger than 12582912 bytes" in run(s, "kubectl apply -f big.yaml")
    assert run(s, "kubectl apply -f d") == (  # (kubectl 1.32's words for a folder of folders)
        "error: error reading [d]: recognized file extensions are [.json .yaml .yml]\n"
    )
    assert run(s, "kubectl apply -f d -R") == "pod/deep created\n"


def test_utf16_manifests_with_a_bom_are_read(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: u16\nspec:\n  containers:\n"
    text += "  - name: c\n    image: nginx\n"
    (tmp_path / "u16.yaml").write_bytes(text.encode("utf-16"))
    s = Session(Cluster(), RealFiles(tmp_path))
    assert run(s, "kubectl apply -f u16.yaml") == "pod/u16 created\n"


# -- 5: clock overflow ------------------------------------------------------------------------
def test_absurd_durations_are_refused_and_the_cluster_stays_usable() -> None:
    s = session()
    out = run(s, "sim advance 1000000000h; sim crash-node worker-1")
    assert out == (
        'sim: duration "1000000000h" is too long: the longest is 2562047h47m16.854s '
        "(Go's time.Duration)\nnode worker-1: crash-node\n"
    )
    assert run(s, "sim advance inf") == 'sim: invalid duration "inf" (try 90s, 2m or 1h30m)\n'
    assert run(s, "sleep 1e400") == 'sim: invalid duration "1e400" (try 90s, 2m or 1h30m)\n'
    run(s, "kubectl run a --image=nginx")
    assert "value out of range" in run(
        s, "kubectl delete pod a --grace-period=99999999999999999999"
    )
    assert "worker-1" in run(s, "kubectl get nodes")


def test_the_clock_stops_at_the_last_timestamp() -> None:
    c = Cluster()
    c.advance_to_ms(MAX_MS - 60_000)
    c.inject(Fault(kind="crash-node", target="worker-1"))
    with pytest.raises(ValueError, match="cannot pass 9999-12-31T23:59:59Z"):
        c.advance(3600)
    c.advance(30)
    assert c.get("Node", "worker-1") is not None


# -- 6: cluster sizes -------------------------------------------------------------------------
def test_node_counts_and_sizes_are_bounded_before_allocating() -> None:
    with pytest.raises(ValueError, match="at most 5000 nodes"):
        default_nodes(99_999_999_999)
    with pytest.raises(ValueError, match="must be smaller than 1e21"):
        NodeSpec(name="n", cpu="1e309")
    with pytest.raises(ValueError, match="more than 0 and at most 1Pi"):
        NodeSpec(name="n", memory="-1Gi")
    with pytest.raises(ValueError):
        ClusterConfig(nodes=[NodeSpec(name=f"n{i}") for i in range(5001)])


def test_shell_refuses_huge_node_counts_quickly() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "k8stui.cli", "shell", "--nodes", "99999999999", "-c", "echo"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2
    assert "a cluster has at most 5000 nodes" in done.stderr


# -- 11: sim load ----------------------------------------------------------------------------
def test_a_bad_snapshot_is_refused_with_a_place_and_the_cluster_kept() -> None:
    s = session()
    run(s, "kubectl run keep --image=nginx; sim save s.json")
    data = json.loads(s.files.read("s.json"))
    data["store"]["objects"]["Pod"][0]["metadata"].pop("name")
    s.files.write("bad.json", json.dumps(data))
    before = s.cluster
    out = run(s, "sim load bad.json")
    assert out.startswith("sim: cannot load bad.json: store.objects.Pod.0.metadata.name:")
    assert s.cluster is before
    assert run(s, "sim load s.json").startswith("loaded s.json")


@pytest.mark.parametrize(
    ("field", "value", "place"),
    [
        ("conditions", [None], "conditions[0]: must be an object"),
        ("conditions", "Ready", "conditions: must be a list"),
        ("containerStatuses", [7], "containerStatuses[0]: must be an object"),
    ],
)
def test_a_snapshot_whose_status_lists_hold_no_objects_is_refused(
    field: str, value: object, place: str
) -> None:
    # (kubectl get pods read such a status as objects: an internal error, found by the fuzz.)
    s = session()
    run(s, "kubectl run keep --image=nginx; sleep 10; sim save s.json")
    data = json.loads(s.files.read("s.json"))
    data["store"]["objects"]["Pod"][0]["status"][field] = value
    s.files.write("bad.json", json.dumps(data))
    before = s.cluster
    assert run(s, "sim load bad.json") == (
        f"sim: cannot load bad.json: store.objects.Pod[0].status.{place}\n"
    )
    assert s.cluster is before
    assert "internal" not in run(s, "kubectl get all -A")


def test_load_snapshot_refuses_unknown_actions() -> None:
    data = Cluster().snapshot()
    data["queue"]["heap"].append([1, 10**6, "no-such-work", {}])
    with pytest.raises(SnapshotError, match="unknown action 'no-such-work'"):
        Cluster.load_snapshot(data)


# -- 12: immortal namespaces -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_system_namespaces_may_not_be_deleted(name: str) -> None:
    s = session()
    assert run(s, f"kubectl delete ns {name}") == (
        f'Error from server (Forbidden): namespaces "{name}" is forbidden: this namespace may '
        "not be deleted\n"
    )


# -- 13: control characters ------------------------------------------------------------------
def test_escape_sequences_never_reach_the_terminal() -> None:
    s = session()
    invalid = run(s, "kubectl run 'a\x1bb[31m' --image=nginx")
    assert invalid.startswith('The Pod "a\\x1bb[31m" is invalid:')
    assert run(s, "kubectl get pod '\x1b]0;TITLE\a'") == (
        'Error from server (NotFound): pods "\\x1b]0;TITLE\\a" not found\n'
    )
    run(s, "kubectl run p --image=nginx")
    run(s, "kubectl annotate pod p 'x=\x1b]52;c;SGVsbG8=\a'")
    described = run(s, "kubectl describe pod p")
    assert "\x1b" not in described and "\a" not in described
    assert "x: ^[]52;c;SGVsbG8=^G" in described


def test_terminal_escaping_keeps_newlines_and_tabs() -> None:
    assert escape_terminal("a\tb\nc\rd\x9be") == "a\tb\nc\\rd\\u009be"


# -- 14: messages -----------------------------------------------------------------------------
@pytest.mark.parametrize("quantity", ['"1.5.3"', '".inf"', '"NaN"', '"0x10"'])
def test_bad_quantities_get_the_decoder_message(quantity: str) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n"
        f"  - name: c\n    image: nginx\n    resources:\n      requests:\n        cpu: {quantity}\n"
    )
    s = session({"q.yaml": pod})
    assert run(s, "kubectl apply -f q.yaml") == (
        'Error from server (BadRequest): error when creating "q.yaml": Pod in version "v1" '
        f"cannot be handled as a Pod: quantities must match the regular expression {QUANTITY_RE}\n"
    )
    loaded = load_documents(pod, "q.yaml")
    from k8stui.manifests import check_object

    errors = check_object(loaded.documents[0])
    assert [(e.line, e.path) for e in errors] == [(10, "spec.containers[0].resources.requests.cpu")]


def test_hex_replicas_of_4000_digits_are_a_string_not_a_huge_int() -> None:
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 0x"
    rest = (
        "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
        "    spec: {containers: [{name: c, image: nginx}]}\n"
    )
    s = session({"r.yaml": text + "f" * 4000 + "\n" + rest})
    out = run(s, "kubectl apply -f r.yaml")
    assert (
        "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
        in out
    )
    assert "set_int_max_str_digits" not in out


def test_save_refusals_are_plain() -> None:
    s = Session(Cluster(), RealFiles("/"))
    assert run(s, "sim save ''") == "sim: sim save needs a file name\n"
    assert run(s, "sim save /") == "sim: cannot save to /: is a directory\n"
    assert run(s, "sim save /no/such/dir/x.json") == (
        "sim: cannot save to /no/such/dir/x.json: no such file or directory\n"
    )


def test_docker_build_takes_a_binary_file_in_its_context() -> None:
    files = VirtualFiles({"ctx/Dockerfile": "FROM nginx\nCOPY . /app\n"})
    s = Session(Cluster(), files)
    files.files["ctx/logo.png"] = "\ufffdPNG\x00\x01"
    assert "error" not in run(s, "docker build -t me/app:1 ctx").lower()


def test_a_latin1_script_is_refused_with_its_line(tmp_path: Path) -> None:
    script = tmp_path / "latin1.sh"
    script.write_bytes(b"echo ok\necho caf\xe9\n")
    done = subprocess.run(
        [sys.executable, "-m", "k8stui.cli", "shell", str(script)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (
        f"k8stui shell: {script}:2: byte 0xe9 is not UTF-8 text; save the script as UTF-8\n"
    )


# -- the resource guard -----------------------------------------------------------------------
HOSTILE = {
    "replicas": "s.run('kubectl create deployment big --image=nginx --replicas=1000000')",
    "scale": "s.run('kubectl scale deploy web --replicas=2147483648')",
    "aliases": "s.run('kubectl apply -f cm.yaml')",
    "dev-zero": "s.run('kubectl apply -f /dev/zero')",
    "big-file": "s.run('kubectl apply -f big.yaml')",
    "advance": "s.run('sim advance 1000000000h; sim advance inf; sleep 1e400')",
    "grace": "s.run('kubectl delete pod web --grace-period=99999999999999999999')",
    "hex": "s.run('kubectl apply -f hex.yaml')",
    "load": "s.run('sim load bad.json')",
}


def test_hostile_inputs_answer_within_one_second_and_100_mb(tmp_path: Path) -> None:
    alias = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: &s " + "x" * 2_000_000
    )
    (tmp_path / "cm.yaml").write_text(alias + "\n" + "".join(f"  k{i}: *s\n" for i in range(1000)))
    (tmp_path / "big.yaml").write_bytes(b"")
    os.truncate(tmp_path / "big.yaml", 600 * 1024 * 1024)
    (tmp_path / "hex.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                                       "spec:\n  replicas: 0x" + "f" * 4000 + "\n")  # fmt: skip
    (tmp_path / "bad.json").write_text(json.dumps({"version": 1, "config": {}, "now_ms": -1}))
    setup = f"""
from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import RealFiles
s = Session(Cluster(), RealFiles({str(tmp_path)!r}))
s.run('kubectl create deployment web --image=nginx')
"""
    for name, usage in measure_many(HOSTILE, setup=setup, timeout=120).items():
        assert_bounded(usage, seconds=1.0, rss_mb=100.0, label=name)
