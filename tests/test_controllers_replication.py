"""ReplicationControllers and ReplicaSets: self-healing, adoption, release, scale-down (§4)."""

from __future__ import annotations

from helpers import container, log_lines, pod, pods_of, rc, ready

from k8stui.engine.cluster import Cluster


def _rc_cluster(replicas: int = 3) -> Cluster:
    c = Cluster(seed=11)
    c.create(rc("kubia", replicas, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(30)
    return c


def test_rc_replaces_a_deleted_pod_at_once_and_reports_counts() -> None:
    c = _rc_cluster()
    victim = pods_of(c, "kubia-")[0]["metadata"]["name"]
    c.delete("Pod", victim)
    # The replacement is created while the old pod is still terminating.
    assert c.get("Pod", victim)["metadata"].get("deletionTimestamp")
    created = log_lines(c, "SuccessfulCreate replicationcontroller/kubia")
    assert len(created) == 4
    c.advance(30)
    assert c.get("Pod", victim) is None
    status = c.get("ReplicationController", "kubia")["status"]
    assert (status["replicas"], status["readyReplicas"], status["availableReplicas"]) == (3, 3, 3)
    assert all(ready(p) for p in pods_of(c, "kubia-"))


def test_pod_names_and_owner_references_follow_the_controller() -> None:
    c = _rc_cluster(1)
    p = pods_of(c, "kubia-")[0]
    suffix = p["metadata"]["name"].removeprefix("kubia-")
    assert len(suffix) == 5 and set(suffix) <= set("bcdfghjklmnpqrstvwxz2456789")
    ref = p["metadata"]["ownerReferences"][0]
    owner = c.get("ReplicationController", "kubia")
    assert ref == {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "name": "kubia",
        "uid": owner["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def test_relabelled_pod_is_released_and_replaced() -> None:
    c = _rc_cluster()
    target = pods_of(c, "kubia-")[0]
    meta = {**target["metadata"], "labels": {"app": "foo"}}
    c.replace({**target, "metadata": meta})
    c.advance(30)
    released = c.get("Pod", target["metadata"]["name"])
    assert "ownerReferences" not in released["metadata"]
    owned = [p for p in c.list("Pod") if p["metadata"].get("labels", {}).get("app") == "kubia"]
    assert len(owned) == 3


def test_orphan_matching_the_selector_is_adopted_and_surplus_deleted() -> None:
    c = _rc_cluster(2)
    c.create(pod("stray", container("stray", "luksa/kubia"), labels={"app": "kubia"}))
    c.advance(20)
    pods = [p for p in c.list("Pod") if not p["metadata"].get("deletionTimestamp")]
    assert len(pods) == 2
    deleted = log_lines(c, "SuccessfulDelete replicationcontroller/kubia")
    assert len(deleted) == 1


def test_scale_down_deletes_unassigned_then_pending_then_not_ready_pods_first() -> None:
    c = Cluster(seed=5)
    c.create(rc("kubia", 3, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(30)
    # A fourth pod that cannot be scheduled (no node matches) is adopted and must go first.
    c.create(
        pod(
            "unbound",
            container("x", "luksa/kubia"),
            labels={"app": "kubia"},
            nodeSelector={"disk": "ssd"},
        )
    )
    c.advance(5)
    assert log_lines(c, "SuccessfulDelete replicationcontroller/kubia: Deleted pod: unbound")


def test_scale_down_prefers_pods_doubled_up_on_one_node() -> None:
    c = Cluster(seed=5)
    c.create(rc("kubia", 4, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(60)
    per_node: dict[str, list[str]] = {}
    for p in pods_of(c, "kubia-"):
        per_node.setdefault(p["spec"]["nodeName"], []).append(p["metadata"]["name"])
    crowded = [names for names in per_node.values() if len(names) == 2]
    assert crowded, per_node
    c.scale("ReplicationController", "kubia", 3)
    deleted = log_lines(c, "SuccessfulDelete")[0].rsplit(" ", 1)[1]
    assert deleted in crowded[0]


def test_replica_set_with_match_expressions_selects_its_pods() -> None:
    c = Cluster(seed=2)
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "kubia"},
        "spec": {
            "replicas": 3,
            "selector": {
                "matchExpressions": [{"key": "app", "operator": "In", "values": ["kubia"]}]
            },
            "template": {
                "metadata": {"labels": {"app": "kubia"}},
                "spec": {"containers": [container("kubia")]},
            },
        },
    }
    c.create(rs)
    c.advance(30)
    assert c.get("ReplicaSet", "kubia")["status"]["readyReplicas"] == 3
    assert log_lines(c, "SuccessfulCreate replicaset/kubia: Created pod: kubia-")


def test_deleting_the_rc_deletes_its_pods_unless_orphaned() -> None:
    c = _rc_cluster(2)
    c.delete("ReplicationController", "kubia", propagation="Orphan")
    c.advance(5)
    assert len(pods_of(c, "kubia-")) == 2
    assert all("ownerReferences" not in p["metadata"] for p in pods_of(c, "kubia-"))
    c.create(rc("kubia", 2, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(5)
    assert all(p["metadata"].get("ownerReferences") for p in pods_of(c, "kubia-"))
    c.delete("ReplicationController", "kubia")
    c.advance(40)
    assert pods_of(c, "kubia-") == []
