"""kustomize's ``configMapGenerator`` / ``secretGenerator``, with its content-hash name suffix.

The suffix is kustomize's: the SHA-256 of the compact JSON of ``{"data", "kind", "name": ""}``
(plus ``type`` for a Secret, ``binaryData`` when there is any; keys sorted, ``<``, ``>``, ``&``
escaped as Go does), whose first ten hex digits have ``0 1 3 a e`` replaced by ``g h k m t``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
ReadFile = Callable[[str], str]
"""Reads a file named relative to the kustomization (refusing paths outside it)."""


class GeneratorError(Exception):
    """A generator entry kustomize would refuse (the text says which and why)."""


def name_hash(obj: Obj) -> str:
    """kustomize's 10-character content hash of a ConfigMap or Secret."""
    body: Obj = {"kind": obj["kind"], "name": "", "data": obj.get("data") or {}}
    if obj["kind"] == "Secret":
        body["type"] = obj.get("type", "Opaque")
    if obj.get("binaryData"):
        body["binaryData"] = obj["binaryData"]
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    digest = hashlib.sha256(text.encode()).hexdigest()
    return digest[:10].translate(str.maketrans("013ae", "ghkmt"))


def _env_pairs(text: str, source: str) -> list[tuple[str, str]]:
    pairs = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key:
            raise GeneratorError(f"{source}:{number}: line is not KEY=VALUE: {raw!r}")
        pairs.append((key, value))
    return pairs


def _strings(entry: Obj, field: str, where: str) -> list[str]:
    value = entry.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GeneratorError(f"{where}: {field} must be a list of strings")
    return value


def _pairs(entry: Obj, read: ReadFile, where: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for literal in _strings(entry, "literals", where):
        key, sep, value = literal.partition("=")
        if not sep or not key:
            raise GeneratorError(f"{where}: literal {literal!r} is not KEY=VALUE")
        pairs.append((key, value.strip("\"'") if len(value) > 1 else value))
    for path in _strings(entry, "files", where):
        key, sep, file_path = path.partition("=")
        if not sep:
            key, file_path = posixpath.basename(path), path
        pairs.append((key, read(file_path)))
    for path in _strings(entry, "envs", where) + (
        [entry["env"]] if isinstance(entry.get("env"), str) else []
    ):
        pairs += _env_pairs(read(path), path)
    return pairs


def generate(kind: str, entry: Obj, options: Obj, read: ReadFile, where: str) -> tuple[Obj, bool]:
    """One generated object and whether its name gets the hash suffix."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise GeneratorError(f"{where}: every generator needs a name")
    behavior = entry.get("behavior", "create")
    if behavior != "create":
        raise GeneratorError(
            f"{where}: behavior {behavior!r} is not simulated by k8stui (only create)"
        )
    data: dict[str, str] = {}
    for key, value in _pairs(entry, read, where):
        if key in data:
            raise GeneratorError(f"{where}: key {key!r} is given twice")
        data[key] = value
    meta: Obj = {"name": entry["name"]}
    if isinstance(entry.get("namespace"), str):
        meta["namespace"] = entry["namespace"]
    own = entry.get("options") or {}
    labels = {**(options.get("labels") or {}), **(own.get("labels") or {})}
    annotations = {**(options.get("annotations") or {}), **(own.get("annotations") or {})}
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    obj: Obj = {"apiVersion": "v1", "kind": kind, "metadata": meta}
    if kind == "Secret":
        obj["data"] = {k: base64.b64encode(v.encode()).decode() for k, v in sorted(data.items())}
        obj["type"] = entry.get("type") or "Opaque"
    else:
        obj["data"] = dict(sorted(data.items()))
    disabled = own.get("disableNameSuffixHash", options.get("disableNameSuffixHash", False))
    return obj, not disabled
