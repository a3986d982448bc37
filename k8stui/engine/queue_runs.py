"""Runs: queue entries for one time and action pushed back to back (see ``queue.py``).

A run holds its members in one of two forms. A *list run* keeps each member's (sequence,
payload). A *herd* keeps waits whose keys are ``prefix + str(at)`` as a slice of a member
list it shares with the herd it was moved from, so moving all of a herd's waits to a later
time costs the same for ten members as for ten thousand: sequences are consecutive, hence
implicit, and a member's key and payload are put together only when it runs (or when a
snapshot lists it).
"""

from __future__ import annotations

from typing import Any

Payload = dict[str, Any]
Member = tuple[str, Payload]
"""A herd member: its key's prefix and its payload without the key."""


class Run:
    """Entries for one time and action with consecutive sequences, oldest first."""

    __slots__ = (
        "action",
        "alive",
        "at",
        "first_seq",
        "hi",
        "items",
        "lo",
        "members",
        "pos",
        "suffix",
        "tag",
    )

    def __init__(self, at: int, action: str, seq: int, payload: Payload) -> None:
        self.at = at
        self.action = action
        self.items: list[tuple[int, Payload]] = [(seq, payload)]
        self.pos = 0  # members before it have run
        self.members: list[Member] | None = None  # set when the run is a herd
        self.lo = self.hi = self.first_seq = 0
        self.suffix = ""
        self.alive: set[str] = set()  # a herd's prefixes still waiting (for key lookups)
        self.tag: Any = None  # what the herd's maker knows of all its members

    def become_herd(
        self,
        members: list[Member],
        lo: int,
        hi: int,
        first_seq: int,
        alive: set[str],
        tag: Any,
    ) -> None:
        """Hold ``members[lo:hi]`` as a herd whose first member has sequence ``first_seq``."""
        self.items = []
        self.members, self.lo, self.hi, self.pos = members, lo, hi, lo
        self.first_seq, self.suffix, self.alive, self.tag = first_seq, str(self.at), alive, tag

    def head_seq(self) -> int:
        """The sequence of the next member to run."""
        if self.members is None:
            return self.items[self.pos][0]
        return self.first_seq + self.pos - self.lo

    def last_seq(self) -> int:
        """The sequence of the last member."""
        if self.members is None:
            return self.items[-1][0]
        return self.first_seq + self.hi - 1 - self.lo

    def left(self) -> int:
        """Members that have not run."""
        return (len(self.items) if self.members is None else self.hi) - self.pos

    def take(self, pending: set[str]) -> Payload:
        """The next member's payload (with its ``_key``), releasing its key."""
        if self.members is None:
            payload = self.items[self.pos][1]
            self.pos += 1
            key = payload.get("_key")
            if key is not None:
                pending.discard(key)
            return payload
        prefix, base = self.members[self.pos]
        self.pos += 1
        self.alive.discard(prefix)
        return {**base, "_key": prefix + self.suffix}

    def drop(self, count: int, pending: set[str]) -> None:
        """Remove the next ``count`` members, releasing their keys."""
        if self.members is None:
            for _seq, item in self.items[self.pos : self.pos + count]:
                key = item.get("_key")
                if key is not None:
                    pending.discard(key)
        else:
            for prefix, _base in self.members[self.pos : self.pos + count]:
                self.alive.discard(prefix)
        self.pos += count

    def entries(self) -> list[tuple[int, Payload]]:
        """(sequence, payload) of the members that have not run, in order."""
        if self.members is None:
            return self.items[self.pos :]
        seq0, suffix = self.first_seq - self.lo, self.suffix
        return [
            (seq0 + i, {**base, "_key": prefix + suffix})
            for i, (prefix, base) in enumerate(self.members[self.pos : self.hi], self.pos)
        ]

    def has_key(self, key: str) -> bool:
        """Whether a herd member still waiting has this key."""
        suffix = self.suffix
        return key.endswith(suffix) and key[: len(key) - len(suffix)] in self.alive
