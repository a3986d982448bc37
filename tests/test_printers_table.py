"""``kubectl get`` tables: server-side columns per kind and kubectl's tabwriter rendering."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.clock import to_timestamp
from k8stui.kubectl.printers import build_table, format_endpoints
from k8stui.kubectl.table import ColumnDefinition, Table, TableRow, render_table

S = 1000


class View:
    """A minimal ClusterView: tables only need the clock."""

    def __init__(self, now_ms: int) -> None:
        self._now = now_ms

    @property
    def now_ms(self) -> int:
        return self._now

    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        return None

    def list(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        return []

    def events_for(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        return []


def meta(name: str, created_s: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "namespace": "default",
        "creationTimestamp": to_timestamp(created_s * S),
        **extra,
    }


def run_pod(name: str, ip: str, node: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "kind": "Pod",
        "metadata": meta(name, labels=labels or {}),
        "spec": {"containers": [{"name": "kubia"}], "nodeName": node},
        "status": {
            "phase": "Running",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "containerStatuses": [
                {"name": "kubia", "ready": True, "restartCount": 0, "state": {"running": {}}}
            ],
        },
    }


def get(kind: str, objects: list[dict[str, Any]], now_s: int = 600, **flags: bool) -> str:
    return render_table(build_table(kind, objects, View(now_s * S)), **flags)


# --- table mechanics ---------------------------------------------------------------------------


def _table() -> Table:
    columns = [
        ColumnDefinition("Name"),
        ColumnDefinition("Ab"),
        ColumnDefinition("Extra", priority=1),
    ]
    rows = [
        TableRow(
            ["a-long-name", "1", "x"],
            {"metadata": {"namespace": "ns1", "labels": {"b": "2", "a": "1"}}},
        ),
        TableRow(["b", "22", "y"], {"metadata": {"namespace": "ns2"}}),
    ]
    return Table(columns, rows)


def test_column_width_is_widest_cell_plus_three_and_last_column_unpadded() -> None:
    assert render_table(_table()) == "NAME          AB\na-long-name   1\nb             22\n"


def test_minimum_column_width_is_six() -> None:
    # tabwriter minwidth 6: a column of 1-character cells is still 6 wide.
    table = Table([ColumnDefinition("A"), ColumnDefinition("B")], [TableRow(["1", "2"], {})])
    assert render_table(table, no_headers=True) == "1     2\n"


def test_wide_shows_priority_columns() -> None:
    assert (
        render_table(_table(), wide=True)
        == "NAME          AB    EXTRA\na-long-name   1     x\nb             22    y\n"
    )


def test_show_labels_and_all_namespaces() -> None:
    assert render_table(_table(), show_labels=True, all_namespaces=True) == (
        "NAMESPACE   NAME          AB    LABELS\n"
        "ns1         a-long-name   1     a=1,b=2\n"
        "ns2         b             22    <none>\n"
    )


def test_no_headers_and_empty_table() -> None:
    assert render_table(_table(), no_headers=True) == "a-long-name   1\nb             22\n"
    assert render_table(Table([ColumnDefinition("Name")], [])) == ""


def test_cells_are_cut_at_newlines() -> None:
    table = Table(
        [ColumnDefinition("Name"), ColumnDefinition("Message")], [TableRow(["e", "one\ntwo"], {})]
    )
    assert render_table(table) == "NAME   MESSAGE\ne      one...\n"


# --- per kind ----------------------------------------------------------------------------------


def test_get_pods_and_wide() -> None:
    pods = [
        run_pod("kubia-5k788", "10.244.1.5", "node01"),
        run_pod("kubia-7qcm2", "10.244.2.4", "node02"),
    ]
    assert get("Pod", pods) == (
        "NAME          READY   STATUS    RESTARTS   AGE\n"
        "kubia-5k788   1/1     Running   0          10m\n"
        "kubia-7qcm2   1/1     Running   0          10m\n"
    )
    assert get("Pod", pods, wide=True) == (
        "NAME          READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
        "kubia-5k788   1/1     Running   0          10m   10.244.1.5   node01   <none>           <none>\n"
        "kubia-7qcm2   1/1     Running   0          10m   10.244.2.4   node02   <none>           <none>\n"
    )


def test_get_pods_all_namespaces_with_labels() -> None:
    pods = [run_pod("kubia-5k788", "10.244.1.5", "node01", {"app": "kubia", "rel": "beta"})]
    assert get("Pod", pods, all_namespaces=True, show_labels=True) == (
        "NAMESPACE   NAME          READY   STATUS    RESTARTS   AGE   LABELS\n"
        "default     kubia-5k788   1/1     Running   0          10m   app=kubia,rel=beta\n"
    )


def test_pod_ip_column_survives_a_damaged_pod_ips_field() -> None:
    damaged = run_pod("a", "10.244.1.5", "node01")
    damaged["status"]["podIPs"] = True  # as a hand-edited snapshot may restore it
    odd = run_pod("b", "10.244.1.6", "node01")
    odd["status"]["podIPs"] = ["10.244.1.6"]
    lines = get("Pod", [damaged, odd], wide=True).splitlines()
    assert lines[1].split()[5] == "10.244.1.5"  # falls back to podIP
    assert lines[2].split()[5:7] == ["<none>", "node01"]  # an entry without "ip"


def test_pending_pod_wide_shows_none() -> None:
    pending = {
        "kind": "Pod",
        "metadata": meta("p"),
        "spec": {"containers": [{"name": "c"}]},
        "status": {"phase": "Pending"},
    }
    assert get("Pod", [pending], wide=True).splitlines()[1] == (
        "p      0/1     Pending   0          10m   <none>   <none>   <none>           <none>"
    )


def node(
    name: str, ready: str | None, unschedulable: bool = False, role: bool = False
) -> dict[str, Any]:
    labels = {"node-role.kubernetes.io/control-plane": ""} if role else {}
    conditions = [{"type": "Ready", "status": ready}] if ready else []
    return {
        "kind": "Node",
        "metadata": {"name": name, "creationTimestamp": to_timestamp(0), "labels": labels},
        "spec": {"unschedulable": unschedulable},
        "status": {
            "conditions": conditions,
            "addresses": [{"type": "InternalIP", "address": "172.30.1.2"}],
            "nodeInfo": {
                "kubeletVersion": "v1.32.0",
                "osImage": "Ubuntu 22.04.5 LTS",
                "kernelVersion": "5.15.0-122-generic",
                "containerRuntimeVersion": "containerd://1.7.22",
            },
        },
    }


def test_get_nodes_statuses_and_roles() -> None:
    nodes = [
        node("controlplane", "True", role=True),
        node("node01", "False"),
        node("node02", "Unknown", unschedulable=True),
        node("node03", None),
    ]
    assert get("Node", nodes, now_s=86400 * 3) == (
        "NAME           STATUS                        ROLES           AGE   VERSION\n"
        "controlplane   Ready                         control-plane   3d    v1.32.0\n"
        "node01         NotReady                      <none>          3d    v1.32.0\n"
        "node02         NotReady,SchedulingDisabled   <none>          3d    v1.32.0\n"
        "node03         Unknown                       <none>          3d    v1.32.0\n"
    )
    wide = get("Node", nodes[:1], wide=True, all_namespaces=True)  # nodes never get NAMESPACE
    assert wide == (
        "NAME           STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME\n"
        "controlplane   Ready    control-plane   10m   v1.32.0   172.30.1.2    <none>        Ubuntu 22.04.5 LTS   5.15.0-122-generic   containerd://1.7.22\n"
    )


def template(*images: str) -> dict[str, Any]:
    return {
        "spec": {
            "containers": [{"name": f"c{i}", "image": image} for i, image in enumerate(images)]
        }
    }


def test_get_rc_rs_deploy() -> None:
    rc = {
        "kind": "ReplicationController",
        "metadata": meta("kubia"),
        "spec": {"replicas": 3, "selector": {"app": "kubia"}, "template": template("luksa/kubia")},
        "status": {"replicas": 3, "readyReplicas": 2},
    }
    assert get("ReplicationController", [rc], wide=True) == (
        "NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES        SELECTOR\n"
        "kubia   3         3         2       10m   c0           luksa/kubia   app=kubia\n"
    )
    selector = {
        "matchLabels": {"app": "kubia"},
        "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}],
    }
    rs = {
        "kind": "ReplicaSet",
        "metadata": meta("kubia-6b4f9d8c7f"),
        "spec": {"replicas": 2, "selector": selector, "template": template("a", "b")},
        "status": {},
    }
    assert get("ReplicaSet", [rs], wide=True).splitlines()[1] == (
        "kubia-6b4f9d8c7f   2         0         0       10m   c0,c1        a,b      app=kubia,env in (dev,prod)"
    )
    deploy = {
        "kind": "Deployment",
        "metadata": meta("kubia"),
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "kubia"}},
            "template": template("luksa/kubia:v2"),
        },
        "status": {"replicas": 3, "updatedReplicas": 1, "readyReplicas": 2, "availableReplicas": 2},
    }
    assert get("Deployment", [deploy], wide=True) == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES           SELECTOR\n"
        "kubia   2/3     1            2           10m   c0           luksa/kubia:v2   app=kubia\n"
    )


def test_get_services() -> None:
    def svc(name: str, kind: str, ports: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
        return {
            "kind": "Service",
            "metadata": meta(name),
            "spec": {
                "type": kind,
                "clusterIPs": ["10.96.0.1" if name == "kubernetes" else "10.96.141.22"],
                "ports": ports,
                **spec,
            },
            "status": {"loadBalancer": {}},
        }

    services = [
        svc("kubernetes", "ClusterIP", [{"port": 443, "protocol": "TCP"}]),
        svc(
            "kubia-np",
            "NodePort",
            [
                {"port": 80, "nodePort": 30123, "protocol": "TCP"},
                {"port": 443, "nodePort": 30443, "protocol": "TCP"},
            ],
            selector={"app": "kubia"},
        ),
        svc("kubia-lb", "LoadBalancer", [{"port": 80, "nodePort": 31234, "protocol": "TCP"}]),
    ]
    assert get("Service", services, wide=True) == (
        "NAME         TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)                      AGE   SELECTOR\n"
        "kubernetes   ClusterIP      10.96.0.1      <none>        443/TCP                      10m   <none>\n"
        "kubia-np     NodePort       10.96.141.22   <none>        80:30123/TCP,443:30443/TCP   10m   app=kubia\n"
        "kubia-lb     LoadBalancer   10.96.141.22   <pending>     80:31234/TCP                 10m   <none>\n"
    )


def endpoints(
    ready: list[str], not_ready: list[str] | None = None, subsets: bool = True
) -> dict[str, Any]:
    subset = {
        "addresses": [{"ip": ip} for ip in ready],
        "notReadyAddresses": [{"ip": ip} for ip in not_ready or []],
        "ports": [{"port": 8080}],
    }
    return {"kind": "Endpoints", "metadata": meta("kubia"), "subsets": [subset] if subsets else []}


def test_endpoints_cells() -> None:
    assert (
        format_endpoints(endpoints(["10.244.1.5", "10.244.2.4"]))
        == "10.244.1.5:8080,10.244.2.4:8080"
    )
    four = endpoints(["10.244.1.5", "10.244.1.6", "10.244.2.4", "10.244.2.5"])
    assert format_endpoints(four) == "10.244.1.5:8080,10.244.1.6:8080,10.244.2.4:8080 + 1 more..."
    assert format_endpoints(endpoints([], subsets=False)) == "<none>"
    assert format_endpoints(endpoints([], ["10.244.1.5"])) == ""
    assert get("Endpoints", [four]) == (
        "NAME    ENDPOINTS                                                     AGE\n"
        "kubia   10.244.1.5:8080,10.244.1.6:8080,10.244.2.4:8080 + 1 more...   10m\n"
    )


def test_get_events_and_wide_order() -> None:
    event = {
        "kind": "Event",
        "metadata": {"name": "kubia-5k788.17c1e3f0a1b2c3d4", "namespace": "default"},
        "involvedObject": {
            "kind": "Pod",
            "name": "kubia-5k788",
            "fieldPath": "spec.containers{kubia}",
        },
        "reason": "Pulled",
        "message": 'Container image "luksa/kubia" already present on machine',
        "type": "Normal",
        "source": {"component": "kubelet", "host": "node01"},
        "firstTimestamp": to_timestamp(0),
        "lastTimestamp": to_timestamp(300 * S),
        "count": 3,
    }
    assert get("Event", [event]) == (
        "LAST SEEN   TYPE     REASON   OBJECT            MESSAGE\n"
        '5m          Normal   Pulled   pod/kubia-5k788   Container image "luksa/kubia" already present on machine\n'
    )
    assert get("Event", [event], wide=True) == (
        "LAST SEEN   TYPE     REASON   OBJECT            SUBOBJECT                SOURCE            MESSAGE                                                    FIRST SEEN   COUNT   NAME\n"
        '5m          Normal   Pulled   pod/kubia-5k788   spec.containers{kubia}   kubelet, node01   Container image "luksa/kubia" already present on machine   10m          3       kubia-5k788.17c1e3f0a1b2c3d4\n'
    )
    singleton = {
        **event,
        "count": None,
        "lastTimestamp": None,
        "source": {"component": "default-scheduler"},
    }
    assert get("Event", [singleton], wide=True).splitlines()[1].split()[-2:] == [
        "1",
        "kubia-5k788.17c1e3f0a1b2c3d4",
    ]


def test_namespaces_and_generic_fallback() -> None:
    ns = {
        "kind": "Namespace",
        "metadata": {"name": "default", "creationTimestamp": to_timestamp(0)},
        "status": {"phase": "Active"},
    }
    assert (
        get("Namespace", [ns], all_namespaces=True)
        == "NAME      STATUS   AGE\ndefault   Active   10m\n"
    )
    cm = {"kind": "ConfigMap", "metadata": meta("settings")}
    assert get("ConfigMap", [cm]) == "NAME       DATA   AGE\nsettings   0      10m\n"
    template = {"kind": "PodTemplate", "metadata": meta("settings")}
    assert get("PodTemplate", [template]) == "NAME       AGE\nsettings   10m\n"


# --- robustness --------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
_state = st.fixed_dictionaries(
    {},
    optional={
        "running": st.just({}) | _json,
        "waiting": st.fixed_dictionaries(
            {}, optional={"reason": st.sampled_from(["", "CrashLoopBackOff"])}
        ),
        "terminated": st.fixed_dictionaries(
            {},
            optional={
                "exitCode": st.integers(0, 255),
                "reason": st.sampled_from(["", "Error"]),
                "signal": st.integers(0, 9),
            },
        ),
    },
)
_status = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["a", "b"]),
        "ready": st.booleans(),
        "started": st.booleans(),
        "restartCount": st.integers(0, 9),
        "state": _state,
        "lastState": st.fixed_dictionaries(
            {},
            optional={
                "terminated": st.fixed_dictionaries(
                    {}, optional={"finishedAt": st.sampled_from([to_timestamp(0), "", "garbage"])}
                )
            },
        ),
    },
)
_pod = st.fixed_dictionaries(
    {},
    optional={
        "metadata": st.fixed_dictionaries(
            {},
            optional={
                "name": st.text(max_size=5),
                "creationTimestamp": st.sampled_from([to_timestamp(0), "", "nonsense"]),
                "deletionTimestamp": st.sampled_from([to_timestamp(1), None]),
                "labels": st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
            },
        ),
        "spec": st.fixed_dictionaries(
            {},
            optional={
                "containers": st.lists(
                    st.fixed_dictionaries({"name": st.sampled_from(["a", "b"])}), max_size=2
                ),
                "initContainers": st.lists(
                    st.fixed_dictionaries(
                        {"name": st.sampled_from(["a", "b"])},
                        optional={"restartPolicy": st.just("Always")},
                    ),
                    max_size=2,
                ),
                "readinessGates": st.lists(
                    st.fixed_dictionaries({"conditionType": st.text(max_size=3)}), max_size=2
                ),
                "nodeName": st.text(max_size=3),
            },
        ),
        "status": st.fixed_dictionaries(
            {},
            optional={
                "phase": st.sampled_from(["Running", "Pending", "Succeeded", "Failed", ""]),
                "reason": st.sampled_from(["NodeLost", "Evicted", ""]),
                "containerStatuses": st.lists(_status, max_size=3),
                "initContainerStatuses": st.lists(_status, max_size=2),
                "conditions": st.lists(
                    st.fixed_dictionaries(
                        {
                            "type": st.sampled_from(["Ready", "Initialized", "PodScheduled"]),
                            "status": st.sampled_from(["True", "False"]),
                        }
                    ),
                    max_size=3,
                ),
                "podIPs": st.lists(st.fixed_dictionaries({"ip": st.text(max_size=3)}), max_size=2),
            },
        ),
    },
)


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(_pod, max_size=4))
def test_pod_tables_never_raise(pods: list[dict[str, Any]]) -> None:
    table = build_table("Pod", pods, View(10 * S))
    for flags in (
        {},
        {"wide": True, "show_labels": True, "all_namespaces": True},
        {"no_headers": True},
    ):
        text = render_table(table, **flags)
        assert text.count("\n") == (len(pods) + (0 if flags.get("no_headers") or not pods else 1))


_FIELDS = [
    "replicas",
    "selector",
    "template",
    "ports",
    "type",
    "clusterIPs",
    "conditions",
    "addresses",
    "nodeInfo",
    "unschedulable",
    "labels",
    "name",
    "creationTimestamp",
    "readyReplicas",
    "loadBalancer",
    "phase",
    "holderIdentity",
]


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.sampled_from(
        [
            "Node",
            "ReplicationController",
            "ReplicaSet",
            "Deployment",
            "Service",
            "Endpoints",
            "Event",
            "Namespace",
            "Lease",
        ]
    ),
    st.lists(
        st.dictionaries(
            st.sampled_from(["metadata", "spec", "status", "involvedObject", "source"]),
            st.none() | st.dictionaries(st.sampled_from(_FIELDS), st.none()),
            max_size=4,
        ),
        max_size=3,
    ),
)
def test_other_tables_never_raise_on_missing_fields(
    kind: str, objects: list[dict[str, Any]]
) -> None:
    render_table(build_table(kind, objects, View(0)), wide=True, show_labels=True)
    render_table(build_table(kind, [{**o, "subsets": None} for o in objects], View(0)), wide=True)
