"""kubectl commands through Session.run: result lines and error texts as kubectl 1.32 prints them."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.console_helpers import POD_YAML, ok, session


def test_unknown_command_flag_and_resource_texts() -> None:
    s = session()
    gett = s.run("kubectl gett pods")
    assert gett.stderr == (
        'Error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\n'
    )
    assert s.run("kubectl zzzzzz").stderr == 'Error: unknown command "zzzzzz" for "kubectl"\n'
    assert s.run("kubectl get pods --bogus").stderr == (
        "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    )
    assert s.run("kubectl get pods -z").stderr == (
        "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n"
    )
    assert s.run("kubectl get pdos").stderr == (
        'error: the server doesn\'t have a resource type "pdos"\n'
    )
    missing = s.run("kubectl get pods x")
    assert (missing.exit_code, missing.stderr) == (
        1,
        'Error from server (NotFound): pods "x" not found\n',
    )
    empty = s.run("kubectl get pods")
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        0,
        "",
        "No resources found in default namespace.\n",
    )
    # kube-system has pods; no namespace has a ReplicationController.
    assert s.run("kubectl get rc -A").stderr == "No resources found\n"


def test_generator_flag_is_explained() -> None:
    result = session().run("kubectl run kubia --image=luksa/kubia --generator=run/v1")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: unknown flag: --generator\nSee 'kubectl run --help' for usage.\n"
    )
    assert "removed from kubectl in 1.21" in result.stderr
    assert "ReplicationController" in result.stderr
    assert "kubectl create deployment" in result.stderr


def test_run_get_formats_and_short_names() -> None:
    s = session()
    assert ok(s, "kubectl run kubia --image=luksa/kubia --port=8080").stdout == (
        "pod/kubia created\n"
    )
    ok(s, "sleep 20")
    assert ok(s, "kubectl get po kubia -o name").stdout == "pod/kubia\n"
    pod = yaml.safe_load(ok(s, "kubectl get pod/kubia -o yaml").stdout)
    assert pod["metadata"]["labels"] == {"run": "kubia"}
    listed = json.loads(ok(s, "kubectl get pods -o json").stdout)
    assert listed["kind"] == "List" and len(listed["items"]) == 1
    wide = ok(s, "kubectl get pods -o wide").stdout.splitlines()
    assert wide[0].split() == [
        "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE",
        "READINESS", "GATES",
    ]  # fmt: skip
    assert ok(s, "kubectl get pods -o jsonpath={.items[0].metadata.name}").stdout == "kubia"
    assert ok(s, "kubectl get pods --no-headers").stdout.startswith("kubia ")
    nodes = ok(s, "kubectl get no --sort-by=.metadata.name -o name").stdout.split()
    assert nodes == sorted(nodes)
    phase = ok(s, "kubectl get pods --field-selector status.phase!=Running").stderr
    assert phase == "No resources found in default namespace.\n"
    bad_field = s.run("kubectl get pods --field-selector spec.foo=x")
    assert "field label not supported: spec.foo" in bad_field.stderr
    bad_format = s.run("kubectl get pods -o foo")
    assert bad_format.stderr.startswith(
        'error: unable to match a printer suitable for the output format "foo"'
    )
    both = ok(s, "kubectl get pods,svc").stdout
    assert "pod/kubia" in both and "service/kubernetes" in both


def test_run_dry_run_and_expose() -> None:
    s = session()
    text = ok(s, "kubectl run web --image=nginx --port=80 --env=A=1 --dry-run=client -o yaml")
    assert yaml.safe_load(text.stdout) == {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"creationTimestamp": None, "labels": {"run": "web"}, "name": "web"},
        "spec": {
            "containers": [
                {
                    "env": [{"name": "A", "value": "1"}],
                    "image": "nginx",
                    "name": "web",
                    "ports": [{"containerPort": 80}],
                    "resources": {},
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always",
        },
        "status": {},
    }
    assert s.cluster.get("Pod", "web") is None
    assert ok(s, "kubectl run web --image=nginx --port=80 --expose").stdout == (
        "service/web created\npod/web created\n"
    )
    assert s.run("kubectl run x --image=nginx --restart=Sometimes").stderr == (
        "error: invalid restart policy: Sometimes\nSee 'kubectl run -h' for help and examples\n"
    )
    assert s.run("kubectl expose pod web --name=web2 --port=8080").stdout == (
        "service/web2 exposed\n"
    )
    unlabeled = session()
    ok(unlabeled, "kubectl run a --image=nginx --labels=")
    assert "couldn't find port" in unlabeled.run("kubectl expose pod a").stderr


def test_create_apply_delete_from_files() -> None:
    s = session({"pod.yaml": POD_YAML})
    assert ok(s, "kubectl create -f pod.yaml").stdout == "pod/kubia created\n"
    again = s.run("kubectl create -f pod.yaml")
    assert again.stderr == (
        'Error from server (AlreadyExists): error when creating "pod.yaml": '
        'pods "kubia" already exists\n'
    )
    assert ok(s, "kubectl apply -f pod.yaml").stdout == "pod/kubia configured\n"
    assert ok(s, "kubectl apply -f pod.yaml").stdout == "pod/kubia unchanged\n"
    assert ok(s, "kubectl delete -f pod.yaml").stdout == 'pod "kubia" deleted\n'
    assert s.run("kubectl delete pod nope").stderr == (
        'Error from server (NotFound): pods "nope" not found\n'
    )
    assert s.run("kubectl apply -f nope.yaml").stderr == (
        'error: the path "nope.yaml" does not exist\n'
    )
    assert s.run("kubectl delete pods").stderr == (
        "error: resource(s) were provided, but no name was specified\n"
    )
    invalid = s.run("kubectl create deployment Bad_Name --image=nginx")
    # kubectl's generator wraps the server's message (real kubectl 1.32 against k8stui serve).
    assert invalid.stderr.startswith(
        'error: failed to create deployment: The Deployment "Bad_Name" is invalid: metadata.name'
    )


def test_scale_label_and_namespaces() -> None:
    s = session()
    ok(s, "kubectl create namespace team")
    assert ok(s, "kubectl create deploy web --image=nginx -n team").stdout == (
        "deployment.apps/web created\n"
    )
    assert s.run("kubectl scale deploy web --replicas=3").stderr == (
        'Error from server (NotFound): deployments.apps "web" not found\n'
    )
    assert ok(s, "kubectl scale deploy/web --replicas=3 -n team").stdout == (
        "deployment.apps/web scaled\n"
    )
    assert s.run("kubectl scale deploy/web --replicas=-1 -n team").stderr.startswith(
        "error: The --replicas=COUNT flag is required"
    )
    ok(s, "sleep 10")
    pods = ok(s, "kubectl get pods -n team -o name").stdout.split()
    assert len(pods) == 3
    assert ok(s, "kubectl label deploy web -n team tier=web").stdout == (
        "deployment.apps/web labeled\n"
    )
    assert ok(s, "kubectl label deploy web -n team tier=web").stdout == (
        "deployment.apps/web not labeled\n"
    )
    assert ok(s, "kubectl label deploy web -n team tier-").stdout == (
        "deployment.apps/web unlabeled\n"
    )
    assert ok(s, "kubectl annotate ns team owner=me").stdout == "namespace/team annotated\n"


def test_logs_exec_and_readiness_file() -> None:
    probe_pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "ready"},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "luksa/kubia",
                    "readinessProbe": {
                        "exec": {"command": ["ls", "/var/ready"]},
                        "periodSeconds": 1,
                    },
                }
            ]
        },
    }
    s = session({"ready.yaml": yaml.safe_dump(probe_pod)})
    ok(s, "kubectl apply -f ready.yaml")
    ok(s, "sleep 20")
    assert ok(s, "kubectl get pod ready --no-headers").stdout.split()[1] == "0/1"
    assert ok(s, "kubectl exec ready -- hostname").stdout == "ready\n"
    assert "HOSTNAME=ready" in ok(s, "kubectl exec ready -- env").stdout
    ok(s, "kubectl exec ready -- touch /var/ready")
    ok(s, "sleep 5")
    assert ok(s, "kubectl get pod ready --no-headers").stdout.split()[1] == "1/1"
    assert ok(s, "kubectl logs ready").stdout == "Kubia server starting...\n"
    assert ok(s, "kubectl exec ready -- curl -s localhost:8080").stdout.startswith("You've hit")
    missing = s.run("kubectl exec ready -- cat /nope")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "cat: /nope: No such file or directory\ncommand terminated with exit code 1\n",
    )
    assert s.run("kubectl logs ready -p").stderr == (
        'Error from server (BadRequest): previous terminated container "app" in pod "ready" '
        "not found\n"
    )
    assert s.run("kubectl logs ready -c nope").stderr == (
        "error: container nope is not valid for pod ready\n"
    )


def test_drain_needs_force_for_bare_pods() -> None:
    s = session()
    ok(s, "kubectl run bare --image=nginx")
    ok(s, "sleep 10")
    pod = s.cluster.get("Pod", "bare")
    assert pod is not None
    node = pod["spec"]["nodeName"]
    refused = s.run(f"kubectl drain {node}")
    assert refused.exit_code == 1
    assert (
        "cannot delete Pods that declare no controller (use --force to override): default/bare"
        in (refused.stderr)
    )
    drained = ok(s, f"kubectl drain {node} --force --ignore-daemonsets")
    assert drained.stdout.endswith(f"pod/bare evicted\nnode/{node} drained\n")
    daemons = ", ".join(
        f"kube-system/{p['metadata']['name']}"
        for p in sorted(s.cluster.list("Pod", "kube-system"), key=lambda p: p["metadata"]["name"])
        if p["spec"].get("nodeName") == node
    )
    assert drained.stderr == (
        f"Warning: ignoring DaemonSet-managed Pods: {daemons}; "
        "deleting Pods that declare no controller: default/bare\n"
    )
    assert ok(s, f"kubectl uncordon {node}").stdout == f"node/{node} uncordoned\n"


@pytest.mark.parametrize(
    "line",
    ["kubectl --help", "kubectl get --help", "kubectl create deployment -h", "kubectl rollout"],
)
def test_help(line: str) -> None:
    text = ok(session(), line).stdout
    assert "Usage:" in text or "Available Commands:" in text
