"""Server-side apply: FieldsV1 sets, ownership, the real conflict error, force, removals."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.apiserver.server_side_apply import (
    ApplyConflict,
    apply,
    field_set,
    from_fields_v1,
    record_update,
    to_fields_v1,
)
from k8stui.engine.errors import ApiError

T0, T1 = "2025-01-01T00:00:00Z", "2025-01-01T00:01:00Z"


def deployment(replicas: int = 2, image: str = "nginx:1.25", **labels: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", **labels}},
        "spec": {
            "replicas": replicas,
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": image,
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        }
                    ]
                }
            },
        },
    }


def test_fields_v1_has_the_real_shape() -> None:
    fields = to_fields_v1(field_set(deployment(), "Deployment"))
    assert fields == {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {
            "f:replicas": {},
            "f:template": {
                "f:spec": {
                    "f:containers": {
                        'k:{"name":"nginx"}': {
                            ".": {},
                            "f:image": {},
                            "f:name": {},
                            "f:ports": {
                                'k:{"containerPort":80,"protocol":"TCP"}': {
                                    ".": {},
                                    "f:containerPort": {},
                                    "f:protocol": {},
                                }
                            },
                        }
                    }
                }
            },
        },
    }


def test_first_apply_creates_one_apply_entry() -> None:
    obj = apply(None, deployment(), kind="Deployment", manager="kubectl", time=T0)
    (entry,) = obj["metadata"]["managedFields"]
    assert {k: v for k, v in entry.items() if k != "fieldsV1"} == {
        "manager": "kubectl",
        "operation": "Apply",
        "apiVersion": "apps/v1",
        "time": T0,
        "fieldsType": "FieldsV1",
    }
    assert obj["spec"]["replicas"] == 2


def test_second_manager_conflicts_with_the_real_message() -> None:
    live = deployment()
    live["metadata"]["managedFields"] = record_update(
        None, live, "Deployment", "kubectl-client-side-apply", T0
    )
    with pytest.raises(ApplyConflict) as err:
        apply(live, deployment(replicas=5), kind="Deployment", manager="kubectl", time=T1)
    assert (err.value.code, err.value.reason) == (409, "Conflict")
    assert err.value.message == (
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: '
        ".spec.replicas"
    )
    assert err.value.causes == [
        {
            "type": "FieldManagerConflict",
            "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
            "field": ".spec.replicas",
        }
    ]


def test_several_conflicts_list_every_field() -> None:
    live = apply(None, deployment(), kind="Deployment", manager="ci", time=T0)
    with pytest.raises(ApplyConflict) as err:
        apply(
            live,
            deployment(replicas=3, image="nginx:1.27"),
            kind="Deployment",
            manager="kubectl",
            time=T1,
        )
    assert err.value.message == (
        'Apply failed with 2 conflicts: conflicts with "ci":\n'
        "- .spec.replicas\n"
        '- .spec.template.spec.containers[name="nginx"].image'
    )


def test_equal_values_are_shared_and_force_takes_ownership() -> None:
    live = apply(None, deployment(), kind="Deployment", manager="ci", time=T0)
    shared = apply(live, deployment(), kind="Deployment", manager="kubectl", time=T1)
    assert [e["manager"] for e in shared["metadata"]["managedFields"]] == ["ci", "kubectl"]
    forced = apply(
        shared, deployment(replicas=7), kind="Deployment", manager="kubectl", force=True, time=T1
    )
    assert forced["spec"]["replicas"] == 7
    ci = from_fields_v1(forced["metadata"]["managedFields"][0]["fieldsV1"])
    assert ("f:spec", "f:replicas") not in ci


def test_fields_a_manager_stops_applying_are_removed_unless_shared() -> None:
    live = apply(None, deployment(tier="front"), kind="Deployment", manager="kubectl", time=T0)
    after = apply(live, deployment(), kind="Deployment", manager="kubectl", time=T1)
    assert after["metadata"]["labels"] == {"app": "web"}
    both = apply(live, deployment(tier="front"), kind="Deployment", manager="other", time=T1)
    kept = apply(both, deployment(), kind="Deployment", manager="kubectl", time=T1)
    assert kept["metadata"]["labels"] == {"app": "web", "tier": "front"}


def test_record_update_moves_changed_fields_to_the_writer() -> None:
    live = apply(None, deployment(), kind="Deployment", manager="kubectl", time=T0)
    scaled = {**live, "spec": {**live["spec"], "replicas": 4}}
    entries = record_update(live, scaled, "Deployment", "kubectl-scale", T1)
    assert [e["manager"] for e in entries] == ["kubectl", "kubectl-scale"]
    assert entries[1]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    assert ("f:spec", "f:replicas") not in from_fields_v1(entries[0]["fieldsV1"])


_labels = st.dictionaries(st.sampled_from("abcde"), st.text("xy", max_size=2), max_size=5)


@settings(max_examples=100, deadline=None)
@given(first=_labels, second=_labels)
def test_property_reapplying_converges(first: dict[str, str], second: dict[str, str]) -> None:
    one = apply(None, deployment(**first), kind="Deployment", manager="m", time=T0)
    two = apply(one, deployment(**second), kind="Deployment", manager="m", time=T1)
    assert two["metadata"]["labels"] == {"app": "web", **second}
    assert from_fields_v1(to_fields_v1(field_set(two, "Deployment"))) == field_set(
        two, "Deployment"
    )


def test_an_object_without_managed_fields_belongs_to_before_first_apply() -> None:
    live = deployment()
    with pytest.raises(ApplyConflict) as err:
        apply(live, deployment(replicas=9), kind="Deployment", manager="kubectl")
    assert err.value.message == (
        'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: '
        ".spec.replicas"
    )
    same = apply(live, deployment(), kind="Deployment", manager="kubectl")
    managers = [(e["manager"], e["operation"]) for e in same["metadata"]["managedFields"]]
    assert managers == [("before-first-apply", "Update"), ("kubectl", "Apply")]
    assert "time" not in same["metadata"]["managedFields"][1]


def test_ports_without_protocol_are_keyed_as_tcp() -> None:
    applied = deployment()
    del applied["spec"]["template"]["spec"]["containers"][0]["ports"][0]["protocol"]
    live = apply(None, deployment(), kind="Deployment", manager="ci", time=T0)
    again = apply(live, applied, kind="Deployment", manager="kubectl", time=T1)  # no conflict
    fields = from_fields_v1(again["metadata"]["managedFields"][1]["fieldsV1"])
    port = 'k:{"containerPort":80,"protocol":"TCP"}'
    assert any(port in path for path in fields)


def test_a_keyed_item_without_its_key_is_a_bad_request() -> None:
    applied = deployment()
    del applied["spec"]["template"]["spec"]["containers"][0]["name"]
    with pytest.raises(ApiError) as err:
        apply(None, applied, kind="Deployment", manager="kubectl")
    assert (err.value.code, err.value.reason) == (400, "BadRequest")
    assert err.value.message == (
        "failed to create typed patch object (/web; apps/v1, Kind=Deployment): "
        ".spec.template.spec.containers: element 0: associative list with keys has an element "
        'that omits key field "name" (and doesn\'t have default value)'
    )


def test_conflict_status_body_and_quoted_manager_names() -> None:
    live = apply(None, deployment(), kind="Deployment", manager='odd"name', time=T0)
    with pytest.raises(ApplyConflict) as err:
        apply(live, deployment(replicas=1), kind="Deployment", manager="kubectl", time=T1)
    assert err.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'Apply failed with 1 conflict: conflict with "odd\\"name": .spec.replicas',
        "reason": "Conflict",
        "details": {
            "causes": [
                {
                    "type": "FieldManagerConflict",
                    "message": 'conflict with "odd\\"name"',
                    "field": ".spec.replicas",
                }
            ]
        },
        "code": 409,
    }


def test_conflicts_with_two_managers_group_by_manager() -> None:
    live = apply(None, deployment(), kind="Deployment", manager="a", time=T0)
    live = apply(
        live,
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"team": "x"}},
        },
        kind="Deployment",
        manager="b",
        time=T0,
    )
    with pytest.raises(ApplyConflict) as err:
        apply(live, deployment(replicas=4, team="y"), kind="Deployment", manager="c", time=T1)
    assert err.value.message == (
        "Apply failed with 2 conflicts: conflicts with\n"
        '"a":\n- .spec.replicas\n'
        '"b":\n- .metadata.labels.team'
    )


def test_deep_nesting_is_refused() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": deep}
    with pytest.raises(ApiError) as err:
        apply(None, config, kind="ConfigMap", manager="m")
    assert (err.value.code, err.value.message) == (
        400,
        "the apply configuration is nested too deeply (more than 64 levels)",
    )


def test_huge_keyed_lists_are_refused_quickly() -> None:
    config = deployment()
    config["spec"]["template"]["spec"]["containers"] = [
        {"name": f"c{i}", "image": "x", "env": [{"name": f"e{j}"} for j in range(10)]}
        for i in range(600)
    ]
    with pytest.raises(ApiError) as err:
        apply(None, config, kind="Deployment", manager="m")
    assert err.value.message == "more than 5000 list items in one object"


def test_a_configuration_with_only_a_name_in_metadata_shares_without_conflict() -> None:
    config = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c"},
        "data": {"a": "1"},
    }
    first = apply(None, config, kind="ConfigMap", manager="a")
    second = apply(first, config, kind="ConfigMap", manager="b")
    assert [e["fieldsV1"] for e in second["metadata"]["managedFields"]] == [
        {"f:data": {"f:a": {}}},
        {"f:data": {"f:a": {}}},
    ]
