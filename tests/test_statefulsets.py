"""StatefulSets: ordered pods with stable names, claims and network identities."""

from __future__ import annotations

from typing import Any

import pytest

from k8stui.engine import errors
from k8stui.engine.cluster import Cluster
from k8stui.engine.controllers.podutil import is_ready
from k8stui.engine.faults import Fault
from k8stui.engine.kubelet import volumes
from k8stui.kubectl.describe import describe
from k8stui.kubectl.live_view import LiveView
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import render_table
from tests.console_helpers import ok, session

Obj = dict[str, Any]


def stateful_set(name: str = "kubia", replicas: int = 2, claims: bool = True, **spec: Any) -> Obj:
    template_spec: Obj = {
        "containers": [
            {
                "name": "kubia",
                "image": "luksa/kubia",
                "ports": [{"name": "http", "containerPort": 8080}],
                "volumeMounts": [{"name": "data", "mountPath": "/var/data"}] if claims else [],
            }
        ]
    }
    body: Obj = {
        "serviceName": name,
        "replicas": replicas,
        "selector": {"matchLabels": {"app": name}},
        "template": {"metadata": {"labels": {"app": name}}, "spec": template_spec},
        **spec,
    }
    if claims:
        body["volumeClaimTemplates"] = [
            {
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Mi"}},
                },
            }
        ]
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name},
        "spec": body,
    }


def headless(name: str = "kubia") -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {
            "clusterIP": "None",
            "selector": {"app": name},
            "ports": [{"name": "http", "port": 80}],
        },
    }


def pod_names(cluster: Cluster) -> list[str]:
    return sorted(
        p["metadata"]["name"]
        for p in cluster.list("Pod")
        if p["metadata"]["name"].startswith("kubia-")
    )


def data_volume(pod: Obj) -> Obj:
    return next(v for v in pod["spec"]["volumes"] if v["name"] == "data")


def sts_log(cluster: Cluster, name: str = "kubia") -> list[str]:
    tag = f" statefulset/{name}: "
    return [line.split(tag, 1)[1] for line in cluster.event_log() if tag in line]


def test_ordered_ready_starts_each_pod_after_its_predecessor_is_ready() -> None:
    cluster = Cluster(seed=1)
    ready_at: dict[str, int] = {}
    created_at: dict[str, int] = {}

    def watch(kind: str, new: Obj | None, old: Obj | None) -> None:
        if new is None:
            return
        name = new["metadata"]["name"]
        if old is None:
            created_at[name] = cluster.now_ms
        if is_ready(new) and name not in ready_at:
            ready_at[name] = cluster.now_ms

    cluster.ctx.store.watch(watch, ("Pod",))
    cluster.create(headless())
    cluster.create(stateful_set(replicas=3))
    assert pod_names(cluster) == ["kubia-0"]
    cluster.advance(60)
    assert pod_names(cluster) == ["kubia-0", "kubia-1", "kubia-2"]
    assert created_at["kubia-1"] >= ready_at["kubia-0"]
    assert created_at["kubia-2"] >= ready_at["kubia-1"]
    assert sts_log(cluster)[:3] == [
        "create Claim data-kubia-0 Pod kubia-0 in StatefulSet kubia success",
        "create Pod kubia-0 in StatefulSet kubia successful",
        "create Claim data-kubia-1 Pod kubia-1 in StatefulSet kubia success",
    ]
    pod = cluster.get("Pod", "kubia-1")
    assert pod["spec"]["hostname"] == "kubia-1" and pod["spec"]["subdomain"] == "kubia"
    labels = pod["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "kubia-1"
    assert labels["apps.kubernetes.io/pod-index"] == "1"
    assert data_volume(pod) == {
        "name": "data",
        "persistentVolumeClaim": {"claimName": "data-kubia-1"},
    }
    lines = render_table(
        build_table("StatefulSet", cluster.list("StatefulSet"), LiveView(cluster))
    ).splitlines()
    assert lines == ["NAME    READY   AGE", "kubia   3/3     60s"]


def test_parallel_management_starts_every_pod_at_once() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=3, podManagementPolicy="Parallel"))
    assert pod_names(cluster) == ["kubia-0", "kubia-1", "kubia-2"]


def test_scale_down_removes_the_highest_ordinal_first_and_keeps_claims() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=3))
    cluster.advance(60)
    cluster.scale("StatefulSet", "kubia", 1)
    assert cluster.get("Pod", "kubia-2")["metadata"].get("deletionTimestamp")
    assert not cluster.get("Pod", "kubia-1")["metadata"].get("deletionTimestamp")
    cluster.advance(60)
    assert pod_names(cluster) == ["kubia-0"]
    deletes = [line for line in sts_log(cluster) if line.startswith("delete")]
    assert deletes == [
        "delete Pod kubia-2 in StatefulSet kubia successful",
        "delete Pod kubia-1 in StatefulSet kubia successful",
    ]
    claims = sorted(c["metadata"]["name"] for c in cluster.list("PersistentVolumeClaim"))
    assert claims == ["data-kubia-0", "data-kubia-1", "data-kubia-2"]
    cluster.scale("StatefulSet", "kubia", 2)
    cluster.advance(30)
    assert data_volume(cluster.get("Pod", "kubia-1"))["persistentVolumeClaim"] == {
        "claimName": "data-kubia-1"
    }


def test_retention_policy_deletes_claims_when_asked() -> None:
    cluster = Cluster(seed=1)
    policy = {"whenDeleted": "Delete", "whenScaled": "Delete"}
    cluster.create(stateful_set(replicas=2, persistentVolumeClaimRetentionPolicy=policy))
    cluster.advance(60)
    cluster.scale("StatefulSet", "kubia", 1)
    cluster.advance(60)
    assert [c["metadata"]["name"] for c in cluster.list("PersistentVolumeClaim")] == [
        "data-kubia-0"
    ]
    cluster.delete("StatefulSet", "kubia")
    cluster.advance(60)
    assert cluster.list("PersistentVolumeClaim") == []
    assert pod_names(cluster) == []


def test_deleting_the_set_deletes_its_pods_but_not_default_claims() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=2))
    cluster.advance(60)
    cluster.delete("StatefulSet", "kubia")
    cluster.advance(60)
    assert pod_names(cluster) == []
    assert len(cluster.list("PersistentVolumeClaim")) == 2


def test_a_recreated_pod_gets_the_same_claim_and_its_data() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=1))
    cluster.advance(30)
    pod = cluster.get("Pod", "kubia-0")
    runtime = cluster.kubelets.pod_runtime(pod)
    volumes.write_file(runtime, pod["spec"]["containers"][0], "/var/data/kubia.txt", "saved")
    cluster.delete("Pod", "kubia-0")
    cluster.advance(60)
    again = cluster.get("Pod", "kubia-0")
    assert again["metadata"]["uid"] != pod["metadata"]["uid"]
    assert again["spec"]["nodeName"] == pod["spec"]["nodeName"]  # pinned by its volume
    runtime = cluster.kubelets.pod_runtime(again)
    assert (
        volumes.read(runtime, again["spec"]["containers"][0], "/var/data/kubia.txt", cluster.now_ms)
        == "saved"
    )


def test_a_pod_on_a_dead_node_is_not_replaced_until_it_is_deleted() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=2, claims=False))
    cluster.advance(60)
    victim = cluster.get("Pod", "kubia-0")
    node = victim["spec"]["nodeName"]
    cluster.inject(Fault(kind="crash-node", target=node))
    cluster.advance(900)
    stuck = cluster.get("Pod", "kubia-0")
    assert stuck["metadata"]["uid"] == victim["metadata"]["uid"]
    assert stuck["metadata"].get("deletionTimestamp")  # evicted, but the kubelet is gone
    assert [
        p["metadata"]["name"] for p in cluster.list("Pod") if p["metadata"]["name"] == "kubia-0"
    ] == ["kubia-0"]
    cluster.delete("Pod", "kubia-0", grace_period=0, force=True)
    cluster.advance(30)
    replacement = cluster.get("Pod", "kubia-0")
    assert replacement["metadata"]["uid"] != victim["metadata"]["uid"]
    assert replacement["spec"]["nodeName"] != node


def test_rolling_update_respects_the_partition() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=3, claims=False))
    cluster.advance(60)
    live = cluster.get("StatefulSet", "kubia")
    spec = dict(live["spec"])
    spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}
    template = dict(spec["template"])
    template["spec"] = {
        **template["spec"],
        "containers": [{**template["spec"]["containers"][0], "image": "luksa/kubia:v2"}],
    }
    spec["template"] = template
    cluster.replace({**live, "spec": spec})
    cluster.advance(120)
    images = {
        p["metadata"]["name"]: p["spec"]["containers"][0]["image"]
        for p in cluster.list("Pod")
        if p["metadata"]["name"].startswith("kubia-")
    }
    assert images == {
        "kubia-0": "luksa/kubia",
        "kubia-1": "luksa/kubia:v2",
        "kubia-2": "luksa/kubia:v2",
    }
    status = cluster.get("StatefulSet", "kubia")["status"]
    assert status["updatedReplicas"] == 2 and status["currentReplicas"] == 1


def test_on_delete_waits_for_the_user() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=2, claims=False, updateStrategy={"type": "OnDelete"}))
    cluster.advance(60)
    live = cluster.get("StatefulSet", "kubia")
    template = live["spec"]["template"]
    new_template = {
        **template,
        "spec": {
            **template["spec"],
            "containers": [{**template["spec"]["containers"][0], "image": "luksa/kubia:v2"}],
        },
    }
    cluster.replace({**live, "spec": {**live["spec"], "template": new_template}})
    cluster.advance(60)
    assert cluster.get("Pod", "kubia-1")["spec"]["containers"][0]["image"] == "luksa/kubia"
    cluster.delete("Pod", "kubia-1")
    cluster.advance(60)
    assert cluster.get("Pod", "kubia-1")["spec"]["containers"][0]["image"] == "luksa/kubia:v2"


def test_each_pod_is_reachable_by_its_stable_name() -> None:
    cluster = Cluster(seed=1)
    cluster.create(headless())
    cluster.create(stateful_set(replicas=2, claims=False))
    cluster.advance(60)
    for name in ("kubia-0", "kubia-1"):
        answer = cluster.request(f"{name}.kubia.default.svc.cluster.local", 8080)
        assert answer.ok and answer.body == f"You've hit {name}\n"
    assert cluster.request("kubia-1.kubia", 8080).pod == "default/kubia-1"


def test_rollout_commands_for_a_statefulset() -> None:
    s = session()
    s.cluster.create(stateful_set(replicas=2, claims=False))
    assert ok(s, "kubectl rollout status sts/kubia").stdout.splitlines()[-1] == (
        "partitioned roll out complete: 2 new pods have been updated..."
    )
    ok(s, "kubectl rollout restart statefulset/kubia")
    ok(s, "kubectl rollout status sts/kubia")
    assert ok(s, "kubectl rollout history sts/kubia").stdout == (
        "statefulset.apps/kubia \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    )
    assert ok(s, "kubectl rollout undo sts/kubia").stdout == "statefulset.apps/kubia rolled back\n"
    ok(s, "kubectl rollout status sts/kubia")
    assert ok(s, "kubectl rollout history sts/kubia").stdout.splitlines()[2:4] == [
        "2         <none>",
        "3         <none>",
    ]
    assert ok(s, "kubectl scale sts kubia --replicas=3").stdout == "statefulset.apps/kubia scaled\n"


def test_describe_statefulset_shows_claims_and_strategy() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(replicas=1))
    cluster.advance(30)
    text = describe("StatefulSet", cluster.get("StatefulSet", "kubia"), LiveView(cluster))
    assert "Replicas:           1 desired | 1 total\n" in text
    assert "Update Strategy:    RollingUpdate\n  Partition:        0\n" in text
    assert "Pods Status:        1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in text
    assert "Volume Claims:\n  Name:          data\n  StorageClass:  \n" in text
    assert "  Capacity:      1Mi\n  Access Modes:  [ReadWriteOnce]\n" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"selector": None}, "spec.selector: Required value"),
        (
            {"podManagementPolicy": "Random"},
            'spec.podManagementPolicy: Unsupported value: "Random": supported values: '
            '"OrderedReady", "Parallel"',
        ),
        (
            {"updateStrategy": {"type": "Sometimes"}},
            'spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: '
            '"RollingUpdate", "OnDelete"',
        ),
    ],
)
def test_statefulset_validation_texts(change: Obj, message: str) -> None:
    manifest = stateful_set(claims=False)
    for key, value in change.items():
        if value is None:
            manifest["spec"].pop(key)
        else:
            manifest["spec"][key] = value
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(manifest)
    assert caught.value.message == f'The StatefulSet "kubia" is invalid: {message}'


def test_only_some_fields_of_a_statefulset_may_change() -> None:
    cluster = Cluster(seed=1)
    cluster.create(stateful_set(claims=False))
    with pytest.raises(errors.ApiError) as caught:
        cluster.patch("StatefulSet", "kubia", {"spec": {"serviceName": "other"}})
    assert caught.value.message == (
        'The StatefulSet "kubia" is invalid: spec: Forbidden: updates to statefulset spec for '
        "fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    )
