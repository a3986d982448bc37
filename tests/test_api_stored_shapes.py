"""What the API server hands back for a new object: an empty status struct still shows
(Services ``{loadBalancer: {}}``, Deployments ``{}``, as a real API server serialises them)
and omitempty zeros do not (a ReplicaSet's ``minReadySeconds: 0``)."""

from __future__ import annotations

from tests.api_helpers import new_session

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
        },
    },
}


def test_new_deployment_answers_with_an_empty_status() -> None:
    session = new_session()
    created = session.cluster.api.create(DEPLOYMENT).obj
    assert created["status"] == {}


def test_service_keeps_its_empty_load_balancer_status() -> None:
    session = new_session()
    assert session.run("kubectl create service clusterip s1 --tcp=80:80").exit_code == 0
    shown = session.run("kubectl get svc s1 -o jsonpath={.status}").stdout
    assert shown == '{"loadBalancer":{}}'


def test_replica_set_leaves_out_a_zero_min_ready_seconds() -> None:
    session = new_session()
    assert session.run("kubectl create deployment web --image=nginx").exit_code == 0
    shown = session.run("kubectl get rs -l app=web -o jsonpath={.items[0].spec}").stdout
    assert shown.startswith('{"replicas":1,"selector":')


def test_replica_set_keeps_a_nonzero_min_ready_seconds() -> None:
    session = new_session()
    session.cluster.create({**DEPLOYMENT, "spec": {**DEPLOYMENT["spec"], "minReadySeconds": 5}})
    kept = session.run("kubectl get rs -o jsonpath={.items[*].spec.minReadySeconds}").stdout
    assert kept == "5"
