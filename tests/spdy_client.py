"""The client half of a SPDY/3.1 session, written from the spec for the API tests."""

from __future__ import annotations

import zlib

from k8stui.server import spdy


class SpdyClient:
    """Opens streams as kubectl does and reads the server's frames."""

    def __init__(self) -> None:
        self.deflate = zlib.compressobj(
            zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 15, zdict=spdy.DICTIONARY
        )
        self.codec = spdy.Codec()  # reads the server's SYN_REPLY and DATA frames

    def syn_stream(self, stream_id: int, headers: dict[str, str], fin: bool = False) -> bytes:
        """A SYN_STREAM frame opening ``stream_id`` with ``headers``."""
        raw = bytearray(len(headers).to_bytes(4, "big"))
        for name, value in headers.items():
            for part in (name.encode(), value.encode()):
                raw += len(part).to_bytes(4, "big") + part
        block = self.deflate.compress(bytes(raw)) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
        payload = stream_id.to_bytes(4, "big") + (0).to_bytes(4, "big") + b"\x00\x00" + block
        head = b"\x80\x03\x00\x01" + bytes([1 if fin else 0]) + len(payload).to_bytes(3, "big")
        return head + payload
