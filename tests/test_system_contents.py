"""What a new cluster contains: kube-system, the kubernetes Service, per-namespace objects,
service-account admission, node start-up, control-plane components and the event TTL."""

from __future__ import annotations

import json
import string

from console_helpers import ok, session
from helpers import container, pod

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.engine.nodes import NodeSpec
from k8stui.kubectl.files import VirtualFiles


def _names(c: Cluster, kind: str, namespace: str | None) -> list[str]:
    return [o["metadata"]["name"] for o in c.list(kind, namespace)]


def test_kube_system_has_static_pods_addons_and_dns() -> None:
    c = Cluster(seed=1)
    pods = {p["metadata"]["name"]: p for p in c.list("Pod", "kube-system")}
    static = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]
    for component in static:
        mirror = pods[f"{component}-control-plane"]
        assert mirror["spec"]["nodeName"] == "control-plane"
        assert mirror["spec"]["priorityClassName"] == "system-node-critical"
        assert mirror["spec"]["priority"] == 2000001000
        assert mirror["metadata"]["ownerReferences"][0]["kind"] == "Node"
        assert mirror["status"]["podIP"] == "172.18.0.2"  # hostNetwork
        assert "serviceAccountName" not in mirror["spec"]
    daemons = sorted(n.rsplit("-", 1)[0] for n in pods if n.startswith(("kube-proxy-", "kindnet-")))
    assert daemons == ["kindnet"] * 4 + ["kube-proxy"] * 4
    coredns = [p for n, p in pods.items() if n.startswith("coredns-")]
    assert len(coredns) == 2 and all(p["status"]["phase"] == "Running" for p in coredns)
    assert coredns[0]["spec"]["priority"] == 2000000000
    dns = c.get("Service", "kube-dns", "kube-system")
    assert dns["spec"]["clusterIP"] == "10.96.0.10"
    assert [(p["port"], p["protocol"]) for p in dns["spec"]["ports"]] == [
        (53, "UDP"),
        (53, "TCP"),
        (9153, "TCP"),
    ]
    assert all(p["status"]["phase"] == "Running" for p in pods.values())


def test_describe_static_pod_and_node_totals() -> None:
    s = session()
    text = ok(s, "kubectl describe pod kube-scheduler-control-plane -n kube-system").stdout
    assert text.startswith(
        "Name:                 kube-scheduler-control-plane\n"
        "Namespace:            kube-system\n"
        "Priority:             2000001000\n"
        "Priority Class Name:  system-node-critical\n"
        "Node:                 control-plane/172.18.0.2\n"
    )
    assert "Controlled By:  Node/control-plane\n" in text
    node = ok(s, "kubectl describe node control-plane").stdout
    assert "Non-terminated Pods:          (8 in total)\n" in node
    assert "  cpu                950m (47%)  100m (5%)\n" in node
    assert "  memory             290Mi (7%)  390Mi (9%)\n" in node
    worker = ok(s, "kubectl describe node worker-1").stdout
    assert "Non-terminated Pods:          (2 in total)\n" in worker
    assert "  cpu                100m (5%)  100m (5%)\n" in worker


def test_nodes_are_born_before_the_player_arrives_with_their_start_up_events() -> None:
    s = session()
    nodes = ok(s, "kubectl get nodes").stdout
    assert nodes == (
        "NAME            STATUS   ROLES           AGE     VERSION\n"
        "control-plane   Ready    control-plane   5m      v1.32.0\n"
        "worker-1        Ready    <none>          4m30s   v1.32.0\n"
        "worker-2        Ready    <none>          4m29s   v1.32.0\n"
        "worker-3        Ready    <none>          4m28s   v1.32.0\n"
    )
    node = s.cluster.get("Node", "worker-1")
    assert [(e["reason"], e["source"]["component"]) for e in s.cluster.events(node)] == [
        ("Starting", "kubelet"),
        ("NodeAllocatableEnforced", "kubelet"),
        ("NodeHasSufficientMemory", "kubelet"),
        ("NodeHasNoDiskPressure", "kubelet"),
        ("NodeHasSufficientPID", "kubelet"),
        ("RegisteredNode", "node-controller"),
        ("NodeReady", "kubelet"),
    ]


def test_the_kubernetes_service_and_endpoints_come_back() -> None:
    c = Cluster(seed=1)
    ep = c.get("Endpoints", "kubernetes")
    assert ep["subsets"] == [
        {
            "addresses": [{"ip": "172.18.0.2"}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        }
    ]
    c.delete("Endpoints", "kubernetes")
    c.advance(10)
    assert c.get("Endpoints", "kubernetes")["subsets"] == ep["subsets"]
    c.delete("Service", "kubernetes")  # its Endpoints go with it
    assert c.get("Service", "kubernetes") is None and c.get("Endpoints", "kubernetes") is None
    c.advance(10)
    assert c.get("Service", "kubernetes")["spec"]["clusterIP"] == "10.96.0.1"
    assert c.get("Endpoints", "kubernetes")["subsets"] == ep["subsets"]
    s = session()
    text = ok(s, "kubectl describe svc kubernetes").stdout
    assert "Endpoints:                172.18.0.2:6443\n" in text


def test_every_namespace_gets_its_account_ca_bundle_and_name_label() -> None:
    s = session()
    ok(s, "kubectl create namespace team")
    assert _names(s.cluster, "ServiceAccount", "team") == ["default"]
    cm = s.cluster.get("ConfigMap", "kube-root-ca.crt", "team")
    assert cm["data"]["ca.crt"].startswith("-----BEGIN CERTIFICATE-----\n")
    assert cm["data"] == s.cluster.get("ConfigMap", "kube-root-ca.crt")["data"]
    ns = s.cluster.get("Namespace", "team")
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team"}
    ok(s, "kubectl delete sa default -n team")
    ok(s, "kubectl delete cm kube-root-ca.crt -n team")
    assert _names(s.cluster, "ServiceAccount", "team") == ["default"]
    assert _names(s.cluster, "ConfigMap", "team") == ["kube-root-ca.crt"]
    assert ok(s, "kubectl describe ns team").stdout == (
        "Name:         team\n"
        "Labels:       kubernetes.io/metadata.name=team\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n"
    )
    assert (
        ok(s, "kubectl get sa -n team").stdout
        == "NAME      SECRETS   AGE\ndefault   0         0s\n"
    )


def test_service_account_admission_mounts_the_api_access_volume() -> None:
    c = Cluster(seed=1)
    made = c.create(pod("web", container("web", "nginx:1.27"))).obj
    spec = made["spec"]
    assert spec["serviceAccountName"] == "default"
    volume = spec["volumes"][-1]
    assert volume["name"].startswith("kube-api-access-") and len(volume["name"]) == 21
    assert [next(iter(src)) for src in volume["projected"]["sources"]] == [
        "serviceAccountToken",
        "configMap",
        "downwardAPI",
    ]
    assert spec["containers"][0]["volumeMounts"] == [
        {
            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
            "name": volume["name"],
            "readOnly": True,
        }
    ]
    off = c.create(
        pod("quiet", container("quiet", "nginx:1.27"), automountServiceAccountToken=False)
    )
    assert "volumes" not in off.obj["spec"] or not off.obj["spec"]["volumes"]
    c.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "bot"},
            "automountServiceAccountToken": False,
        }
    )
    by_account = c.create(pod("bot", container("bot", "nginx:1.27"), serviceAccountName="bot"))
    assert not by_account.obj["spec"].get("volumes")
    try:
        c.create(pod("lost", container("lost", "nginx:1.27"), serviceAccountName="nobody"))
    except ApiError as exc:
        assert exc.code == 403
        assert exc.message == (
            'pods "lost" is forbidden: error looking up service account default/nobody: '
            'serviceaccount "nobody" not found'
        )
    else:
        raise AssertionError("a pod naming a missing ServiceAccount was admitted")


def test_describe_pod_shows_the_projected_volume() -> None:
    s = session()
    ok(s, "kubectl run web --image=nginx:1.27")
    text = ok(s, "kubectl describe pod web").stdout
    volume = s.cluster.get("Pod", "web")["spec"]["volumes"][0]["name"]
    assert (
        f"    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from {volume} (ro)\n"
    ) in text
    assert (
        f"Volumes:\n  {volume}:\n"
        "    Type:                    Projected (a volume that contains injected data from "
        "multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    ConfigMapOptional:       <nil>\n"
        "    DownwardAPI:             true\n"
    ) in text


def test_each_pod_reads_its_own_token_before_and_after_a_restore() -> None:
    s = session()
    ok(s, "kubectl run web --image=nginx:1.27")
    ok(s, "kubectl run api --image=nginx:1.27")
    ok(s, "sleep 20")
    path = "/var/run/secrets/kubernetes.io/serviceaccount/token"
    tokens = {name: ok(s, f"kubectl exec {name} -- cat {path}").stdout for name in ("web", "api")}
    assert tokens["web"] != tokens["api"]
    for token in tokens.values():
        parts = token.rstrip("\n").split(".")
        assert len(parts) == 3 and all(parts)
        assert all(set(p) <= set(string.ascii_letters + string.digits + "-_") for p in parts)
    assert ok(s, f"kubectl exec web -- cat {path}").stdout == tokens["web"]  # stable
    restored = Session(Cluster.restore(json.loads(s.cluster.snapshot_json())), VirtualFiles({}))
    for name, token in tokens.items():
        assert ok(restored, f"kubectl exec {name} -- cat {path}").stdout == token


def test_stopped_scheduler_leaves_pods_pending_without_events() -> None:
    s = session()
    assert ok(s, "sim stop-component scheduler").stdout == "scheduler stopped\n"
    assert s.cluster.get("Pod", "kube-scheduler-control-plane", "kube-system") is None
    ok(s, "kubectl run web --image=nginx:1.27")
    ok(s, "sleep 60")
    web = s.cluster.get("Pod", "web")
    assert web["status"]["phase"] == "Pending" and not s.cluster.events(web)
    ok(s, "sim start-component scheduler")
    ok(s, "sleep 10")
    assert s.cluster.get("Pod", "web")["status"]["phase"] == "Running"
    assert s.cluster.get("Pod", "kube-scheduler-control-plane", "kube-system") is not None
    again = s.run("sim start-component scheduler")
    assert (again.exit_code, again.stderr) == (1, "sim: scheduler is already running\n")


def test_stopped_controller_manager_replaces_nothing() -> None:
    c = Cluster(seed=1)
    c.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [container("web", "nginx:1.27")]},
                },
            },
        }
    )
    c.advance(20)
    c.stop_component("controller-manager")
    victim = next(p for p in c.list("Pod") if p["metadata"]["name"].startswith("web-"))
    c.delete("Pod", victim["metadata"]["name"], grace_period=0, force=True)
    c.advance(60)
    assert len([p for p in c.list("Pod") if p["metadata"]["name"].startswith("web-")]) == 1
    c.start_component("controller-manager")
    c.advance(10)
    assert len([p for p in c.list("Pod") if p["metadata"]["name"].startswith("web-")]) == 2


def test_etcd_or_api_server_down_fails_every_kubectl_command() -> None:
    s = session()
    ok(s, "sim stop-component etcd")
    down = s.run("kubectl get pods")
    assert (down.exit_code, down.stdout, down.stderr) == (
        1,
        "",
        "Error from server: etcdserver: request timed out\n",
    )
    ok(s, "sim start-component etcd")
    ok(s, "sim stop-component apiserver")
    refused = s.run("kubectl get nodes")
    assert refused.stderr == (
        "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
        "host or port?\n"
    )
    ok(s, "sim start-component apiserver")
    assert ok(s, "kubectl get pods").exit_code == 0
    bad = s.run("sim stop-component kubelet")
    assert bad.stderr == (
        'sim: unknown component "kubelet" (one of: apiserver, controller-manager, etcd, '
        "scheduler)\n"
    )


def test_events_expire_after_the_event_ttl() -> None:
    c = Cluster(seed=1)
    c.create(pod("web", container("web", "nginx:1.27")))
    c.advance(30)
    web = c.get("Pod", "web")
    assert next(e["reason"] for e in c.events(web)) == "Scheduled"
    node_events = len(c.events(c.get("Node", "worker-1")))
    assert node_events == 7
    c.advance(3600 - 30 - 1)
    assert c.events(web)[0]["reason"] == "Scheduled"  # 59m59s after it was written
    c.advance(2)
    assert c.events(web) and "Scheduled" not in [e["reason"] for e in c.events(web)]
    c.advance(10)
    assert c.events(web) == []
    assert c.events(c.get("Node", "worker-1")) == []
    assert c.ctx.store.count("Event") == 0
    # The determinism witness keeps every emission.
    assert any("Scheduled pod/web" in line for line in c.event_log())


def test_a_new_node_gets_daemon_pods_and_the_images_it_ships_with() -> None:
    c = Cluster(seed=1)
    c.add_node(NodeSpec(name="worker-4"))
    c.advance(10)
    on_4 = [p for p in c.list("Pod", "kube-system") if p["spec"].get("nodeName") == "worker-4"]
    assert sorted(p["metadata"]["name"].rsplit("-", 1)[0] for p in on_4) == [
        "kindnet",
        "kube-proxy",
    ]
    pulled = [e["message"] for p in on_4 for e in c.events(p) if e["reason"] == "Pulled"]
    assert all(m.endswith("already present on machine") for m in pulled) and pulled


def test_the_control_plane_pane_shows_stopped_components() -> None:
    from k8stui.tui.widgets.control_plane import control_plane_text

    c = Cluster(seed=1)
    c.stop_component("scheduler")
    c.stop_component("etcd")
    lines = control_plane_text(c, 1, 60).plain.splitlines()
    assert lines[1] == "scheduler   ✗ stopped"
    assert lines[-1] == "etcd        ✗ stopped"
    c.start_component("etcd")
    assert control_plane_text(c, 1, 60).plain.splitlines()[-1].startswith("etcd        rev ")


def test_a_snapshot_keeps_stopped_components_and_their_held_work() -> None:
    c = Cluster(seed=3)
    c.stop_component("scheduler")
    c.create(pod("web", container("web", "nginx:1.27")))
    c.advance(5)
    restored = Cluster.restore(json.loads(c.snapshot_json()))
    assert restored.snapshot_json() == c.snapshot_json()
    for cluster in (c, restored):
        cluster.start_component("scheduler")
        cluster.advance(10)
    assert restored.get("Pod", "web")["status"]["phase"] == "Running"
    assert restored.event_log() == c.event_log()
