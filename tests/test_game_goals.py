"""Every goal type, passing and failing, with the explanation it gives from live state."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import NodeSpec, Taint
from k8stui.game.goal_base import GoalView, Verdict
from k8stui.game.goals import Check
from tests.helpers import container, pod, rc, service

CHECK = TypeAdapter(Check)


def check(data: dict[str, Any]) -> Any:
    return CHECK.validate_python(data)


def judge(cluster: Cluster, data: dict[str, Any], history: list[str] | None = None) -> Verdict:
    return check(data).evaluate(GoalView(cluster, history or []), "g")


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=1)


def small_cluster() -> Cluster:
    nodes = [
        NodeSpec(name="control-plane", role="control-plane", taints=[Taint(key="x")]),
        NodeSpec(name="worker-1", cpu="1", memory="1Gi"),
        NodeSpec(name="worker-2", cpu="1", memory="1Gi"),
    ]
    return Cluster(seed=2, nodes=nodes)


# -- object -----------------------------------------------------------------------------------


def test_object_present_with_conditions(cluster: Cluster) -> None:
    cluster.create(rc("kubia", 3, {"app": "kubia"}))
    goal = {
        "type": "object",
        "kind": "ReplicationController",
        "name": "kubia",
        "where": [{"path": "spec.replicas", "op": "ge", "value": 3}],
    }
    assert judge(cluster, goal) == Verdict(
        True, "ReplicationController kubia exists (spec.replicas is 3)"
    )
    goal["where"] = [{"path": "spec.replicas", "op": "eq", "value": 5}]
    verdict = judge(cluster, goal)
    assert not verdict.passed
    assert verdict.explanation == ("ReplicationController kubia: spec.replicas is 3 (wanted eq 5)")
    goal["where"] = [{"path": "spec.template.spec.affinity.podAntiAffinity", "op": "exists"}]
    verdict = judge(cluster, goal)
    assert not verdict.passed
    assert verdict.explanation == (
        "ReplicationController kubia: spec.template.spec.affinity.podAntiAffinity is not set"
    )


def test_object_absent(cluster: Cluster) -> None:
    goal = {"type": "object", "kind": "Pod", "name": "web", "present": False}
    assert judge(cluster, goal).explanation == "no Pod web exists"
    cluster.create(pod("web"))
    verdict = judge(cluster, goal)
    assert not verdict.passed and verdict.explanation == "1 Pod web still there: web"


def test_object_missing_says_so(cluster: Cluster) -> None:
    verdict = judge(cluster, {"type": "object", "kind": "Service", "name": "kubia"})
    assert verdict == Verdict(False, "no Service kubia exists yet")


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("eq", "luksa/kubia", True),
        ("ne", "nginx", True),
        ("in", ["nginx", "luksa/kubia"], True),
        ("contains", "kubia", True),
        ("matches", "^luksa/", True),
        ("matches", "^nginx", False),
        ("exists", True, True),
    ],
)
def test_field_operators(cluster: Cluster, op: str, value: Any, expected: bool) -> None:
    cluster.create(pod("kubia"))
    goal = {
        "type": "object",
        "kind": "Pod",
        "name": "kubia",
        "where": [{"path": "spec.containers[*].image", "op": op, "value": value}],
    }
    assert judge(cluster, goal).passed is expected


def test_quantity_comparison(cluster: Cluster) -> None:
    limited = container(resources={"limits": {"memory": "256Mi", "cpu": "500m"}})
    cluster.create(pod("kubia", limited))
    base = {"type": "object", "kind": "Pod", "name": "kubia"}
    memory = "spec.containers[0].resources.limits.memory"
    assert judge(
        cluster, {**base, "where": [{"path": memory, "op": "gt", "value": "200Mi"}]}
    ).passed
    cpu = "spec.containers[0].resources.limits.cpu"
    assert judge(cluster, {**base, "where": [{"path": cpu, "op": "lt", "value": 1}]}).passed
    assert not judge(
        cluster, {**base, "where": [{"path": cpu, "op": "le", "value": "100m"}]}
    ).passed


# -- pods -------------------------------------------------------------------------------------


def test_pods_ready_and_pending_explanation() -> None:
    cluster = small_cluster()
    big = container(resources={"requests": {"memory": "800Mi"}})
    cluster.create(rc("kubia", 3, {"app": "kubia"}, big))
    cluster.advance(30)
    goal = {"type": "pods", "selector": {"labels": {"app": "kubia"}}, "ready": 3}
    verdict = judge(cluster, goal)
    assert not verdict.passed
    assert verdict.explanation.startswith("2/3 ready: kubia-")
    assert "is Pending — 0/3 nodes are available: " in verdict.explanation
    assert "2 Insufficient memory" in verdict.explanation
    goal["ready"] = 2
    assert judge(cluster, goal).passed


def test_pods_count_image_and_nodes(cluster: Cluster) -> None:
    cluster.create(pod("web", container(image="nginx:1.27"), labels={"app": "web"}))
    cluster.advance(20)
    selector = {"labels": {"app": "web"}}
    exact = {"type": "pods", "selector": selector, "count": 1, "image": "nginx:1.27"}
    assert judge(cluster, exact).passed
    verdict = judge(cluster, {"type": "pods", "selector": selector, "count": 2})
    assert verdict.explanation == "1 pod match app=web; wanted 2"
    verdict = judge(cluster, {"type": "pods", "selector": selector, "image": "nginx:1.26"})
    assert verdict.explanation == "a pod does not run image nginx:1.26: web"
    node = cluster.get("Pod", "web")["spec"]["nodeName"]
    verdict = judge(cluster, {"type": "pods", "selector": selector, "avoid_nodes": [node]})
    assert verdict.explanation == f"web runs on {node}, which it must avoid"


def test_image_pull_failure_is_explained(cluster: Cluster) -> None:
    cluster.create(pod("web", container(image="nginx:1.72")))
    cluster.advance(30)
    verdict = judge(cluster, {"type": "pods", "selector": {"name": "web"}, "ready": 1})
    assert verdict.explanation.startswith("0/1 ready: web: container app is ")
    assert "BackOff" in verdict.explanation or "ErrImagePull" in verdict.explanation


# -- placement ----------------------------------------------------------------------------------


def test_share_pod(cluster: Cluster) -> None:
    goal = {"type": "share_pod", "images": ["luksa/kubia", "nginx:alpine"]}
    cluster.create(pod("a", container("a", "luksa/kubia")))
    cluster.create(pod("b", container("b", "nginx:alpine")))
    verdict = judge(cluster, goal)
    assert verdict.explanation == "the images run in separate pods (a, b); put them in one pod"
    cluster.create(pod("both", container("a", "luksa/kubia"), container("b", "nginx:alpine")))
    cluster.advance(20)
    assert judge(cluster, goal) == Verdict(True, "pod both runs them together")


def test_same_node_and_different_nodes(cluster: Cluster) -> None:
    cluster.create(pod("a", labels={"app": "a"}, nodeName="worker-1"))
    cluster.create(pod("b", labels={"app": "b"}, nodeName="worker-2"))
    same = {"type": "same_node", "groups": [{"labels": {"app": "a"}}, {"labels": {"app": "b"}}]}
    verdict = judge(cluster, same)
    assert verdict.explanation == "pods are spread over 2 nodes — worker-1: a; worker-2: b"
    cluster.create(pod("b2", labels={"app": "b"}, nodeName="worker-1"))
    apart = {"type": "different_nodes", "selector": {"labels": {"app": "b"}}}
    assert judge(cluster, apart) == Verdict(True, "2 pods on 2 nodes")
    cluster.create(pod("b3", labels={"app": "b"}, nodeName="worker-1"))
    assert judge(cluster, apart).explanation == "b2, b3 share node worker-1"


def test_replicas_ready_for_takes_notes_over_time(cluster: Cluster) -> None:
    goal = check(
        {
            "type": "replicas_ready_for",
            "selector": {"labels": {"app": "kubia"}},
            "count": 2,
            "seconds": 10,
        }
    )
    view = GoalView(cluster)
    assert goal.evaluate(view, "g").explanation == "0/2 replicas ready: no pod matches app=kubia"
    cluster.create(rc("kubia", 2, {"app": "kubia"}))
    for _ in range(15):
        cluster.advance(1)
        goal.observe(view, "g")
    verdict = goal.evaluate(view, "g")
    assert verdict.pending and "replicas ready for" in verdict.explanation
    for _ in range(10):
        cluster.advance(1)
        goal.observe(view, "g")
    assert goal.evaluate(view, "g").passed


# -- traffic ----------------------------------------------------------------------------------


def test_availability_counts_probes_in_a_window(cluster: Cluster) -> None:
    cluster.create(rc("kubia", 2, {"app": "kubia"}))
    cluster.create(service("kubia", {"app": "kubia"}))
    goal = check(
        {
            "type": "availability",
            "service": "kubia",
            "min_percent": 99,
            "window": {"start": 20, "end": 40},
        }
    )
    view = GoalView(cluster)
    cluster.advance(20)
    for _ in range(10):
        goal.probe(view, "g")
        cluster.advance(2)
    assert goal.evaluate(view, "g") == Verdict(True, "100.0% answered (10/10 probes)")


def test_availability_fails_while_node_is_dead(cluster: Cluster) -> None:
    cluster.create(pod("only", labels={"app": "kubia"}, nodeName="worker-1"))
    cluster.create(service("kubia", {"app": "kubia"}))
    goal = check(
        {
            "type": "availability",
            "service": "kubia",
            "min_percent": 90,
            "window": {"start": 0, "end": 60},
        }
    )
    view = GoalView(cluster)
    cluster.advance(10)
    cluster.inject(Fault(kind="crash-node", target="worker-1"))
    for _ in range(10):
        goal.probe(view, "g")
        cluster.advance(5)
    verdict = goal.evaluate(view, "g")
    assert not verdict.passed
    assert verdict.explanation.startswith("0.0% answered (0/10 probes); first failure at 10s: ")
    assert verdict.explanation.endswith("needs 90%")


def test_availability_waits_for_the_wave(cluster: Cluster) -> None:
    goal = {"type": "availability", "service": "kubia", "min_percent": 99}
    verdict = judge(cluster, goal)
    assert verdict == Verdict(False, "measured during the wave: start the wave", pending=True)


# -- images -----------------------------------------------------------------------------------


def test_image_built_and_pushed(cluster: Cluster) -> None:
    goal = {
        "type": "image",
        "name": "student/kubia",
        "base": "node:7",
        "layers": ["app.js"],
        "pushed": True,
    }
    assert judge(cluster, goal).explanation == (
        "no local image student/kubia: build it with docker build -t"
    )
    context = {
        "Dockerfile": 'FROM node:7\nADD app.js /app.js\nENTRYPOINT ["node", "app.js"]\n',
        "app.js": "require('http').createServer(function(q, r) { r.end('hi'); }).listen(8080);\n",
    }
    docker = cluster.images.docker
    assert docker.build("student/kubia", context).image is not None
    verdict = judge(cluster, goal)
    assert verdict.explanation == "student/kubia is built but not in the registry: push it"
    docker.push("student/kubia")
    assert judge(cluster, goal).passed
    wrong = {**goal, "layers": ["COPY package.json"]}
    assert "has no layer made by 'COPY package.json'" in judge(cluster, wrong).explanation


# -- history ----------------------------------------------------------------------------------


def test_event_by_reason_and_oom_termination(cluster: Cluster) -> None:
    goal = {"type": "event", "reason": "OOMKilled", "kind": "Pod", "name_prefix": "hog"}
    assert judge(cluster, goal) == Verdict(False, "no OOMKilled seen yet")
    hog = container("hog", "k8stui/memhog", resources={"limits": {"memory": "30Mi"}})
    cluster.create(pod("hog", hog))
    cluster.advance(30)
    verdict = judge(cluster, goal)
    assert verdict == Verdict(True, "container hog of pod hog was OOMKilled")
    scheduled = judge(cluster, {"type": "event", "reason": "Scheduled", "kind": "Pod"})
    assert scheduled.passed and "Successfully assigned default/hog" in scheduled.explanation


def test_command_used(cluster: Cluster) -> None:
    goal = {"type": "command", "regex": r"^kubectl describe (po|pod)\b"}
    # A regular expression is never shown to the player.
    assert judge(cluster, goal, ["kubectl get pods"]).explanation == (
        "not yet: no command you ran fits this goal"
    )
    verdict = judge(cluster, goal, ["kubectl  describe   pod web"])
    assert verdict == Verdict(True, "you ran: kubectl  describe   pod web")
    twice = {"type": "command", "prefix": "kubectl get", "count": 2}
    assert judge(cluster, twice, ["kubectl get pods"]).explanation == (
        "not yet: run `kubectl get` (1 of 2 times so far)"
    )


# -- combinators ------------------------------------------------------------------------------


def test_all_any_not(cluster: Cluster) -> None:
    ran = {"type": "command", "prefix": "kubectl get"}
    svc = {"type": "object", "kind": "Service", "name": "kubia"}
    history = ["kubectl get pods"]
    both = judge(cluster, {"type": "all", "checks": [ran, svc]}, history)
    assert both == Verdict(False, "no Service kubia exists yet")
    either = judge(cluster, {"type": "any", "checks": [svc, ran]}, history)
    assert either == Verdict(True, "you ran: kubectl get pods")
    negated = judge(cluster, {"type": "not", "check": svc}, history)
    assert negated == Verdict(True, "no Service kubia exists yet")


def test_unknown_goal_type_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"union_tag_invalid|does not match any"):
        check({"type": "telepathy"})


def test_object_goals_accept_every_served_kind() -> None:
    from k8stui.engine.apiserver.resources import BY_KIND
    from k8stui.game.goal_objects import KINDS

    assert sorted(KINDS) == sorted(BY_KIND)
