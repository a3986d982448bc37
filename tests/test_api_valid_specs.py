"""A pod spec the API server found valid once is not validated again, yet every pod gets
the answer it would get from a server that never saw the spec before."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError

Obj = dict[str, Any]

SPEC: Obj = {
    "containers": [
        {
            "name": "app",
            "image": "nginx:1.27",
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
        }
    ]
}


def _pod(name: str, spec: Obj | None = None, **extra: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, **extra.pop("metadata", {})},
        "spec": copy.deepcopy(spec or SPEC),
        **extra,
    }


def _answer(c: Cluster, pod: Obj) -> tuple[int, str] | str:
    try:
        return c.create(pod).obj["metadata"]["name"]
    except ApiError as exc:
        return exc.code, str(exc)


def _with_spec_known(pod: Obj) -> tuple[int, str] | str:
    c = Cluster(seed=4)
    assert _answer(c, _pod("first")) == "first"  # the spec is now known to pass
    return _answer(c, pod)


def _fresh(pod: Obj) -> tuple[int, str] | str:
    return _answer(Cluster(seed=4), pod)


def _bad_container(field: str, value: Any) -> Obj:
    spec = copy.deepcopy(SPEC)
    spec["containers"][0][field] = value
    return spec


@pytest.mark.parametrize(
    "pod",
    [
        _pod("Bad_Name"),
        _pod("ok", metadata={"labels": {"bad key!": "x"}}),
        _pod("ok", status={"capacity": {"cpu": "1.5.3"}}),  # decoded before status is reset
        _pod("ok", _bad_container("resources", {"requests": {"cpu": "1.5.3"}})),
        _pod("ok", _bad_container("imagePullPolicy", "Sometimes")),
        _pod("ok", {**SPEC, "restartPolicy": "Never"}),
        _pod("ok", _bad_container("resources", {"requests": {"cpu": 0.1, "memory": "64Mi"}})),
    ],
)
def test_a_known_spec_gives_every_pod_the_fresh_answer(pod: Obj) -> None:
    assert _with_spec_known(copy.deepcopy(pod)) == _fresh(copy.deepcopy(pod))


def test_the_answers_above_include_refusals() -> None:
    # (So the comparison above is not only between successes.)
    assert isinstance(_fresh(_pod("Bad_Name")), tuple)
    assert _fresh(_pod("ok", status={"capacity": {"cpu": "1.5.3"}}))[0] == 400  # type: ignore[index]
    assert isinstance(_fresh(_pod("ok", _bad_container("imagePullPolicy", "Sometimes"))), tuple)
