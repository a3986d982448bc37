"""Seeded identifiers: uids are RFC 4122 version-4 UUIDs drawn from the cluster's generator."""

from __future__ import annotations

import random
import uuid

from k8stui.engine.names import new_uid


def test_uids_are_the_version_4_uuids_of_the_drawn_bits() -> None:
    drawn, replay = random.Random(42), random.Random(42)
    for _ in range(2_000):
        uid = new_uid(drawn)
        assert uid == str(uuid.UUID(int=replay.getrandbits(128), version=4))
        assert uuid.UUID(uid).version == 4


def test_extreme_bits_still_give_a_valid_uuid() -> None:
    class Fixed(random.Random):
        def __init__(self, bits: int) -> None:
            super().__init__(0)
            self.bits = bits

        def getrandbits(self, k: int) -> int:
            return self.bits

    for bits in (0, (1 << 128) - 1):
        assert new_uid(Fixed(bits)) == str(uuid.UUID(int=bits, version=4))
