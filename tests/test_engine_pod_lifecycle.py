"""A pod's life on the kubelet and container runtime (reference §2, §8)."""

from __future__ import annotations

import itertools

from helpers import container, container_status, pod, pod_events

from k8stui.engine.cluster import Cluster


def test_pod_life_from_creation_to_running_emits_the_kubelet_events_in_order() -> None:
    c = Cluster(seed=1)
    c.create(pod("kubia", container("kubia", "luksa/kubia", ports=[{"containerPort": 8080}])))
    c.advance(30)
    node = c.get("Pod", "kubia")["spec"]["nodeName"]
    events = pod_events(c, "kubia")
    assert [r for _t, r, _m in events] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    assert events[0][2] == f"Successfully assigned default/kubia to {node}"
    assert events[1][2] == 'Pulling image "luksa/kubia"'
    assert events[2][2].startswith('Successfully pulled image "luksa/kubia" in ')
    assert events[2][2].endswith("including waiting). Image size: 661335360 bytes.")
    assert events[3][2] == "Created container: kubia"
    assert events[4][2] == "Started container kubia"
    status = c.get("Pod", "kubia")["status"]
    assert status["phase"] == "Running"
    assert status["podIP"].startswith("10.244.")
    assert container_status(c, "kubia")["ready"] is True


def test_pod_is_pending_with_container_creating_while_the_image_downloads() -> None:
    c = Cluster(seed=1)
    c.create(pod("kubia", container("kubia", "luksa/kubia")))
    c.advance(2)
    status = c.get("Pod", "kubia")["status"]
    assert status["phase"] == "Pending"
    assert container_status(c, "kubia")["state"] == {"waiting": {"reason": "ContainerCreating"}}


def test_second_pod_on_a_node_finds_the_image_already_present() -> None:
    c = Cluster(seed=1)
    c.create(pod("a", container("a", "nginx:1.27"), nodeName="worker-1"))
    c.advance(10)
    c.create(pod("b", container("b", "nginx:1.27"), nodeName="worker-1"))
    c.advance(10)
    reasons = pod_events(c, "b")
    assert (
        "Normal",
        "Pulled",
        'Container image "nginx:1.27" already present on machine',
    ) in reasons
    assert not any(r == "Pulling" for _t, r, _m in reasons)


def test_missing_image_goes_err_image_pull_then_image_pull_back_off_with_doubling_delay() -> None:
    c = Cluster(seed=1)
    c.create(pod("bad", container("bad", "luksa/kubiaa:v9")))
    c.advance(1.6)
    assert container_status(c, "bad")["state"]["waiting"]["reason"] == "ErrImagePull"
    c.advance(1.0)
    waiting = container_status(c, "bad")["state"]["waiting"]
    assert waiting == {
        "reason": "ImagePullBackOff",
        "message": 'Back-off pulling image "luksa/kubiaa:v9"',
    }
    messages = [m for _t, r, m in pod_events(c, "bad") if r == "Failed"]
    assert messages[0].startswith('Failed to pull image "luksa/kubiaa:v9": rpc error:')
    assert messages[1:3] == ["Error: ErrImagePull", "Error: ImagePullBackOff"]
    # Retries follow the 10 s -> 20 s -> 40 s back-off.
    c.advance(120)
    pulls = [e for e in c.events(c.get("Pod", "bad")) if e["reason"] == "Pulling"]
    assert pulls[0]["count"] == 4  # t=1, 11, 31, 71 s
    c.advance(1000)
    pulls = [e for e in c.events(c.get("Pod", "bad")) if e["reason"] == "Pulling"]
    # 1, 11, 31, 71, 151, 311, then every 300 s: 611, 911
    assert pulls[0]["count"] == 8


def _restart_times(c: Cluster, name: str) -> list[float]:
    return [
        float(line.split()[0])
        for line in c.event_log()
        if f"pod/{name} " in line and "Started container" in line
    ]


def test_crash_loop_back_off_follows_the_0_10_20_40_sequence_and_names_the_delay() -> None:
    c = Cluster(seed=1)
    c.create(pod("crash", container("crash", "busybox", command=["sh", "-c", "exit 1"])))
    c.advance(200)
    starts = _restart_times(c, "crash")
    # The back-off runs from each exit (the container exits as it starts); the re-pull of
    # busybox:latest then adds half a second before the next start.
    gaps = [int(b - a) for a, b in itertools.pairwise(starts)]
    assert gaps[:5] == [0, 10, 20, 40, 80]
    c.advance(1000)
    starts = _restart_times(c, "crash")
    gaps = [int(b - a) for a, b in itertools.pairwise(starts)]
    assert gaps[5:8] == [160, 300, 300]
    status = container_status(c, "crash")
    assert status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    uid = c.get("Pod", "crash")["metadata"]["uid"]
    assert status["state"]["waiting"]["message"] == (
        f"back-off 5m0s restarting failed container=crash pod=crash_default({uid})"
    )
    assert status["lastState"]["terminated"]["reason"] == "Error"
    assert status["lastState"]["terminated"]["exitCode"] == 1
    backoff = [e for e in c.events(c.get("Pod", "crash")) if e["reason"] == "BackOff"]
    assert (
        backoff[0]["message"]
        == f"Back-off restarting failed container crash in pod crash_default({uid})"
    )


def test_back_off_resets_after_ten_minutes_of_clean_running() -> None:
    c = Cluster(seed=1)
    # Runs 11 minutes, then fails: each restart comes straight away, never in back-off.
    c.create(pod("slow", container("slow", "busybox", command=["sh", "-c", "sleep 660; exit 2"])))
    c.advance(2100)
    starts = _restart_times(c, "slow")
    gaps = [round(b - a) for a, b in itertools.pairwise(starts)]
    assert gaps == [660, 660, 660]


def test_restart_policy_never_leaves_the_pod_failed_and_on_failure_completes() -> None:
    c = Cluster(seed=1)
    c.create(
        pod(
            "never",
            container("never", "busybox", command=["sh", "-c", "exit 3"]),
            restartPolicy="Never",
        )
    )
    c.create(
        pod(
            "done",
            container("done", "busybox", command=["sh", "-c", "sleep 2"]),
            restartPolicy="OnFailure",
        )
    )
    c.advance(30)
    assert c.get("Pod", "never")["status"]["phase"] == "Failed"
    assert container_status(c, "never")["state"]["terminated"]["exitCode"] == 3
    assert c.get("Pod", "done")["status"]["phase"] == "Succeeded"
    assert container_status(c, "done")["state"]["terminated"]["reason"] == "Completed"
    assert container_status(c, "done")["restartCount"] == 0


def test_memory_over_the_limit_is_oom_killed_with_137() -> None:
    c = Cluster(seed=1)
    limits = {"resources": {"limits": {"memory": "20Mi"}, "requests": {"memory": "20Mi"}}}
    c.create(pod("hog", container("hog", "k8stui/memhog", **limits)))
    c.advance(60)
    status = container_status(c, "hog")
    last = status["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("OOMKilled", 137)
    assert status["restartCount"] >= 1


def test_two_containers_binding_one_port_the_second_crash_loops() -> None:
    c = Cluster(seed=1)
    c.create(pod("clash", container("web", "nginx:1.27"), container("web2", "nginx:1.27")))
    c.advance(120)
    first, second = container_status(c, "clash", 0), container_status(c, "clash", 1)
    assert first["ready"] is True and first["restartCount"] == 0
    assert second["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert second["lastState"]["terminated"]["exitCode"] == 1
    assert c.get("Pod", "clash")["status"]["phase"] == "Running"


def test_empty_dir_is_shared_by_containers_and_kept_across_a_container_restart() -> None:
    c = Cluster(seed=1)
    volume = [{"name": "html", "emptyDir": {}}]
    web = container(
        "web", "nginx:alpine", volumeMounts=[{"name": "html", "mountPath": "/usr/share/nginx/html"}]
    )
    gen = container(
        "html-generator",
        "luksa/fortune",
        volumeMounts=[{"name": "html", "mountPath": "/var/htdocs"}],
    )
    c.create(pod("fortune", gen, web, volumes=volume))
    c.advance(30)
    ip = c.get("Pod", "fortune")["status"]["podIP"]
    first = c.request(ip, 80)
    assert first.ok and first.status == 200 and first.body.strip()
    assert "Welcome to nginx" not in first.body
    c.inject(
        __import__("k8stui.engine.faults", fromlist=["Fault"]).Fault(
            kind="kill-container", target="fortune", container="web"
        )
    )
    c.advance(1)
    again = c.request(ip, 80)
    assert again.ok and again.body == first.body  # same file, same 10 s window
    assert container_status(c, "fortune", 1)["restartCount"] == 1


def test_failing_readiness_probe_keeps_the_container_unready() -> None:
    c = Cluster(seed=1)
    probe = {"exec": {"command": ["ls", "/var/ready"]}, "periodSeconds": 1}
    c.create(pod("kubia", container("kubia", "luksa/kubia", readinessProbe=probe)))
    c.advance(60)
    status = container_status(c, "kubia")
    assert status["state"].get("running") and status["ready"] is False
    ready = next(x for x in c.get("Pod", "kubia")["status"]["conditions"] if x["type"] == "Ready")
    assert ready["status"] == "False" and ready["reason"] == "ContainersNotReady"
    unhealthy = [e for e in c.events(c.get("Pod", "kubia")) if e["reason"] == "Unhealthy"]
    assert (
        unhealthy[0]["message"]
        == "Readiness probe failed: ls: cannot access '/var/ready': No such file or directory"
    )


def test_hostname_is_the_pod_name_and_logs_are_per_container() -> None:
    c = Cluster(seed=1)
    c.create(
        pod("kubia-manual", container("kubia", "luksa/kubia", ports=[{"containerPort": 8080}]))
    )
    c.advance(30)
    ip = c.get("Pod", "kubia-manual")["status"]["podIP"]
    assert c.request(ip, 8080).body == "You've hit kubia-manual\n"
    logs = c.kubelets.logs(c.get("Pod", "kubia-manual"), "kubia")
    assert logs is not None and logs[0] == "Kubia server starting..."
