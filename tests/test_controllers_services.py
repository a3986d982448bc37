"""Services, Endpoints and kube-proxy (§5)."""

from __future__ import annotations

import ipaddress

from helpers import container, pod, rc, service

from k8stui.engine.cluster import Cluster


def test_cluster_ips_are_in_the_service_range_and_deterministic() -> None:
    ips = []
    for _ in range(2):
        c = Cluster(seed=9)
        svc = c.create(service("kubia", {"app": "kubia"})).obj
        ips.append(svc["spec"]["clusterIP"])
        assert ipaddress.ip_address(ips[-1]) in ipaddress.ip_network("10.96.0.0/12")
    assert ips[0] == ips[1]
    assert Cluster(seed=9).get("Service", "kubernetes")["spec"]["clusterIP"] == "10.96.0.1"


def test_endpoints_follow_readiness() -> None:
    c = Cluster(seed=9)
    probe = {"exec": {"command": ["ls", "/var/ready"]}, "periodSeconds": 1}
    c.create(pod("ready", container("kubia", "luksa/kubia"), labels={"app": "kubia"}))
    c.create(
        pod(
            "unready",
            container("kubia", "luksa/kubia", readinessProbe=probe),
            labels={"app": "kubia"},
        )
    )
    c.create(service("kubia", {"app": "kubia"}))
    c.advance(30)
    (subset,) = c.get("Endpoints", "kubia")["subsets"]
    assert [a["targetRef"]["name"] for a in subset["addresses"]] == ["ready"]
    assert [a["targetRef"]["name"] for a in subset["notReadyAddresses"]] == ["unready"]
    assert subset["ports"] == [{"port": 8080, "protocol": "TCP"}]


def test_service_without_ready_pods_refuses_connections() -> None:
    c = Cluster(seed=9)
    svc = c.create(service("nothing", {"app": "none"})).obj
    c.advance(1)
    assert "subsets" not in c.get("Endpoints", "nothing")
    answer = c.request("nothing")
    ip = svc["spec"]["clusterIP"]
    assert not answer.ok and answer.exit_code == 7
    assert (
        answer.error == f"Failed to connect to {ip} port 80 after 0 ms: Couldn't connect to server"
    )


def test_requests_spread_over_ready_endpoints_and_names_resolve() -> None:
    c = Cluster(seed=9)
    c.create(rc("kubia", 3, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.create(service("kubia", {"app": "kubia"}))
    c.advance(30)
    seen = {c.request("kubia").body for _ in range(40)}
    assert len(seen) == 3
    for host in ("kubia.default", "kubia.default.svc.cluster.local"):
        assert c.request(host).ok
    missing = c.request("kubia.other")
    assert (missing.exit_code, missing.error) == (6, "Could not resolve host: kubia.other")


def test_localhost_reaches_a_sibling_container_only_inside_the_pod() -> None:
    c = Cluster(seed=9)
    c.create(
        pod(
            "pair",
            container("web", "nginx:1.27"),
            container("side", "busybox", command=["sleep", "3600"]),
        )
    )
    c.create(pod("other", container("side", "busybox", command=["sleep", "3600"])))
    c.advance(30)
    inside = c.request("localhost", 80, source=c.get("Pod", "pair"))
    outside = c.request("localhost", 80, source=c.get("Pod", "other"))
    assert inside.ok and "Welcome to nginx" in inside.body
    assert not outside.ok and outside.exit_code == 7
