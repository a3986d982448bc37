"""Secrets and ServiceAccounts: decoding, stringData, per-type validation and kubectl texts."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from console_helpers import ok, session

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError

Obj = dict[str, Any]


def secret(name: str, type_: str | None = None, **fields: Any) -> Obj:
    obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, **fields}
    if type_:
        obj["type"] = type_
    return obj


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def refused(obj: Obj) -> ApiError:
    with pytest.raises(ApiError) as err:
        Cluster(seed=1).create(obj)
    return err.value


def test_data_must_be_base64_as_the_decoder_says() -> None:
    err = refused(secret("s", data={"password": "bad!"}))
    assert (err.code, err.message) == (
        400,
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    )
    s = session({"s.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: abc\n"})
    result = s.run("kubectl apply -f s.yaml")
    assert result.stderr == (
        'Error from server (BadRequest): error when creating "s.yaml": Secret in version "v1" '
        "cannot be handled as a Secret: illegal base64 data at input byte 0\n"
    )


def test_string_data_is_merged_into_data_and_wins() -> None:
    made = (
        Cluster(seed=1)
        .create(
            secret("s", data={"user": b64("x"), "keep": b64("k")}, stringData={"user": "admin"})
        )
        .obj
    )
    assert made["type"] == "Opaque"
    assert made["data"] == {"user": b64("admin"), "keep": b64("k")}
    assert "stringData" not in made


def test_each_type_requires_its_keys() -> None:
    tls = refused(secret("t", "kubernetes.io/tls", data={"tls.crt": b64("c")}))
    assert tls.message == 'The Secret "t" is invalid: data[tls.key]: Required value'
    docker = refused(
        secret("d", "kubernetes.io/dockerconfigjson", data={".dockerconfigjson": b64("{nope")})
    )
    assert docker.message == (
        'The Secret "d" is invalid: data[.dockerconfigjson]: Invalid value: '
        "\"<secret contents redacted>\": invalid character 'n' looking for beginning of object "
        "key string"
    )
    token = refused(secret("k", "kubernetes.io/service-account-token"))
    assert token.message == (
        'The Secret "k" is invalid: '
        "metadata.annotations[kubernetes.io/service-account.name]: Required value"
    )
    key = refused(secret("b", data={"bad key": b64("v")}))
    assert key.message.startswith(
        'The Secret "b" is invalid: data[bad key]: Invalid value: "bad key": a valid config key '
        "must consist of alphanumeric characters, '-', '_' or '.'"
    )
    fine = Cluster(seed=1).create(
        secret(
            "ok",
            "kubernetes.io/dockerconfigjson",
            data={".dockerconfigjson": b64('{"auths":{}}')},
        )
    )
    assert fine.op == "created"


def test_get_and_describe_print_sizes_never_values() -> None:
    s = session()
    s.cluster.create(
        secret("creds", data={"password": b64("s3cr3t-pass"), "username": b64("admin")})
    )
    assert ok(s, "kubectl get secret creds").stdout == (
        "NAME    TYPE     DATA   AGE\ncreds   Opaque   2      0s\n"
    )
    text = ok(s, "kubectl describe secret creds").stdout
    assert text == (
        "Name:         creds\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Type:  Opaque\n"
        "\n"
        "Data\n"
        "====\n"
        "password:  11 bytes\n"
        "username:  5 bytes\n"
    )
    assert "s3cr3t" not in text and "admin" not in text


def test_service_accounts_table_and_describe() -> None:
    s = session()
    s.cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "builder"},
            "imagePullSecrets": [{"name": "regcred"}],
        }
    )
    assert ok(s, "kubectl get sa").stdout == (
        "NAME      SECRETS   AGE\nbuilder   0         0s\ndefault   0         5m\n"
    )
    assert ok(s, "kubectl describe sa builder").stdout == (
        "Name:                builder\n"
        "Namespace:           default\n"
        "Labels:              <none>\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  regcred\n"
        "Mountable secrets:   <none>\n"
        "Tokens:              <none>\n"
        "Events:              <none>\n"
    )
