"""Pods holding the same spec objects share one digest (podspec.pod_view's memory), and the
memory never hands a pod the digest of a pod that differs."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.scheduler import podspec
from k8stui.engine.scheduler.podspec import pod_view

Obj = dict[str, Any]

APP = {"name": "app", "image": "nginx:1.27", "resources": {"requests": {"cpu": "250m"}}}
SIDE = {"name": "side", "image": "busybox:1.36", "resources": {"requests": {"cpu": "500m"}}}


def _pod(name: str, labels: Obj, **spec: Any) -> Obj:
    meta = {"name": name, "namespace": "shop", "uid": f"u-{name}", "labels": labels}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def test_pods_of_one_template_share_the_digest_but_keep_their_own_fields() -> None:
    labels = {"app": "web"}
    containers = [APP]
    first = pod_view(_pod("web-1", labels, containers=containers))
    second = pod_view(_pod("web-2", labels, containers=containers, nodeName="n-2"))
    assert (second.name, second.key, second.node_name) == ("web-2", "u-web-2", "n-2")
    assert second.local_key == (first.local_key[0], "n-2")
    assert second.affinity_required is first.affinity_required  # one digest
    assert second.cpu == first.cpu == 250


def test_the_same_containers_as_app_or_init_containers_are_not_confused() -> None:
    labels = {"app": "web"}
    both_app = pod_view(_pod("a", labels, containers=[APP, SIDE]))
    one_init = pod_view(_pod("b", labels, containers=[APP], initContainers=[SIDE]))
    assert both_app.cpu == 750  # the sum of the app containers
    assert one_init.cpu == 500  # the init step's peak
    assert both_app.local_key != one_init.local_key


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["100m", "250m", "1"]),
            st.sampled_from([None, 8080]),
            st.booleans(),
            st.sampled_from(["web", "api"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_every_view_equals_a_digest_made_from_scratch(
    pods: list[tuple[str, int | None, bool, str]],
) -> None:
    """Pods built from a few shared parts, in any order: each view equals the view of a deep
    copy (whose objects the memory has never seen)."""
    shared: dict[Any, Any] = {}

    def part(key: Any, make: Any) -> Any:
        return shared.setdefault(key, make())

    for n, (cpu, host_port, tolerate, app) in enumerate(pods):
        container = {
            "name": "c",
            "image": "nginx:1.27",
            "resources": part(("res", cpu), lambda cpu=cpu: {"requests": {"cpu": cpu}}),
        }
        if host_port is not None:
            container["ports"] = part("ports", lambda: [{"containerPort": 80, "hostPort": 8080}])
        spec: Obj = {"containers": [container]}
        if tolerate:
            spec["tolerations"] = part("tol", lambda: [{"operator": "Exists"}])
        pod = _pod(f"p{n}", part(("labels", app), lambda app=app: {"app": app}), **spec)
        fresh = copy.deepcopy(pod)
        assert pod_view(pod) == pod_view(fresh)


def test_the_memory_is_bounded() -> None:
    for n in range(podspec.DIGESTS_KEPT + 5):
        pod_view(_pod(f"p{n}", {"n": str(n)}, containers=[APP]))
    assert len(podspec._DIGESTS) <= podspec.DIGESTS_KEPT
