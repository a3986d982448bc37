"""Hostile requests: bad bodies, huge bodies, deep nesting, odd paths and verbs, slow and
vanishing clients. Each gets a Status error (or a closed connection), never a 500."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api_helpers import Served, served

EXPECTED = {200, 201, 400, 401, 404, 405, 409, 413, 415, 422, 429, 501}


class Client:
    """A raw HTTPS client with the server's token."""

    def __init__(self, srv: Served) -> None:
        data = yaml.safe_load(srv.kubeconfig.read_text())
        self.token = data["users"][0]["user"]["token"]
        ca = base64.b64decode(data["clusters"][0]["cluster"]["certificate-authority-data"])
        ca_file = srv.kubeconfig.parent / "ca.crt"
        ca_file.write_bytes(ca)
        self.context = ssl.create_default_context(cafile=str(ca_file))
        self.port = srv.server.port

    def request(
        self, method: str, path: str, body: bytes | None = None, ctype: str = "application/json"
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=20)
        try:
            headers = {"Authorization": f"Bearer {self.token}", "Content-Type": ctype}
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    with served(tmp_path_factory.mktemp("hostile")) as srv:
        yield Client(srv)


def _is_status(body: bytes) -> dict[str, Any]:
    data = json.loads(body)
    assert data["kind"] == "Status" and data["status"] == "Failure"
    return data  # type: ignore[no-any-return]


POD_PATH = "/api/v1/namespaces/default/pods"


@pytest.mark.parametrize(
    ("body", "ctype", "code"),
    [
        (b"{", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"a: [", "application/yaml", 400),
        (b"k8s\x00\xff\xff\xff", "application/vnd.kubernetes.protobuf", 400),
        (b"<pod/>", "application/xml", 415),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400),
        (json.dumps({"kind": "Pod"}).encode(), "application/json", 422),
    ],
)
def test_bad_bodies_get_status_errors(client: Client, body: bytes, ctype: str, code: int) -> None:
    status, answer = client.request("POST", POD_PATH, body, ctype)
    assert status == code
    _is_status(answer)


def test_deeply_nested_but_valid_json_is_refused(client: Client) -> None:
    nested: Any = "x"
    for _ in range(200):
        nested = {"a": nested}
    body = json.dumps(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "deep"}, "spec": nested}
    )
    status, answer = client.request("POST", POD_PATH, body.encode())
    assert status == 400 and "nested too deeply" in _is_status(answer)["message"]


def test_bodies_over_three_mebibytes_are_413(client: Client) -> None:
    body = b'{"a": "' + b"x" * (3 * 1024 * 1024 + 10) + b'"}'
    status, answer = client.request("POST", POD_PATH, body)
    assert status == 413
    assert _is_status(answer)["message"] == "Request entity too large: limit is 3145728"


def test_unknown_paths_and_verbs(client: Client) -> None:
    assert client.request("GET", "/nothing/here")[0] == 404
    status, answer = client.request("GET", "/api/v1/widgets")
    assert status == 404 and _is_status(answer)["reason"] == "NotFound"
    status, answer = client.request("POST", "/api/v1/namespaces/default/pods/x")
    assert status == 405 and _is_status(answer)["reason"] == "MethodNotAllowed"
    status, _ = client.request("PROPFIND", POD_PATH)
    assert status == 405
    # A method the HTTP parser does not know is refused before routing.
    assert client.request("BREW", POD_PATH)[0] == 400


def test_bad_selectors_are_400(client: Client) -> None:
    status, answer = client.request("GET", POD_PATH + "?labelSelector=a%20in%20(")
    assert status == 400
    status, answer = client.request("GET", POD_PATH + "?fieldSelector=spec.bogus%3Dx")
    assert (
        status == 400 and "field label not supported: spec.bogus" in _is_status(answer)["message"]
    )


@settings(max_examples=40)
@given(
    body=st.binary(max_size=400),
    ctype=st.sampled_from(
        [
            "application/json",
            "application/yaml",
            "application/vnd.kubernetes.protobuf",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json",
            "application/json-patch+json",
            "text/plain",
            "",
        ]
    ),
)
def test_any_body_gets_a_status_not_a_crash(client: Client, body: bytes, ctype: str) -> None:
    for method, path in (
        ("POST", POD_PATH),
        ("PATCH", POD_PATH + "/fuzz"),
        ("PUT", POD_PATH + "/fuzz"),
    ):
        status, answer = client.request(method, path, body, ctype)
        assert status in EXPECTED, (method, status, answer[:200])
        if status >= 400:
            _is_status(answer)


_SEGMENT = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="/?#%"),
    max_size=12,
)


@settings(max_examples=40)
@given(
    segments=st.lists(_SEGMENT, max_size=8),
    prefix=st.sampled_from(["/api/v1", "/apis/apps/v1", "/apis", "/api", "", "/openapi/v3"]),
    method=st.sampled_from(["GET", "DELETE", "POST", "PATCH", "PUT"]),
)
def test_any_path_gets_an_answer_not_a_crash(
    client: Client, segments: list[str], prefix: str, method: str
) -> None:
    path = prefix + "/" + "/".join(segments)
    status, _ = client.request(method, path, b"{}")
    assert status in EXPECTED


def test_slow_and_vanishing_clients_do_not_hold_the_server(client: Client) -> None:
    raw = socket.create_connection(("127.0.0.1", client.port), timeout=5)
    tls = client.context.wrap_socket(raw, server_hostname="127.0.0.1")
    tls.sendall(b"POST " + POD_PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n")
    # A half-sent request and a watch dropped mid-stream, then the server still answers.
    watch = socket.create_connection(("127.0.0.1", client.port), timeout=5)
    wtls = client.context.wrap_socket(watch, server_hostname="127.0.0.1")
    wtls.sendall(
        f"GET {POD_PATH}?watch=true HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {client.token}\r\n\r\n".encode()
    )
    wtls.recv(100)
    wtls.close()
    started = time.monotonic()
    status, _ = client.request("GET", POD_PATH)
    assert status == 200 and time.monotonic() - started < 5
    tls.close()


def test_many_watches_at_once(client: Client, tmp_path: Path) -> None:
    sockets = []
    for _ in range(50):
        raw = socket.create_connection(("127.0.0.1", client.port), timeout=5)
        tls = client.context.wrap_socket(raw, server_hostname="127.0.0.1")
        tls.sendall(
            f"GET {POD_PATH}?watch=true&timeoutSeconds=30 HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {client.token}\r\n\r\n".encode()
        )
        sockets.append(tls)
    for tls in sockets:
        assert b"200 OK" in tls.recv(200)
    status, _ = client.request(
        "POST",
        POD_PATH,
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "seen-by-all"},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            }
        ).encode(),
    )
    assert status == 201
    for tls in sockets:
        tls.settimeout(5)
        data = b""
        while b"seen-by-all" not in data:
            chunk = tls.recv(65536)
            assert chunk, "watch closed before the event"
            data += chunk
        tls.close()
