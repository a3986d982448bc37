"""In-use protection of claims and volumes: the ``kubernetes.io/pvc-protection`` and
``kubernetes.io/pv-protection`` finalizers (upstream StorageObjectInUseProtection admission
and the pvc-protection / pv-protection controllers)."""

from __future__ import annotations

from typing import Any

from console_helpers import ok, session

from k8stui.engine.clock import to_timestamp
from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.kubectl.live_view import LiveView
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import render_table

Obj = dict[str, Any]
PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"


def claim(name: str = "data", **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **spec,
        },
    }


def static_volume(name: str = "disk", **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": f"/tmp/{name}"},
            **spec,
        },
    }


def pod(name: str = "db", claim_name: str = "data", command: list[str] | None = None) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "restartPolicy": "Never",
            "containers": [
                {
                    "name": "main",
                    "image": "busybox",
                    "command": command or ["sleep", "9999"],
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                }
            ],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}],
        },
    }


def running_claim(c: Cluster) -> str:
    """A provisioned claim ``data`` mounted by the running pod ``db``; returns the PV name."""
    c.create(claim())
    c.create(pod())
    assert c.run_until(
        lambda cl: (cl.get("Pod", "db") or {}).get("status", {}).get("phase") == "Running", 60
    )
    return str(c.get("PersistentVolumeClaim", "data")["spec"]["volumeName"])


def status_column(c: Cluster, kind: str) -> list[str]:
    lines = render_table(build_table(kind, c.list(kind), LiveView(c))).splitlines()
    return [
        line.split()[1] if kind == "PersistentVolumeClaim" else line.split()[4]
        for line in lines[1:]
    ]


def test_admission_puts_the_protection_finalizer_on_new_claims_and_volumes() -> None:
    c = Cluster(seed=1)
    made = c.create(claim("mine", storageClassName="")).obj
    assert made["metadata"]["finalizers"] == [PVC_PROTECTION]
    given = static_volume()
    given["metadata"]["finalizers"] = ["example.com/keep"]
    assert c.create(given).obj["metadata"]["finalizers"] == ["example.com/keep", PV_PROTECTION]
    dry = c.create(claim("dry"), dry_run=True).obj
    assert dry["metadata"]["finalizers"] == [PVC_PROTECTION]
    provisioned = c.get("PersistentVolume", running_claim(c))
    assert provisioned is not None
    assert provisioned["metadata"]["finalizers"] == [PV_PROTECTION]


def test_a_claim_in_use_stays_terminating_until_its_last_pod_is_gone() -> None:
    c = Cluster(seed=1)
    volume_name = running_claim(c)
    deleted_at = to_timestamp(c.now_ms)
    c.delete("PersistentVolumeClaim", "data")
    c.advance(30)
    live = c.get("PersistentVolumeClaim", "data")
    assert live is not None and live["metadata"]["deletionTimestamp"] == deleted_at
    assert live["metadata"]["deletionGracePeriodSeconds"] == 0
    assert status_column(c, "PersistentVolumeClaim") == ["Terminating"]
    assert c.get("Pod", "db")["status"]["phase"] == "Running"  # the pod keeps its volume
    c.delete("Pod", "db")
    assert c.get("PersistentVolumeClaim", "data") is not None  # still terminating: grace
    assert c.run_until(lambda cl: cl.get("PersistentVolumeClaim", "data") is None, 60)
    assert c.get("Pod", "db") is None
    # The provisioned volume (reclaim policy Delete) goes with its claim.
    assert c.run_until(lambda cl: cl.get("PersistentVolume", volume_name) is None, 5)


def test_a_claim_nobody_uses_goes_at_once() -> None:
    c = Cluster(seed=1)
    c.create(claim(storageClassName=""))
    c.delete("PersistentVolumeClaim", "data")
    c.step()
    assert c.get("PersistentVolumeClaim", "data") is None


def test_a_completed_pod_still_holds_its_claim() -> None:
    """Upstream counts a pod as shut down only once it is deleted, not when it succeeded."""
    c = Cluster(seed=1)
    c.create(claim())
    c.create(pod(command=["sh", "-c", "exit 0"]))
    assert c.run_until(
        lambda cl: (cl.get("Pod", "db") or {}).get("status", {}).get("phase") == "Succeeded", 60
    )
    c.delete("PersistentVolumeClaim", "data")
    c.advance(60)
    assert c.get("PersistentVolumeClaim", "data") is not None
    c.delete("Pod", "db")  # a finished pod is removed at once
    c.step()
    assert c.get("PersistentVolumeClaim", "data") is None


def test_a_new_pod_cannot_use_a_terminating_claim() -> None:
    c = Cluster(seed=1)
    running_claim(c)
    c.delete("PersistentVolumeClaim", "data")
    c.create(pod("late"))
    c.advance(5)
    late = c.get("Pod", "late")
    assert late["status"]["phase"] == "Pending"
    assert late["status"]["conditions"][0]["message"] == (
        '0/4 nodes are available: persistentvolumeclaim "data" is being deleted. preemption: '
        "0/4 nodes are available: 4 Preemption is not helpful for scheduling.."
    )


def test_a_bound_volume_stays_until_its_claim_releases_it() -> None:
    c = Cluster(seed=1)
    c.create(static_volume())
    c.create(claim(storageClassName=""))
    assert c.run_until(
        lambda cl: (
            (cl.get("PersistentVolume", "disk") or {}).get("status", {}).get("phase") == "Bound"
        ),
        10,
    )
    c.delete("PersistentVolume", "disk")
    c.advance(30)
    live = c.get("PersistentVolume", "disk")
    assert live is not None and live["metadata"].get("deletionTimestamp")
    assert status_column(c, "PersistentVolume") == ["Terminating"]
    c.delete("PersistentVolumeClaim", "data")  # unused: goes at once, releasing the volume
    assert c.run_until(lambda cl: cl.get("PersistentVolume", "disk") is None, 5)


def test_a_released_volume_kept_by_retain_can_still_be_deleted() -> None:
    c = Cluster(seed=1)
    c.create(static_volume())
    c.create(claim(storageClassName=""))
    c.advance(5)
    c.delete("PersistentVolumeClaim", "data")
    c.advance(5)
    assert c.get("PersistentVolume", "disk")["status"]["phase"] == "Released"
    c.delete("PersistentVolume", "disk")
    c.step()
    assert c.get("PersistentVolume", "disk") is None


def test_kubectl_sees_terminating_and_removing_the_finalizer_by_hand_finishes_it() -> None:
    s = session()
    s.cluster.create(claim())
    s.cluster.create(pod())
    ok(s, "sleep 20")
    ok(s, "kubectl delete pvc data --wait=false")
    described = ok(s, "kubectl describe pvc data").stdout
    assert "Status:        Terminating (lasts 0s)\n" in described
    assert f"Finalizers:    [{PVC_PROTECTION}]\n" in described
    assert "Used By:       db\n" in described
    # A client that leaves deletionTimestamp out cannot undo the deletion.
    assert ok(s, "kubectl label pvc data tier=db").stdout == (
        "persistentvolumeclaim/data labeled\n"
    )
    stamp = ok(s, "kubectl get pvc data -o jsonpath={.metadata.deletionTimestamp}").stdout
    assert stamp.strip() == "2025-01-01T00:00:20Z"
    patched = ok(s, 'kubectl patch pvc data --type=merge -p \'{"metadata":{"finalizers":null}}\'')
    assert patched.stdout == "persistentvolumeclaim/data patched\n"
    assert s.run("kubectl get pvc data").stderr == (
        'Error from server (NotFound): persistentvolumeclaims "data" not found\n'
    )


def test_protection_survives_a_snapshot_and_a_node_crash() -> None:
    c = Cluster(seed=1)
    running_claim(c)
    c.delete("PersistentVolumeClaim", "data")
    restored = Cluster.restore(c.snapshot())
    node = restored.get("Pod", "db")["spec"]["nodeName"]
    restored.inject(Fault(kind="crash-node", target=node))
    restored.advance(60)
    assert restored.get("PersistentVolumeClaim", "data") is not None
    restored.delete("Pod", "db", grace_period=0, force=True)
    restored.step()
    assert restored.get("PersistentVolumeClaim", "data") is None


def test_a_stateful_set_makes_a_deleted_claim_again_for_its_pending_pod() -> None:
    """Upstream ``createMissingPersistentVolumeClaims``: the claim deleted under ``db-0`` is
    kept until the pod is gone, then made again for the replacement, which then runs."""
    c = Cluster(seed=1)
    c.create(
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "serviceName": "db",
                "replicas": 1,
                "selector": {"matchLabels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {"containers": [{"name": "db", "image": "luksa/kubia"}]},
                },
                "volumeClaimTemplates": [
                    {"metadata": {"name": "data"}, "spec": claim()["spec"]},
                ],
            },
        }
    )
    assert c.run_until(
        lambda cl: (cl.get("Pod", "db-0") or {}).get("status", {}).get("phase") == "Running", 60
    )
    first_pod = c.get("Pod", "db-0")["metadata"]["uid"]
    first_claim = c.get("PersistentVolumeClaim", "data-db-0")["metadata"]["uid"]
    c.delete("PersistentVolumeClaim", "data-db-0")
    c.delete("Pod", "db-0")

    def replaced(cl: Cluster) -> bool:
        pod = cl.get("Pod", "db-0") or {"metadata": {}, "status": {}}
        return pod["metadata"].get("uid") not in (None, first_pod) and (
            pod["status"].get("phase") == "Running"
        )

    deleted_at = c.now
    assert c.run_until(replaced, 900)
    # The new claim wakes the scheduler at once (not its five-minute retry of waiting pods).
    assert c.now - deleted_at < 90
    again = c.get("PersistentVolumeClaim", "data-db-0")
    assert again["metadata"]["uid"] != first_claim
    assert again["status"]["phase"] == "Bound"
    creates = [
        line.split(": ", 1)[1]
        for line in c.event_log()
        if "SuccessfulCreate statefulset/db" in line
    ]
    assert creates == [
        "create Claim data-db-0 Pod db-0 in StatefulSet db success",
        "create Pod db-0 in StatefulSet db successful",
        "create Pod db-0 in StatefulSet db successful",
        "create Claim data-db-0 Pod db-0 in StatefulSet db success",
    ]
