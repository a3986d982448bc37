"""The audit's fidelity fixes (issue 12), one scenario each, with the exact texts."""

from __future__ import annotations

import itertools
from typing import Any

from console_helpers import POD_YAML, ok, session
from helpers import container, pod

from k8stui.engine.clock import from_timestamp
from k8stui.engine.cluster import Cluster

Obj = dict[str, Any]


def _started_at(c: Cluster, name: str) -> list[float]:
    return [float(line.split()[0]) for line in c.event_log() if f"Started pod/{name} " in line]


def test_1_crash_back_off_is_timed_from_the_exit() -> None:
    c = Cluster(seed=1)
    c.create(pod("c", container("c", "busybox", command=["sh", "-c", "sleep 30; exit 1"])))
    c.advance(200)
    starts = _started_at(c, "c")
    # Each run lasts 30 s; the kubelet then waits 0, 10, 20, 40 s after the exit (plus the
    # half second it takes to create the container again).
    waits = [int(b - a - 30) for a, b in itertools.pairwise(starts)]
    assert waits[:4] == [0, 10, 20, 40]


def test_1_exit_zero_under_always_crash_loops_too() -> None:
    s = session()
    ok(s, 'kubectl run z --image=busybox -- sh -c "exit 0"')
    ok(s, "sleep 30")
    status = s.cluster.get("Pod", "z")["status"]["containerStatuses"][0]
    assert status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert status["lastState"]["terminated"]["reason"] == "Completed"
    assert status["lastState"]["terminated"]["exitCode"] == 0
    assert ok(s, "kubectl get pod z --no-headers").stdout.split()[2] == "CrashLoopBackOff"


def test_2_a_container_without_readiness_probe_is_ready_when_running() -> None:
    c = Cluster(seed=1)
    # k8stui/memhog-like images start instantly; kubia takes its start-up time behind the
    # scenes, which no longer delays Ready.
    c.create(pod("k", container("k", "luksa/kubia")))
    c.run_until(lambda cl: cl.get("Pod", "k")["status"].get("phase") == "Running", 60)
    status = c.get("Pod", "k")["status"]
    started = from_timestamp(status["containerStatuses"][0]["state"]["running"]["startedAt"])
    ready = next(cond for cond in status["conditions"] if cond["type"] == "Ready")
    assert ready["status"] == "True"
    assert from_timestamp(ready["lastTransitionTime"]) - started <= 1000


def test_3_describe_deployment_lists_only_old_replica_sets_with_replicas() -> None:
    s = session()
    ok(s, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    ok(s, "sleep 20")
    dep = s.cluster.get("Deployment", "web")
    template = dep["spec"]["template"]
    spec = {
        **template["spec"],
        "containers": [{**template["spec"]["containers"][0], "image": "nginx:alpine"}],
    }
    s.cluster.replace({**dep, "spec": {**dep["spec"], "template": {**template, "spec": spec}}})
    s.cluster.advance(2)
    rolling = ok(s, "kubectl describe deploy web").stdout
    old_line = next(line for line in rolling.splitlines() if line.startswith("OldReplicaSets:"))
    assert old_line != "OldReplicaSets:  <none>" and "replicas created" in old_line
    ok(s, "sleep 60")
    done = ok(s, "kubectl describe deploy web").stdout
    assert "OldReplicaSets:  <none>\n" in done


def test_4_apply_on_a_created_object_warns_about_the_annotation() -> None:
    s = session({"pod.yaml": POD_YAML})
    ok(s, "kubectl create -f pod.yaml")
    result = ok(s, "kubectl apply -f pod.yaml")
    assert result.stdout == "pod/kubia configured\n"
    assert result.stderr == (
        "Warning: resource pods/kubia is missing the kubectl.kubernetes.io/last-applied-"
        "configuration annotation which is required by kubectl apply. kubectl apply should only "
        "be used on resources created declaratively by either kubectl create --save-config or "
        "kubectl apply. The missing annotation will be patched automatically.\n"
    )
    assert ok(s, "kubectl apply -f pod.yaml").stderr == ""


def test_6_args_output_reaches_the_log() -> None:
    s = session()
    ok(s, "kubectl run t --image=busybox --restart=Never -- echo hello")
    ok(s, "sleep 10")
    assert ok(s, "kubectl logs t").stdout == "hello\n"
    ok(s, 'kubectl run u --image=busybox -- sh -c "echo one; exit 1"')
    ok(s, "sleep 30")
    assert ok(s, "kubectl logs u --previous").stdout == "one\n"


def test_9_templates_keep_a_null_timestamp_and_statuses_the_runtime_image() -> None:
    s = session()
    ok(s, "kubectl create deployment web --image=nginx:1.27")
    yaml_text = ok(s, "kubectl get deployment web -o yaml").stdout
    assert "  template:\n    metadata:\n      creationTimestamp: null\n" in yaml_text
    ok(s, "kubectl run k --image=luksa/kubia")
    ok(s, "sleep 20")
    status = s.cluster.get("Pod", "k")["status"]["containerStatuses"][0]
    assert status["image"] == "docker.io/luksa/kubia:latest"
    assert "    Image:          luksa/kubia\n" in ok(s, "kubectl describe pod k").stdout


def test_12_endpoints_subsets_kubernetes_endpoint_and_create_help() -> None:
    s = session()
    assert ok(s, "kubectl describe endpoints kubernetes").stdout == (
        "Name:         kubernetes\n"
        "Namespace:    default\n"
        "Labels:       endpointslice.kubernetes.io/skip-mirror=true\n"
        "Annotations:  <none>\n"
        "Subsets:\n"
        "  Addresses:          172.18.0.2\n"
        "  NotReadyAddresses:  <none>\n"
        "  Ports:\n"
        "    Name   Port  Protocol\n"
        "    ----   ----  --------\n"
        "    https  6443  TCP\n"
        "\n"
        "Events:  <none>\n"
    )
    assert (
        "Endpoints:                172.18.0.2:6443\n"
        in ok(s, "kubectl describe svc kubernetes").stdout
    )
    help_text = ok(s, "kubectl create --help").stdout
    assert help_text.endswith(
        'Use "kubectl create <command> --help" for more information about a given command.\n'
        'Use "kubectl options" for a list of global command-line options (applies to all '
        "commands).\n"
    )


def test_13_unsimulated_kinds_are_named_as_such_on_get() -> None:
    s = session()
    result = s.run("kubectl get networkpolicies")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: NetworkPolicy (networking.k8s.io/v1) is a valid Kubernetes kind, but k8stui "
        "does not simulate it yet\n",
    )
    ingress = s.run("kubectl get ing")
    assert ingress.stderr == (
        "error: Ingress (networking.k8s.io/v1) is a valid Kubernetes kind, but k8stui does not "
        "simulate it yet\n"
    )
    typo = s.run("kubectl get pdos")
    assert typo.stderr == 'error: the server doesn\'t have a resource type "pdos"\n'


def test_14_a_tab_in_indentation_is_reported_with_its_line() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: t\n"
    s = session({"tab.yaml": text})
    result = s.run("kubectl apply -f tab.yaml")
    assert result.stderr == (
        "error: error parsing tab.yaml: error converting YAML to JSON: yaml: line 4: found "
        "character that cannot start any token\n"
    )


def test_configmap_and_secret_consumption_env_and_volumes() -> None:
    s = session(
        {
            "pod.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: {app: app}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo $(GREETING) $(POD) $(CPU) $(PASS); sleep 3600"]
    env:
    - name: GREETING
      valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: CPU
      valueFrom: {resourceFieldRef: {resource: limits.cpu}}
    - name: PASS
      valueFrom: {secretKeyRef: {name: creds, key: password}}
    envFrom:
    - configMapRef: {name: cfg}
      prefix: CFG_
    volumeMounts:
    - {name: cfg, mountPath: /etc/cfg}
  volumes:
  - name: cfg
    configMap: {name: cfg, optional: true}
""",
            "cfg.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n"
            "  greeting: hello\n",
            "cfg2.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n"
            "  greeting: bonjour\n",
            "creds.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n"
            "stringData:\n  password: s3cret\n",
        }
    )
    ok(s, "kubectl apply -f pod.yaml")
    ok(s, "sleep 5")
    state = s.cluster.get("Pod", "app")["status"]["containerStatuses"][0]["state"]["waiting"]
    assert state == {"reason": "CreateContainerConfigError", "message": 'configmap "cfg" not found'}
    assert (
        ok(s, "kubectl get pod app --no-headers").stdout.split()[2] == "CreateContainerConfigError"
    )
    ok(s, "kubectl apply -f cfg.yaml")
    ok(s, "sleep 10")
    waiting = s.cluster.get("Pod", "app")["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["message"] == 'secret "creds" not found'
    ok(s, "kubectl apply -f creds.yaml")
    ok(s, "sleep 10")
    assert ok(s, "kubectl logs app").stdout == "hello app 2 s3cret\n"
    env = ok(s, "kubectl exec app -- env").stdout
    assert "CFG_greeting=hello\n" in env and "PASS=s3cret\n" in env
    # The optional volume was mounted empty; the kubelet's next sync (1 min) fills it.
    assert s.run("kubectl exec app -- cat /etc/cfg/greeting").exit_code == 1
    ok(s, "sleep 60")
    assert ok(s, "kubectl exec app -- cat /etc/cfg/greeting").stdout == "hello\n"
    ns = ok(s, "kubectl exec app -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace")
    assert ns.stdout == "default\n"
    listing = ok(s, "kubectl exec app -- ls /var/run/secrets/kubernetes.io/serviceaccount")
    assert listing.stdout.split() == ["ca.crt", "namespace", "token"]
    ok(s, "kubectl apply -f cfg2.yaml")
    ok(s, "sleep 30")
    assert ok(s, "kubectl exec app -- cat /etc/cfg/greeting").stdout == "hello\n"
    ok(s, "sleep 31")
    assert ok(s, "kubectl exec app -- cat /etc/cfg/greeting").stdout == "bonjour\n"


def test_a_missing_configmap_volume_keeps_the_pod_creating() -> None:
    c = Cluster(seed=1)
    spec: Obj = {
        "volumes": [{"name": "conf", "configMap": {"name": "missing"}}],
    }
    c.create(
        pod(
            "p",
            container("p", "nginx:1.27", volumeMounts=[{"name": "conf", "mountPath": "/c"}]),
            **spec,
        )
    )
    c.advance(30)
    p = c.get("Pod", "p")
    assert p["status"]["phase"] == "Pending"
    failed = [e for e in c.events(p) if e["reason"] == "FailedMount"]
    assert failed[0]["message"] == (
        'MountVolume.SetUp failed for volume "conf" : configmap "missing" not found'
    )
    assert failed[0]["count"] >= 2
