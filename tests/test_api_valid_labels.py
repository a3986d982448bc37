"""Label maps found valid are remembered; every map still gets the errors its items give."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from k8stui.engine.apiserver.validation.field_checks import validate_labels
from k8stui.engine.apiserver.validation.field_errors import INVALID, FieldError
from k8stui.engine.apiserver.validation.names import label_value, qualified_name
from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError

KEYS = ["app", "tier", "example.com/team", "-bad", "a/b/c", "x" * 64, "", "pod-template-hash"]
VALUES: list[Any] = ["web", "", "-", "v1.2", "x" * 64, 1, True, None, ["web"], {"a": "b"}]


def _expected(labels: dict[str, Any], path: str) -> list[FieldError]:
    """Each key's and each string value's messages, in the map's order."""
    errs = []
    for key, value in labels.items():
        errs += [FieldError(path, INVALID, key, m) for m in qualified_name(key)]
        if isinstance(value, str):
            errs += [FieldError(path, INVALID, value, m) for m in label_value(value)]
    return errs


@given(
    st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=5),
    st.sampled_from(["metadata.labels", "spec.selector.matchLabels"]),
)
def test_a_map_gets_its_own_errors_first_and_again(labels: dict[str, Any], path: str) -> None:
    expected = _expected(labels, path)
    assert validate_labels(labels, path) == expected
    assert validate_labels(dict(labels), path) == expected  # (remembered when valid)


def _answer(c: Cluster, name: str, labels: dict[str, Any]) -> str:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
    }
    try:
        return c.create(pod).obj["metadata"]["name"]
    except ApiError as exc:
        return f"{exc.code} {exc}"


def test_a_remembered_map_does_not_pass_a_bad_one_alike() -> None:
    c = Cluster(seed=3)
    bad = {"app": "web", "-tier": "front"}
    before = _answer(c, "b1", bad)
    assert "metadata.labels" in before and "-tier" in before
    assert _answer(c, "ok", {"app": "web", "tier": "front"}) == "ok"
    assert _answer(c, "ok2", {"app": "web", "tier": "front"}) == "ok2"
    assert _answer(c, "b1", bad) == before
    # Maps equal to the remembered one but for one value still get that value's error.
    assert 'Invalid value: "-"' in _answer(c, "b2", {"app": "web", "tier": "-"})
