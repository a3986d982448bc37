"""JSON patch (RFC 6902): the six operations, the API server's errors, and properties."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.apiserver.json_patch import JsonPatchError, apply_json_patch

DOC: dict[str, Any] = {
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}},
}


def test_the_six_operations() -> None:
    ops = [
        {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
        {"op": "replace", "path": "/spec/replicas", "value": 5},
        {"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "b"}},
        {"op": "copy", "from": "/metadata/labels/app", "path": "/metadata/labels/copy"},
        {"op": "move", "from": "/metadata/labels/tier", "path": "/metadata/labels/moved"},
        {"op": "remove", "path": "/spec/template/spec/containers/0"},
        {"op": "test", "path": "/spec/replicas", "value": 5},
    ]
    before = copy.deepcopy(DOC)
    out = apply_json_patch(DOC, ops)
    assert out == {
        "metadata": {"name": "web", "labels": {"app": "web", "copy": "web", "moved": "front"}},
        "spec": {"replicas": 5, "template": {"spec": {"containers": [{"name": "b"}]}}},
    }
    assert before == DOC


def test_add_inserts_into_a_list_at_an_index() -> None:
    out = apply_json_patch({"a": [1, 3]}, [{"op": "add", "path": "/a/1", "value": 2}])
    assert out == {"a": [1, 2, 3]}


@pytest.mark.parametrize(
    ("op", "detail"),
    [
        (
            {"op": "remove", "path": "/metadata/labels/missing"},
            'remove operation does not apply: doc is missing path: "/metadata/labels/missing": '
            "missing value",
        ),
        (
            {"op": "replace", "path": "/spec/tolerations", "value": []},
            "replace operation does not apply: doc is missing key: /spec/tolerations: missing value",
        ),
        (
            {"op": "add", "path": "/spec/nothere/x", "value": 1},
            'add operation does not apply: doc is missing path: "/spec/nothere/x": missing value',
        ),
        (
            {"op": "move", "from": "/nope", "path": "/x"},
            "move operation does not apply: doc is missing from path: /nope: missing value",
        ),
        (
            {"op": "copy", "from": "/nope", "path": "/x"},
            "copy operation does not apply: doc is missing from path: /nope: missing value",
        ),
        (
            {"op": "test", "path": "/spec/replicas", "value": 3},
            "testing value /spec/replicas failed: test failed",
        ),
        (
            {"op": "test", "path": "/spec/replicas", "value": True},
            "testing value /spec/replicas failed: test failed",
        ),
        ({"op": "frobnicate", "path": "/x"}, "Unexpected kind: frobnicate"),
        ({"op": "add", "value": 1}, "operation missing path field"),
        (
            {"op": "add", "path": "/spec/template/spec/containers/7", "value": 1},
            'add operation does not apply: doc is missing path: "/spec/template/spec/containers/7": '
            "missing value",
        ),
    ],
)
def test_failures_are_the_servers_422(op: dict[str, Any], detail: str) -> None:
    with pytest.raises(JsonPatchError) as err:
        apply_json_patch(DOC, [op])
    assert (err.value.code, err.value.reason) == (422, "Invalid")
    assert err.value.message == "the server rejected our request due to an error in our request"
    assert err.value.detail == detail
    assert err.value.kubectl_text() == (
        "The request is invalid: the server rejected our request due to an error in our request"
    )
    assert err.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "the server rejected our request due to an error in our request",
        "reason": "Invalid",
        "details": {},
        "code": 422,
    }


def test_a_failing_operation_leaves_the_input_alone() -> None:
    before = copy.deepcopy(DOC)
    with pytest.raises(JsonPatchError):
        apply_json_patch(
            DOC,
            [
                {"op": "replace", "path": "/spec/replicas", "value": 9},
                {"op": "remove", "path": "/missing"},
            ],
        )
    assert before == DOC


def test_malformed_bodies_are_bad_requests() -> None:
    with pytest.raises(JsonPatchError) as err:
        apply_json_patch(DOC, {"op": "add", "path": "/x", "value": 1})
    assert (err.value.code, err.value.message) == (
        400,
        "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
    )
    assert err.value.kubectl_text() == (
        "Error from server (BadRequest): json: cannot unmarshal object into Go value of type "
        "jsonpatch.Patch"
    )
    with pytest.raises(JsonPatchError) as err:
        apply_json_patch(DOC, ["add"])
    assert err.value.message == (
        "json: cannot unmarshal string into Go value of type jsonpatch.Operation"
    )
    with pytest.raises(JsonPatchError) as err:
        apply_json_patch(DOC, [{"op": "test", "path": "", "value": 1}] * 10001)
    assert err.value.message == "The allowed maximum operations in a JSON patch is 10000, got 10001"


def test_null_patch_is_empty() -> None:
    assert apply_json_patch(DOC, None) == DOC


_values = st.recursive(
    st.one_of(st.integers(-5, 5), st.text(max_size=3), st.booleans(), st.none()),
    lambda inner: st.dictionaries(st.text("abc", max_size=2), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    doc=st.dictionaries(st.text("abc", min_size=1, max_size=2), _values, max_size=4),
    key=st.text("abcd", min_size=1, max_size=2),
    value=_values,
)
def test_add_then_remove_round_trips(doc: dict[str, Any], key: str, value: Any) -> None:
    if key in doc:
        return
    added = apply_json_patch(
        doc,
        [
            {"op": "add", "path": f"/{key}", "value": value},
            {"op": "test", "path": f"/{key}", "value": value},
        ],
    )
    assert added[key] == value
    assert apply_json_patch(added, [{"op": "remove", "path": f"/{key}"}]) == doc


@settings(max_examples=100, deadline=None)
@given(
    ops=st.lists(
        st.dictionaries(
            st.sampled_from(["op", "path", "from", "value"]),
            st.one_of(st.text(max_size=6), st.integers(), st.none()),
            max_size=4,
        ),
        max_size=5,
    )
)
def test_random_operations_give_an_api_error_or_a_result(ops: list[dict[str, Any]]) -> None:
    try:
        apply_json_patch(DOC, ops)
    except JsonPatchError as err:
        assert err.code in (400, 422)


def test_deep_nesting_is_refused() -> None:
    deep: Any = 1
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(JsonPatchError) as err:
        apply_json_patch({}, [{"op": "add", "path": "/a", "value": deep}])
    assert (err.value.code, err.value.message) == (
        400,
        "the patch is nested too deeply (more than 64 levels)",
    )
