"""``sim load`` refuses stored objects the API server's decoder could not read, and random
states the interpreter could not take, with the place and the decoder's message."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import RealFiles, VirtualFiles

Obj = dict[str, Any]

_SOURCE = Session(Cluster(seed=5), VirtualFiles({}))
_SOURCE.run("kubectl create deployment web --image=nginx:1.27 --port=80; sleep 20")
_SOURCE.run("kubectl expose deployment web --port=80")
BASE: Obj = json.loads(_SOURCE.cluster.snapshot_json())


def _service(snap: Obj) -> tuple[int, Obj]:
    services = snap["store"]["objects"]["Service"]
    return next((i, s) for i, s in enumerate(services) if s["metadata"]["name"] == "web")


def _port_as_text(snap: Obj) -> None:
    _service(snap)[1]["spec"]["ports"][0] = "x"


def _addresses_as_map(snap: Obj) -> None:
    _service(snap)[1]["spec"]["clusterIPs"] = {"a": 1}


def _replicas_as_text(snap: Obj) -> None:
    next(d for d in snap["store"]["objects"]["Deployment"])["spec"]["replicas"] = "3"


CASES: list[tuple[str, Callable[[Obj], None], str]] = [
    (
        "a port as text",
        _port_as_text,
        "json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type "
        "v1.ServicePort",
    ),
    (
        "addresses as a map",
        _addresses_as_map,
        "json: cannot unmarshal object into Go struct field ServiceSpec.spec.clusterIPs of "
        "type []string",
    ),
    (
        "replicas as text",
        _replicas_as_text,
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of "
        "type int32",
    ),
]


def _load(snap: Obj) -> tuple[Session, Cluster, Any]:
    session = Session(Cluster(seed=1), VirtualFiles({"s.json": json.dumps(snap)}))
    before = session.cluster
    return session, before, session.run("sim load s.json")


@pytest.mark.parametrize("case", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_object_of_wrong_types_is_refused_with_the_decoders_words(
    case: tuple[Callable[[Obj], None], str],
) -> None:
    change, words = case
    snap = copy.deepcopy(BASE)
    change(snap)
    session, before, result = _load(snap)
    assert result.exit_code == 1
    assert result.stderr.startswith("sim: cannot load s.json: store.objects."), result.stderr
    assert words in result.stderr
    assert session.cluster is before


def test_a_random_state_word_out_of_range_is_refused() -> None:
    snap = copy.deepcopy(BASE)
    snap["rng"][1][1] = 2**70
    session, before, result = _load(snap)
    assert result.exit_code == 1
    assert "internal" not in result.stderr
    assert result.stderr.startswith("sim: cannot load s.json: rng.1.1: "), result.stderr
    assert session.cluster is before


def test_the_unchanged_snapshot_loads_and_unknown_fields_pass() -> None:
    snap = copy.deepcopy(BASE)
    _service(snap)[1]["spec"]["notAField"] = True  # nothing reads it
    session, before, result = _load(snap)
    assert result.exit_code == 0, result.stderr
    assert session.cluster is not before


def test_a_missing_file_or_a_folder_is_named_as_the_system_does(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    for files in (VirtualFiles({"dir/a.json": "{}"}), RealFiles(tmp_path)):
        session = Session(Cluster(seed=1), files)
        missing = session.run("sim load none.json")
        assert missing.stderr == "sim: cannot load none.json: No such file or directory\n"
        folder = session.run("sim load dir")
        assert folder.stderr == "sim: cannot load dir: Is a directory\n"
