"""PersistentVolumes, claims and StorageClasses: binding, provisioning, scheduling, data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from k8stui.engine import errors
from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.engine.kubelet import volumes
from k8stui.kubectl.live_view import LiveView
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import render_table
from k8stui.manifests import load_documents

Obj = dict[str, Any]
CHAPTER06 = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "corpus"
    / "kubernetes-in-action"
    / "Chapter06"
)
needs_corpus = pytest.mark.skipif(not CHAPTER06.is_dir(), reason="../shared/corpus is absent")


def claim(name: str, size: str = "1Gi", **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}},
            **spec,
        },
    }


def volume(name: str, size: str = "1Gi", **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "capacity": {"storage": size},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": f"/tmp/{name}"},
            **spec,
        },
    }


def pod_with_claim(
    name: str, claim_name: str, command: list[str] | None = None, **spec: Any
) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "containers": [
                {
                    "name": "main",
                    "image": "busybox",
                    "command": command or ["sleep", "9999"],
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                }
            ],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}],
            **spec,
        },
    }


def table(cluster: Cluster, kind: str) -> list[str]:
    return render_table(build_table(kind, cluster.list(kind), LiveView(cluster))).splitlines()


def read(cluster: Cluster, pod_name: str, path: str) -> str | None:
    pod = cluster.get("Pod", pod_name)
    assert pod is not None
    runtime = cluster.kubelets.pod_runtime(pod)
    assert runtime is not None
    return volumes.read(runtime, pod["spec"]["containers"][0], path, cluster.now_ms)


def corpus(name: str) -> list[Obj]:
    return [d.obj for d in load_documents((CHAPTER06 / name).read_bytes(), name).documents]


def test_the_cluster_has_kinds_default_storage_class() -> None:
    cluster = Cluster(seed=1)
    assert table(cluster, "StorageClass") == [
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      "
        "ALLOWVOLUMEEXPANSION   AGE",
        "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   "
        "false                  4m55s",
    ]


@needs_corpus
def test_the_books_static_volume_binds_to_its_claim() -> None:
    cluster = Cluster(seed=1)
    for name in ("mongodb-pv-hostpath.yaml", "mongodb-pvc.yaml"):
        for obj in corpus(name):
            cluster.create(obj)
    cluster.advance(1)
    assert table(cluster, "PersistentVolumeClaim") == [
        "NAME          STATUS   VOLUME       CAPACITY   ACCESS MODES   STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   AGE",
        "mongodb-pvc   Bound    mongodb-pv   1Gi        RWO,ROX                       "
        "<unset>                 1s",
    ]
    assert table(cluster, "PersistentVolume")[1].split() == [
        "mongodb-pv",
        "1Gi",
        "RWO,ROX",
        "Retain",
        "Bound",
        "default/mongodb-pvc",
        "<unset>",
        "1s",
    ]
    cluster.delete("PersistentVolumeClaim", "mongodb-pvc")
    assert cluster.get("PersistentVolume", "mongodb-pv")["status"]["phase"] == "Released"


def test_a_claim_without_class_gets_the_default_and_waits_for_its_first_pod() -> None:
    cluster = Cluster(seed=1)
    stored = cluster.create(claim("data")).obj
    assert stored["spec"]["storageClassName"] == "standard"
    assert stored["status"] == {"phase": "Pending"}
    cluster.advance(30)
    assert cluster.get("PersistentVolumeClaim", "data")["status"]["phase"] == "Pending"
    events = [e["reason"] for e in cluster.events(cluster.get("PersistentVolumeClaim", "data"))]
    assert events == ["WaitForFirstConsumer"]
    cluster.create(pod_with_claim("app", "data"))
    bound = cluster.get("PersistentVolumeClaim", "data")
    node = cluster.get("Pod", "app")["spec"]["nodeName"]
    assert bound["status"]["phase"] == "Bound"
    assert bound["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
    pv = cluster.get("PersistentVolume", bound["spec"]["volumeName"])
    assert pv["metadata"]["name"] == f"pvc-{bound['metadata']['uid']}"
    terms = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
    assert terms == [
        {
            "matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}
            ]
        }
    ]
    assert [e["reason"] for e in cluster.events(bound)] == [
        "WaitForFirstConsumer",
        "ExternalProvisioning",
        "Provisioning",
        "ProvisioningSucceeded",
    ]


def test_an_unbound_immediate_claim_keeps_the_pod_pending() -> None:
    cluster = Cluster(seed=1)
    cluster.create(claim("none", storageClassName=""))
    cluster.create(pod_with_claim("app", "none"))
    pod = cluster.get("Pod", "app")
    assert pod["status"]["conditions"][0]["message"] == (
        "0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.."
    )
    reasons = [e["message"] for e in cluster.events(cluster.get("PersistentVolumeClaim", "none"))]
    assert reasons == ["no persistent volumes available for this claim and no storage class is set"]
    # A fitting volume appears: the claim binds and the pod is scheduled on the next try.
    cluster.create(volume("late", storageClassName=""))
    assert cluster.get("PersistentVolumeClaim", "none")["status"]["phase"] == "Bound"
    cluster.advance(310)
    assert cluster.get("Pod", "app")["spec"].get("nodeName")


def test_a_missing_claim_is_named_in_the_scheduling_message() -> None:
    cluster = Cluster(seed=1)
    cluster.create(pod_with_claim("app", "ghost"))
    assert cluster.get("Pod", "app")["status"]["conditions"][0]["message"] == (
        '0/4 nodes are available: persistentvolumeclaim "ghost" not found. '
        "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.."
    )


def test_a_pod_is_pinned_to_the_node_of_its_local_path_volume() -> None:
    cluster = Cluster(seed=1)
    cluster.create(claim("data"))
    cluster.create(pod_with_claim("first", "data"))
    node = cluster.get("Pod", "first")["spec"]["nodeName"]
    cluster.delete("Pod", "first", grace_period=0, force=True)
    for _ in range(3):
        cluster.create(pod_with_claim("again", "data"))
        assert cluster.get("Pod", "again")["spec"]["nodeName"] == node
        cluster.delete("Pod", "again", grace_period=0, force=True)
    # With that node cordoned the pod cannot go anywhere.
    node_obj = cluster.get("Node", node)
    cluster.replace({**node_obj, "spec": {**node_obj["spec"], "unschedulable": True}})
    cluster.create(pod_with_claim("stuck", "data"))
    message = cluster.get("Pod", "stuck")["status"]["conditions"][0]["message"]
    assert message == (
        "0/4 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable, "
        "2 node(s) had volume node affinity conflict. preemption: 0/4 nodes are available: "
        "4 Preemption is not helpful for scheduling.."
    )


def test_data_on_a_claim_outlives_the_pod_and_emptydir_data_does_not() -> None:
    cluster = Cluster(seed=1)
    cluster.create(claim("data"))
    cluster.create(
        pod_with_claim("writer", "data", ["sh", "-c", "echo kept > /data/note; sleep 9999"])
    )
    cluster.advance(10)
    assert read(cluster, "writer", "/data/note") == "kept\n"
    cluster.delete("Pod", "writer")
    cluster.advance(40)
    assert cluster.get("Pod", "writer") is None
    cluster.create(pod_with_claim("reader", "data"))
    cluster.advance(10)
    assert read(cluster, "reader", "/data/note") == "kept\n"
    # The same program with an emptyDir volume starts empty each time.
    scratch = pod_with_claim(
        "scratch", "unused", ["sh", "-c", "echo gone > /data/note; sleep 9999"]
    )
    scratch["spec"]["volumes"] = [{"name": "data", "emptyDir": {}}]
    cluster.create(scratch)
    cluster.advance(10)
    assert read(cluster, "scratch", "/data/note") == "gone\n"
    cluster.delete("Pod", "scratch", grace_period=0, force=True)
    empty = pod_with_claim("scratch", "unused")
    empty["spec"]["volumes"] = [{"name": "data", "emptyDir": {}}]
    cluster.create(empty)
    cluster.advance(10)
    assert read(cluster, "scratch", "/data/note") is None


def test_data_survives_a_node_reboot() -> None:
    cluster = Cluster(seed=1)
    cluster.create(claim("data"))
    cluster.create(
        pod_with_claim("writer", "data", ["sh", "-c", "echo kept > /data/note; sleep 9999"])
    )
    cluster.advance(10)
    node = cluster.get("Pod", "writer")["spec"]["nodeName"]
    runtime = cluster.kubelets.pod_runtime(cluster.get("Pod", "writer"))
    volumes.write_file(
        runtime, cluster.get("Pod", "writer")["spec"]["containers"][0], "/data/extra", "x"
    )
    cluster.inject(Fault(kind="crash-node", target=node))
    cluster.advance(20)
    cluster.inject(Fault(kind="recover-node", target=node))
    cluster.advance(60)
    assert read(cluster, "writer", "/data/extra") == "x"


def test_deleting_a_provisioned_claim_deletes_its_volume_and_data() -> None:
    cluster = Cluster(seed=1)
    cluster.create(claim("data"))
    cluster.create(
        pod_with_claim("writer", "data", ["sh", "-c", "echo old > /data/note; sleep 9999"])
    )
    cluster.advance(10)
    pv_name = cluster.get("PersistentVolumeClaim", "data")["spec"]["volumeName"]
    cluster.delete("Pod", "writer", grace_period=0, force=True)
    cluster.delete("PersistentVolumeClaim", "data")
    assert cluster.get("PersistentVolume", pv_name) is None
    cluster.create(claim("data"))
    cluster.create(pod_with_claim("reader", "data"))
    cluster.advance(10)
    assert read(cluster, "reader", "/data/note") is None


def test_retained_volume_keeps_its_data_but_is_not_bound_again() -> None:
    cluster = Cluster(seed=1)
    cluster.create(volume("keep", storageClassName="", persistentVolumeReclaimPolicy="Retain"))
    cluster.create(claim("first", storageClassName=""))
    assert cluster.get("PersistentVolumeClaim", "first")["spec"]["volumeName"] == "keep"
    cluster.delete("PersistentVolumeClaim", "first")
    assert cluster.get("PersistentVolume", "keep")["status"]["phase"] == "Released"
    cluster.create(claim("second", storageClassName=""))
    assert cluster.get("PersistentVolumeClaim", "second")["status"]["phase"] == "Pending"


def test_the_smallest_fitting_volume_is_chosen() -> None:
    cluster = Cluster(seed=1)
    for name, size in (("big", "10Gi"), ("small", "2Gi"), ("tiny", "500Mi")):
        cluster.create(volume(name, size, storageClassName=""))
    cluster.create(claim("want", "1Gi", storageClassName=""))
    assert cluster.get("PersistentVolumeClaim", "want")["spec"]["volumeName"] == "small"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            {**volume("v"), "spec": {"accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/x"}}},
            'The PersistentVolume "v" is invalid: spec.capacity: Required value',
        ),
        (
            {
                **volume("v"),
                "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]},
            },
            'The PersistentVolume "v" is invalid: spec: Required value: must specify a volume type',
        ),
        (
            volume("v", local={"path": "/mnt/disk"}, hostPath=None),
            'The PersistentVolume "v" is invalid: spec.nodeAffinity: Required value: '
            "Local volume requires node affinity",
        ),
        (
            claim("c", accessModes=[]),
            'The PersistentVolumeClaim "c" is invalid: spec.accessModes: Required value: '
            "at least 1 access mode is required",
        ),
        (
            claim("c", accessModes=["ReadWriteSometimes"]),
            'The PersistentVolumeClaim "c" is invalid: spec.accessModes: Unsupported value: '
            '"ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", '
            '"ReadWriteOnce", "ReadWriteOncePod"',
        ),
        (
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": "c"},
                "spec": {"accessModes": ["ReadWriteOnce"]},
            },
            'The PersistentVolumeClaim "c" is invalid: spec.resources[storage]: Required value',
        ),
        (
            {
                "apiVersion": "storage.k8s.io/v1",
                "kind": "StorageClass",
                "metadata": {"name": "s"},
                "provisioner": "x",
                "volumeBindingMode": "Later",
            },
            'The StorageClass "s" is invalid: volumeBindingMode: Unsupported value: "Later": '
            'supported values: "Immediate", "WaitForFirstConsumer"',
        ),
    ],
)
def test_storage_validation_texts(manifest: Obj, message: str) -> None:
    spec = manifest.get("spec")
    if isinstance(spec, dict):
        manifest = {**manifest, "spec": {k: v for k, v in spec.items() if v is not None}}
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(manifest)
    assert caught.value.message == message


@needs_corpus
def test_the_books_dynamic_provisioning_with_minikubes_hostpath_class() -> None:
    cluster = Cluster(seed=1)
    for file in ("storageclass-fast-hostpath.yaml", "mongodb-pvc-dp.yaml"):
        for obj in corpus(file):
            cluster.create(obj)
    got = cluster.get("PersistentVolumeClaim", "mongodb-pvc")
    assert got["spec"]["storageClassName"] == "fast"
    assert got["status"]["phase"] == "Bound"  # Immediate binding: provisioned at once
    pv = cluster.get("PersistentVolume", got["spec"]["volumeName"])
    assert pv["spec"]["hostPath"]["path"] == "/tmp/hostpath-provisioner/default/mongodb-pvc"


def test_a_pod_waiting_for_its_claim_is_scheduled_as_soon_as_a_volume_appears() -> None:
    """VolumeBinding's events: a new volume moves the waiting pod back to the queue at once."""
    c = Cluster(seed=1)
    c.create(claim("late", storageClassName=""))
    c.create(pod_with_claim("waiter", "late"))
    c.advance(20)
    waiting = c.get("Pod", "waiter")
    assert waiting["status"]["conditions"][0]["message"].startswith(
        "0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims."
    )
    c.create(volume("disk"))
    created_at = c.now
    assert c.run_until(lambda cl: cl.get("Pod", "waiter")["status"]["phase"] == "Running", 600)
    assert c.now - created_at < 10
