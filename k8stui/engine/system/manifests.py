"""The kube-system objects of a kind 1.32 cluster, as kubeadm and kind write them.

Resource requests, labels, priority classes and tolerations follow kubeadm's static pod
manifests and kind's add-on manifests (kindnet, kube-proxy, CoreDNS); they matter to a
learner because they show up in ``describe node`` totals and in scheduling arithmetic.
"""

from __future__ import annotations

import hashlib
from typing import Any

from k8stui.engine.images import catalog_system as img

Obj = dict[str, Any]
KUBE_DNS_IP = "10.96.0.10"
APISERVER_PORT = 6443
NODE_CRITICAL = ("system-node-critical", 2000001000)
CLUSTER_CRITICAL = ("system-cluster-critical", 2000000000)

# component -> (image, requests, command flags)
_STATIC: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "etcd": (
        img.ETCD,
        {"cpu": "100m", "memory": "100Mi"},
        [
            "--data-dir=/var/lib/etcd",
            "--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
        ],
    ),
    "kube-apiserver": (
        img.KUBE_APISERVER,
        {"cpu": "250m"},
        ["--advertise-address={ip}", "--etcd-servers=https://127.0.0.1:2379", "--secure-port=6443"],
    ),
    "kube-controller-manager": (
        img.KUBE_CONTROLLER_MANAGER,
        {"cpu": "200m"},
        [
            "--cluster-cidr=10.244.0.0/16",
            "--kubeconfig=/etc/kubernetes/controller-manager.conf",
            "--leader-elect=true",
        ],
    ),
    "kube-scheduler": (
        img.KUBE_SCHEDULER,
        {"cpu": "100m"},
        ["--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"],
    ),
}
STATIC_COMPONENTS = tuple(_STATIC)


def _hash(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]


def static_pod(component: str, node: Obj, node_ip: str, seen: str) -> Obj:
    """The mirror pod the kubelet posts for one control-plane static pod manifest."""
    image, requests, flags = _STATIC[component]
    node_name = node["metadata"]["name"]
    config_hash = _hash(component, node_name)
    annotations = {
        "kubernetes.io/config.hash": config_hash,
        "kubernetes.io/config.mirror": config_hash,
        "kubernetes.io/config.seen": seen,
        "kubernetes.io/config.source": "file",
    }
    if component == "etcd":
        annotations["kubeadm.kubernetes.io/etcd.advertise-client-urls"] = f"https://{node_ip}:2379"
    if component == "kube-apiserver":
        annotations["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"] = (
            f"{node_ip}:{APISERVER_PORT}"
        )
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"{component}-{node_name}",
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": annotations,
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "controller": True,
                    "kind": "Node",
                    "name": node_name,
                    "uid": node["metadata"]["uid"],
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": component,
                    "image": image,
                    "imagePullPolicy": "IfNotPresent",
                    "command": [component, *(f.replace("{ip}", node_ip) for f in flags)],
                    "resources": {"requests": dict(requests)},
                }
            ],
            "hostNetwork": True,
            "nodeName": node_name,
            "priorityClassName": NODE_CRITICAL[0],
            "priority": NODE_CRITICAL[1],
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
        },
    }


def _daemon_set(name: str, labels: dict[str, str], pod_spec: Obj) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": pod_spec},
        },
    }


def kube_proxy() -> Obj:
    """kubeadm's kube-proxy DaemonSet (no resource requests, Linux nodes only)."""
    container = {
        "name": "kube-proxy",
        "image": img.KUBE_PROXY,
        "command": [
            "/usr/local/bin/kube-proxy",
            "--config=/var/lib/kube-proxy/config.conf",
            "--hostname-override=$(NODE_NAME)",
        ],
        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
        "securityContext": {"privileged": True},
    }
    spec = {
        "containers": [container],
        "hostNetwork": True,
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "priorityClassName": NODE_CRITICAL[0],
        "serviceAccountName": "kube-proxy",
        "tolerations": [{"operator": "Exists"}],
    }
    return _daemon_set("kube-proxy", {"k8s-app": "kube-proxy"}, spec)


def kindnet() -> Obj:
    """kind's CNI agent DaemonSet (100m CPU and 50Mi on every node)."""
    amount = {"cpu": "100m", "memory": "50Mi"}
    container = {
        "name": "kindnet-cni",
        "image": img.KINDNETD,
        "env": [
            {"name": "HOST_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}},
            {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
            {"name": "POD_SUBNET", "value": "10.244.0.0/16"},
        ],
        "resources": {"requests": dict(amount), "limits": dict(amount)},
        "securityContext": {"capabilities": {"add": ["NET_RAW", "NET_ADMIN"]}, "privileged": False},
    }
    spec = {
        "containers": [container],
        "hostNetwork": True,
        "serviceAccountName": "kindnet",
        "tolerations": [{"operator": "Exists"}],
    }
    labels = {"app": "kindnet", "k8s-app": "kindnet", "tier": "node"}
    ds = _daemon_set("kindnet", labels, spec)
    ds["spec"]["selector"] = {"matchLabels": {"app": "kindnet"}}
    ds["spec"]["template"]["metadata"]["labels"] = {
        "app": "kindnet",
        "k8s-app": "kindnet",
        "tier": "node",
    }
    return ds


def coredns() -> Obj:
    """kubeadm's CoreDNS Deployment: two replicas, system-cluster-critical."""
    container = {
        "name": "coredns",
        "image": img.COREDNS,
        "args": ["-conf", "/etc/coredns/Corefile"],
        "ports": [
            {"containerPort": 53, "name": "dns", "protocol": "UDP"},
            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
            {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
        ],
        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}],
    }
    labels = {"k8s-app": "kube-dns"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "containers": [container],
                    "dnsPolicy": "Default",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": CLUSTER_CRITICAL[0],
                    "serviceAccountName": "coredns",
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"},
                    ],
                    "volumes": [
                        {
                            "name": "config-volume",
                            "configMap": {
                                "name": "coredns",
                                "items": [{"key": "Corefile", "path": "Corefile"}],
                            },
                        }
                    ],
                },
            },
        },
    }


COREFILE = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""


def coredns_config() -> Obj:
    """The ``coredns`` ConfigMap holding the Corefile."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "coredns", "namespace": "kube-system"},
        "data": {"Corefile": COREFILE},
    }


def kube_dns() -> Obj:
    """The ``kube-dns`` Service in front of CoreDNS, on the cluster's 10th address."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kube-dns",
            "namespace": "kube-system",
            "labels": {
                "k8s-app": "kube-dns",
                "kubernetes.io/cluster-service": "true",
                "kubernetes.io/name": "CoreDNS",
            },
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
        },
        "spec": {
            "clusterIP": KUBE_DNS_IP,
            "selector": {"k8s-app": "kube-dns"},
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
        },
    }


def service_account(name: str, namespace: str) -> Obj:
    """A bare ServiceAccount (kubeadm and kind create one per add-on)."""
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name, "namespace": namespace},
    }


ADDON_ACCOUNTS = ("coredns", "kindnet", "kube-proxy")
