"""The protobuf body decoder: real kubectl 1.32 bodies, the wire format, hostile input."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.server.protobuf import MAGIC, ProtobufError, decode
from tests import protobuf_probe

FIXTURES = Path(__file__).parent / "fixtures" / "protobuf"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.bin"))


def test_every_generator_has_a_fixture() -> None:
    assert sorted(protobuf_probe.COMMANDS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_recorded_kubectl_bodies_decode_to_the_json_form(name: str) -> None:
    # The .json beside each body is kubectl's own `--dry-run=client -o json` of the command.
    expected = json.loads((FIXTURES / f"{name}.json").read_text())
    assert decode((FIXTURES / f"{name}.bin").read_bytes()) == expected


def test_deployment_fields_and_envelope_order() -> None:
    obj = decode((FIXTURES / "deployment.bin").read_bytes())
    assert list(obj)[:2] == ["apiVersion", "kind"]
    container = obj["spec"]["template"]["spec"]["containers"][0]
    assert container == {
        "name": "nginx",
        "image": "nginx:1.25",
        "ports": [{"containerPort": 80}],
        "resources": {},
    }
    assert obj["metadata"]["creationTimestamp"] is None


def test_secret_bytes_are_base64_and_quantities_strings() -> None:
    secret = decode((FIXTURES / "secret_generic.bin").read_bytes())
    assert secret["data"] == {"user": "YWRtaW4="}
    quota = decode((FIXTURES / "quota.bin").read_bytes())
    assert quota["spec"]["hard"] == {"cpu": "1", "memory": "1G", "pods": "2"}


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _ld(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    type_meta = _ld(1, api_version.encode()) + _ld(2, kind.encode())
    return MAGIC + _ld(1, type_meta) + _ld(2, raw)


def test_hand_built_pod_with_times_int_or_string_and_negative_ints() -> None:
    time_msg = _varint(1 << 3) + _varint(1735689612)  # 2025-01-01T00:00:12Z
    meta = _ld(1, b"p") + _ld(8, time_msg) + _ld(11, _ld(1, b"app") + _ld(2, b"web"))
    port = _varint(1 << 3) + _varint(1) + _ld(3, b"http")  # IntOrString, string form
    http_get = _ld(1, b"/") + _ld(2, port)
    probe = _ld(1, _ld(2, http_get)) + _varint(2 << 3) + _varint(5)  # handler (inline), delay
    container = _ld(1, b"c") + _ld(2, b"img") + _ld(11, probe)
    spec = _ld(2, container) + _varint(25 << 3) + _varint((1 << 64) - 5)  # priority: -5
    obj = decode(_envelope("v1", "Pod", _ld(1, meta) + _ld(2, spec)))
    assert obj["metadata"] == {
        "name": "p",
        "creationTimestamp": "2025-01-01T00:00:12Z",
        "labels": {"app": "web"},
    }
    assert obj["spec"]["priority"] == -5
    assert obj["spec"]["containers"][0]["readinessProbe"] == {
        "httpGet": {"path": "/", "port": "http"},
        "initialDelaySeconds": 5,
    }


_SCHEMA_PREFIXES = {
    "core": "io.k8s.api.core",
    "apps": "io.k8s.api.apps",
    "batch": "io.k8s.api.batch",
    "meta": "io.k8s.apimachinery.pkg.apis.meta",
    "policy": "io.k8s.api.policy",
    "rbac": "io.k8s.api.rbac",
    "scheduling": "io.k8s.api.scheduling",
    "networking": "io.k8s.api.networking",
    "autoscaling": "io.k8s.api.autoscaling",
    "coordination": "io.k8s.api.coordination",
}


def test_field_table_agrees_with_the_official_schemas() -> None:
    # Every field name is a JSON property (or an inline embedding) of the same type, and
    # every required scalar keeps its zero value ("!").
    from k8stui.server.protobuf import INLINE, _fields
    from k8stui.server.protobuf_fields import MESSAGES
    from tests.schema_walk import definitions

    checked = 0
    for message in MESSAGES:
        group, rest = message.split(".", 1)
        schema = definitions().get(f"{_SCHEMA_PREFIXES.get(group, '?')}.{rest}")
        if schema is None or message in ("meta.v1.Time", "meta.v1.MicroTime", "meta.v1.FieldsV1"):
            continue
        required = set(schema.get("required") or [])
        for name, type_, keep_zero in _fields(message).values():
            checked += 1
            assert name in schema["properties"] or f"{message}.{name}" in INLINE, (message, name)
            if name in required and type_ in ("s", "i", "b", "d"):
                assert keep_zero, (message, name)
    assert checked > 1000


def test_micro_time_and_pointer_zeros() -> None:
    micro = _varint(1 << 3) + _varint(1735689612) + _varint(2 << 3) + _varint(123456789)
    spec = _ld(4, micro) + _varint(2 << 3) + _varint(0)  # renewTime; leaseDurationSeconds: 0
    spec += _ld(1, b"")  # holderIdentity "" (not kept: omitempty)
    obj = decode(_envelope("coordination.k8s.io/v1", "Lease", _ld(2, spec)))
    assert obj["spec"]["renewTime"] == "2025-01-01T00:00:12.123456Z"
    assert obj["spec"]["leaseDurationSeconds"] == 0


def test_unknown_fields_are_skipped() -> None:
    raw = _ld(1, _ld(1, b"ns")) + _ld(99, b"whatever") + _varint(98 << 3 | 5) + b"\0\0\0\0"
    assert decode(_envelope("v1", "Namespace", raw)) == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "ns"},
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{}", "the body does not start with the Kubernetes protobuf magic k8s\\x00"),
        (
            MAGIC + b"\x0a\xff\xff\xff\xff\x0f",
            "typeMeta: length 4294967295 is past the end of the message (0 bytes left)",
        ),
        (MAGIC + b"\x0a" + b"\xff" * 11, "typeMeta: varint longer than 10 bytes"),
        (MAGIC + b"\x0a", "typeMeta: truncated varint"),
        (_envelope("v9", "Pod", b""), "no protobuf decoding for apiVersion 'v9' kind 'Pod'"),
        (
            _envelope("v1", "Namespace", _ld(1, b"\x0a\x02\xff\xfe")),
            "metadata.name: string is not valid UTF-8",
        ),
        (
            _envelope("v1", "Namespace", _ld(1, b"\x08\x01")),
            "metadata.name: wire type 0, expected 2 (length-delimited)",
        ),
        (_envelope("v1", "Namespace", _varint(99 << 3 | 3)), "field 99: unsupported wire type 3"),
        (MAGIC + _ld(3, b"gzip"), "unsupported content encoding 'gzip'"),
    ],
)
def test_malformed_bodies_give_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(ProtobufError) as err:
        decode(data)
    assert str(err.value) == message


def test_deep_nesting_of_unknown_fields_is_only_skipped() -> None:
    # The tables have no recursive messages, so depth is bounded by the schema; deeply nested
    # bytes in unknown fields are skipped without recursion.
    payload = b""
    for _ in range(2000):
        payload = _ld(99, payload)
    assert decode(_envelope("v1", "Namespace", payload)) == {
        "apiVersion": "v1",
        "kind": "Namespace",
    }


def test_huge_declared_lengths_are_refused_quickly() -> None:
    data = MAGIC + _ld(1, _ld(1, b"v1") + _ld(2, b"Pod")) + b"\x12" + _varint(2**62)
    start = time.perf_counter()
    with pytest.raises(ProtobufError, match="past the end"):
        decode(data)
    assert time.perf_counter() - start < 1.0


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    for body in (data, MAGIC + data, _envelope("apps/v1", "Deployment", data)):
        try:
            result: Any = decode(body)
        except ProtobufError as err:
            assert str(err)
        else:
            assert isinstance(result, dict)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 229), st.binary(min_size=1, max_size=4))
def test_corrupted_real_bodies_never_raise_anything_else(at: int, junk: bytes) -> None:
    body = bytearray((FIXTURES / "deployment.bin").read_bytes())
    body[at : at + len(junk)] = junk
    with contextlib.suppress(ProtobufError):
        decode(bytes(body))


@pytest.mark.skipif(protobuf_probe.kubectl() is None, reason="the real kubectl is not installed")
def test_live_kubectl_body_decodes_like_its_dry_run() -> None:
    body, expected = protobuf_probe.capture("service_nodeport")
    assert decode(body) == expected


def test_a_body_of_countless_tiny_fields_is_refused() -> None:
    raw = (_varint(111 << 3) + b"\x00") * 60_000  # unknown varint fields, 180 kB
    with pytest.raises(ProtobufError, match="more than 50000 fields in one body"):
        decode(_envelope("v1", "ConfigMap", raw))
    many = b"".join(_ld(2, _ld(1, b"k%d" % i) + _ld(2, b"v")) for i in range(5000))
    assert len(decode(_envelope("v1", "ConfigMap", many))["data"]) == 5000
