"""Names and identifiers drawn from the cluster's seeded random generator."""

from __future__ import annotations

import random
import uuid

# The alphabet the API server uses for generateName suffixes (no vowels, no look-alikes).
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def random_suffix(rng: random.Random, length: int = 5) -> str:
    """A generateName suffix such as ``x7d2k``."""
    return "".join(rng.choice(SUFFIX_ALPHABET) for _ in range(length))


def new_uid(rng: random.Random) -> str:
    """A version-4 UUID built from the seeded generator (never from the OS)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hex_id(rng: random.Random, length: int = 16) -> str:
    """Lower-case hex digits, e.g. for event name suffixes and container ids."""
    return f"{rng.getrandbits(length * 4):0{length}x}"
