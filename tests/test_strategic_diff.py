"""kubectl apply's three-way strategic merge patch, against patches the real kubectl sent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.apiserver.merge import LAST_APPLIED, last_applied_json
from k8stui.engine.apiserver.strategic_diff import three_way_patch
from k8stui.engine.apiserver.strategic_merge import apply_strategic_merge_patch
from tests import apply_probe
from tests.apply_scenarios import SCENARIOS

FIXTURES = Path(__file__).parent / "fixtures" / "apply_patches"


def _as_kubectl_sends(manifest: dict[str, Any]) -> dict[str, Any]:
    """The new configuration as kubectl builds it: namespace filled in, annotation set."""
    modified = copy.deepcopy(manifest)
    modified["metadata"].setdefault("namespace", "default")
    annotations = modified["metadata"].setdefault("annotations", {})
    annotations[LAST_APPLIED] = last_applied_json(modified)
    return modified


def _patch_for(live: dict[str, Any], manifest: dict[str, Any]) -> Any:
    original = json.loads(live["metadata"]["annotations"][LAST_APPLIED])
    patch = three_way_patch(original, _as_kubectl_sends(manifest), live, manifest["kind"])
    return patch or None


def _wire(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_every_scenario_has_a_recorded_patch() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_patch_is_the_real_kubectls_byte_for_byte(name: str) -> None:
    record = json.loads((FIXTURES / f"{name}.json").read_text())
    assert _wire(_patch_for(record["live"], record["manifest"])) == _wire(record["patch"])


def test_applying_the_patch_gives_the_new_configuration_and_keeps_server_fields() -> None:
    record = json.loads((FIXTURES / "deploy_env_removed_container_added.json").read_text())
    live, manifest = record["live"], record["manifest"]
    result = apply_strategic_merge_patch(live, _patch_for(live, manifest), "Deployment")
    containers = result["spec"]["template"]["spec"]["containers"]
    # The new container lands after the listed ones; the server-only one keeps its place
    # relative to them (apimachinery's order rules).
    assert [c["name"] for c in containers] == ["app", "log", "injected"]
    assert containers[0]["env"] == [{"name": "B", "value": "two"}]
    assert containers[0]["imagePullPolicy"] == "IfNotPresent"  # defaulted by the server: kept
    assert result["spec"]["replicas"] == 3
    assert "tier" not in result["metadata"]["labels"]
    assert result["status"] == {"phase": "Running"}


_label_maps = st.dictionaries(st.sampled_from("abcd"), st.sampled_from(["1", "2"]), max_size=4)


@settings(max_examples=150, deadline=None)
@given(last=_label_maps, new=_label_maps, extra=_label_maps)
def test_property_apply_lands_on_the_configuration(
    last: dict[str, str], new: dict[str, str], extra: dict[str, str]
) -> None:
    # Live labels: the last applied ones plus labels some other client added.
    original = {"metadata": {"name": "p", "labels": last}}
    live = {"metadata": {"name": "p", "labels": {**extra, **last}}}
    modified = {"metadata": {"name": "p", "labels": new}}
    result = apply_strategic_merge_patch(
        live, three_way_patch(original, modified, live, "Pod"), "Pod"
    )
    labels = result["metadata"].get("labels", {})
    for key, value in new.items():
        assert labels[key] == value
    for key in last:
        if key not in new:
            assert key not in labels
    for key in extra:
        if key not in last and key not in new:
            assert labels[key] == extra[key]


@pytest.mark.skipif(apply_probe.kubectl() is None, reason="the real kubectl is not installed")
def test_live_kubectl_agrees_on_a_scenario() -> None:
    live, manifest = SCENARIOS["deploy_containers_reordered"]
    sent = apply_probe.capture(live(), manifest())
    assert _wire(_patch_for(live(), manifest())) == _wire(sent)
