"""Builders for hostile level packs (issue 19): each starts from the valid fixture pack and
breaks one thing, exactly as the issue's reproduction did."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

VALID = Path(__file__).parent / "fixtures" / "packs" / "valid"
PACK_YAML = (VALID / "pack.yaml").read_text()
TINY = (VALID / "tiny.yaml").read_text()
REDOS = "^(.|..|...)*Z"
"""Exponential for a backtracking engine on any text without a Z."""


def folder(root: Path, name: str, *, pack: str = PACK_YAML, tiny: str | bytes = TINY) -> Path:
    """A pack folder ``root/name`` holding ``pack.yaml`` and ``tiny.yaml``."""
    target = root / name
    target.mkdir(parents=True)
    (target / "pack.yaml").write_text(pack)
    data = tiny if isinstance(tiny, bytes) else tiny.encode()
    (target / "tiny.yaml").write_bytes(data)
    return target


def with_limits(forbid_regex: str) -> str:
    """The tiny level with one ``limits.forbid`` regex."""
    return TINY.replace("hints:", f"limits:\n  forbid: [{{regex: '{forbid_regex}'}}]\nhints:")


def with_node(fields: str) -> str:
    """The tiny level with one node in its setup (``fields`` is a YAML flow mapping body)."""
    return TINY.replace("goals:", f"setup:\n  nodes:\n  - {{name: n1, {fields}}}\ngoals:")


def nested(depth: int) -> str:
    """The tiny level with a field nested ``depth`` flow sequences deep."""
    return TINY + "x: " + "[" * depth + "]" * depth + "\n"


def zip_pack(target: Path, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """The valid pack as a zip."""
    with zipfile.ZipFile(target, "w", method) as archive:
        archive.writestr("pack.yaml", PACK_YAML)
        archive.writestr("tiny.yaml", TINY)
    return target


def bad_crc_zip(target: Path) -> Path:
    """A stored zip whose tiny.yaml has one flipped bit (its CRC-32 no longer matches)."""
    zip_pack(target, zipfile.ZIP_STORED)
    data = bytearray(target.read_bytes())
    at = data.index(b"format: 1\nid: tiny")
    data[at + 2] ^= 1
    target.write_bytes(bytes(data))
    return target


def _patch_headers(target: Path, field: str, change: int) -> None:
    """Rewrite one 16-bit field in every local and central header: ``flags`` gets ``change``
    OR-ed in, ``method`` is set to it."""
    offsets = {"flags": (6, 8), "method": (8, 10)}[field]
    data = bytearray(target.read_bytes())
    for signature, offset in zip((b"PK\x03\x04", b"PK\x01\x02"), offsets, strict=True):
        at = data.find(signature)
        while at != -1:
            old = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, old | change if field == "flags" else change)
            at = data.find(signature, at + 4)
    target.write_bytes(bytes(data))


def encrypted_zip(target: Path) -> Path:
    """A zip whose members claim to be encrypted (general purpose flag bit 0)."""
    zip_pack(target)
    _patch_headers(target, "flags", 1)
    return target


def unsupported_method_zip(target: Path, method: int = 99) -> Path:
    """A zip whose members claim a compression method no reader has."""
    zip_pack(target)
    _patch_headers(target, "method", method)
    return target
