"""SPDY/3.1 framing, as far as ``kubectl port-forward`` needs it (pure; no I/O).

Frames (all integers big-endian):
- control: ``1`` bit, version (15 bits, 3), type (16), flags (8), length (24), payload;
- data: ``0`` bit, stream id (31), flags (8), length (24), payload.
Types used: SYN_STREAM (1: stream id, associated id, priority, slot, header block),
SYN_REPLY (2: stream id, header block), RST_STREAM (3: stream id, status), SETTINGS (4),
PING (6: id), GOAWAY (7: last stream id, status), HEADERS (8), WINDOW_UPDATE (9). Flag
``FIN`` (1) half-closes the sender's side of a stream.

A header block is ``count`` then ``(len, name, len, value)`` pairs, compressed with zlib:
one stream per direction for the whole session, seeded with the spec's dictionary, each
block ending in a sync flush (so the peer can inflate it at once).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS = 1, 2, 3, 4
PING, GOAWAY, HEADERS, WINDOW_UPDATE = 6, 7, 8, 9
FLAG_FIN = 0x01
VERSION = 3
MAX_FRAME = 1 << 20
"""The longest frame taken from a client (the field allows 16 MiB; kubectl sends 32 KiB)."""
MAX_HEADER_BLOCK = 64 * 1024
"""Bytes an inflated header block may have (a peer sends a few short headers)."""
RST_PROTOCOL_ERROR, RST_REFUSED_STREAM, RST_CANCEL = 1, 3, 5


_WORDS = (
    "options head post put delete trace accept accept-charset accept-encoding "
    "accept-language accept-ranges age allow authorization cache-control connection "
    "content-base content-encoding content-language content-length content-location "
    "content-md5 content-range content-type date etag expect expires from host if-match "
    "if-modified-since if-none-match if-range if-unmodified-since last-modified location "
    "max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after "
    "server te trailer transfer-encoding upgrade user-agent vary via warning "
    "www-authenticate method get status 200_OK version HTTP/1.1 url public set-cookie "
    "keep-alive origin"
)
"""The dictionary's header words (``_`` stands for a space)."""


def _dictionary() -> bytes:
    # The spec's dictionary (SPDY draft 3, section 2.6.10.1): length-prefixed header words,
    # then a run of common status codes, reasons, dates and media types.
    words = _WORDS.split()
    tail = (
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417"
        "502504505203 Non-Authoritative Information204 No Content301 Moved Permanently"
        "400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error"
        "501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct "
        "Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,"
        "image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,"
        "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0."
    )
    entries = [w.replace("_", " ").encode() for w in words]
    return b"".join(len(e).to_bytes(4, "big") + e for e in entries) + tail.encode()


DICTIONARY = _dictionary()


class SpdyError(ValueError):
    """Bytes that are not SPDY/3.1 as a client sends it."""


@dataclass(frozen=True)
class Frame:
    """One decoded frame: ``kind`` is a control type, or 0 for data."""

    kind: int
    flags: int
    stream_id: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes = b""
    """Data frames: the payload; PING: the id (4 bytes); RST/GOAWAY: the status (4 bytes)."""

    @property
    def fin(self) -> bool:
        """Whether the sender closes its side of the stream with this frame."""
        return bool(self.flags & FLAG_FIN)


def _control(kind: int, flags: int, payload: bytes) -> bytes:
    head = (0x8000 | VERSION).to_bytes(2, "big") + kind.to_bytes(2, "big")
    return head + bytes([flags]) + len(payload).to_bytes(3, "big") + payload


def data_frame(stream_id: int, data: bytes, fin: bool = False) -> bytes:
    """A DATA frame (``data`` must stay below 16 MiB, the length field's limit)."""
    flags = FLAG_FIN if fin else 0
    return stream_id.to_bytes(4, "big") + bytes([flags]) + len(data).to_bytes(3, "big") + data


def rst_stream(stream_id: int, status: int = RST_CANCEL) -> bytes:
    """RST_STREAM: the stream is dropped."""
    return _control(RST_STREAM, 0, stream_id.to_bytes(4, "big") + status.to_bytes(4, "big"))


def ping(ping_id: bytes) -> bytes:
    """PING with the 4-byte id of the one being answered."""
    return _control(PING, 0, ping_id)


def goaway(last_stream_id: int) -> bytes:
    """GOAWAY (status OK): no new streams after ``last_stream_id``."""
    return _control(GOAWAY, 0, last_stream_id.to_bytes(4, "big") + (0).to_bytes(4, "big"))


class Codec:
    """One session's framing: incoming bytes to frames, frames to outgoing bytes."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._inflate = zlib.decompressobj(zdict=DICTIONARY)
        self._deflate = zlib.compressobj(
            zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 15, zdict=DICTIONARY
        )

    def syn_reply(self, stream_id: int, headers: dict[str, str] | None = None) -> bytes:
        """SYN_REPLY accepting a stream (with its own compressed header block)."""
        return _control(SYN_REPLY, 0, stream_id.to_bytes(4, "big") + self._block(headers or {}))

    def _block(self, headers: dict[str, str]) -> bytes:
        raw = bytearray(len(headers).to_bytes(4, "big"))
        for name, value in headers.items():
            for part in (name.lower().encode(), value.encode()):
                raw += len(part).to_bytes(4, "big") + part
        return self._deflate.compress(bytes(raw)) + self._deflate.flush(zlib.Z_SYNC_FLUSH)

    def feed(self, data: bytes) -> list[Frame]:
        """Frames completed by ``data`` (a partial frame waits for more bytes)."""
        self._buffer += data
        frames = []
        while len(self._buffer) >= 8:
            length = int.from_bytes(self._buffer[5:8], "big")
            if length > MAX_FRAME:
                raise SpdyError(f"a frame of {length} bytes is longer than {MAX_FRAME}")
            if len(self._buffer) < 8 + length:
                break
            head = bytes(self._buffer[:8])
            payload = bytes(self._buffer[8 : 8 + length])
            del self._buffer[: 8 + length]
            frames.append(self._decode(head, payload))
        return frames

    def _decode(self, head: bytes, payload: bytes) -> Frame:
        flags = head[4]
        if not head[0] & 0x80:
            return Frame(0, flags, int.from_bytes(head[:4], "big") & 0x7FFFFFFF, data=payload)
        version = int.from_bytes(head[:2], "big") & 0x7FFF
        kind = int.from_bytes(head[2:4], "big")
        if version != VERSION:
            raise SpdyError(f"SPDY version {version} is not served (only 3)")
        if kind == SYN_STREAM:
            if len(payload) < 10:
                raise SpdyError("short SYN_STREAM")
            stream_id = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
            return Frame(kind, flags, stream_id, self._headers(payload[10:]))
        if kind in (SYN_REPLY, HEADERS):
            stream_id = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
            return Frame(kind, flags, stream_id, self._headers(payload[4:]))
        if kind in (RST_STREAM, WINDOW_UPDATE):
            stream_id = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
            return Frame(kind, flags, stream_id, data=payload[4:8])
        if kind == GOAWAY:
            last = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
            return Frame(kind, flags, last, data=payload[4:8])
        return Frame(kind, flags, data=payload)

    def _headers(self, block: bytes) -> dict[str, str]:
        try:
            raw = self._inflate.decompress(block, MAX_HEADER_BLOCK)
        except zlib.error as exc:
            raise SpdyError(f"bad header block: {exc}") from None
        if self._inflate.unconsumed_tail:
            raise SpdyError("header block too large")
        headers: dict[str, str] = {}
        if len(raw) < 4:
            raise SpdyError("short header block")
        count = int.from_bytes(raw[:4], "big")
        at = 4
        for _ in range(count):
            parts = []
            for _side in range(2):
                size = int.from_bytes(raw[at : at + 4], "big")
                if at + 4 + size > len(raw):
                    raise SpdyError("truncated header block")
                parts.append(raw[at + 4 : at + 4 + size].decode("latin-1"))
                at += 4 + size
            headers[parts[0]] = parts[1]
        return headers
