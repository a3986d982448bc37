"""Strategic merge patch: list merge keys, directives, errors, and the table vs the schemas."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.apiserver import patch_schema
from k8stui.engine.apiserver.strategic_merge import (
    StrategicPatchError,
    apply_strategic_merge_patch,
)
from k8stui.engine.errors import ApiError
from tests.schema_walk import DEFINITIONS, walk

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}, "finalizers": ["a"]},
    "spec": {
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                "args": ["--one", "--two"],
            },
            {"name": "sidecar", "image": "busybox"},
        ],
        "tolerations": [{"key": "k", "operator": "Exists"}],
        "volumes": [{"name": "data", "emptyDir": {}}],
    },
}


def smp(patch: Any, obj: dict[str, Any] | None = None, kind: str = "Pod") -> dict[str, Any]:
    return apply_strategic_merge_patch(obj if obj is not None else POD, patch, kind)


def test_containers_merge_by_name_and_patch_items_lead() -> None:
    # The apimachinery order: items named in the patch in the patch's order; a live-only item
    # goes before a patch item only when both are in the live list and it came first there.
    out = smp({"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}, {"name": "new"}]}})
    names = [c["name"] for c in out["spec"]["containers"]]
    assert names == ["app", "new", "sidecar"]
    added = smp({"spec": {"containers": [{"name": "new"}]}})
    assert [c["name"] for c in added["spec"]["containers"]] == ["new", "app", "sidecar"]
    app = out["spec"]["containers"][0]
    assert app["image"] == "nginx:1.27"
    assert app["ports"] == [{"containerPort": 80, "protocol": "TCP"}]  # untouched fields stay


def test_nested_keyed_lists_env_ports_volume_mounts() -> None:
    patch = {
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "env": [{"name": "B", "value": "two"}, {"name": "C", "value": "3"}],
                    "ports": [{"containerPort": 443}],
                    "volumeMounts": [{"mountPath": "/data", "name": "data"}],
                }
            ]
        }
    }
    app = smp(patch)["spec"]["containers"][0]
    assert app["env"] == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": "two"},
        {"name": "C", "value": "3"},
    ]
    assert app["ports"] == [{"containerPort": 443}, {"containerPort": 80, "protocol": "TCP"}]
    assert app["volumeMounts"] == [{"mountPath": "/data", "name": "data"}]


def test_atomic_lists_are_replaced() -> None:
    out = smp(
        {"spec": {"tolerations": [{"key": "x"}], "containers": [{"name": "app", "args": []}]}}
    )
    assert out["spec"]["tolerations"] == [{"key": "x"}]
    assert out["spec"]["containers"][0]["args"] == []


def test_null_deletes_and_inputs_are_not_modified() -> None:
    before = copy.deepcopy(POD)
    out = smp({"metadata": {"labels": {"tier": None}}, "spec": {"volumes": None}})
    assert out["metadata"]["labels"] == {"app": "web"}
    assert "volumes" not in out["spec"]
    assert before == POD


def test_the_patch_kubectl_apply_sends_with_set_element_order() -> None:
    # The body the real kubectl sent in kubectl-requests/v3min.txt (image changed).
    patch = {
        "metadata": {"labels": {"tier": "web"}},
        "spec": {
            "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "app"}],
            "containers": [{"image": "luksa/kubia:v2", "name": "app"}],
        },
    }
    out = smp(patch)
    assert [c["name"] for c in out["spec"]["containers"]] == ["sidecar", "app"]
    assert out["spec"]["containers"][1]["image"] == "luksa/kubia:v2"
    assert out["metadata"]["labels"]["tier"] == "web"
    assert not any(k.startswith("$") for k in out["spec"])


def test_set_element_order_keeps_unlisted_server_items_in_place() -> None:
    live = {"spec": {"containers": [{"name": "a"}, {"name": "server"}, {"name": "b"}]}}
    patch = {"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}}
    out = smp(patch, live)
    # Listed items take the patch's order; a server-only item goes before the first listed
    # item that came after it in the live list.
    assert [c["name"] for c in out["spec"]["containers"]] == ["server", "b", "a"]


def test_set_element_order_on_primitive_set() -> None:
    out = smp({"metadata": {"$setElementOrder/finalizers": ["b", "a"], "finalizers": ["b"]}})
    assert out["metadata"]["finalizers"] == ["b", "a"]


def test_patch_delete_removes_keyed_item_and_map() -> None:
    out = smp({"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}})
    assert [c["name"] for c in out["spec"]["containers"]] == ["app"]
    deploy = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}
    out = smp({"spec": {"strategy": {"rollingUpdate": {"$patch": "delete"}}}}, deploy, "Deployment")
    # "$patch: delete" on a map leaves an empty map, as apimachinery does ("null" removes it).
    assert out["spec"]["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {}}


def test_patch_replace_on_a_list_and_on_a_map() -> None:
    patch = {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}}
    assert smp(patch)["spec"]["containers"] == [{"name": "only", "image": "x"}]
    out = smp({"metadata": {"labels": {"$patch": "replace", "new": "1"}}})
    assert out["metadata"]["labels"] == {"new": "1"}


def test_patch_merge_and_unknown_directives_are_refused_like_the_real_server() -> None:
    with pytest.raises(StrategicPatchError) as err:
        smp({"metadata": {"labels": {"$patch": "merge", "x": "1"}}})
    assert (err.value.code, err.value.reason) == (500, "")
    assert err.value.message == "unknown patch type: merge in map: map[x:1]"
    assert (
        err.value.kubectl_text() == "Error from server: unknown patch type: merge in map: map[x:1]"
    )
    with pytest.raises(StrategicPatchError) as err:
        smp({"spec": {"containers": [{"name": "app", "$patch": "merge"}]}})
    assert err.value.message == "merging lists cannot yet be specified in the patch"
    with pytest.raises(StrategicPatchError) as err:
        smp({"spec": {"containers": [{"name": "app", "$patch": "explode"}]}})
    assert err.value.message == "unknown patch type: explode in map: map[$patch:explode name:app]"


def test_retain_keys_clears_the_other_union_members() -> None:
    # The kubernetes.io "retainKeys" task: switch a Deployment to Recreate.
    deploy = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    out = smp(patch, deploy, "Deployment")
    assert out["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_errors() -> None:
    deploy = {"spec": {"strategy": {"type": "RollingUpdate"}}}
    for bad in ({"$retainKeys": ["type"], "other": 1}, {"$retainKeys": "type"}):
        with pytest.raises(StrategicPatchError) as err:
            smp({"spec": {"strategy": bad}}, deploy, "Deployment")
        assert (err.value.code, err.value.message) == (400, "invalid patch format of retainKeys")
        assert err.value.status() == {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": "invalid patch format of retainKeys",
            "reason": "BadRequest",
            "code": 400,
        }


def test_volumes_retain_keys_switch_source() -> None:
    patch = {
        "spec": {
            "volumes": [
                {"name": "data", "$retainKeys": ["name", "hostPath"], "hostPath": {"path": "/d"}}
            ]
        }
    }
    assert smp(patch)["spec"]["volumes"] == [{"name": "data", "hostPath": {"path": "/d"}}]


def test_delete_from_primitive_list_and_set_union() -> None:
    obj = {"metadata": {"finalizers": ["a", "b", "c", "b"]}}
    out = smp({"metadata": {"$deleteFromPrimitiveList/finalizers": ["b", "c"]}}, obj)
    assert out["metadata"]["finalizers"] == ["a"]
    out = smp({"metadata": {"finalizers": ["c", "d", "d"]}}, {"metadata": {"finalizers": ["c"]}})
    assert out["metadata"]["finalizers"] == ["c", "d"]
    with pytest.raises(StrategicPatchError) as err:
        smp({"metadata": {"$deleteFromPrimitiveList/finalizers": "a"}}, obj)
    assert err.value.message == "invalid patch format of primitive list"
    # Deleting from a list the object does not have adds nothing; atomic lists delete too.
    assert smp({"$deleteFromPrimitiveList/finalizers": ["a"]}, {"a": 1}) == {"a": 1}
    out = smp(
        {"spec": {"containers": [{"name": "app", "$deleteFromPrimitiveList/args": ["--one"]}]}}
    )
    assert out["spec"]["containers"][0]["args"] == ["--two"]


def test_missing_merge_key_is_the_real_internal_error() -> None:
    with pytest.raises(StrategicPatchError) as err:
        smp({"spec": {"containers": [{"image": "nginx"}]}})
    assert (err.value.code, err.value.reason) == (500, "")
    assert err.value.message == "map: map[image:nginx] does not contain declared merge key: name"
    assert err.value.kubectl_text() == (
        "Error from server: map: map[image:nginx] does not contain declared merge key: name"
    )


def test_cordon_and_uncordon_patches_on_a_node() -> None:
    node = {"metadata": {"name": "n1"}, "spec": {"podCIDR": "10.244.0.0/24"}}
    on = smp({"spec": {"unschedulable": True}}, node, "Node")
    assert on["spec"] == {"podCIDR": "10.244.0.0/24", "unschedulable": True}
    off = smp({"spec": {"unschedulable": None}}, on, "Node")
    assert off["spec"] == {"podCIDR": "10.244.0.0/24"}


def test_new_values_lose_their_directives_and_nulls() -> None:
    out = smp(
        {
            "spec": {
                "nodeSelector": {"a": "1", "b": None},
                "initContainers": [{"name": "i", "$patch": "merge"}],
            }
        }
    )
    assert out["spec"]["nodeSelector"] == {"a": "1"}
    assert out["spec"]["initContainers"] == [{"name": "i"}]


def test_service_ports_merge_by_port_in_deployments_template_too() -> None:
    svc = {"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}
    out = smp({"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}, svc, "Service")
    assert out["spec"]["ports"] == [{"port": 80, "targetPort": 9090}]
    deploy = {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}}
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "y"}]}}}}
    out = smp(patch, deploy, "Deployment")
    assert out["spec"]["template"]["spec"]["containers"] == [{"name": "a", "image": "y"}]


def test_not_an_object_is_a_bad_request() -> None:
    with pytest.raises(ApiError) as err:
        smp([{"op": "add"}])
    assert (err.value.code, err.value.message) == (400, "invalid JSON document")


def _table_meta(kind: str, path: tuple[str, ...]) -> patch_schema.FieldMeta:
    type_name = patch_schema.root_type(kind)
    meta = patch_schema.UNTYPED
    for field in path:
        meta = patch_schema.field_meta(type_name, field)
        type_name = meta.type
    return meta


@pytest.mark.parametrize("kind", sorted(DEFINITIONS))
def test_table_agrees_with_the_official_schemas(kind: str) -> None:
    mismatches = []
    paths = set()
    for path, strategy, key, list_type, map_keys in walk(kind):
        paths.add(path)
        meta = _table_meta(kind, path)
        mine = (meta.strategy, meta.merge_key, meta.list_type or "atomic", meta.map_keys)
        theirs = (strategy, key, list_type or "atomic", map_keys)
        if mine != theirs:
            mismatches.append((".".join(path), mine, theirs))
    assert mismatches == []
    # And every path the table describes exists in the schema.
    stack: list[tuple[tuple[str, ...], str | None]] = [((), patch_schema.root_type(kind))]
    while stack:
        path, type_name = stack.pop()
        for field, meta in patch_schema.TYPES.get(type_name or "", {}).items():
            assert (*path, field) in paths, (kind, path, field)
            stack.append(((*path, field), meta.type))


_keys = st.sampled_from(["a", "b", "c", "d"])
_labels = st.dictionaries(_keys, st.one_of(st.none(), st.text(max_size=3)), max_size=4)
_containers = st.lists(
    st.fixed_dictionaries({"name": _keys, "image": st.text(max_size=3)}),
    max_size=4,
    unique_by=lambda c: c["name"],
)


@settings(max_examples=150, deadline=None)
@given(live_labels=_labels, patch_labels=_labels, live_c=_containers, patch_c=_containers)
def test_properties_merge_semantics(
    live_labels: dict[str, Any], patch_labels: dict[str, Any], live_c: list[Any], patch_c: list[Any]
) -> None:
    live = {
        "metadata": {"labels": {k: v for k, v in live_labels.items() if v is not None}},
        "spec": {"containers": live_c},
    }
    patch = {"metadata": {"labels": patch_labels}, "spec": {"containers": patch_c}}
    out = smp(patch, live)
    labels = out["metadata"]["labels"]
    for key, value in patch_labels.items():
        assert labels.get(key) == value  # None: deleted
    for key in live["metadata"]["labels"]:
        if key not in patch_labels:
            assert labels[key] == live["metadata"]["labels"][key]
    by_name = {c["name"]: c for c in out["spec"]["containers"]}
    assert set(by_name) == {c["name"] for c in live_c} | {c["name"] for c in patch_c}
    for c in patch_c:
        assert by_name[c["name"]]["image"] == c["image"]
    # Applying the same patch twice changes nothing more (idempotent).
    assert smp(patch, out) == out


def test_deep_nesting_is_refused_without_recursing() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(StrategicPatchError) as err:
        smp({"data": deep}, {}, "ConfigMap")
    assert (err.value.code, err.value.message) == (
        400,
        "the patch is nested too deeply (more than 64 levels)",
    )
    shallow = smp({"data": {"a": {"b": {"c": "1"}}}}, {}, "ConfigMap")
    assert shallow == {"data": {"a": {"b": {"c": "1"}}}}


def _c(*names: str, **extra: str) -> dict[str, Any]:
    return {"spec": {"containers": [{"name": n, **extra} for n in names]}}


def _names(obj: dict[str, Any]) -> list[str]:
    return [c["name"] for c in obj["spec"]["containers"]]


# Cases of the apimachinery strategic merge behaviour (order and directive semantics),
# restated on Pod containers (a keyed list) and finalizers (a set of strings).
@pytest.mark.parametrize(
    ("live", "patch", "names"),
    [
        # The patch reorders the items it names; a live-only item keeps its place before them.
        (
            _c("1", "2", "3"),
            {"spec": {"containers": [{"name": "3"}, {"name": "1"}]}},
            ["2", "3", "1"],
        ),
        (
            _c("1", "2", "3"),
            {"spec": {"containers": [{"name": "3"}, {"name": "1"}, {"name": "2"}]}},
            ["3", "1", "2"],
        ),
        # kubectl apply's order list with two new items around the live ones.
        (
            _c("1", "2"),
            {
                "spec": {
                    "$setElementOrder/containers": [
                        {"name": "4"},
                        {"name": "1"},
                        {"name": "2"},
                        {"name": "3"},
                    ],
                    "containers": [{"name": "4"}, {"name": "3"}],
                }
            },
            ["4", "1", "2", "3"],
        ),
        # An order list naming an item that exists nowhere is harmless.
        (
            _c("1", "3"),
            {
                "spec": {
                    "$setElementOrder/containers": [{"name": "3"}, {"name": "2"}, {"name": "1"}]
                }
            },
            ["3", "1"],
        ),
        # Deleting an item that is not there, next to an added one, keeps the live one.
        (
            _c("hello2"),
            {
                "spec": {
                    "$setElementOrder/containers": [{"name": "hello"}, {"name": "gone"}],
                    "containers": [{"name": "hello"}, {"$patch": "delete", "name": "gone"}],
                }
            },
            ["hello", "hello2"],
        ),
        # Delete removes every duplicate of the key.
        (
            _c("1", "1", "2", "3", "3"),
            {
                "spec": {
                    "containers": [
                        {"name": "1", "$patch": "delete"},
                        {"name": "3", "$patch": "delete"},
                    ]
                }
            },
            ["2"],
        ),
        (_c("1", "2"), {"spec": {"containers": [{"$patch": "replace"}]}}, []),
    ],
)
def test_keyed_list_order_and_directives(
    live: dict[str, Any], patch: dict[str, Any], names: list[str]
) -> None:
    assert _names(smp(patch, live)) == names


@pytest.mark.parametrize(
    ("live", "patch", "result"),
    [
        (["1", "2", "3"], {"finalizers": ["3", "1", "2"]}, ["3", "1", "2"]),
        (["1", "2", "3"], {"finalizers": ["3", "1"]}, ["2", "3", "1"]),
        (["1", "2"], {"finalizers": ["2", "3"]}, ["1", "2", "3"]),
        (
            ["1", "2", "3", "3", "4"],
            {
                "$setElementOrder/finalizers": ["1", "2"],
                "$deleteFromPrimitiveList/finalizers": ["3"],
            },
            ["1", "2", "4"],
        ),
        (
            ["1", "2", "3", "4"],
            {
                "$setElementOrder/finalizers": ["1", "2", "4"],
                "$deleteFromPrimitiveList/finalizers": ["3"],
                "finalizers": ["4"],
            },
            ["1", "2", "4"],
        ),
        (["1", "3"], {"$setElementOrder/finalizers": ["3", "2", "1"]}, ["3", "1"]),
    ],
)
def test_set_of_strings_order_and_deletes(
    live: list[str], patch: dict[str, Any], result: list[str]
) -> None:
    out = smp({"metadata": patch}, {"metadata": {"finalizers": live}})
    assert out["metadata"]["finalizers"] == result


def test_an_order_list_that_contradicts_the_patch_list_is_refused() -> None:
    patch = {
        "spec": {
            "$setElementOrder/containers": [{"name": "1"}, {"name": "2"}, {"name": "3"}],
            "containers": [{"name": "3", "image": "x"}, {"name": "1", "image": "y"}],
        }
    }
    with pytest.raises(StrategicPatchError) as err:
        smp(patch, _c("1", "3", "2"))
    assert err.value.message.startswith("The order in patch list:\n")
    assert "doesn't match $setElementOrder list:" in err.value.message


def test_lists_of_lists_are_unprocessable() -> None:
    with pytest.raises(StrategicPatchError) as err:
        smp({"metadata": {"finalizers": [["a"]]}}, {"metadata": {"finalizers": ["b"]}})
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
    assert err.value.detail == "lists of lists are not supported"
