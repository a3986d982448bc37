"""Deployments: ReplicaSets per template, rolling updates, rollback, Recreate (§4.4, §4.5)."""

from __future__ import annotations

import copy

from helpers import deployment, log_lines, pods_of, ready

from k8stui.engine.cluster import Cluster
from k8stui.engine.controllers.deployment import REVISION, rollback_template


def _available(c: Cluster) -> int:
    return sum(
        1 for p in pods_of(c, "kubia-") if ready(p) and not p["metadata"].get("deletionTimestamp")
    )


def _set_image(c: Cluster, image: str) -> None:
    dep = copy.deepcopy(c.get("Deployment", "kubia"))
    dep["spec"]["template"]["spec"]["containers"][0]["image"] = image
    c.replace(dep)


def test_deployment_creates_a_hashed_replica_set_and_reports_ready() -> None:
    c = Cluster(seed=4)
    c.create(deployment("kubia", 3))
    c.advance(30)
    (rs,) = c.list("ReplicaSet")
    phash = rs["metadata"]["labels"]["pod-template-hash"]
    # A 32-bit FNV hash in decimal, spelled in the safe alphabet: 9 or 10 characters.
    assert rs["metadata"]["name"] == f"kubia-{phash}" and len(phash) in (9, 10)
    assert set(phash) <= set("456789bcdf")
    assert rs["metadata"]["annotations"][REVISION] == "1"
    assert all(p["metadata"]["name"].startswith(f"kubia-{phash}-") for p in pods_of(c, "kubia-"))
    assert log_lines(
        c, f"ScalingReplicaSet deployment/kubia: Scaled up replica set kubia-{phash} from 0 to 3"
    )
    status = c.get("Deployment", "kubia")["status"]
    assert (status["readyReplicas"], status["availableReplicas"], status["updatedReplicas"]) == (
        3,
        3,
        3,
    )


def test_rolling_update_respects_max_surge_and_max_unavailable_at_every_step() -> None:
    c = Cluster(seed=4)
    c.create(deployment("kubia", 4))
    c.advance(30)
    _set_image(c, "luksa/kubia:v2")
    # 25 % of 4: surge 1, unavailable 1 -> never more than 5 pods, never fewer than 3 available.
    for _ in range(300):
        if not c.step():
            break
        live = [p for p in pods_of(c, "kubia-") if not p["metadata"].get("deletionTimestamp")]
        assert len(live) <= 5
        assert _available(c) >= 3
    images = {p["spec"]["containers"][0]["image"] for p in pods_of(c, "kubia-")}
    assert images == {"luksa/kubia:v2"}
    assert c.get("Deployment", "kubia")["metadata"]["annotations"][REVISION] == "2"
    assert len(c.list("ReplicaSet")) == 2


def test_rollback_reuses_the_old_replica_set_as_the_newest_revision() -> None:
    c = Cluster(seed=4)
    c.create(deployment("kubia", 2))
    c.advance(30)
    _set_image(c, "luksa/kubia:v3")
    c.advance(60)
    old = next(rs for rs in c.list("ReplicaSet") if rs["metadata"]["annotations"][REVISION] == "1")
    dep = copy.deepcopy(c.get("Deployment", "kubia"))
    dep["spec"]["template"] = rollback_template(old)
    c.replace(dep)
    c.advance(60)
    assert c.get("ReplicaSet", old["metadata"]["name"])["metadata"]["annotations"][REVISION] == "3"
    assert {p["spec"]["containers"][0]["image"] for p in pods_of(c, "kubia-")} == {"luksa/kubia:v1"}
    assert len(c.list("ReplicaSet")) == 2


def test_recreate_stops_every_old_pod_before_starting_new_ones() -> None:
    c = Cluster(seed=4)
    c.create(deployment("kubia", 3, strategy={"type": "Recreate"}))
    c.advance(30)
    _set_image(c, "luksa/kubia:v2")
    for _ in range(200):
        if not c.step():
            break
        images = {p["spec"]["containers"][0]["image"] for p in pods_of(c, "kubia-")}
        assert len(images) <= 1
    assert {p["spec"]["containers"][0]["image"] for p in pods_of(c, "kubia-")} == {"luksa/kubia:v2"}


def test_scaling_a_deployment_scales_its_replica_set() -> None:
    c = Cluster(seed=4)
    c.create(deployment("kubia", 2))
    c.advance(30)
    c.scale("Deployment", "kubia", 5)
    c.advance(30)
    assert c.get("Deployment", "kubia")["status"]["availableReplicas"] == 5
    assert log_lines(c, "from 2 to 5")


def test_a_rollout_that_cannot_progress_is_marked_past_its_deadline() -> None:
    c = Cluster(seed=4)
    c.create(deployment("kubia", 2))
    c.advance(30)
    _set_image(c, "luksa/kubia:v99")  # not in the registry: new pods never become ready
    c.advance(300)
    progressing = c.get("Deployment", "kubia")["status"]["conditions"][1]
    assert (progressing["status"], progressing["reason"]) == ("True", "ReplicaSetUpdated")
    c.advance(400)
    progressing = c.get("Deployment", "kubia")["status"]["conditions"][1]
    new_rs = max(c.list("ReplicaSet"), key=lambda rs: int(rs["metadata"]["annotations"][REVISION]))
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "False",
        "ProgressDeadlineExceeded",
        f'ReplicaSet "{new_rs["metadata"]["name"]}" has timed out progressing.',
    )
    assert _available(c) == 2  # the old pods keep serving
