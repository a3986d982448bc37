"""The StatefulSet chapter's apps: ``luksa/kubia-pet`` keeps data on its claim, ``-peers`` lists all.

The flow is the book's, in the console: a headless Service and a StatefulSet, data POSTed to
``kubia-0`` by its stable DNS name, the pod deleted, and the data still there on the new one.
"""

from __future__ import annotations

import pytest

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.engine.runtime.data_answers import DataApp, data_answer
from k8stui.kubectl.files import VirtualFiles
from tests.console_helpers import ok

HEADLESS = """apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  clusterIP: None
  selector:
    app: kubia
  ports:
  - name: http
    port: 80
"""

STATEFUL_SET = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: kubia
spec:
  serviceName: kubia
  replicas: {replicas}
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: {image}
        ports:
        - name: http
          containerPort: 8080
        volumeMounts:
        - name: data
          mountPath: /var/data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      resources:
        requests:
          storage: 1Mi
      accessModes:
      - ReadWriteOnce
"""

KUBIA_0 = "kubia-0.kubia.default.svc.cluster.local:8080"


def started(image: str, replicas: int = 2, seed: int = 1) -> Session:
    """A console session where the headless Service and the StatefulSet run ``image``."""
    files = {
        "svc.yaml": HEADLESS,
        "sts.yaml": STATEFUL_SET.format(image=image, replicas=replicas),
    }
    s = Session(Cluster(seed=seed), VirtualFiles(files))
    ok(s, "kubectl apply -f svc.yaml")
    ok(s, "kubectl apply -f sts.yaml")
    ok(s, "sleep 120")
    pods = ok(s, "kubectl get pods -o name").stdout.split()
    assert pods == [f"pod/kubia-{n}" for n in range(replicas)]
    return s


def test_get_before_any_post_says_no_data() -> None:
    s = started("luksa/kubia-pet")
    assert ok(s, f"curl {KUBIA_0}").stdout == (
        "You've hit kubia-0\nData stored on this pod: No data posted yet\n"
    )


def test_post_stores_the_body_on_that_pod_only() -> None:
    s = started("luksa/kubia-pet")
    posted = ok(
        s, f"curl -X POST -d 'Hey there! This greeting was submitted to kubia-0.' {KUBIA_0}"
    )
    assert posted.stdout == "Data stored on pod kubia-0\n"
    assert ok(s, f"curl {KUBIA_0}").stdout == (
        "You've hit kubia-0\n"
        "Data stored on this pod: Hey there! This greeting was submitted to kubia-0.\n"
    )
    assert ok(s, "curl kubia-1.kubia:8080").stdout == (
        "You've hit kubia-1\nData stored on this pod: No data posted yet\n"
    )
    # The app writes the file on the claim's mount; a shell in the pod sees it.
    cat = ok(s, "kubectl exec kubia-0 -- cat /var/data/kubia.txt")
    assert cat.stdout.startswith("Hey there! This greeting was submitted to kubia-0.")


def test_a_second_post_replaces_the_data() -> None:
    s = started("luksa/kubia-pet", replicas=1)
    ok(s, f"curl -d first {KUBIA_0}")
    ok(s, f"curl --data=second {KUBIA_0}")
    assert ok(s, f"curl {KUBIA_0}").stdout.endswith("Data stored on this pod: second\n")


def test_the_data_survives_the_pod_being_deleted() -> None:
    s = started("luksa/kubia-pet")
    ok(s, f"curl -d 'kept on the claim' {KUBIA_0}")
    uid = ok(s, "kubectl get pod kubia-0 -o jsonpath={.metadata.uid}").stdout
    ok(s, "kubectl delete pod kubia-0")
    ok(s, "sleep 60")
    assert ok(s, "kubectl get pod kubia-0 -o jsonpath={.metadata.uid}").stdout != uid
    assert ok(s, f"curl {KUBIA_0}").stdout == (
        "You've hit kubia-0\nData stored on this pod: kept on the claim\n"
    )


def test_an_emptydir_pod_loses_its_data_when_replaced() -> None:
    """The contrast the book draws: without a claim the file goes with the pod."""
    manifest = STATEFUL_SET.format(image="luksa/kubia-pet", replicas=1)
    manifest = manifest.split("  volumeClaimTemplates:")[0] + (
        "      volumes:\n      - name: data\n        emptyDir: {}\n"
    )
    s = Session(Cluster(seed=1), VirtualFiles({"svc.yaml": HEADLESS, "sts.yaml": manifest}))
    ok(s, "kubectl apply -f svc.yaml")
    ok(s, "kubectl apply -f sts.yaml")
    ok(s, "sleep 60")
    ok(s, f"curl -d gone {KUBIA_0}")
    ok(s, "kubectl delete pod kubia-0")
    ok(s, "sleep 60")
    assert ok(s, f"curl {KUBIA_0}").stdout.endswith("Data stored on this pod: No data posted yet\n")


def test_peers_list_what_every_pod_holds() -> None:
    s = started("luksa/kubia-pet-peers", replicas=3)
    ok(s, f"curl -d 'The sun is shining' {KUBIA_0}")
    ok(s, "curl -d 'The weather is sweet' kubia-1.kubia:8080")
    expected = (
        "You've hit {pod}\n"
        "Data stored in the cluster:\n"
        "- kubia-0.kubia.default.svc.cluster.local: The sun is shining\n"
        "- kubia-1.kubia.default.svc.cluster.local: The weather is sweet\n"
        "- kubia-2.kubia.default.svc.cluster.local: No data posted yet\n"
    )
    assert ok(s, "curl kubia-2.kubia:8080").stdout == expected.format(pod="kubia-2")
    assert ok(s, f"curl {KUBIA_0}").stdout == expected.format(pod="kubia-0")
    # /data is what a peer asks for: the bare file.
    assert ok(s, "curl kubia-1.kubia:8080/data").stdout == "The weather is sweet"


def test_peers_skip_a_pod_that_is_not_ready() -> None:
    s = started("luksa/kubia-pet-peers", replicas=2)
    ok(s, "kubectl scale statefulset kubia --replicas=1")
    ok(s, "sleep 60")
    assert ok(s, f"curl {KUBIA_0}").stdout == (
        "You've hit kubia-0\nData stored in the cluster:\n"
        "- kubia-0.kubia.default.svc.cluster.local: No data posted yet\n"
    )


def test_a_peer_that_does_not_answer_shows_node_s_error() -> None:
    s = started("luksa/kubia-pet-peers", replicas=2)
    peer = s.cluster.get("Pod", "kubia-1")
    assert peer is not None
    # Cut off before the node controller notices: the endpoint is still listed as ready.
    s.cluster.inject(Fault(kind="partition-node", target=peer["spec"]["nodeName"]))
    assert ok(s, f"curl {KUBIA_0}").stdout.splitlines()[-1] == (
        "- kubia-1.kubia.default.svc.cluster.local: Error: connect ETIMEDOUT "
        f"{peer['status']['podIP']}:8080"
    )


def test_logs_show_start_and_every_request_with_its_client() -> None:
    s = started("luksa/kubia-pet-peers", replicas=2)
    ok(s, f"curl {KUBIA_0}")
    ip0 = ok(s, "kubectl get pod kubia-0 -o jsonpath={.status.podIP}").stdout
    logs0 = ok(s, "kubectl logs kubia-0").stdout.splitlines()
    logs1 = ok(s, "kubectl logs kubia-1").stdout.splitlines()
    # The console's request, then kubia-0 asking itself for /data (from its own IP).
    assert logs0[0] == "Kubia server starting..."
    assert logs0[1].startswith("Received request from ::ffff:10.")
    assert logs0[2:] == [f"Received request from ::ffff:{ip0}"]
    assert logs1 == ["Kubia server starting...", f"Received request from ::ffff:{ip0}"]


def test_the_same_session_gives_the_same_event_log() -> None:
    def run() -> list[str]:
        s = started("luksa/kubia-pet-peers", replicas=3, seed=7)
        ok(s, f"curl -d x {KUBIA_0}")
        ok(s, "kubectl delete pod kubia-0")
        ok(s, "sleep 60")
        ok(s, "curl kubia-1.kubia:8080")
        return s.cluster.event_log()

    assert run() == run()


@pytest.mark.parametrize(
    ("line", "stderr"),
    [
        ("curl -d", "curl: option -d: requires parameter\n"),
        ("curl --request", "curl: option --request: requires parameter\n"),
        (
            "curl -d x localhost:8080",
            "curl: a request with a body to localhost is not simulated; send it to the pod's "
            "or the Service's name instead\n",
        ),
    ],
)
def test_curl_body_options_report_bad_use(line: str, stderr: str) -> None:
    s = started("luksa/kubia-pet", replicas=1)
    result = s.run(line)
    assert (result.stderr, result.exit_code) == (stderr, 2)


def test_peer_lookup_failure_is_worded_like_node() -> None:
    app = DataApp("/var/data/kubia.txt", "kubia.default.svc.cluster.local")
    common = {"hostname": "kubia-0", "method": "GET", "path": "/", "body": ""}
    failed = data_answer(app, read_file=None, write_file=None, peers=lambda _: None, **common)
    assert failed.endswith(
        "Could not look up DNS SRV records: Error: querySrv ENOTFOUND "
        "kubia.default.svc.cluster.local"
    )
    empty = data_answer(app, read_file=None, write_file=None, peers=lambda _: [], **common)
    assert empty == "You've hit kubia-0\nData stored in the cluster:\nNo peers discovered."


def test_a_body_read_from_a_file_as_curl_reads_it() -> None:
    s = started("luksa/kubia-pet", replicas=1)
    s.files.write("greeting.txt", "line one\r\nline two\n")
    s.files.write("plain.txt", "line one\nline two\n")

    def stored() -> str:
        return ok(s, f"curl {KUBIA_0}").stdout.removeprefix("You've hit kubia-0\n")

    ok(s, f"curl -d @greeting.txt {KUBIA_0}")  # -d drops the line breaks
    assert stored() == "Data stored on this pod: line oneline two\n"
    ok(s, f"curl --data-binary @plain.txt {KUBIA_0}")  # kept as it is
    assert stored() == "Data stored on this pod: line one\nline two\n\n"
    ok(s, f"curl --data-raw @greeting.txt {KUBIA_0}")
    assert stored() == "Data stored on this pod: @greeting.txt\n"
    missing = ok(s, f"curl -d @nope.txt -d x=1 {KUBIA_0}")
    assert missing.stderr == (
        'Warning: Couldn\'t read data from file "nope.txt", this makes an empty POST.\n'
    )
    assert stored() == "Data stored on this pod: &x=1\n"
    assert ok(s, f"curl -s -d @nope.txt {KUBIA_0}").stderr == ""
