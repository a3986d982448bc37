"""Request bodies: size limit, media types, JSON / YAML / protobuf decoding, nesting depth."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from k8stui.server.status import StatusError

MAX_BODY = 3 * 1024 * 1024
"""The real API server's request size limit (3 MiB)."""
MAX_DEPTH = 64
"""Deepest nesting accepted in a body (real objects stay far below this)."""

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
APPLY_PATCH_CBOR = "application/apply-patch+cbor"


def media_type(request: web.Request) -> str:
    """The Content-Type without parameters ("" when absent, which kubectl does for scale PUT)."""
    raw = request.headers.get("Content-Type", "")
    return raw.split(";", 1)[0].strip().lower()


async def read_body(request: web.Request) -> bytes:
    """The whole body, refusing more than MAX_BODY bytes with 413 (without reading it all)."""
    declared = request.content_length
    if declared is not None and declared > MAX_BODY:
        raise StatusError(413, f"Request entity too large: limit is {MAX_BODY}")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_BODY:
            raise StatusError(413, f"Request entity too large: limit is {MAX_BODY}")
        chunks.append(chunk)
    return b"".join(chunks)


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _bad(message: str) -> StatusError:
    return StatusError(400, message, "BadRequest")


def parse_json(data: bytes, what: str = "the request body") -> Any:
    """JSON text to data; 400 for bad syntax, bad encoding or absurd nesting."""
    try:
        text = data.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise _bad(f"{what} is not valid UTF-8") from None
    except RecursionError:
        raise _bad(f"{what} is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise _bad(
            f"couldn't get version/kind; json parse error: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if not _depth_ok(value):
        raise _bad(f"{what} is nested too deeply (more than {MAX_DEPTH} levels)")
    return value


def parse_yaml(data: bytes) -> Any:
    """One YAML (or JSON) document, through the project's bounded safe loader."""
    from k8stui.manifests.loader import load_documents

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad("the request body is not valid UTF-8") from None
    loaded = load_documents(text, "body")
    if loaded.errors:
        raise _bad(f"error decoding YAML: {loaded.errors[0].message}")
    if len(loaded.documents) != 1:
        raise _bad("the request body must hold exactly one object")
    value = loaded.documents[0].obj
    if not _depth_ok(value):
        raise _bad(f"the request body is nested too deeply (more than {MAX_DEPTH} levels)")
    return value


def decode_protobuf(data: bytes) -> Any:
    """A protobuf body (kubectl >= 1.32 typed clients) via the decoder module, if present."""
    try:
        from k8stui.server import protobuf  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        raise StatusError(
            415,
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json, application/yaml",
            "UnsupportedMediaType",
        ) from None
    try:
        value = protobuf.decode(data)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as exc:
        raise _bad(f"error decoding protobuf body: {exc}") from None
    if not _depth_ok(value):
        raise _bad("the request body is nested too deeply")
    return value


def decode_object(data: bytes, content_type: str) -> dict[str, Any]:
    """A create/replace body as an object dict."""
    if content_type in ("", JSON, "*/*"):
        value = parse_json(data)
    elif content_type in (YAML, "application/x-yaml", "text/yaml"):
        value = parse_yaml(data)
    elif content_type == PROTOBUF:
        value = decode_protobuf(data)
    else:
        raise StatusError(
            415,
            f"the body of the request was in an unknown format - accepted media types include: "
            f"{JSON}, {YAML}, {PROTOBUF}",
            "UnsupportedMediaType",
        )
    if not isinstance(value, dict):
        raise _bad("the request body must be a JSON object")
    return value
