"""Describe layouts (reference §6.4-6.6) checked against exact kubectl 1.32 text."""

from __future__ import annotations

from typing import Any

from k8stui.engine.clock import to_timestamp
from k8stui.kubectl.describe import describe, pod_qos_class

T = to_timestamp
S = 1000


class FakeView:
    """A ClusterView over plain lists."""

    def __init__(
        self,
        now_ms: int,
        objects: list[dict[str, Any]] | None = None,
        events: list[dict[str, Any]] | None = None,
    ) -> None:
        self._now = now_ms
        self.objects = list(objects or [])
        self.events = list(events or [])

    @property
    def now_ms(self) -> int:
        return self._now

    def get(self, kind, namespace, name):
        for o in self.objects:
            m = o["metadata"]
            if o["kind"] == kind and m.get("namespace", "") == namespace and m["name"] == name:
                return o
        return None

    def list(self, kind, namespace=None):
        return [
            o
            for o in self.objects
            if o["kind"] == kind
            and (namespace is None or o["metadata"].get("namespace", "") == namespace)
        ]

    def events_for(self, obj):
        uid = obj["metadata"].get("uid")
        return [e for e in self.events if e["involvedObject"].get("uid") == uid]


def event(
    name,
    obj,
    reason,
    message,
    t_first,
    t_last=None,
    count=1,
    type_="Normal",
    component="kubelet",
    host="",
    field_path="",
):
    m = obj["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{m['name']}.{name}",
            "namespace": m.get("namespace", "default"),
            "creationTimestamp": T(t_first),
        },
        "involvedObject": {
            "kind": obj["kind"],
            "name": m["name"],
            "namespace": m.get("namespace", ""),
            "uid": m.get("uid"),
            "fieldPath": field_path,
            "apiVersion": obj["apiVersion"],
        },
        "reason": reason,
        "message": message,
        "type": type_,
        "source": {"component": component, "host": host},
        "firstTimestamp": T(t_first),
        "lastTimestamp": T(t_last if t_last is not None else t_first),
        "count": count,
    }


DEFAULT_TOLERATIONS = [
    {
        "effect": "NoExecute",
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "tolerationSeconds": 300,
    },
    {
        "effect": "NoExecute",
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "tolerationSeconds": 300,
    },
]

API_ACCESS_VOLUME = {
    "name": "kube-api-access-7x2kq",
    "projected": {
        "defaultMode": 420,
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {
                "configMap": {
                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                    "name": "kube-root-ca.crt",
                }
            },
            {
                "downwardAPI": {
                    "items": [
                        {
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                            "path": "namespace",
                        }
                    ]
                }
            },
        ],
    },
}


def kubia_pod(
    name="kubia-7d9f8c4b5d-x2k9l",
    node="node01",
    ip="10.244.1.5",
    created=12 * S,
    rs="kubia-7d9f8c4b5d",
):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "creationTimestamp": T(created),
            "labels": {"app": "kubia", "pod-template-hash": "7d9f8c4b5d"},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": rs,
                    "uid": f"uid-{rs}",
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "kubia",
                    "image": "luksa/kubia",
                    "imagePullPolicy": "Always",
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                    "volumeMounts": [
                        {
                            "name": "kube-api-access-7x2kq",
                            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                            "readOnly": True,
                        }
                    ],
                }
            ],
            "nodeName": node,
            "priority": 0,
            "restartPolicy": "Always",
            "serviceAccountName": "default",
            "tolerations": DEFAULT_TOLERATIONS,
            "volumes": [API_ACCESS_VOLUME],
        },
        "status": {
            "phase": "Running",
            "hostIP": "172.30.2.2",
            "hostIPs": [{"ip": "172.30.2.2"}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "qosClass": "Burstable",
            "startTime": T(created),
            "conditions": [
                {
                    "type": "PodReadyToStartContainers",
                    "status": "True",
                    "lastTransitionTime": T(created + 5 * S),
                },
                {"type": "Initialized", "status": "True", "lastTransitionTime": T(created)},
                {"type": "Ready", "status": "True", "lastTransitionTime": T(created + 5 * S)},
                {
                    "type": "ContainersReady",
                    "status": "True",
                    "lastTransitionTime": T(created + 5 * S),
                },
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": T(created)},
            ],
            "containerStatuses": [
                {
                    "name": "kubia",
                    "ready": True,
                    "restartCount": 0,
                    "started": True,
                    "image": "docker.io/luksa/kubia:latest",
                    "imageID": "docker.io/luksa/kubia@sha256:3f28e304dc0f63dc30f273a4202096f0fa0d08510bd2ee7e1032ce600616de24",
                    "containerID": "containerd://1a2b3c4d5e6f",
                    "state": {"running": {"startedAt": T(created + 5 * S)}},
                    "lastState": {},
                }
            ],
        },
    }


def node(name="node01", ip="172.30.2.2", ready=True, control_plane=False):
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""

    def cond(t: str, s: str, r: str, m: str) -> dict[str, Any]:
        return {
            "type": t,
            "status": s,
            "lastHeartbeatTime": T(100 * S),
            "lastTransitionTime": T(0),
            "reason": r,
            "message": m,
        }

    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": f"uid-{name}",
            "creationTimestamp": T(0),
            "labels": labels,
            "annotations": {
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]},
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ],
            "allocatable": {
                "cpu": "2",
                "ephemeral-storage": "19586931083",
                "hugepages-2Mi": "0",
                "memory": "1905012Ki",
                "pods": "110",
            },
            "capacity": {
                "cpu": "2",
                "ephemeral-storage": "20134592Ki",
                "hugepages-2Mi": "0",
                "memory": "2007412Ki",
                "pods": "110",
            },
            "conditions": [
                cond(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                cond(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                cond(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                cond(
                    "Ready",
                    "True" if ready else "Unknown",
                    "KubeletReady" if ready else "NodeStatusUnknown",
                    "kubelet is posting ready status"
                    if ready
                    else "Kubelet stopped posting node status.",
                ),
            ],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "b1f0c2d3-0000-4000-8000-000000000001",
                "containerRuntimeVersion": "containerd://1.7.22",
                "kernelVersion": "5.15.0-122-generic",
                "kubeProxyVersion": "v1.32.0",
                "kubeletVersion": "v1.32.0",
                "machineID": "6c5b2a1f0e9d4c3b8a7f6e5d4c3b2a10",
                "operatingSystem": "linux",
                "osImage": "Ubuntu 22.04.5 LTS",
                "systemUUID": "6c5b2a1f-0e9d-4c3b-8a7f-6e5d4c3b2a10",
            },
        },
    }


def lease(name="node01", renew=95 * S):
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": name,
            "namespace": "kube-node-lease",
            "uid": f"lease-{name}",
            "creationTimestamp": T(0),
        },
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": T(renew)},
    }


def crash_pod(now_ms):
    pod = kubia_pod(name="memhog-578d9b5ffd-lwfxj", rs="memhog-578d9b5ffd", created=0)
    pod["metadata"]["labels"] = {"app": "memhog", "pod-template-hash": "578d9b5ffd"}
    c = pod["spec"]["containers"][0]
    c.update(
        name="memhog",
        image="polinux/stress",
        ports=[],
        command=["stress"],
        args=["--vm", "1", "--vm-bytes", "250M"],
        resources={"limits": {"memory": "100Mi"}, "requests": {"memory": "100Mi"}},
    )
    pod["status"]["qosClass"] = "Burstable"
    pod["status"]["conditions"][2]["status"] = "False"
    pod["status"]["conditions"][3]["status"] = "False"
    pod["status"]["containerStatuses"] = [
        {
            "name": "memhog",
            "ready": False,
            "restartCount": 5,
            "started": False,
            "image": "docker.io/polinux/stress:latest",
            "imageID": "docker.io/polinux/stress@sha256:b6144f84f9c15dac80deb48d3a646b55c7043ab1d83ea0a697c09097aaad21aa",
            "containerID": "containerd://9f8e7d6c5b4a",
            "state": {
                "waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": "back-off 2m40s restarting failed container=memhog pod=memhog-578d9b5ffd-lwfxj_default(uid)",
                }
            },
            "lastState": {
                "terminated": {
                    "exitCode": 137,
                    "reason": "OOMKilled",
                    "startedAt": T(now_ms - 50 * S),
                    "finishedAt": T(now_ms - 49 * S),
                    "containerID": "containerd://9f8e7d6c5b4a",
                }
            },
        }
    ]
    return pod


def rc_kubia():
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {
            "name": "kubia",
            "namespace": "default",
            "uid": "uid-rc-kubia",
            "creationTimestamp": T(0),
            "labels": {"app": "kubia"},
            "generation": 1,
        },
        "spec": {
            "replicas": 3,
            "selector": {"app": "kubia"},
            "template": {
                "metadata": {"labels": {"app": "kubia"}},
                "spec": {
                    "containers": [
                        {
                            "name": "kubia",
                            "image": "luksa/kubia",
                            "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                            "resources": {},
                        }
                    ]
                },
            },
        },
        "status": {
            "replicas": 3,
            "fullyLabeledReplicas": 3,
            "readyReplicas": 3,
            "availableReplicas": 3,
            "observedGeneration": 1,
        },
    }


def rc_pod(i, phase="Running"):
    pod = kubia_pod(name=f"kubia-{i}", created=1 * S)
    pod["metadata"]["labels"] = {"app": "kubia"}
    pod["metadata"]["ownerReferences"] = [
        {
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "name": "kubia",
            "uid": "uid-rc-kubia",
            "controller": True,
        }
    ]
    pod["status"]["phase"] = phase
    return pod


def deployment():
    template = {
        "metadata": {"labels": {"app": "kubia"}},
        "spec": {"containers": [{"name": "nodejs", "image": "luksa/kubia:v2", "resources": {}}]},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "kubia",
            "namespace": "default",
            "uid": "uid-deploy",
            "creationTimestamp": T(0),
            "labels": {"app": "kubia"},
            "annotations": {"deployment.kubernetes.io/revision": "2"},
            "generation": 2,
        },
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "kubia"}},
            "template": template,
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
            "minReadySeconds": 10,
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
        },
        "status": {
            "replicas": 3,
            "updatedReplicas": 3,
            "readyReplicas": 3,
            "availableReplicas": 3,
            "observedGeneration": 2,
            "conditions": [
                {
                    "type": "Available",
                    "status": "True",
                    "reason": "MinimumReplicasAvailable",
                    "message": "Deployment has minimum availability.",
                },
                {
                    "type": "Progressing",
                    "status": "True",
                    "reason": "NewReplicaSetAvailable",
                    "message": 'ReplicaSet "kubia-6b4f9d8c7f" has successfully progressed.',
                },
            ],
        },
    }


def replica_set(name, image, replicas, revision, created):
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "creationTimestamp": T(created),
            "labels": {"app": "kubia", "pod-template-hash": name.rsplit("-", 1)[1]},
            "annotations": {"deployment.kubernetes.io/revision": revision},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "name": "kubia",
                    "uid": "uid-deploy",
                    "controller": True,
                }
            ],
        },
        "spec": {
            "replicas": replicas,
            "selector": {
                "matchLabels": {"app": "kubia", "pod-template-hash": name.rsplit("-", 1)[1]}
            },
            "template": {
                "metadata": {
                    "labels": {"app": "kubia", "pod-template-hash": name.rsplit("-", 1)[1]}
                },
                "spec": {"containers": [{"name": "nodejs", "image": image, "resources": {}}]},
            },
        },
        "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas},
    }


def service():
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubia",
            "namespace": "default",
            "uid": "uid-svc",
            "creationTimestamp": T(0),
        },
        "spec": {
            "selector": {"app": "kubia"},
            "type": "ClusterIP",
            "clusterIP": "10.96.141.22",
            "clusterIPs": ["10.96.141.22"],
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
        },
        "status": {"loadBalancer": {}},
    }


def endpoints(ips, not_ready=()):
    subset = {"addresses": [{"ip": ip} for ip in ips], "ports": [{"port": 8080, "protocol": "TCP"}]}
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": ip} for ip in not_ready]
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubia",
            "namespace": "default",
            "uid": "uid-ep",
            "creationTimestamp": T(0),
        },
        "subsets": [subset],
    }


RUNNING_POD = (
    "\n".join(
        [
            "Name:             kubia-7d9f8c4b5d-x2k9l",
            "Namespace:        default",
            "Priority:         0",
            "Service Account:  default",
            "Node:             node01/172.30.2.2",
            "Start Time:       Wed, 01 Jan 2025 00:00:12 +0000",
            "Labels:           app=kubia",
            "                  pod-template-hash=7d9f8c4b5d",
            "Annotations:      <none>",
            "Status:           Running",
            "IP:               10.244.1.5",
            "IPs:",
            "  IP:           10.244.1.5",
            "Controlled By:  ReplicaSet/kubia-7d9f8c4b5d",
            "Containers:",
            "  kubia:",
            "    Container ID:   containerd://1a2b3c4d5e6f",
            "    Image:          luksa/kubia",
            "    Image ID:       docker.io/luksa/kubia@sha256:3f28e304dc0f63dc30f273a4202096f0fa0d08510bd2ee7e1032ce600616de24",
            "    Port:           8080/TCP",
            "    Host Port:      0/TCP",
            "    State:          Running",
            "      Started:      Wed, 01 Jan 2025 00:00:17 +0000",
            "    Ready:          True",
            "    Restart Count:  0",
            "    Requests:",
            "      cpu:        100m",
            "      memory:     64Mi",
            "    Environment:  <none>",
            "    Mounts:",
            "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7x2kq (ro)",
            "Conditions:",
            "  Type                        Status",
            "  PodReadyToStartContainers   True ",
            "  Initialized                 True ",
            "  Ready                       True ",
            "  ContainersReady             True ",
            "  PodScheduled                True ",
            "Volumes:",
            "  kube-api-access-7x2kq:",
            "    Type:                    Projected (a volume that contains injected data from multiple sources)",
            "    TokenExpirationSeconds:  3607",
            "    ConfigMapName:           kube-root-ca.crt",
            "    ConfigMapOptional:       <nil>",
            "    DownwardAPI:             true",
            "QoS Class:                   Burstable",
            "Node-Selectors:              <none>",
            "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
            "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
            "Events:",
            "  Type    Reason     Age   From               Message",
            "  ----    ------     ----  ----               -------",
            "  Normal  Scheduled  68s   default-scheduler  Successfully assigned default/kubia-7d9f8c4b5d-x2k9l to node01",
            '  Normal  Pulling    67s   kubelet            Pulling image "luksa/kubia"',
            '  Normal  Pulled     65s   kubelet            Successfully pulled image "luksa/kubia" in 2.1s (2.1s including waiting). Image size: 72099410 bytes.',
            "  Normal  Created    65s   kubelet            Created container: kubia",
            "  Normal  Started    64s   kubelet            Started container kubia",
        ]
    )
    + "\n"
)


CRASHING_POD = (
    "\n".join(
        [
            "Name:             memhog-578d9b5ffd-lwfxj",
            "Namespace:        default",
            "Priority:         0",
            "Service Account:  default",
            "Node:             node01/172.30.2.2",
            "Start Time:       Wed, 01 Jan 2025 00:00:00 +0000",
            "Labels:           app=memhog",
            "                  pod-template-hash=578d9b5ffd",
            "Annotations:      <none>",
            "Status:           Running",
            "IP:               10.244.1.5",
            "IPs:",
            "  IP:           10.244.1.5",
            "Controlled By:  ReplicaSet/memhog-578d9b5ffd",
            "Containers:",
            "  memhog:",
            "    Container ID:  containerd://9f8e7d6c5b4a",
            "    Image:         polinux/stress",
            "    Image ID:      docker.io/polinux/stress@sha256:b6144f84f9c15dac80deb48d3a646b55c7043ab1d83ea0a697c09097aaad21aa",
            "    Port:          <none>",
            "    Host Port:     <none>",
            "    Command:",
            "      stress",
            "    Args:",
            "      --vm",
            "      1",
            "      --vm-bytes",
            "      250M",
            "    State:          Waiting",
            "      Reason:       CrashLoopBackOff",
            "    Last State:     Terminated",
            "      Reason:       OOMKilled",
            "      Exit Code:    137",
            "      Started:      Wed, 01 Jan 2025 00:09:10 +0000",
            "      Finished:     Wed, 01 Jan 2025 00:09:11 +0000",
            "    Ready:          False",
            "    Restart Count:  5",
            "    Limits:",
            "      memory:  100Mi",
            "    Requests:",
            "      memory:     100Mi",
            "    Environment:  <none>",
            "    Mounts:",
            "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7x2kq (ro)",
            "Conditions:",
            "  Type                        Status",
            "  PodReadyToStartContainers   True ",
            "  Initialized                 True ",
            "  Ready                       False ",
            "  ContainersReady             False ",
            "  PodScheduled                True ",
            "Volumes:",
            "  kube-api-access-7x2kq:",
            "    Type:                    Projected (a volume that contains injected data from multiple sources)",
            "    TokenExpirationSeconds:  3607",
            "    ConfigMapName:           kube-root-ca.crt",
            "    ConfigMapOptional:       <nil>",
            "    DownwardAPI:             true",
            "QoS Class:                   Burstable",
            "Node-Selectors:              <none>",
            "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
            "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
            "Events:",
            "  Type     Reason   Age               From     Message",
            "  ----     ------   ----              ----     -------",
            "  Warning  BackOff  10s (x9 over 9m)  kubelet  Back-off restarting failed container memhog in pod memhog-578d9b5ffd-lwfxj_default(uid)",
        ]
    )
    + "\n"
)


NODE = (
    "\n".join(
        [
            "Name:               node01",
            "Roles:              <none>",
            "Labels:             beta.kubernetes.io/arch=amd64",
            "                    beta.kubernetes.io/os=linux",
            "                    kubernetes.io/arch=amd64",
            "                    kubernetes.io/hostname=node01",
            "                    kubernetes.io/os=linux",
            "Annotations:        node.alpha.kubernetes.io/ttl: 0",
            "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
            "CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000",
            "Taints:             <none>",
            "Unschedulable:      false",
            "Lease:",
            "  HolderIdentity:  node01",
            "  AcquireTime:     <unset>",
            "  RenewTime:       Wed, 01 Jan 2025 00:01:35 +0000",
            "Conditions:",
            "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
            "  ----             ------  -----------------                 ------------------                ------                       -------",
            "  MemoryPressure   False   Wed, 01 Jan 2025 00:01:40 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
            "  DiskPressure     False   Wed, 01 Jan 2025 00:01:40 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure",
            "  PIDPressure      False   Wed, 01 Jan 2025 00:01:40 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available",
            "  Ready            True    Wed, 01 Jan 2025 00:01:40 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletReady                 kubelet is posting ready status",
            "Addresses:",
            "  InternalIP:  172.30.2.2",
            "  Hostname:    node01",
            "Capacity:",
            "  cpu:                2",
            "  ephemeral-storage:  20134592Ki",
            "  hugepages-2Mi:      0",
            "  memory:             2007412Ki",
            "  pods:               110",
            "Allocatable:",
            "  cpu:                2",
            "  ephemeral-storage:  19586931083",
            "  hugepages-2Mi:      0",
            "  memory:             1905012Ki",
            "  pods:               110",
            "System Info:",
            "  Machine ID:                 6c5b2a1f0e9d4c3b8a7f6e5d4c3b2a10",
            "  System UUID:                6c5b2a1f-0e9d-4c3b-8a7f-6e5d4c3b2a10",
            "  Boot ID:                    b1f0c2d3-0000-4000-8000-000000000001",
            "  Kernel Version:             5.15.0-122-generic",
            "  OS Image:                   Ubuntu 22.04.5 LTS",
            "  Operating System:           linux",
            "  Architecture:               amd64",
            "  Container Runtime Version:  containerd://1.7.22",
            "  Kubelet Version:            v1.32.0",
            "  Kube-Proxy Version:         v1.32.0",
            "PodCIDR:                      10.244.1.0/24",
            "PodCIDRs:                     10.244.1.0/24",
            "Non-terminated Pods:          (2 in total)",
            "  Namespace                   Name                      CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
            "  ---------                   ----                      ------------  ----------  ---------------  -------------  ---",
            "  default                     kubia-7d9f8c4b5d-q8w4z    250m (12%)    500m (25%)  128Mi (6%)       256Mi (13%)    179m",
            "  default                     kubia-7d9f8c4b5d-x2k9l    100m (5%)     0 (0%)      64Mi (3%)        0 (0%)         179m",
            "Allocated resources:",
            "  (Total limits may be over 100 percent, i.e., overcommitted.)",
            "  Resource           Requests     Limits",
            "  --------           --------     ------",
            "  cpu                350m (17%)   500m (25%)",
            "  memory             192Mi (10%)  256Mi (13%)",
            "  ephemeral-storage  0 (0%)       0 (0%)",
            "  hugepages-2Mi      0 (0%)       0 (0%)",
            "Events:",
            "  Type    Reason     Age                  From     Message",
            "  ----    ------     ----                 ----     -------",
            "  Normal  Starting   3h                   kubelet  Starting kubelet.",
            "  Normal  NodeReady  179m (x2 over 179m)  kubelet  Node node01 status is now: NodeReady",
        ]
    )
    + "\n"
)


RC = (
    "\n".join(
        [
            "Name:         kubia",
            "Namespace:    default",
            "Selector:     app=kubia",
            "Labels:       app=kubia",
            "Annotations:  <none>",
            "Replicas:     3 current / 3 desired",
            "Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed",
            "Pod Template:",
            "  Labels:  app=kubia",
            "  Containers:",
            "   kubia:",
            "    Image:         luksa/kubia",
            "    Port:          8080/TCP",
            "    Host Port:     0/TCP",
            "    Environment:   <none>",
            "    Mounts:        <none>",
            "  Volumes:         <none>",
            "  Node-Selectors:  <none>",
            "  Tolerations:     <none>",
            "Events:",
            "  Type    Reason            Age    From                    Message",
            "  ----    ------            ----   ----                    -------",
            "  Normal  SuccessfulCreate  9m59s  replication-controller  Created pod: kubia-1",
        ]
    )
    + "\n"
)


DEPLOYMENT = (
    "\n".join(
        [
            "Name:                   kubia",
            "Namespace:              default",
            "CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000",
            "Labels:                 app=kubia",
            "Annotations:            deployment.kubernetes.io/revision: 2",
            "Selector:               app=kubia",
            "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
            "StrategyType:           RollingUpdate",
            "MinReadySeconds:        10",
            "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
            "Pod Template:",
            "  Labels:  app=kubia",
            "  Containers:",
            "   nodejs:",
            "    Image:         luksa/kubia:v2",
            "    Port:          <none>",
            "    Host Port:     <none>",
            "    Environment:   <none>",
            "    Mounts:        <none>",
            "  Volumes:         <none>",
            "  Node-Selectors:  <none>",
            "  Tolerations:     <none>",
            "Conditions:",
            "  Type           Status  Reason",
            "  ----           ------  ------",
            "  Available      True    MinimumReplicasAvailable",
            "  Progressing    True    NewReplicaSetAvailable",
            "OldReplicaSets:  <none>",
            "NewReplicaSet:   kubia-6b4f9d8c7f (3/3 replicas created)",
            "Events:",
            "  Type    Reason             Age    From                   Message",
            "  ----    ------             ----   ----                   -------",
            "  Normal  ScalingReplicaSet  10m    deployment-controller  Scaled up replica set kubia-5d8c6b9f7d from 0 to 3",
            "  Normal  ScalingReplicaSet  7m50s  deployment-controller  Scaled down replica set kubia-5d8c6b9f7d from 3 to 0",
        ]
    )
    + "\n"
)


REPLICA_SET = (
    "\n".join(
        [
            "Name:           kubia-6b4f9d8c7f",
            "Namespace:      default",
            "Selector:       app=kubia,pod-template-hash=6b4f9d8c7f",
            "Labels:         app=kubia",
            "                pod-template-hash=6b4f9d8c7f",
            "Annotations:    deployment.kubernetes.io/revision: 2",
            "Controlled By:  Deployment/kubia",
            "Replicas:       3 current / 3 desired",
            "Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed",
            "Pod Template:",
            "  Labels:  app=kubia",
            "           pod-template-hash=6b4f9d8c7f",
            "  Containers:",
            "   nodejs:",
            "    Image:         luksa/kubia:v2",
            "    Port:          <none>",
            "    Host Port:     <none>",
            "    Environment:   <none>",
            "    Mounts:        <none>",
            "  Volumes:         <none>",
            "  Node-Selectors:  <none>",
            "  Tolerations:     <none>",
            "Events:            <none>",
        ]
    )
    + "\n"
)


SERVICE = (
    "\n".join(
        [
            "Name:                     kubia",
            "Namespace:                default",
            "Labels:                   <none>",
            "Annotations:              <none>",
            "Selector:                 app=kubia",
            "Type:                     ClusterIP",
            "IP Family Policy:         SingleStack",
            "IP Families:              IPv4",
            "IP:                       10.96.141.22",
            "IPs:                      10.96.141.22",
            "Port:                     <unset>  80/TCP",
            "TargetPort:               8080/TCP",
            "Endpoints:                10.244.1.5:8080,10.244.1.6:8080,10.244.2.4:8080 + 1 more...",
            "Session Affinity:         None",
            "Internal Traffic Policy:  Cluster",
            "Events:                   <none>",
        ]
    )
    + "\n"
)


def _running_pod_events(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        event(
            "a",
            pod,
            "Scheduled",
            "Successfully assigned default/kubia-7d9f8c4b5d-x2k9l to node01",
            12 * S,
            component="default-scheduler",
        ),
        event("b", pod, "Pulling", 'Pulling image "luksa/kubia"', 13 * S, host="node01"),
        event(
            "c",
            pod,
            "Pulled",
            'Successfully pulled image "luksa/kubia" in 2.1s (2.1s including waiting). Image size: 72099410 bytes.',
            15 * S,
        ),
        event("d", pod, "Created", "Created container: kubia", 15 * S),
        event("e", pod, "Started", "Started container kubia", 16 * S),
    ]


def test_describe_running_pod() -> None:
    pod = kubia_pod()
    assert describe("Pod", pod, FakeView(80 * S, [pod], _running_pod_events(pod))) == RUNNING_POD


def test_describe_crashloop_pod_with_oomkilled_last_state() -> None:
    now = 600 * S
    pod = crash_pod(now)
    events = [
        event(
            "a",
            pod,
            "BackOff",
            "Back-off restarting failed container memhog in pod memhog-578d9b5ffd-lwfxj_default(uid)",
            60 * S,
            t_last=now - 10 * S,
            count=9,
            type_="Warning",
            field_path="spec.containers{memhog}",
        ),
    ]
    assert describe("Pod", pod, FakeView(now, [pod], events)) == CRASHING_POD


def test_describe_node_with_two_pods() -> None:
    n = node()
    p1 = kubia_pod()
    p2 = kubia_pod(name="kubia-7d9f8c4b5d-q8w4z", ip="10.244.1.6", created=20 * S)
    p2["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": "250m", "memory": "128Mi"},
        "limits": {"cpu": "500m", "memory": "256Mi"},
    }
    done = kubia_pod(name="finished", created=20 * S)
    done["status"]["phase"] = "Succeeded"  # terminal pods are not listed
    elsewhere = kubia_pod(name="elsewhere", node="node02")
    events = [
        event("x", n, "Starting", "Starting kubelet.", 0, host="node01"),
        event(
            "y",
            n,
            "NodeReady",
            "Node node01 status is now: NodeReady",
            10 * S,
            t_last=20 * S,
            count=2,
            host="node01",
        ),
    ]
    view = FakeView(3 * 3600 * S, [n, p1, p2, done, elsewhere, lease()], events)
    assert describe("Node", n, view) == NODE


def test_describe_node_dead_and_without_lease() -> None:
    n = node(ready=False, control_plane=True)
    n["spec"]["taints"] = [
        {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
    ]
    text = describe("Node", n, FakeView(3600 * S, [n]))
    assert "Roles:              control-plane\n" in text
    assert (
        "Taints:             node.kubernetes.io/unreachable:NoExecute\n"
        "                    node.kubernetes.io/unreachable:NoSchedule\n"
    ) in text
    assert (
        'Lease:              Failed to get lease: leases.coordination.k8s.io "node01" not found\n'
        in text
    )
    assert "NodeStatusUnknown            Kubelet stopped posting node status.\n" in text
    assert "Non-terminated Pods:          (0 in total)\n" in text
    assert text.endswith("Events:              <none>\n")


def test_describe_replication_controller() -> None:
    rc = rc_kubia()
    pods = [rc_pod(1), rc_pod(2), rc_pod(3, "Pending")]
    orphan = rc_pod(4)
    orphan["metadata"]["ownerReferences"] = []  # selected but not owned: not counted
    events = [
        event(
            "c1",
            rc,
            "SuccessfulCreate",
            "Created pod: kubia-1",
            1 * S,
            component="replication-controller",
        )
    ]
    assert (
        describe("ReplicationController", rc, FakeView(600 * S, [rc, *pods, orphan], events)) == RC
    )


def test_describe_deployment_with_old_and_new_replica_sets() -> None:
    d = deployment()
    old = replica_set("kubia-5d8c6b9f7d", "luksa/kubia:v1", 0, "1", 0)
    new = replica_set("kubia-6b4f9d8c7f", "luksa/kubia:v2", 3, "2", 100 * S)
    events = [
        event(
            "s1",
            d,
            "ScalingReplicaSet",
            "Scaled up replica set kubia-5d8c6b9f7d from 0 to 3",
            0,
            component="deployment-controller",
        ),
        event(
            "s2",
            d,
            "ScalingReplicaSet",
            "Scaled down replica set kubia-5d8c6b9f7d from 3 to 0",
            130 * S,
            component="deployment-controller",
        ),
    ]
    assert describe("Deployment", d, FakeView(600 * S, [d, old, new], events)) == DEPLOYMENT


def test_describe_fresh_deployment_shows_no_old_replica_sets() -> None:
    d = deployment()
    new = replica_set("kubia-6b4f9d8c7f", "luksa/kubia:v2", 3, "2", 100 * S)
    text = describe("Deployment", d, FakeView(600 * S, [d, new]))
    assert (
        "OldReplicaSets:  <none>\nNewReplicaSet:   kubia-6b4f9d8c7f (3/3 replicas created)\n"
        in text
    )


def test_describe_replica_set() -> None:
    rs = replica_set("kubia-6b4f9d8c7f", "luksa/kubia:v2", 3, "2", 100 * S)
    assert describe("ReplicaSet", rs, FakeView(600 * S, [rs])) == REPLICA_SET


def test_describe_service_with_four_endpoints() -> None:
    svc = service()
    ep = endpoints(["10.244.1.5", "10.244.1.6", "10.244.2.4", "10.244.2.5"])
    assert describe("Service", svc, FakeView(600 * S, [svc, ep])) == SERVICE


def test_describe_service_without_ready_endpoints() -> None:
    svc = service()
    ep = endpoints([], not_ready=["10.244.1.5"])
    assert "Endpoints:                <none>\n" in describe(
        "Service", svc, FakeView(600 * S, [svc, ep])
    )


def test_describe_terminating_pod_during_grace_period() -> None:
    pod = kubia_pod()
    pod["metadata"]["deletionTimestamp"] = to_timestamp(130 * S)
    pod["metadata"]["deletionGracePeriodSeconds"] = 30
    text = describe("Pod", pod, FakeView(100 * S, [pod]))
    # kubectl measures "lasts" from deletionTimestamp, which is still in the future here.
    assert "Status:                    Terminating (lasts <invalid>)\n" in text
    assert "Termination Grace Period:  30s\n" in text


def test_describe_pending_pod_without_node_or_status() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default", "uid": "u"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        "status": {"phase": "Pending"},
    }
    text = describe("Pod", pod, FakeView(0, [pod]))
    assert "Node:         <none>\n" in text
    assert "IPs:          <none>\n" in text
    assert "Volumes:          <none>\n" in text
    assert "QoS Class:        BestEffort\n" in text
    assert text.endswith("Events:           <none>\n")


def test_qos_classes() -> None:
    def pod(resources: dict[str, Any]) -> dict[str, Any]:
        return {"spec": {"containers": [{"name": "c", "resources": resources}]}, "status": {}}

    assert pod_qos_class(pod({})) == "BestEffort"
    both = {"cpu": "100m", "memory": "64Mi"}
    assert pod_qos_class(pod({"requests": both, "limits": both})) == "Guaranteed"
    assert pod_qos_class(pod({"requests": both})) == "Burstable"
    assert pod_qos_class(pod({"requests": {"cpu": "50m"}, "limits": both})) == "Burstable"


def test_toleration_and_env_formats() -> None:
    pod = kubia_pod()
    pod["spec"]["tolerations"] = [
        {"operator": "Exists"},
        {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"},
    ]
    pod["spec"]["containers"][0]["env"] = [
        {"name": "MODE", "value": "fast"},
        {
            "name": "POD_IP",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}},
        },
        {"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
    ]
    pod["spec"]["containers"][0]["readinessProbe"] = {
        "httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
        "periodSeconds": 5,
    }
    text = describe("Pod", pod, FakeView(80 * S, [pod]))
    assert (
        "Tolerations:                 op=Exists\n                             dedicated=gpu:NoSchedule\n"
        in text
    )
    assert (
        "    Readiness:  http-get http://:8080/ delay=0s timeout=1s period=5s #success=1 #failure=3\n"
        in text
    )
    assert (
        "    Environment:\n      MODE:    fast\n      POD_IP:  10.244.1.5 (v1:status.podIP)\n"
        in text
    )
    assert "      PASS:    <set to the key 'password' in secret 'db'>  Optional: false\n" in text
