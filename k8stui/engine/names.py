"""Names and identifiers drawn from the cluster's seeded random generator."""

from __future__ import annotations

import random

# The alphabet the API server uses for generateName suffixes (no vowels, no look-alikes).
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def random_suffix(rng: random.Random, length: int = 5) -> str:
    """A generateName suffix such as ``x7d2k``."""
    return "".join(rng.choice(SUFFIX_ALPHABET) for _ in range(length))


_VARIANT_CLEAR, _VARIANT = ~(0xC000 << 48), 0x8000 << 48  # RFC 4122 variant bits
_VERSION_CLEAR, _VERSION_4 = ~(0xF000 << 64), 4 << 76


def new_uid(rng: random.Random) -> str:
    """A version-4 UUID built from the seeded generator (never from the OS).

    The same bits and text as ``str(uuid.UUID(int=..., version=4))``, without building the
    object: every stored object gets one.
    """
    return uid_text(new_uid_number(rng))


def new_uid_number(rng: random.Random) -> int:
    """The number of the next :func:`new_uid` (the same draw from ``rng``)."""
    return (rng.getrandbits(128) & _VARIANT_CLEAR | _VARIANT) & _VERSION_CLEAR | _VERSION_4


def uid_text(number: int) -> str:
    """A uid's text from its number, in UUID layout (8-4-4-4-12 lower-case hex digits)."""
    h = f"{number:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def hex_id(rng: random.Random, length: int = 16) -> str:
    """Lower-case hex digits, e.g. for event name suffixes and container ids."""
    return f"{rng.getrandbits(length * 4):0{length}x}"
